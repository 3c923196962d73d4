//! What training learns from shopper behaviour beyond "bought together": declined offers, products shoppers
//! compare (co-viewed, rarely co-bought), repurchase cycles and seasons. Stored in the model snapshot and read
//! by cross-sell and upsell at query time; every use says why in `reasons`.

mod declines;
mod facts;
mod read;
mod repurchase;
mod season;
mod substitutes;

pub use declines::Declines;
pub use facts::OrderFacts;
pub use read::read_events;
pub use repurchase::Repurchase;
pub use season::{slot as week_of_year, Season};
pub use substitutes::Substitutes;

use serde::{Deserialize, Serialize};

/// Everything learned from events and order timing (empty parts when nothing was given).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Behaviour {
    pub declines: Declines,
    pub substitutes: Substitutes,
    pub repurchase: Repurchase,
    pub season: Season,
}

pub const DAY: i64 = 86_400;

impl Behaviour {
    /// Check decoded behaviour against a catalog of `n` products (repurchase and season read by `get`).
    pub fn check(&self, n: usize) -> crate::error::Result<()> {
        self.declines.check(n)?;
        self.substitutes.check(n)
    }
}
