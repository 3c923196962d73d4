//! Declined offers per shopper: a product declined `decline_limit` times within `decline_window_days` is not
//! offered to that shopper again (the stored form of a request's `declined`).

use super::DAY;
use crate::catalog::ProductIdx;
use crate::config::Config;
use crate::flat::{Csr, Texts};
use serde::{Deserialize, Serialize};

/// One decline as stored: (product, time). Packed: stored as is in the model file.
#[repr(C, packed)]
#[derive(Debug, Clone, Copy, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
pub struct Declined(pub ProductIdx, pub i64);

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Declines {
    /// Sorted shopper ids (customer id, else visitor id), parallel to `items`.
    ids: Texts,
    /// Per shopper: (product, time), sorted.
    items: Csr<Declined>,
    /// Newest event time seen at training: the window's end when a request gives no `now`.
    pub newest: i64,
}

impl Declines {
    /// Check decoded declines against a catalog of `n` products.
    pub fn check(&self, n: usize) -> crate::error::Result<()> {
        if self.ids.len() != self.items.len() {
            return Err(crate::error::Error::corrupt("declines: shoppers and lists differ in length"));
        }
        crate::error::Error::check_indices("a decline", n, self.items.values().iter().map(|d| d.0))
    }

    pub fn build(mut declines: Vec<(String, ProductIdx, i64)>, newest: i64) -> Declines {
        declines.sort_unstable();
        declines.dedup();
        let (mut ids, mut items): (Vec<String>, Vec<Vec<Declined>>) = (Vec::new(), Vec::new());
        for (who, p, at) in declines {
            if ids.last() != Some(&who) {
                ids.push(who);
                items.push(Vec::new());
            }
            items.last_mut().expect("pushed").push(Declined(p, at));
        }
        Declines { ids: ids.iter().collect(), items: items.into(), newest }
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Products this shopper declined often enough, recently enough (relative to `now`, else the newest event).
    pub fn blocked(&self, shopper: &str, now: Option<i64>, config: &Config, out: &mut Vec<ProductIdx>) {
        if config.decline_limit == 0 {
            return;
        }
        let Ok(k) = self.ids.search_sorted(shopper) else { return };
        let end = now.unwrap_or(self.newest);
        let start = end - config.decline_window_days as i64 * DAY;
        let items = &self.items[k];
        let mut i = 0;
        while i < items.len() {
            let p = items[i].0;
            let mut n = 0;
            while i < items.len() && items[i].0 == p {
                if (start..=end).contains(&{ items[i].1 }) {
                    n += 1;
                }
                i += 1;
            }
            if n >= config.decline_limit && !out.contains(&p) {
                out.push(p);
            }
        }
    }
}
