//! Filling a page the learned suggestions leave short.

use super::candidates::{Evidence, Pool, Source};
use super::{cart::Cart, eligibility::Eligibility};
use crate::catalog::ProductIdx;
use crate::engine::Engine;

/// The list a fill suggestion came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Popular in the category of a cart product nothing was learned about.
    Category,
    Trending,
    Popular,
}

/// Cold start: fill from the cart's categories, then trending, then popular, until the page can be filled.
pub(super) fn fill(pool: &mut Pool, engine: &Engine, cart: &Cart, elig: &Eligibility, wanted: usize) {
    if pool.len() >= wanted * 2 {
        return;
    }
    let model = engine.model();
    let catalog = engine.catalog();
    // Each list adds at most `per_list` products: fills score low and in popularity order, so deeper ones
    // cannot reach the page, and checking and ranking hundreds of them was most of a cold cart's time.
    let per_list = (wanted * 8).max(64);
    let mut added = [0usize; 3];
    let mut offer = |pool: &mut Pool, idx: ProductIdx, kind: Kind, base: f64| {
        let n = &mut added[kind as usize];
        if *n < per_list && !pool.contains(idx) && elig.allows(idx) {
            let v = base * (0.5 + 0.5 * model.popularity[idx as usize] as f64);
            pool.add(idx, Source::Fill, Evidence::Fill(kind), v);
            *n += 1;
        }
    };
    // Same-category affinity only for cart products nothing was learned about (true cold start): for the
    // others, their category mates are substitutes, not complements.
    let mut cats: Vec<&str> = cart
        .known
        .iter()
        .filter(|&&(i, _)| model.neighbors[i as usize].is_empty())
        .filter_map(|&(i, _)| catalog.product(i).category.as_deref())
        .collect();
    cats.dedup();
    for cat in cats {
        for &idx in model.popular_in(cat) {
            offer(pool, idx, Kind::Category, 0.09);
        }
    }
    for &(idx, _) in &model.trending {
        offer(pool, idx, Kind::Trending, 0.06);
    }
    for &idx in &model.popular {
        offer(pool, idx, Kind::Popular, 0.03);
    }
}
