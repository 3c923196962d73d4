//! Repurchase cycles: the median days between consecutive purchases of one product by one customer, learned
//! when at least `repurchase_min_repeats` such gaps exist. A product without a cycle is bought once (a camera):
//! it is not suggested again to a customer who has it; one with a cycle is, when it is due ("Time to restock").

use super::DAY;
use crate::catalog::ProductIdx;
use crate::config::Config;
use crate::flat::Column;
use crate::model::Basket;
use rayon::slice::ParallelSliceMut;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Repurchase {
    /// Per product: median repurchase interval in days; 0 = no repeat pattern in the data.
    days: Column<f32>,
}

fn days(secs: i64) -> f32 {
    secs as f32 / DAY as f32
}

/// (product, seconds) between consecutive purchases of one product by one customer, on different days (a split
/// order is not a repurchase). Only each customer's own orders matter, so shards split by customer add up.
pub fn gaps_secs(baskets: &[Basket]) -> Vec<(ProductIdx, i64)> {
    let mut buys: Vec<(u32, ProductIdx, i64)> = baskets
        .iter()
        .filter_map(|b| b.customer.map(|c| (c, b)))
        .flat_map(|(c, b)| b.items.iter().map(move |&(p, _)| (c, p, b.at)))
        .collect();
    buys.par_sort_unstable();
    let mut gaps = Vec::new();
    for w in buys.windows(2) {
        let ((c1, p1, t1), (c2, p2, t2)) = (w[0], w[1]);
        if c1 == c2 && p1 == p2 && t2 - t1 >= DAY {
            gaps.push((p1, t2 - t1));
        }
    }
    gaps
}

impl Repurchase {
    pub fn build(baskets: &[Basket], n_products: usize, config: &Config) -> Repurchase {
        let mut gaps: Vec<Vec<f32>> = vec![Vec::new(); n_products];
        for (p, secs) in gaps_secs(baskets) {
            gaps[p as usize].push(days(secs));
        }
        Repurchase::from_gaps(gaps, config)
    }

    /// From gaps tallied as ((product, gap in seconds), times): the merged form of shards split by customer.
    pub fn from_tally(tally: &[((ProductIdx, i64), u64)], n_products: usize, config: &Config) -> Repurchase {
        let mut gaps: Vec<Vec<f32>> = vec![Vec::new(); n_products];
        for &((p, secs), times) in tally {
            gaps[p as usize].extend(std::iter::repeat_n(days(secs), times as usize));
        }
        Repurchase::from_gaps(gaps, config)
    }

    /// Per product, the median of its gaps in days, when there are at least `repurchase_min_repeats`.
    fn from_gaps(gaps: Vec<Vec<f32>>, config: &Config) -> Repurchase {
        let min = config.repurchase_min_repeats.max(1) as usize;
        let days = gaps
            .into_iter()
            .map(|mut g| {
                if g.len() < min {
                    return 0.0;
                }
                g.sort_unstable_by(f32::total_cmp);
                let m = g.len() / 2;
                if g.len() % 2 == 1 {
                    g[m]
                } else {
                    (g[m - 1] + g[m]) / 2.0
                }
            })
            .collect::<Column<f32>>();
        Repurchase { days }
    }

    /// The learned interval in days, if the product is bought again and again.
    pub fn interval(&self, p: ProductIdx) -> Option<f32> {
        self.days.get(p as usize).copied().filter(|&d| d > 0.0)
    }

    /// Products with a learned cycle.
    pub fn len(&self) -> usize {
        self.days.iter().filter(|&&d| d > 0.0).count()
    }

    pub fn is_empty(&self) -> bool {
        !self.days.iter().any(|&d| d > 0.0)
    }
}
