//! From counts to what queries read: top-K neighbours per product, popularity and trending.

use super::counts::{Counts, PairCount, WEIGHT_SCALE};
use crate::catalog::{Catalog, ProductIdx};
use crate::config::{Config, Measure};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// One learned association of a product, with the raw evidence behind it (for honest reasons).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Neighbor {
    pub item: ProductIdx,
    pub score: f32,
    /// Orders containing both products.
    pub together: u32,
    /// Customers who bought both in different orders within the window.
    pub customers: u32,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Model {
    pub measure_name: String,
    /// Per product, best first.
    pub neighbors: Vec<Vec<Neighbor>>,
    /// Orders containing each product (raw counts).
    pub item_orders: Vec<u32>,
    /// Units sold of each product (raw).
    pub units: Vec<u64>,
    /// Decayed popularity in [0, 1] (1 = most popular).
    pub popularity: Vec<f32>,
    /// The most popular products, best first.
    pub popular: Vec<ProductIdx>,
    /// Trending products with their velocity ratio (recent rate / long-run rate), best first.
    pub trending: Vec<(ProductIdx, f32)>,
    /// Per category, its most popular products, best first (categories sorted by name).
    pub category_popular: Vec<(String, Vec<ProductIdx>)>,
    pub orders: u64,
    pub pairs: u64,
}

const POPULAR_KEPT: usize = 200;
const CATEGORY_KEPT: usize = 50;

/// Score of one pair under a measure, from decayed weights.
fn pair_score(measure: Measure, config: &Config, pc: PairCount, na: u64, nb: u64, n: u64) -> f64 {
    let (co, na, nb, n) = (pc.weight as f64, na.max(1) as f64, nb.max(1) as f64, n.max(1) as f64);
    match measure {
        Measure::Default => {
            if pc.count < config.min_support {
                return 0.0;
            }
            let cos = co / (na * nb).sqrt();
            cos * (pc.count as f64 / (pc.count as f64 + config.shrinkage))
        }
        Measure::Confidence => co / na,
        Measure::Lift => co * n / (na * nb),
        Measure::Jaccard => co / (na + nb - co).max(1.0),
        Measure::Cosine => co / (na * nb).sqrt(),
    }
}

impl Model {
    /// Finish counts into a queryable model with the configured measure.
    pub fn finish(counts: &Counts, catalog: &Catalog, config: &Config) -> Model {
        Model::finish_with(counts, catalog, config, config.measure)
    }

