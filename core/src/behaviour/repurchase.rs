//! Repurchase cycles: the median days between consecutive purchases of one product by one customer, learned
//! when at least `repurchase_min_repeats` such gaps exist. A product without a cycle is bought once (a camera):
//! it is not suggested again to a customer who has it; one with a cycle is, when it is due ("Time to restock").

use super::DAY;
use crate::catalog::ProductIdx;
use crate::config::Config;
use crate::flat::Column;
use crate::model::Basket;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Repurchase {
    /// Per product: median repurchase interval in days; 0 = no repeat pattern in the data.
    days: Column<f32>,
}

impl Repurchase {
    pub fn build(baskets: &[Basket], n_products: usize, config: &Config) -> Repurchase {
        let mut buys: Vec<(u32, ProductIdx, i64)> = baskets
            .iter()
            .filter_map(|b| b.customer.map(|c| (c, b)))
            .flat_map(|(c, b)| b.items.iter().map(move |&(p, _)| (c, p, b.at)))
            .collect();
        buys.sort_unstable();
        let mut gaps: Vec<Vec<f32>> = vec![Vec::new(); n_products];
        for w in buys.windows(2) {
            let ((c1, p1, t1), (c2, p2, t2)) = (w[0], w[1]);
            // Same customer, same product, on different days (a split order is not a repurchase).
            if c1 == c2 && p1 == p2 && t2 - t1 >= DAY {
                gaps[p1 as usize].push((t2 - t1) as f32 / DAY as f32);
            }
        }
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
