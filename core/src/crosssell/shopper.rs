//! The shopper's personal signals for one request: what they bought (stored at training and sent with the
//! request), what must not come back, what is due again, what they viewed this session, and their taste.
//! Without consent (`personalize: false`, or `personalization` off in config) every signal is empty.

use super::CrossSellRequest;
use crate::behaviour::DAY;
use crate::catalog::ProductIdx;
use crate::clock::Now;
use crate::personal::{Bought, Profile};
use crate::request::known_ids;
use crate::shop::Shop;

/// Purchases a taste profile is built from (the most recent).
const PROFILE_ITEMS: usize = 30;
/// "Buy it again" once this fraction of the usual interval has passed, and not after `STALE_FACTOR` intervals
/// (the customer has moved on).
const DUE_FRACTION: f32 = 0.8;
const STALE_FACTOR: f32 = 4.0;
/// Before this fraction of its cycle a repurchasable product is not suggested at all (just bought).
const NOT_YET_FRACTION: f32 = 0.25;

#[derive(Default)]
pub(super) struct Shopper<'e> {
    /// Purchases stored for this customer at training, with when and how often.
    pub stored: &'e [Bought],
    /// Positions in `stored`, by product.
    stored_by_product: Vec<u32>,
    /// Products bought before: the request's history first, then the stored ones.
    pub history: Vec<ProductIdx>,
    pub viewed: Vec<ProductIdx>,
    /// Trained declines and earlier purchases not to suggest again (sorted, no repeats).
    pub blocked: Vec<ProductIdx>,
    /// Repurchases due now, with their usual interval in days.
    pub due: Vec<(ProductIdx, f32)>,
    pub profile: Option<Profile>,
    /// The week of the year when seasonal boosts apply to this request.
    pub season_week: Option<usize>,
}

impl<'e> Shopper<'e> {
    pub fn resolve(shop: &Shop<'e>, req: &CrossSellRequest, now: Now) -> Shopper<'e> {
        let config = shop.config;
        if !config.personalization || req.personalize == Some(false) {
            return Shopper::default();
        }
        let catalog = shop.catalog;
        let behaviour = shop.behaviour;
        let stored = req.customer_id.as_deref().map_or(&[][..], |c| shop.histories.get(c));
        let mut shopper = Shopper { stored, ..Shopper::default() };
        let history = shopper.history_of(known_ids(&req.customer_history, catalog));
        for id in [&req.customer_id, &req.visitor_id].into_iter().flatten() {
            behaviour.declines.blocked(id, now.given(), config, &mut shopper.blocked);
        }
        if config.use_buy_again && !history.is_empty() {
            shopper.sort_repurchases(shop, &history, now.at());
        }
        shopper.blocked.sort_unstable();
        shopper.blocked.dedup();
        if config.use_session {
            shopper.viewed = known_ids(&req.viewed, catalog);
        }
        // Taste from the most recent purchases, each counted by the orders it was in (once when only the
        // request names it).
        let times = |i: ProductIdx| shopper.bought(i).map_or(1, |e| e.2);
        let tasted: Vec<(ProductIdx, u32)> =
            history[history.len().saturating_sub(PROFILE_ITEMS)..].iter().map(|&i| (i, times(i))).collect();
        shopper.profile = Profile::build(catalog, &tasted, &shopper.viewed, config.use_affinity);
        if config.use_seasonal && !behaviour.season.is_empty() {
            shopper.season_week = Some(crate::behaviour::week_of_year(now.at()));
        }
        shopper.history = history;
        shopper
    }

    /// The request's history, then the stored purchases it does not name, each product once; indexes the
    /// stored purchases by product for [`Shopper::bought`].
    fn history_of(&mut self, mut history: Vec<ProductIdx>) -> Vec<ProductIdx> {
        self.stored_by_product = (0..self.stored.len() as u32).collect();
        let stored = self.stored;
        // Stable: of a product stored twice, the first entry is the one found, as a scan finds it.
        self.stored_by_product.sort_by_key(|&k| stored[k as usize].0);
        let mut seen = history.clone();
        seen.sort_unstable();
        for &Bought(i, _, _) in stored {
            if let Err(at) = seen.binary_search(&i) {
                seen.insert(at, i);
                history.push(i);
            }
        }
        history
    }

    /// The stored purchase of product `i`, if any.
    fn bought(&self, i: ProductIdx) -> Option<&'e Bought> {
        let stored = self.stored;
        let k = self.stored_by_product.partition_point(|&k| stored[k as usize].0 < i);
        self.stored_by_product.get(k).map(|&k| &stored[k as usize]).filter(|b| b.0 == i)
    }

    /// Earlier purchases: bought once with no repeat pattern (a camera) or just bought are blocked; those
    /// whose usual interval has come round are due.
    fn sort_repurchases(&mut self, shop: &Shop, history: &[ProductIdx], at: i64) {
        let repurchase = &shop.behaviour.repurchase;
        for &i in history {
            let Some(days) = repurchase.interval(i) else {
                self.blocked.push(i);
                continue;
            };
            // A repurchasable product with no known date (request history only) is left as it was.
            let Some(&Bought(_, last, _)) = self.bought(i) else { continue };
            let elapsed = (at - last) as f32 / DAY as f32;
            if elapsed >= DUE_FRACTION * days && elapsed <= STALE_FACTOR * days {
                self.due.push((i, days));
            } else if elapsed < NOT_YET_FRACTION * days {
                self.blocked.push(i);
            }
        }
    }
}
