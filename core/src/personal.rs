//! Personalization from behaviour: what a shopper bought before and browsed now re-ranks answers, and every
//! boost says why. Without any personal signal the answer is exactly the non-personalized one; a shop can turn
//! all of it off per request (`personalize: false`) or per config (`personalization: false`) for visitors who
//! have not consented.

use crate::catalog::{Catalog, ProductIdx, NO_GROUP};
use crate::flat::{Csr, Texts};
use crate::model::Basket;
use crate::request::Reason;
use ahash::AHashMap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Products each known customer bought, most recent last (at most `KEPT` distinct per customer), each with
/// the time it was last bought (for "buy it again") and in how many orders (for taste), from training.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CustomerHistories {
    /// Sorted customer ids, parallel to `items`.
    ids: Texts,
    items: Csr<Bought>,
    /// Products in the catalog of an opened file: a history naming one past it reads as empty (histories are
    /// checked when read, not all at open). None when built by training.
    #[serde(skip)]
    products: Option<usize>,
}

/// One product a customer bought: (product, last bought at, orders it was in). Packed: stored as is in the
/// model file (16 bytes, no padding).
#[repr(C, packed)]
#[derive(Debug, Clone, Copy, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
pub struct Bought(pub ProductIdx, pub i64, pub u32);

/// One customer's stored history as plain data: (customer id, [(product, last bought at, orders)]).
pub type HistoryRow = (String, Vec<(ProductIdx, i64, u32)>);

const KEPT: usize = 30;

/// A name's first 8 bytes (zero-padded) as a number that orders as the bytes do.
fn name_prefix(name: &str) -> u64 {
    let mut bytes = [0u8; 8];
    let head = &name.as_bytes()[..name.len().min(8)];
    bytes[..head.len()].copy_from_slice(head);
    u64::from_be_bytes(bytes)
}

impl CustomerHistories {
    /// Build from baskets whose `customer` indexes `names`.
    pub fn build(names: &[String], baskets: &[Basket]) -> CustomerHistories {
        // Every customer's (time, product) bought, grouped by customer in one flat array.
        let mut start = vec![0usize; names.len() + 1];
        for b in baskets {
            if let Some(c) = b.customer {
                start[c as usize + 1] += b.items.len();
            }
        }
        for c in 0..names.len() {
            start[c + 1] += start[c];
        }
        let mut fill = start.clone();
        let mut bought = vec![(0i64, 0 as ProductIdx); start[names.len()]];
        for b in baskets {
            if let Some(c) = b.customer {
                for &(p, _) in &b.items {
                    bought[fill[c as usize]] = (b.at, p);
                    fill[c as usize] += 1;
                }
            }
        }
        let mut by_name: Vec<usize> = (0..names.len()).filter(|&c| start[c + 1] > start[c]).collect();
        // Names are compared by their first bytes held in one array, the strings read only on a tie: millions of
        // names scattered on the heap cost a cache miss per comparison.
        let prefix: Vec<u64> = names.iter().map(|n| name_prefix(n)).collect();
        by_name.par_sort_unstable_by(|&x, &y| prefix[x].cmp(&prefix[y]).then_with(|| names[x].cmp(&names[y])));
        let mut groups: Vec<&mut [(i64, ProductIdx)]> = Vec::with_capacity(names.len());
        let mut rest = bought.as_mut_slice();
        for c in 0..names.len() {
            let (group, tail) = rest.split_at_mut(start[c + 1] - start[c]);
            groups.push(group);
            rest = tail;
        }
        let mut recent: Vec<Option<Vec<Bought>>> = groups.into_par_iter().map(|g| Some(latest(g))).collect();
        let items = Csr::from_rows(by_name.iter().map(|&c| recent[c].take().expect("each customer once")));
        CustomerHistories { ids: by_name.iter().map(|&c| names[c].as_str()).collect(), items, products: None }
    }

