//! Seasons: a product whose sales in the ±2 weeks around a date of the last year of orders were at least
//! `seasonal_min_lift` times its usual weekly rate (and at least 15 units, and 5 Poisson standard deviations
//! above the usual, so noise in a long tail is not a season) is "Popular this time of year" when
//! a request's `now` falls in the same weeks of the year. Learned at training as one bit per week of the year,
//! so a query tests one bit.

use super::DAY;
use crate::catalog::ProductIdx;
use crate::config::Config;
use crate::flat::Column;
use crate::model::Basket;
use serde::{Deserialize, Serialize};

const YEAR: i64 = 365 * DAY;
pub const SLOTS: usize = 52;
/// Weeks either side of the slot that count as "this time of year" (±14 days).
const HALF: usize = 2;
const MIN_UNITS: u64 = 15;
/// How far above the usual count (in Poisson standard deviations) a window must be.
const MIN_Z: f64 = 5.0;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Season {
    /// Per product: bit `w` set when week `w` of the year (0..52, by day of year) is its season.
    weeks: Column<u64>,
}

/// Week of the year (0..52) of a Unix time, by UTC day of the year.
pub fn slot(at: i64) -> usize {
    let day = time::OffsetDateTime::from_unix_timestamp(at).map(|t| t.ordinal() as usize - 1).unwrap_or(0);
    (day / 7).min(SLOTS - 1)
}

/// Whether orders from `first` to `last` span (about) a year: only then can a season be seen.
pub fn covers_a_year(first: i64, last: i64) -> bool {
    last >= first && last - first >= YEAR - 14 * DAY
}

/// Units per product and week of the year, of the orders in the year up to `end` (the newest order).
pub fn units(baskets: &[Basket], n_products: usize, end: i64) -> Vec<[u32; SLOTS]> {
    let mut units: Vec<[u32; SLOTS]> = vec![[0; SLOTS]; n_products];
    for b in baskets.iter().filter(|b| b.at > end - YEAR) {
        let s = slot(b.at);
        for &(p, q) in &b.items {
            units[p as usize][s] = units[p as usize][s].saturating_add(q);
        }
    }
    units
}

impl Season {
    /// From the last year of orders; nothing when the orders cover less than a year (no season can be seen).
    pub fn build(baskets: &[Basket], n_products: usize, config: &Config) -> Season {
        let (Some(first), Some(last)) = (baskets.iter().map(|b| b.at).min(), baskets.iter().map(|b| b.at).max()) else {
            return Season::default();
        };
        if !covers_a_year(first, last) {
            return Season::default();
        }
        Season::from_units(&units(baskets, n_products, last), config)
    }

    /// From units per product and week of the year sold in the year up to the newest order ([`units`]).
    pub fn from_units(units: &[[u32; SLOTS]], config: &Config) -> Season {
        let weeks = units
            .iter()
            .map(|u| {
                let total: u64 = u.iter().map(|&x| x as u64).sum();
                if total < MIN_UNITS {
                    return 0;
                }
                let usual = total as f64 / SLOTS as f64;
                let mut bits = 0u64;
                for s in 0..SLOTS {
                    let window: u64 = (0..=2 * HALF).map(|k| u[(s + SLOTS + k - HALF) % SLOTS] as u64).sum();
                    let expected = usual * (2 * HALF + 1) as f64;
                    let z = (window as f64 - expected) / expected.sqrt().max(1e-9);
                    if window >= MIN_UNITS && window as f64 >= config.seasonal_min_lift * expected && z >= MIN_Z {
                        bits |= 1 << s;
                    }
                }
                bits
            })
            .collect::<Vec<u64>>();
        // No season anywhere: store nothing, so queries skip the check without scanning.
        if weeks.iter().all(|&w| w == 0) {
            return Season::default();
        }
        Season { weeks: weeks.into() }
    }

    /// Whether `now` is in the product's season.
    pub fn in_season(&self, p: ProductIdx, now: i64) -> bool {
        self.in_week(p, slot(now))
    }

    /// Whether week `slot` (see [`slot`]) is in the product's season: compute the slot once per request.
    pub fn in_week(&self, p: ProductIdx, slot: usize) -> bool {
        self.weeks.get(p as usize).is_some_and(|&w| w & (1 << slot) != 0)
    }

    /// True when no product has a season (built so: then no weeks are stored).
    pub fn is_empty(&self) -> bool {
        self.weeks.is_empty()
    }
}
