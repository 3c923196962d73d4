//! Which categories are bought together, learned from the pair table when a model is finished: what an honest
//! fill offers when the learned suggestions for a cart run short ("shoppers buying cameras also buy lenses").

use super::PairTable;
use crate::catalog::ProductIdx;
use ahash::AHashMap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Linked categories kept per category.
const LINKS_KEPT: usize = 6;
/// Orders a pair of categories needs together before it is a link, not chance.
const MIN_LINK_ORDERS: u64 = 3;

/// Another category bought with one, and how strongly: the cosine of their co-purchases (over product
/// pairs), relative to the category's strongest link (1.0).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CategoryLink {
    /// Position in the model's category list.
    pub category: u32,
    pub strength: f32,
}

/// Per category (`cat_of[product]`, a position in the model's category list, or `u32::MAX` for none), its
/// linked categories, strongest first (ties: lower position first).
pub(crate) fn category_links(
    pairs: &PairTable,
    item_orders: &[u32],
    cat_of: &[u32],
    n_cats: usize,
) -> Vec<Vec<CategoryLink>> {
    let mut alone = vec![0u64; n_cats];
    for (i, &c) in cat_of.iter().enumerate() {
        if c != u32::MAX {
            alone[c as usize] += item_orders[i] as u64;
        }
    }
    let together = co_purchases(pairs, cat_of);
    let mut links: Vec<Vec<(u32, f64)>> = vec![Vec::new(); n_cats];
    for (&(a, b), &n) in &together {
        if n >= MIN_LINK_ORDERS {
            let cosine = n as f64 / ((alone[a as usize] as f64) * (alone[b as usize] as f64)).sqrt();
            links[a as usize].push((b, cosine));
            links[b as usize].push((a, cosine));
        }
    }
    links.into_iter().map(strongest).collect()
}

/// Orders (over product pairs) bought together by each unordered pair of different categories.
fn co_purchases(pairs: &PairTable, cat_of: &[u32]) -> AHashMap<(u32, u32), u64> {
    let cat = |p: ProductIdx| cat_of.get(p as usize).copied().unwrap_or(u32::MAX);
    pairs
        .entries()
        .par_chunks(1 << 16)
        .fold(AHashMap::new, |mut acc: AHashMap<(u32, u32), u64>, chunk| {
            for &(key, pc) in chunk {
                let (a, b) = super::counts::unpair(key);
                let (ca, cb) = (cat(a), cat(b));
                if ca != cb && ca != u32::MAX && cb != u32::MAX {
                    *acc.entry((ca.min(cb), ca.max(cb))).or_default() += pc.count as u64;
                }
            }
            acc
        })
        .reduce(AHashMap::new, |mut a, b| {
            for (k, n) in b {
                *a.entry(k).or_default() += n;
            }
            a
        })
}

/// The strongest links of one category, relative to the strongest.
fn strongest(mut links: Vec<(u32, f64)>) -> Vec<CategoryLink> {
    links.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    links.truncate(LINKS_KEPT);
    let top = links.first().map_or(1.0, |l| l.1);
    links.into_iter().map(|(category, s)| CategoryLink { category, strength: (s / top) as f32 }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PairCount;

    fn table(pairs: &[(u32, u32, u32)]) -> PairTable {
        let pc = |count| PairCount { count, weight: count as u64 };
        PairTable::from_unsorted(pairs.iter().map(|&(a, b, n)| (super::super::counts::pair_key(a, b), pc(n))).collect())
    }

    #[test]
    fn links_follow_co_purchases_and_ignore_chance_and_same_category() {
        // Products 0,1: cameras (0); 2: lenses (1); 3: socks (2); 4: no category.
        let cat_of = [0, 0, 1, 2, u32::MAX];
        let item_orders = [10, 10, 8, 10, 5];
        let pairs = table(&[(0, 1, 9), (0, 2, 6), (1, 2, 2), (0, 3, 2), (2, 4, 5)]);
        let links = category_links(&pairs, &item_orders, &cat_of, 3);
        assert_eq!(links[0], vec![CategoryLink { category: 1, strength: 1.0 }]);
        assert_eq!(links[1], vec![CategoryLink { category: 0, strength: 1.0 }]);
        assert!(links[2].is_empty(), "two orders with socks are chance: {:?}", links[2]);
    }
}
