//! The settings `measure: "auto"` tunes on the shop's newest orders: first how counts become suggestions
//! ([`crate::model::tune`]), then, with those, `history_weight`: how strongly a returning customer's earlier
//! purchases seed the cart's suggestions.
//!
//! `history_weight` is tuned on the cart tuner's held-out orders (the newest
//! [`HOLDOUT_FRACTION`](crate::model::tune::HOLDOUT_FRACTION)) placed by a customer with older orders: one
//! product hidden (as the cart tuner picks it), the rest the cart, asked as the shop asks (customer id, the
//! order's time, the cart placement) of an engine trained on the older orders with the settings tuned so
//! far. The engine itself answers, so every personal signal (history seeds, buy it again, affinity, seasons)
//! acts as it will in the shop. No history seeds (0) are tried against the unset weight (0.3), then 0.1 if 0
//! won, else 0.6; a weight replaces the best so far only when it finds the hidden product clearly more often
//! (the cart tuner's sign test).
//!
//! `buy_again_weight` is not tuned: "buy it again" carries post-purchase suggestions, and cart queries alone
//! would trade those away (BENCHMARKS.md has the measurements).

use crate::behaviour::{Behaviour, Repurchase, Season};
use crate::catalog::{Catalog, ProductIdx};
use crate::config::Config;
use crate::crosssell::CrossSellRequest;
use crate::engine::{decay_reference, Engine, TrainStats};
use crate::error::Result;
use crate::model::tune::{clearly_better, mix, split_by_time, MIN_QUERIES};
use crate::model::{Basket, BasketPairs, Counts, Model, PairSource};
use crate::model::{HistoryTuneReport, TuneReport};
use crate::personal::CustomerHistories;
use crate::pricing::Bundles;
use crate::request::CartLineInput;
use crate::rules::{Placement, Rules};
use rayon::prelude::*;

/// Under `measure: "auto"`, the unset settings tuned on the newest orders (how counts become suggestions,
/// then `history_weight` with those), written into the returned config, and what was measured; `None` for
/// any other measure. `names`: the customer ids of `baskets`.
pub fn tune_settings(
    baskets: &[Basket],
    names: &[String],
    catalog: &Catalog,
    config: &Config,
) -> Result<Option<(Config, TuneReport)>> {
    let Some((config, mut report)) = crate::model::tune(baskets, catalog, config) else {
        return Ok(None);
    };
    // Too few held-out orders for the cart's settings are too few for returning customers' too.
    if report.fallback {
        return Ok(Some((config, report)));
    }
    Ok(Some(match history_weight(baskets, names, catalog, &config)? {
        Some((config, history)) => {
            report.history = Some(history);
            (config, report)
        }
        None => (config, report),
    }))
}

/// The unset weight (it stays unless another clearly wins), and the weights tried beside 0 and beside it.
const UNSET: f64 = crate::config::HISTORY_WEIGHT_UNSET;
const LOW: f64 = 0.1;
const HIGH: f64 = 0.6;
const K: usize = 10;
/// At most this many queries: personal signals move a few answers in a hundred, and the sign test needs
/// thousands of queries to see that; answering them costs little beside training the held-out engine.
pub const MAX_QUERIES: usize = 10_000;
/// The held-out engine learns from at most this many of the older orders, the newest.
pub const ENGINE_ORDERS: usize = 1_000_000;

/// A held-out order of a returning customer, one product hidden.
struct Query {
    cart: Vec<ProductIdx>,
    customer: u32,
    at: i64,
    hidden: ProductIdx,
}

/// `config` with `history_weight` chosen on the held-out orders of returning customers (`names`: the
/// customer ids baskets point to), and what was measured; `None` when the merchant set the weight or turned
/// personalization off. With too few such orders the weight stays unset, and the report says why.
fn history_weight(
    baskets: &[Basket],
    names: &[String],
    catalog: &Catalog,
    config: &Config,
) -> Result<Option<(Config, HistoryTuneReport)>> {
    if config.history_weight.is_some() || !config.personalization {
        return Ok(None);
    }
    let (older, newer) = split_by_time(baskets);
    let queries = returning_queries(baskets, &older, &newer, names.len());
    if queries.len() < MIN_QUERIES {
        let summary = format!(
            "history_weight {UNSET}: too few held-out orders of returning customers to tune (fewer than {MIN_QUERIES})"
        );
        let report =
            HistoryTuneReport { summary, queries: queries.len(), weight: UNSET, fallback: true, ..Default::default() };
        return Ok(Some((config.clone(), report)));
    }
    let engine = held_out_engine(baskets, &older, names, catalog, config, &queries)?;
    let hits_at = |weight: f64| hits(&engine, names, &queries, weight);
    // A short descent: no history seeds against the unset weight, then a step beside the better of the two.
    let unset_hits = hits_at(UNSET);
    let mut best = (UNSET, unset_hits.clone());
    let without = hits_at(0.0);
    let beside = if clearly_better(&without, &best.1) {
        best = (0.0, without);
        LOW
    } else {
        HIGH
    };
    let beside_hits = hits_at(beside);
    if clearly_better(&beside_hits, &best.1) {
        best = (beside, beside_hits);
    }
    let rate = |h: &[bool]| h.iter().filter(|&&x| x).count() as f64 / h.len() as f64;
    let (weight, hit_rate, unset_hit_rate) = (best.0, rate(&best.1), rate(&unset_hits));
    let summary = format!(
        "history_weight {weight} — HR@10 {hit_rate:.4} vs {unset_hit_rate:.4} at {UNSET} on {} held-out orders of \
         returning customers",
        queries.len()
    );
    let report =
        HistoryTuneReport { summary, queries: queries.len(), weight, hit_rate, unset_hit_rate, fallback: false };
    Ok(Some((Config { history_weight: Some(weight), ..config.clone() }, report)))
}

