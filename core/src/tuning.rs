//! The settings `measure: "auto"` tunes on the shop's newest orders: first how counts become suggestions
//! ([`crate::model::tune`]), then, with those, the personal weights: `history_weight` (how strongly a returning
//! customer's earlier purchases seed the suggestions), `cart_buy_again_weight` (how a due restock ranks in the
//! cart and at checkout) and `buy_again_weight` (the same after a purchase and on product pages).
//!
//! They are tuned on the cart tuner's held-out orders (the newest
//! [`HOLDOUT_FRACTION`](crate::model::tune::HOLDOUT_FRACTION)) placed by a customer with older orders, asked
//! of an engine trained on the older orders with the settings tuned so far, as the shop asks: customer id and
//! the order's time. The cart weights are judged in the cart (one product hidden, the rest the cart), the
//! post-purchase weight after a purchase (the customer's newest older order is the cart; the held-out order's
//! other products are the targets). The engine itself answers, so every personal signal (history seeds, buy it
//! again, affinity, seasons) acts as it will in the shop. Each weight is searched by a short descent from its
//! unset value (see [`HISTORY`] and the buy-again dimensions), a value replacing the best so far only when it
//! finds a target clearly more often (the cart tuner's sign test).

use crate::behaviour::{Behaviour, Repurchase, Season};
use crate::catalog::{Catalog, ProductIdx};
use crate::config::Config;
use crate::crosssell::CrossSellRequest;
use crate::engine::{decay_reference, Engine, TrainStats};
use crate::error::Result;
use crate::model::tune::{clearly_better, evenly_spaced, mix, split_by_time, MIN_QUERIES};
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
pub const MAX_PERSONAL_QUERIES: usize = 10_000;
/// The held-out engine learns from at most this many of the older orders, the newest.
pub const ENGINE_ORDERS: usize = 1_000_000;

/// A held-out order of a returning customer, asked as a shop asks: a hit when the answer shows any target.
struct Query {
    cart: Vec<ProductIdx>,
    customer: u32,
    at: i64,
    targets: Vec<ProductIdx>,
}

/// One personal weight the search may set: the value tried first against the unset one, then the one tried
/// when that won and the one tried when it lost.
struct Dimension {
    first: f64,
    if_won: f64,
    if_lost: f64,
}

const HISTORY: Dimension = Dimension { first: 0.0, if_won: 0.1, if_lost: 0.6 };

/// Hits per query of a set of queries, with the weights chosen and with them unset.
struct Measured {
    best: Vec<bool>,
    unset: Vec<bool>,
}

