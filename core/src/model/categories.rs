//! Which categories are bought together, learned from the pair table when a model is finished: what an honest
//! fill offers when the learned suggestions for a cart run short ("shoppers buying cameras also buy lenses").

use crate::catalog::ProductIdx;
use ahash::AHashMap;
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
/// linked categories, strongest first (ties: lower position first). `together` yields (category, other
/// category, orders) over product pairs, a pair of categories possibly many times.
pub(crate) fn category_links(
    together: impl Iterator<Item = (u32, u32, u64)>,
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
    let mut summed: AHashMap<(u32, u32), u64> = AHashMap::new();
    for (a, b, n) in together {
        *summed.entry((a.min(b), a.max(b))).or_default() += n;
    }
    let mut links: Vec<Vec<(u32, f64)>> = vec![Vec::new(); n_cats];
    for (&(a, b), &n) in &summed {
        if n >= MIN_LINK_ORDERS {
            let cosine = n as f64 / ((alone[a as usize] as f64) * (alone[b as usize] as f64)).sqrt();
            links[a as usize].push((b, cosine));
            links[b as usize].push((a, cosine));
        }
    }
    links.into_iter().map(strongest).collect()
}

/// One product's orders with products of other categories, summed by category (a scratch row per thread).
pub(crate) struct CategoryRow {
    sums: Vec<u64>,
    touched: Vec<u32>,
}

impl CategoryRow {
    pub(crate) fn new(n_cats: usize) -> CategoryRow {
        CategoryRow { sums: vec![0; n_cats], touched: Vec::new() }
    }

    /// (`own` category, other category, orders) from a product's `pairs` (other product, orders with both).
    pub(crate) fn sum(
        &mut self,
        own: u32,
        pairs: impl Iterator<Item = (ProductIdx, u32)>,
        cat_of: &[u32],
    ) -> Vec<(u32, u32, u64)> {
        if own == u32::MAX {
            return Vec::new();
        }
        for (b, n) in pairs {
            let cb = cat_of[b as usize];
            if cb != own && cb != u32::MAX {
                if self.sums[cb as usize] == 0 {
                    self.touched.push(cb);
                }
                self.sums[cb as usize] += n as u64;
            }
        }
        self.touched.drain(..).map(|cb| (own, cb, std::mem::take(&mut self.sums[cb as usize]))).collect()
    }
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

    /// (category, other category, orders) of product pairs, summed by category row as finishing does.
    fn together(pairs: &[(u32, u32, u32)], cat_of: &[u32]) -> Vec<(u32, u32, u64)> {
        let mut row = CategoryRow::new(3);
        let products = cat_of.len() as u32;
        (0..products)
            .flat_map(|a| {
                let later = pairs.iter().filter(|p| p.0 == a).map(|p| (p.1, p.2));
                row.sum(cat_of[a as usize], later.collect::<Vec<_>>().into_iter(), cat_of)
            })
            .collect()
    }

    #[test]
    fn links_follow_co_purchases_and_ignore_chance_and_same_category() {
        // Products 0,1: cameras (0); 2: lenses (1); 3: socks (2); 4: no category.
        let cat_of = [0, 0, 1, 2, u32::MAX];
        let item_orders = [10, 10, 8, 10, 5];
        let pairs = together(&[(0, 1, 9), (0, 2, 6), (1, 2, 2), (0, 3, 2), (2, 4, 5)], &cat_of);
        let links = category_links(pairs.into_iter(), &item_orders, &cat_of, 3);
        assert_eq!(links[0], vec![CategoryLink { category: 1, strength: 1.0 }]);
        assert_eq!(links[1], vec![CategoryLink { category: 0, strength: 1.0 }]);
        assert!(links[2].is_empty(), "two orders with socks are chance: {:?}", links[2]);
    }
}