/// Up to [`MAX_QUERIES`] of the `newer` baskets of two or more products whose customer has an `older` one,
/// evenly spaced, each with one product hidden.
fn returning_queries(baskets: &[Basket], older: &[usize], newer: &[usize], customers: usize) -> Vec<Query> {
    let mut returning = vec![false; customers];
    for c in older.iter().filter_map(|&i| baskets[i].customer) {
        returning[c as usize] = true;
    }
    let candidates: Vec<usize> = newer
        .iter()
        .copied()
        .filter(|&i| baskets[i].items.len() >= 2 && baskets[i].customer.is_some_and(|c| returning[c as usize]))
        .collect();
    let step = (candidates.len() as f64 / MAX_QUERIES as f64).max(1.0);
    let query = |q: usize| {
        let i = candidates[(q as f64 * step) as usize];
        let b = &baskets[i];
        let h = (mix(i as u64) % b.items.len() as u64) as usize;
        let cart = b.items.iter().enumerate().filter(|&(j, _)| j != h).map(|(_, &(p, _))| p).collect();
        Query { cart, customer: b.customer.expect("a returning customer"), at: b.at, hidden: b.items[h].0 }
    };
    (0..candidates.len().min(MAX_QUERIES)).map(query).collect()
}

/// An engine trained on the `older` baskets (oldest first) with `config`: the asked customers' histories,
/// repurchase cycles, seasons, and neighbour lists for the products the queries can read (their carts and
/// their customers' stored purchases); no rules or bundles, which do not depend on the weight. Its model
/// learns from the newest [`ENGINE_ORDERS`] of them: on a big shop it would otherwise cost a second training.
fn held_out_engine(
    baskets: &[Basket],
    older: &[usize],
    names: &[String],
    catalog: &Catalog,
    config: &Config,
    queries: &[Query],
) -> Result<Engine> {
    let mut asked = vec![false; names.len()];
    for q in queries {
        asked[q.customer as usize] = true;
    }
    let of_asked = older.iter().filter(|&&i| baskets[i].customer.is_some_and(|c| asked[c as usize]));
    let histories = CustomerHistories::build(names, &of_asked.map(|&i| baskets[i].clone()).collect::<Vec<_>>());
    let n = catalog.len();
    let mut wanted = vec![false; n];
    for q in queries {
        let stored = histories.get(&names[q.customer as usize]).iter().map(|b| b.0);
        for p in q.cart.iter().copied().chain(stored) {
            wanted[p as usize] = true;
        }
    }
    let newest = &older[older.len().saturating_sub(ENGINE_ORDERS)..];
    let older: Vec<Basket> = newest.iter().map(|&i| baskets[i].clone()).collect();
    let reference = decay_reference(config, &older)?;
    let counts = Counts::count_items(&older, n, reference, config, config.customer_weight() > 0.0);
    let same = PairSource::Baskets(BasketPairs::new(&older, &counts));
    let model = Model::finish_some(&counts, &same, catalog, config, config.measure, Some(&wanted));
    let behaviour = Behaviour {
        repurchase: Repurchase::build(&older, n, config),
        season: Season::build(&older, n, config),
        ..Default::default()
    };
    let parts = (Rules::default(), Bundles::default(), TrainStats::default());
    Ok(Engine::from_parts(config.clone(), catalog.clone(), model, parts.0, parts.1, parts.2)
        .with_histories(histories)
        .with_behaviour(behaviour))
}

/// Per query: did the engine, with `history_weight` = `weight`, show the hidden product in its top 10?
fn hits(engine: &Engine, names: &[String], queries: &[Query], weight: f64) -> Vec<bool> {
    let engine = engine.with_config(Config { history_weight: Some(weight), ..engine.config().clone() });
    let catalog = engine.catalog();
    queries
        .par_iter()
        .map(|q| {
            let req = CrossSellRequest {
                cart: q.cart.iter().map(|&p| CartLineInput::Id(catalog.id(p).to_string())).collect(),
                customer_id: Some(names[q.customer as usize].clone()),
                now: Some(crate::clock::format_time(q.at)),
                placement: Placement::Cart,
                limit: Some(K),
                ..Default::default()
            };
            let hidden = catalog.id(q.hidden);
            engine.cross_sell(&req).is_ok_and(|a| a.recommendations.iter().any(|r| r.product_id == hidden))
        })
        .collect()
}