    /// (customer id, [(product, last bought at, orders)]) sorted by id: the form shards carry in their counts.
    pub fn rows(&self) -> Vec<HistoryRow> {
        self.ids
            .iter()
            .zip(self.items.iter())
            .map(|(id, row)| (id.to_string(), row.iter().map(|b| (b.0, b.1, b.2)).collect()))
            .collect()
    }

    /// Histories of [`CustomerHistories::rows`] (sorted by id, each id once).
    pub fn from_rows(rows: &[HistoryRow]) -> CustomerHistories {
        let items = Csr::from_rows(rows.iter().map(|r| r.1.iter().map(|&(p, at, n)| Bought(p, at, n))));
        CustomerHistories { ids: rows.iter().map(|r| r.0.as_str()).collect(), items, products: None }
    }

    /// Check read histories against a catalog of `n` products (each list's products are checked when read).
    pub fn check(&mut self, n: usize) -> crate::error::Result<()> {
        if self.ids.len() != self.items.len() {
            return Err(crate::error::Error::corrupt("customer histories: ids and lists differ in length"));
        }
        self.products = Some(n);
        Ok(())
    }

    /// (product, last bought at, orders), most recent last.
    pub fn get(&self, customer: &str) -> &[Bought] {
        match self.ids.search_sorted(customer) {
            Ok(i) => {
                let row = &self.items[i];
                let known = |b: &Bought| self.products.is_none_or(|n| (b.0 as usize) < n);
                if row.iter().all(known) {
                    row
                } else {
                    &[]
                }
            }
            Err(_) => &[],
        }
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// The stored customer ids, sorted.
    pub fn customers(&self) -> impl Iterator<Item = &str> + '_ {
        self.ids.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// The `KEPT` most recently bought distinct products of one customer, most recent last, each with when it was
/// last bought and in how many orders.
fn latest(bought: &mut [(i64, ProductIdx)]) -> Vec<Bought> {
    bought.sort_unstable();
    let mut recent: Vec<Bought> = Vec::with_capacity(KEPT.min(bought.len()));
    for &(at, p) in bought.iter().rev() {
        if let Some(r) = recent.iter_mut().find(|r| r.0 == p) {
            r.2 += 1;
        } else if recent.len() < KEPT {
            recent.push(Bought(p, at, 1));
        }
    }
    recent.reverse();
    recent
}

/// The 75th percentile of prices, each counted `times` times; `prices` is not empty.
fn weighted_p75(prices: impl Iterator<Item = (i64, u32)>) -> i64 {
    let mut prices: Vec<(i64, u32)> = prices.collect();
    prices.sort_unstable();
    let total: u64 = prices.iter().map(|&(_, t)| u64::from(t)).sum();
    let rank = (total * 3 / 4).min(total.saturating_sub(1));
    let mut seen = 0u64;
    for &(price, times) in &prices {
        seen += u64::from(times);
        if seen > rank {
            return price;
        }
    }
    prices.last().map_or(0, |p| p.0)
}

/// What a shopper's history and session say about their taste.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    /// Tags, vendors and categories making up at least `MIN_SHARE` of the history (name, share, kind).
    affinities: Vec<(String, f64, &'static str)>,
    /// 75th percentile of prices bought before.
    price_p75: Option<i64>,
    /// Categories viewed this session, as the shelf's category ids (sorted).
    exploring: Vec<u32>,
}

const MIN_SHARE: f64 = 0.3;
const MIN_ITEMS: usize = 3;

impl Profile {
    /// None when there is no personal signal at all (the answer stays exactly non-personalized).
    /// `affinity: false` leaves out tag/vendor affinity and the price band (the `use_affinity` switch).
    /// `history` is (product, orders it was bought in): taste counts purchases, so two organic products
    /// bought nineteen times make an organic affinity.
    pub fn build(
        catalog: &Catalog,
        history: &[(ProductIdx, u32)],
        viewed: &[ProductIdx],
        affinity: bool,
    ) -> Option<Profile> {
        if history.is_empty() && viewed.is_empty() {
            return None;
        }
        let mut profile = Profile::default();
        let purchases: usize = history.iter().map(|&(_, times)| times as usize).sum();
        if affinity && purchases >= MIN_ITEMS {
            let n = purchases as f64;
            // Tallied by interned text position (equal names, equal positions): names are read only for
            // the affinities kept.
            let mut counts: AHashMap<(u32, &'static str), usize> = AHashMap::new();
            for &(i, times) in history {
                let (tags, vendor) = catalog.tag_and_vendor_texts(i);
                for &t in tags {
                    *counts.entry((t, "tag")).or_default() += times as usize;
                }
                if let Some(v) = vendor {
                    *counts.entry((v, "vendor")).or_default() += times as usize;
                }
            }
            let mut aff: Vec<(String, f64, &'static str)> = counts
                .into_iter()
                .filter(|&(_, c)| c >= 2 && c as f64 / n >= MIN_SHARE)
                .map(|((at, kind), c)| (catalog.text(at).to_string(), c as f64 / n, kind))
                .collect();
            aff.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            profile.affinities = aff;
            profile.price_p75 = Some(weighted_p75(history.iter().map(|&(i, times)| (catalog.price(i), times))));
        }
        let shelf = catalog.shelf();
        let mut cats: Vec<u32> = viewed.iter().map(|&i| shelf.row(i).category).filter(|&c| c != NO_GROUP).collect();
        cats.sort_unstable();
        cats.dedup();
        profile.exploring = cats;
        Some(profile)
    }

    /// The affinity a product matches (the strongest) and the explored category it is in, if any. Reads only
    /// the fields it needs: this runs for every candidate.
    fn matches<'c>(
        &self,
        catalog: &'c Catalog,
        idx: ProductIdx,
    ) -> (Option<&(String, f64, &'static str)>, Option<&'c str>) {
        let affinity = self.affinities.iter().find(|(name, _, kind)| match *kind {
            "tag" => catalog.tags(idx).contains_ignore_ascii_case(name),
            _ => catalog.vendor(idx) == Some(name.as_str()),
        });
        // Compared as category ids; the name is read only for a product in one.
        let category = catalog.shelf().row(idx).category;
        let explored = (category != NO_GROUP && self.exploring.binary_search(&category).is_ok())
            .then(|| catalog.category(idx))
            .flatten();
        (affinity, explored)
    }

    /// Score factor for a candidate (no allocation: runs for every candidate).
    pub fn factor(&self, catalog: &Catalog, idx: ProductIdx) -> f64 {
        let (affinity, explored) = self.matches(catalog, idx);
        let mut factor = 1.0;
        if let Some((_, share, _)) = affinity {
            factor *= 1.0 + 0.5 * share;
        }
        if explored.is_some() {
            factor *= 1.15;
        }
        // Price band: a bargain hunter is not pushed far above what they usually pay.
        if let Some(p75) = self.price_p75 {
            if p75 > 0 && catalog.price(idx) > p75.saturating_mul(3) {
                factor *= 0.7;
            }
        }
        factor
    }

    /// The reason behind a boost (for the suggestions shown).
    pub fn reason(&self, catalog: &Catalog, idx: ProductIdx) -> Option<Reason> {
        match self.matches(catalog, idx) {
            (Some((name, _, "tag")), _) => Some(Reason::new("affinity", format!("Because you often buy {name}"))),
            (Some((name, _, _)), _) => Some(Reason::new("affinity", format!("Because you often buy from {name}"))),
            (None, Some(cat)) => Some(Reason::new("session_intent", format!("Because you're exploring {cat}"))),
            (None, None) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sorted_by_prefix_then_text_sort_as_text() {
        let names = ["b", "a", "ab", "a\u{0}b", "abcdefgh2", "abcdefgh1", "abcdefgh", "", "é", "Z", "abcdefgi"];
        let mut by_prefix: Vec<&str> = names.to_vec();
        by_prefix.sort_by(|x, y| name_prefix(x).cmp(&name_prefix(y)).then_with(|| x.cmp(y)));
        let mut by_text = names.to_vec();
        by_text.sort();
        assert_eq!(by_prefix, by_text);
    }
}
