//! The settings `measure: "auto"` tunes on the shop's newest orders: first how counts become suggestions
//! ([`crate::model::tune`]), then, with those, the personal weights: `history_weight` (how strongly a returning
//! customer's earlier purchases seed the cart's suggestions) and `cart_buy_again_weight` (how a due restock
//! ranks in the cart and at checkout).
//!
//! They are tuned on the cart tuner's held-out orders (the newest
//! [`HOLDOUT_FRACTION`](crate::model::tune::HOLDOUT_FRACTION)) placed by a customer with older orders: one
//! product hidden (as the cart tuner picks it), the rest the cart, asked as the shop asks (customer id, the
//! order's time, the cart placement) of an engine trained on the older orders with the settings tuned so
//! far. The engine itself answers, so every personal signal (history seeds, buy it again, affinity, seasons)
//! acts as it will in the shop. Each weight is searched by a short descent from its unset value: history 0,
//! then 0.1 if 0 won, else 0.6; buy again 0.4 × `buy_again_weight`, then 0 if that won, else twice it. A value
//! replaces the best so far only when it finds the hidden product clearly more often (the cart tuner's sign
//! test). Post-purchase and product pages keep `buy_again_weight`: there "buy it again" is the main signal,
//! and cart queries cannot judge it (BENCHMARKS.md has the measurements).

use crate::behaviour::{Behaviour, Repurchase, Season};
use crate::catalog::{Catalog, ProductIdx};
use crate::config::Config;
use crate::crosssell::CrossSellRequest;
use crate::engine::{decay_reference, Engine, TrainStats};
use crate::error::Result;
use crate::model::tune::{clearly_better, mix, split_by_time, MIN_QUERIES};
use crate::model::{Basket, BasketPairs, Counts, Model, PairSource};
use crate::model::{PersonalTuneReport, TuneReport};
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
    Ok(Some(match personal_weights(baskets, names, catalog, &config)? {
        Some((config, personal)) => {
            report.personal = Some(personal);
            (config, report)
        }
        None => (config, report),
    }))
}

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

/// One personal weight the search may set: the value tried first against the unset one, then the one tried
/// when that won and the one tried when it lost.
struct Dimension {
    first: f64,
    if_won: f64,
    if_lost: f64,
}

const HISTORY: Dimension = Dimension { first: 0.0, if_won: 0.1, if_lost: 0.6 };

/// `config` with `history_weight` and `cart_buy_again_weight` (those unset) chosen on the held-out orders of
/// returning customers (`names`: the customer ids baskets point to), and what was measured; `None` when both
/// are set or personalization is off. With too few such orders they stay unset, and the report says why.
fn personal_weights(
    baskets: &[Basket],
    names: &[String],
    catalog: &Catalog,
    config: &Config,
) -> Result<Option<(Config, PersonalTuneReport)>> {
    let tune_history = config.history_weight.is_none();
    let tune_buy_again = config.cart_buy_again_weight.is_none() && config.use_buy_again;
    if !config.personalization || !(tune_history || tune_buy_again) {
        return Ok(None);
    }
    let (older, newer) = split_by_time(baskets);
    let queries = returning_queries(baskets, &older, &newer, names.len());
    if queries.len() < MIN_QUERIES {
        let summary = format!(
            "personal weights unset: too few held-out orders of returning customers to tune (fewer than {MIN_QUERIES})"
        );
        let report = PersonalTuneReport { summary, queries: queries.len(), fallback: true, ..Default::default() };
        return Ok(Some((config.clone(), report)));
    }
    let engine = held_out_engine(baskets, &older, names, catalog, config, &queries)?;
    let mut chosen = Config {
        history_weight: Some(config.history_weight()),
        cart_buy_again_weight: Some(config.cart_buy_again_weight()),
        ..config.clone()
    };
    let unset_hits = hits(&engine, &chosen, names, &queries);
    let mut best = unset_hits.clone();
    if tune_history {
        let set = |c: &Config, w: f64| Config { history_weight: Some(w), ..c.clone() };
        (chosen, best) = descend(&HISTORY, (chosen, best), set, |c| hits(&engine, c, names, &queries));
    }
    if tune_buy_again {
        let unset = config.buy_again_weight;
        let dim = Dimension { first: unset * 0.4, if_won: 0.0, if_lost: unset * 2.0 };
        let set = |c: &Config, w: f64| Config { cart_buy_again_weight: Some(w), ..c.clone() };
        (chosen, best) = descend(&dim, (chosen, best), set, |c| hits(&engine, c, names, &queries));
    }
    // A weight not tuned keeps what the merchant gave (or stays unset).
    let chosen = Config {
        history_weight: if tune_history { chosen.history_weight } else { config.history_weight },
        cart_buy_again_weight: if tune_buy_again { chosen.cart_buy_again_weight } else { config.cart_buy_again_weight },
        ..chosen
    };
    let tuned = (
        tune_history.then_some(chosen.history_weight).flatten(),
        tune_buy_again.then_some(chosen.cart_buy_again_weight).flatten(),
    );
    let report = personal_report(tuned, queries.len(), (&best, &unset_hits));
    Ok(Some((chosen, report)))
}

/// The weights tuned (history, cart buy again) and what was measured on `queries` queries: hits with the
/// chosen weights and with the unset ones.
fn personal_report(
    (history_weight, cart_buy_again_weight): (Option<f64>, Option<f64>),
    queries: usize,
    (best, unset): (&[bool], &[bool]),
) -> PersonalTuneReport {
    let rate = |h: &[bool]| h.iter().filter(|&&x| x).count() as f64 / h.len() as f64;
    let (hit_rate, unset_hit_rate) = (rate(best), rate(unset));
    let named = [("history_weight", history_weight), ("cart_buy_again_weight", cart_buy_again_weight)];
    let set: Vec<String> = named.iter().filter_map(|(name, w)| w.map(|w| format!("{name} {w}"))).collect();
    let summary = format!(
        "personal: {} — HR@10 {hit_rate:.4} vs {unset_hit_rate:.4} unset on {queries} held-out orders of returning \
         customers",
        set.join(", ")
    );
    PersonalTuneReport {
        summary,
        queries,
        history_weight,
        cart_buy_again_weight,
        hit_rate,
        unset_hit_rate,
        fallback: false,
    }
}

/// A short descent along one dimension from `start` (its unset value, and its hits): `set` writes a value
/// into a config, `hits_of` scores one. A value is taken only when it clearly beats the best so far.
fn descend(
    dim: &Dimension,
    start: (Config, Vec<bool>),
    set: impl Fn(&Config, f64) -> Config,
    hits_of: impl Fn(&Config) -> Vec<bool>,
) -> (Config, Vec<bool>) {
    let mut best = start;
    let try_value = |best: &mut (Config, Vec<bool>), value: f64| {
        let config = set(&best.0, value);
        let h = hits_of(&config);
        let won = clearly_better(&h, &best.1);
        if won {
            *best = (config, h);
        }
        won
    };
    let next = if try_value(&mut best, dim.first) { dim.if_won } else { dim.if_lost };
    try_value(&mut best, next);
    best
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

/// Per query: did the engine, answering with `config`, show the hidden product in its top 10?
fn hits(engine: &Engine, config: &Config, names: &[String], queries: &[Query]) -> Vec<bool> {
    let engine = engine.with_config(config.clone());
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
