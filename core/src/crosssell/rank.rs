//! From the candidate pool to the page: merchant and personal score factors, then the ranking (pinned first,
//! then by score, ties by product id so the same request always gives the same answer) with the diversity cap.

use super::candidates::{Candidate, Pool};
use super::shopper::Shopper;
use crate::catalog::{Catalog, ProductIdx, ShelfRow, NO_GROUP};
use crate::rules::{Placement, Rule};
use crate::shop::Shop;
use ahash::AHashMap;

/// Score factor of a product in season ("Popular this time of year"): modest, it breaks near-ties.
const SEASONAL_BOOST: f64 = 1.15;
const PREFERRED_CHECKOUT_KINDS: [&str; 3] = ["warranty", "digital", "accessory"];

/// Boost and bury rules, the shopper's taste, seasons and the checkout's preferred kinds. Each step runs only
/// when it can change something, so a plain request never reads a product record here.
pub(super) fn adjust(pool: &mut Pool, shop: &Shop, placement: Placement, shopper: &Shopper) {
    let catalog = shop.catalog;
    let rules = shop.rules;
    let scored_by_rules = rules.rules.iter().any(|r| matches!(r, Rule::Boost { .. } | Rule::Bury { .. }));
    let checkout = placement == Placement::Checkout;
    let reads_record = scored_by_rules || checkout;
    let season = &shop.behaviour.season;
    for (idx, c) in pool.iter_mut() {
        let p = reads_record.then(|| catalog.product(idx));
        if let Some(p) = p.filter(|_| scored_by_rules) {
            c.score *= rules.score_factor(&p);
        }
        if let Some(profile) = &shopper.profile {
            c.score *= profile.factor(catalog, idx);
        }
        if p.is_some_and(|p| checkout && p.kind.is_some_and(|k| PREFERRED_CHECKOUT_KINDS.contains(&k))) {
            c.score *= 1.5;
        }
        if shopper.season_week.is_some_and(|week| season.in_week(idx, week)) {
            c.score *= SEASONAL_BOOST;
        }
    }
}

/// A candidate's place in the ranking as one integer: pinned position (none last), then score (higher first),
/// then product index. Equal ranks (the top 96 bits) are ordered by product id, which the index does not follow.
type Key = u128;

fn key(idx: ProductIdx, c: &Candidate) -> Key {
    let bits = c.score.to_bits();
    // Flipped so that unsigned order is the float's total order; then negated: higher scores first.
    let ordered = if bits >> 63 == 1 { !bits } else { bits | 1 << 63 };
    (u128::from(c.pinned.unwrap_or(u32::MAX)) << 96) | (u128::from(!ordered) << 32) | u128::from(idx)
}

fn product(key: Key) -> ProductIdx {
    key as u32
}

/// The first `wanted` candidates of the ranking, at most `cap` per category (0: no cap). Candidates over the
/// cap wait aside and fill, in rank order, the slots other categories leave empty: variety first, never fewer.
pub(super) fn select<'p>(
    pool: &'p Pool,
    catalog: &Catalog,
    cap: usize,
    wanted: usize,
) -> Vec<(ProductIdx, &'p Candidate)> {
    let candidate = |idx: ProductIdx| pool.get(idx).expect("ranked from the pool");
    let mut ranked: Vec<Key> = pool.iter().map(|(idx, c)| key(idx, c)).collect();
    // Only the head of the ranking is needed: a sorted prefix `ranked[..head]`, grown by doubling when the cap
    // skips reach its end (each step selects the next block and sorts only that).
    let mut head = sort_block(&mut ranked, catalog, 0, (wanted * 4).max(32));

    let shelf = catalog.shelf();
    let mut per_cat: AHashMap<u32, usize> = AHashMap::new();
    let mut kept: Vec<(ProductIdx, &Candidate)> = Vec::with_capacity(wanted);
    let mut over_cap: Vec<(usize, ProductIdx)> = Vec::new();
    for i in 0..ranked.len() {
        if kept.len() >= wanted {
            break;
        }
        if i == head {
            head = sort_block(&mut ranked, catalog, head, head * 2);
        }
        let idx = product(ranked[i]);
        let c = candidate(idx);
        let ShelfRow { category: cat, family, .. } = shelf.row(idx);
        // Two members of one family are alternatives to each other: the better ranked one is the suggestion.
        if family != NO_GROUP && c.pinned.is_none() && kept.iter().any(|k| shelf.row(k.0).family == family) {
            continue;
        }
        // Pinned products count towards their category's cap but are always kept.
        if cap > 0 && cat != NO_GROUP {
            let n = per_cat.entry(cat).or_insert(0);
            if *n >= cap && c.pinned.is_none() {
                if over_cap.len() < wanted {
                    over_cap.push((i, idx));
                }
                continue;
            }
            *n += 1;
        }
        kept.push((idx, c));
    }
    if kept.len() < wanted && !over_cap.is_empty() {
        // Back in rank order among what was kept.
        let rank_of = |idx: ProductIdx| ranked.iter().position(|&r| product(r) == idx).unwrap_or(usize::MAX);
        let mut all: Vec<(usize, ProductIdx)> = kept.iter().map(|k| (rank_of(k.0), k.0)).collect();
        all.extend(over_cap.into_iter().take(wanted - kept.len()));
        all.sort_unstable();
        kept = all.into_iter().map(|(_, idx)| (idx, candidate(idx))).collect();
    }
    kept
}

/// Sorts the ranking's next block, `ranked[from..to]`, choosing it from everything after `from`; the block grows
/// to take in every key ranked equal to its last (their order is the ids'). Returns where the block ends.
fn sort_block(ranked: &mut [Key], catalog: &Catalog, from: usize, to: usize) -> usize {
    let block = &mut ranked[from..];
    let mut n = to.saturating_sub(from).min(block.len());
    if n == 0 {
        return from;
    }
    if n < block.len() {
        block.select_nth_unstable(n - 1);
        let last = block[n - 1] >> 32;
        let rest = n;
        for i in rest..block.len() {
            if block[i] >> 32 == last {
                block.swap(i, n);
                n += 1;
            }
        }
    }
    // Sorted as integers, then each run of equal rank by product id (runs are rare and short).
    let block = &mut block[..n];
    block.sort_unstable();
    let mut start = 0;
    while start < n {
        let rank = block[start] >> 32;
        let end = start + block[start..].iter().take_while(|&&k| k >> 32 == rank).count();
        if end - start > 1 {
            block[start..end].sort_unstable_by(|a, b| catalog.id_bytes(product(*a)).cmp(catalog.id_bytes(product(*b))));
        }
        start = end;
    }
    from + n
}