    pub fn finish_with(counts: &Counts, catalog: &Catalog, config: &Config, measure: Measure) -> Model {
        let n = counts.n_products as usize;
        // Adjacency in one flat array (CSR): for each product, (other, same-order count, customer count).
        let use_customer = config.customer_weight > 0.0;
        let mut degree = vec![0usize; n + 1];
        let tables: &[&super::counts::PairTable] =
            if use_customer { &[&counts.pairs, &counts.customer_pairs] } else { &[&counts.pairs] };
        for t in tables {
            for (a, b, _) in t.iter() {
                degree[a as usize + 1] += 1;
                degree[b as usize + 1] += 1;
            }
        }
        for i in 0..n {
            degree[i + 1] += degree[i];
        }
        let start = degree.clone();
        let mut fill = degree;
        let mut flat = vec![(0 as ProductIdx, PairCount::default(), PairCount::default()); start[n]];
        for (ti, t) in tables.iter().enumerate() {
            for (a, b, pc) in t.iter() {
                let (same, cust) = if ti == 0 { (pc, PairCount::default()) } else { (PairCount::default(), pc) };
                flat[fill[a as usize]] = (b, same, cust);
                fill[a as usize] += 1;
                flat[fill[b as usize]] = (a, same, cust);
                fill[b as usize] += 1;
            }
        }
        let mut slices: Vec<&mut [(ProductIdx, PairCount, PairCount)]> = Vec::with_capacity(n);
        let mut rest = flat.as_mut_slice();
        for i in 0..n {
            let (head, tail) = rest.split_at_mut(start[i + 1] - start[i]);
            slices.push(head);
            rest = tail;
        }
        let item_w: Vec<u64> = counts.item.iter().map(|c| c.weight).collect();
        let neighbors: Vec<Vec<Neighbor>> = slices
            .into_par_iter()
            .enumerate()
            .map(|(a, list)| {
                list.sort_unstable_by_key(|e| e.0);
                let mut out: Vec<Neighbor> = Vec::new();
                let mut i = 0;
                while i < list.len() {
                    let b = list[i].0;
                    let (mut same, mut cust) = (PairCount::default(), PairCount::default());
                    while i < list.len() && list[i].0 == b {
                        same.count += list[i].1.count;
                        same.weight += list[i].1.weight;
                        cust.count += list[i].2.count;
                        cust.weight += list[i].2.weight;
                        i += 1;
                    }
                    let (na, nb) = (item_w[a], item_w[b as usize]);
                    let mut s = 0.0;
                    if same.count > 0 {
                        s += pair_score(measure, config, same, na, nb, counts.order_weight);
                    }
                    if cust.count > 0 {
                        s += config.customer_weight * pair_score(measure, config, cust, na, nb, counts.order_weight);
                    }
                    if s > 0.0 && s.is_finite() {
                        out.push(Neighbor { item: b, score: s as f32, together: same.count, customers: cust.count });
                    }
                }
                out.sort_unstable_by(|x, y| y.score.total_cmp(&x.score).then(x.item.cmp(&y.item)));
                out.truncate(config.top_k);
                out
            })
            .collect();

        let max_w = item_w.iter().copied().max().unwrap_or(0).max(1) as f64;
        let popularity: Vec<f32> = item_w.iter().map(|&w| (w as f64 / max_w) as f32).collect();
        let mut by_pop: Vec<ProductIdx> = (0..n as u32).filter(|&i| counts.item[i as usize].count > 0).collect();
        by_pop.sort_unstable_by(|&x, &y| item_w[y as usize].cmp(&item_w[x as usize]).then(x.cmp(&y)));

        let mut category_popular: std::collections::BTreeMap<String, Vec<ProductIdx>> = Default::default();
        for &i in &by_pop {
            if let Some(c) = &catalog.product(i).category {
                let v = category_popular.entry(c.clone()).or_default();
                if v.len() < CATEGORY_KEPT {
                    v.push(i);
                }
            }
        }

        // Trending: units per day in the recent window against the long-run rate, smoothed so that a product
        // needs at least a few recent sales to trend.
        let span_days = if counts.first_at == i64::MAX {
            1.0
        } else {
            (((counts.reference - counts.first_at) as f64) / 86_400.0).max(1.0)
        };
        let window_days = (counts.trending_secs as f64 / 86_400.0).max(1.0);
        let mut trending: Vec<(ProductIdx, f32)> = (0..n)
            .filter(|&i| counts.recent_units[i] >= 3)
            .map(|i| {
                let recent_rate = counts.recent_units[i] as f64 / window_days;
                let long_rate = (counts.units[i] as f64 + 1.0) / span_days;
                (i as ProductIdx, (recent_rate / long_rate) as f32)
            })
            .filter(|&(_, r)| r > 1.2)
            .collect();
        trending.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        trending.truncate(POPULAR_KEPT);
        let _ = WEIGHT_SCALE;

        Model {
            measure_name: measure.name().to_string(),
            neighbors,
            item_orders: counts.item.iter().map(|c| c.count).collect(),
            units: counts.units.clone(),
            popularity,
            popular: by_pop.into_iter().take(POPULAR_KEPT).collect(),
            trending,
            category_popular: category_popular.into_iter().collect(),
            orders: counts.orders,
            pairs: counts.pairs.len() as u64,
        }
    }

    /// The learned association of `b` for `a`, if it made a's top K.
    pub fn neighbor(&self, a: ProductIdx, b: ProductIdx) -> Option<&Neighbor> {
        self.neighbors.get(a as usize)?.iter().find(|n| n.item == b)
    }

    pub fn popular_in(&self, category: &str) -> &[ProductIdx] {
        self.category_popular
            .binary_search_by(|(c, _)| c.as_str().cmp(category))
            .map(|i| self.category_popular[i].1.as_slice())
            .unwrap_or(&[])
    }
}