/// `config` with the personal weights it leaves unset chosen on the held-out orders of returning customers
/// (`names`: the customer ids baskets point to), and what was measured; `None` when all are set or
/// personalization is off. With too few such orders they stay unset, and the report says why.
fn personal_weights(
    baskets: &[Basket],
    names: &[String],
    catalog: &Catalog,
    config: &Config,
) -> Result<Option<(Config, PersonalTuneReport)>> {
    let tune_post = config.buy_again_weight.is_none() && config.use_buy_again;
    let tune_cart = config.history_weight.is_none() || (config.cart_buy_again_weight.is_none() && config.use_buy_again);
    if !config.personalization || !(tune_cart || tune_post) {
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
    let next = next_queries(baskets, &older, &newer, names.len());
    let engine = held_out_engine(baskets, &older, names, catalog, config, &[&queries, &next])?;
    let (chosen, cart) = cart_weights(config, |c| hits(&engine, c, names, &queries, Placement::Cart));
    let (chosen, post) = if tune_post && next.len() >= MIN_QUERIES {
        let (chosen, post) = post_weight(chosen, |c| hits(&engine, c, names, &next, Placement::PostPurchase));
        (chosen, Some(post))
    } else {
        (Config { buy_again_weight: config.buy_again_weight, ..chosen }, None)
    };
    let report = personal_report(&chosen, config, (queries.len(), &cart), (next.len(), post.as_ref()));
    Ok(Some((chosen, report)))
}

/// `history_weight`, then `cart_buy_again_weight`, each searched when `config` leaves it unset, scored by
/// `cart_hits`; the others kept as `config` has them.
fn cart_weights(config: &Config, cart_hits: impl Fn(&Config) -> Vec<bool>) -> (Config, Measured) {
    let mut chosen = Config {
        history_weight: Some(config.history_weight()),
        cart_buy_again_weight: Some(config.cart_buy_again_weight()),
        ..config.clone()
    };
    let unset = cart_hits(&chosen);
    let mut best = unset.clone();
    if config.history_weight.is_none() {
        let set = |c: &Config, w: f64| Config { history_weight: Some(w), ..c.clone() };
        (chosen, best) = descend(&HISTORY, (chosen, best), set, &cart_hits);
    }
    let tune_buy_again = config.cart_buy_again_weight.is_none() && config.use_buy_again;
    if tune_buy_again {
        let w = config.buy_again_weight();
        let dim = Dimension { first: w * 0.4, if_won: 0.0, if_lost: w * 2.0 };
        let set = |c: &Config, w: f64| Config { cart_buy_again_weight: Some(w), ..c.clone() };
        (chosen, best) = descend(&dim, (chosen, best), set, &cart_hits);
    }
    // A weight not tuned keeps what the merchant gave (or stays unset).
    let chosen = Config {
        history_weight: chosen.history_weight.filter(|_| config.history_weight.is_none()).or(config.history_weight),
        cart_buy_again_weight: if tune_buy_again { chosen.cart_buy_again_weight } else { config.cart_buy_again_weight },
        ..chosen
    };
    (chosen, Measured { best, unset })
}

/// `buy_again_weight` (after a purchase, on product pages) searched from its unset value, scored by
/// `post_hits` on next-order queries.
fn post_weight(chosen: Config, post_hits: impl Fn(&Config) -> Vec<bool>) -> (Config, Measured) {
    let w = chosen.buy_again_weight();
    let start = Config { buy_again_weight: Some(w), ..chosen };
    let unset = post_hits(&start);
    let dim = Dimension { first: w * 2.0, if_won: w * 4.0, if_lost: w * 0.4 };
    let set = |c: &Config, w: f64| Config { buy_again_weight: Some(w), ..c.clone() };
    let (chosen, best) = descend(&dim, (start, unset.clone()), set, post_hits);
    (chosen, Measured { best, unset })
}

/// What the search chose (`chosen`, from `config`) and measured on the cart queries and, when
/// `buy_again_weight` was tuned, on the next-order queries.
fn personal_report(
    chosen: &Config,
    config: &Config,
    (queries, cart): (usize, &Measured),
    (next_queries, post): (usize, Option<&Measured>),
) -> PersonalTuneReport {
    let rate = |h: &[bool]| h.iter().filter(|&&x| x).count() as f64 / h.len().max(1) as f64;
    let tuned = |set: Option<f64>, got: Option<f64>| if set.is_none() { got } else { None };
    let mut report = PersonalTuneReport {
        queries,
        history_weight: tuned(config.history_weight, chosen.history_weight),
        cart_buy_again_weight: tuned(config.cart_buy_again_weight, chosen.cart_buy_again_weight),
        buy_again_weight: post.and(chosen.buy_again_weight),
        hit_rate: rate(&cart.best),
        unset_hit_rate: rate(&cart.unset),
        next_queries,
        ..Default::default()
    };
    let named = [("history_weight", report.history_weight), ("cart_buy_again_weight", report.cart_buy_again_weight)];
    let set: Vec<String> = named.iter().filter_map(|(name, w)| w.map(|w| format!("{name} {w}"))).collect();
    report.summary = format!(
        "personal: {} — HR@10 {:.4} vs {:.4} unset on {queries} held-out orders of returning customers",
        set.join(", "),
        report.hit_rate,
        report.unset_hit_rate
    );
    if let (Some(post), Some(w)) = (post, report.buy_again_weight) {
        (report.next_hit_rate, report.next_unset_hit_rate) = (rate(&post.best), rate(&post.unset));
        report.summary += &format!(
            "; buy_again_weight {w} — next order HR@10 {:.4} vs {:.4} unset on {next_queries}",
            report.next_hit_rate, report.next_unset_hit_rate
        );
    }
    report
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

/// Up to [`MAX_PERSONAL_QUERIES`] of the `newer` baskets of two or more products whose customer has an `older` one,
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
    let query = |i: usize| {
        let b = &baskets[i];
        let h = (mix(i as u64) % b.items.len() as u64) as usize;
        let cart = b.items.iter().enumerate().filter(|&(j, _)| j != h).map(|(_, &(p, _))| p).collect();
        Query { cart, customer: b.customer.expect("a returning customer"), at: b.at, targets: vec![b.items[h].0] }
    };
    evenly_spaced(candidates, MAX_PERSONAL_QUERIES).into_iter().map(query).collect()
}

/// Up to [`MAX_PERSONAL_QUERIES`] of the `newer` baskets whose customer has an `older` one, evenly spaced, each asked
/// after a purchase: the customer's newest older order is the cart, the products of the held-out order not in
/// it the targets.
fn next_queries(baskets: &[Basket], older: &[usize], newer: &[usize], customers: usize) -> Vec<Query> {
    let mut last: Vec<Option<usize>> = vec![None; customers];
    for &i in older {
        if let Some(c) = baskets[i].customer {
            last[c as usize] = Some(i);
        }
    }
    let ask = |i: usize| {
        let (b, customer) = (&baskets[i], baskets[i].customer?);
        let cart: Vec<ProductIdx> = baskets[last[customer as usize]?].items.iter().map(|e| e.0).collect();
        let targets: Vec<ProductIdx> = b.items.iter().map(|e| e.0).filter(|p| cart.binary_search(p).is_err()).collect();
        (!targets.is_empty()).then_some(Query { cart, customer, at: b.at, targets })
    };
    evenly_spaced(newer.iter().filter_map(|&i| ask(i)).collect(), MAX_PERSONAL_QUERIES)
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
    sets: &[&[Query]],
) -> Result<Engine> {
    let queries = || sets.iter().flat_map(|s| s.iter());
    let mut asked = vec![false; names.len()];
    for q in queries() {
        asked[q.customer as usize] = true;
    }
    let of_asked = older.iter().filter(|&&i| baskets[i].customer.is_some_and(|c| asked[c as usize]));
    let histories = CustomerHistories::build(names, &of_asked.map(|&i| baskets[i].clone()).collect::<Vec<_>>());
    let n = catalog.len();
    let mut wanted = vec![false; n];
    for q in queries() {
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

/// Per query: did the engine, answering with `config` at `placement`, show a target in its top 10?
fn hits(engine: &Engine, config: &Config, names: &[String], queries: &[Query], placement: Placement) -> Vec<bool> {
    let engine = engine.with_config(config.clone());
    let catalog = engine.catalog();
    queries
        .par_iter()
        .map(|q| {
            let req = CrossSellRequest {
                cart: q.cart.iter().map(|&p| CartLineInput::Id(catalog.id(p).to_string())).collect(),
                customer_id: Some(names[q.customer as usize].clone()),
                now: Some(crate::clock::format_time(q.at)),
                placement,
                limit: Some(K),
                ..Default::default()
            };
            let shown = |a: crate::crosssell::CrossSellResponse| {
                a.recommendations.iter().any(|r| q.targets.iter().any(|&t| r.product_id == catalog.id(t)))
            };
            engine.cross_sell(&req).is_ok_and(shown)
        })
        .collect()
}
