//! Substitutes learned from browsing: two products of one category viewed in the same session at least
//! `substitute_min_coviews` times but bought together in under `substitute_max_cobuy_ratio` of those sessions'
//! count are alternatives ("shoppers compare these"), not complements: cross-sell keeps one away from a cart
//! holding the other, and upsell offers them as tiers.

use crate::catalog::{Catalog, ProductIdx};
use crate::config::Config;
use crate::flat::{Column, Csr};
use crate::model::PairSource;
use serde::{Deserialize, Serialize};

/// Products viewed in one session are capped (a crawler's session says nothing).
const SESSION_KEPT: usize = 30;
/// Substitutes kept per product (the most co-viewed).
const KEPT: usize = 20;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Substitutes {
    /// Products with substitutes, sorted, parallel to `lists`.
    products: Column<ProductIdx>,
    /// Per product: its substitutes, sorted by index.
    lists: Csr<ProductIdx>,
}

impl Substitutes {
    /// Check decoded substitutes against a catalog of `n` products.
    pub fn check(&self, n: usize) -> crate::error::Result<()> {
        if self.products.len() != self.lists.len() {
            return Err(crate::error::Error::corrupt("substitutes: products and lists differ in length"));
        }
        let all = self.products.iter().chain(self.lists.values()).copied();
        crate::error::Error::check_indices("a substitute list", n, all)
    }

    /// From (session, product) views and the same-order pair counts.
    pub fn build(
        mut views: Vec<(String, ProductIdx)>,
        catalog: &Catalog,
        cobought: &PairSource,
        config: &Config,
    ) -> Substitutes {
        if config.substitute_min_coviews == 0 || views.is_empty() {
            return Substitutes::default();
        }
        views.sort_unstable();
        views.dedup();
        let mut pairs: Vec<(ProductIdx, ProductIdx)> = Vec::new();
        for session in views.chunk_by(|a, b| a.0 == b.0) {
            let items: Vec<ProductIdx> = session.iter().map(|v| v.1).take(SESSION_KEPT).collect();
            for (i, &a) in items.iter().enumerate() {
                for &b in &items[i + 1..] {
                    pairs.push((a.min(b), a.max(b)));
                }
            }
        }
        pairs.sort_unstable();
        let mut found: Vec<(ProductIdx, ProductIdx, u32)> = Vec::new();
        for g in pairs.chunk_by(|x, y| x == y) {
            let (a, b) = g[0];
            let coviews = g.len() as u32;
            if coviews < config.substitute_min_coviews {
                continue;
            }
            let (pa, pb) = (catalog.product(a), catalog.product(b));
            if pa.category.is_none() || pa.category != pb.category {
                continue;
            }
            let cobuys = cobought.together(a, b);
            if (cobuys as f64) < config.substitute_max_cobuy_ratio * coviews as f64 {
                found.push((a, b, coviews));
                found.push((b, a, coviews));
            }
        }
        // Per product, the most co-viewed first (ties by index), then kept sorted by index for lookups.
        found.sort_unstable_by(|x, y| x.0.cmp(&y.0).then(y.2.cmp(&x.2)).then(x.1.cmp(&y.1)));
        let (mut products, mut lists) = (Vec::new(), Vec::new());
        for g in found.chunk_by(|x, y| x.0 == y.0) {
            let mut list: Vec<ProductIdx> = g.iter().take(KEPT).map(|e| e.1).collect();
            list.sort_unstable();
            products.push(g[0].0);
            lists.push(list);
        }
        Substitutes { products: products.into(), lists: lists.into() }
    }

    /// The learned substitutes of a product, sorted by index.
    pub fn of(&self, p: ProductIdx) -> &[ProductIdx] {
        match self.products.binary_search(&p) {
            Ok(k) => &self.lists[k],
            Err(_) => &[],
        }
    }

    pub fn are(&self, a: ProductIdx, b: ProductIdx) -> bool {
        self.of(a).binary_search(&b).is_ok()
    }

    pub fn len(&self) -> usize {
        self.products.len()
    }

    pub fn is_empty(&self) -> bool {
        self.products.is_empty()
    }
}
