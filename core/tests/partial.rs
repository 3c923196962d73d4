//! Training in shards (`cartlift_core::count_orders`, `Counts::merge`, `Engine::from_merged_counts`): counts of
//! shards split by customer, sent as bytes, merged and finished answer exactly as training on every order at once.

use cartlift_core::lab::Internals;
use cartlift_core::Counts;
use cartlift_core::Silent;
use cartlift_core::Source;
use cartlift_core::{count_orders, newest_order_at, tune_orders};
use cartlift_core::{Config, Engine, ErrorCode, Operation, TrainRequest};
use cartlift_lab::gen::synthetic;
use serde_json::json;

/// The request with only the orders whose customer falls in shard `k` of `n`.
fn shard(all: &TrainRequest, k: usize, n: usize) -> TrainRequest {
    let mut r = all.clone();
    if let Some(Source::Records(orders)) = &all.orders {
        let mine = |o: &&serde_json::Value| {
            o["customer_id"].as_str().map_or(0, |c| c.bytes().map(|b| b as usize).sum::<usize>()) % n == k
        };
        r.orders = Some(Source::Records(orders.iter().filter(mine).cloned().collect()));
    }
    r
}

/// Counts of `n` shards, each sent through bytes, merged; the shards share the newest order as reference.
fn merged_counts(all: &TrainRequest, n: usize) -> Counts {
    let newest = (0..n).filter_map(|k| newest_order_at(&shard(all, k, n)).unwrap()).max().unwrap();
    let mut merged: Option<Counts> = None;
    for k in 0..n {
        let mut req = shard(all, k, n);
        let mut config = req.config.clone().unwrap_or_default();
        config.decay_reference = Some(cartlift_core::format_time(newest));
        req.config = Some(config);
        let part = Counts::from_bytes(&count_orders(&req, false, None).unwrap().to_bytes()).unwrap();
        match &mut merged {
            Some(m) => m.merge(part).unwrap(),
            None => merged = Some(part),
        }
    }
    merged.unwrap()
}

fn finish(all: &TrainRequest, counts: &Counts) -> Engine {
    Engine::from_merged_counts(&TrainRequest { orders: None, ..all.clone() }, counts, None).unwrap()
}

/// Cross-sell answers of both engines for every product alone and for pairs of neighbours, as JSON.
fn assert_same_answers(a: &Engine, b: &Engine) {
    assert_eq!(a.model().neighbors, b.model().neighbors);
    let ids: Vec<String> = a.catalog().products().map(|p| p.id.to_string()).collect();
    for (i, id) in ids.iter().enumerate() {
        let next = &ids[(i * 7 + 1) % ids.len()];
        for cart in [json!([id]), json!([id, next])] {
            let req = json!({"cart": cart, "limit": 10, "customer_id": "c1"});
            assert_eq!(
                a.query(Operation::CrossSell, req.clone()).unwrap(),
                b.query(Operation::CrossSell, req).unwrap()
            );
        }
    }
}

#[test]
fn shards_merged_from_bytes_answer_as_training_on_everything() {
    let store = synthetic(200, 3000, 5);
    let mut all = store.train_request();
    all.config =
        Some(Config { measure: cartlift_core::Measure::Default, customer_weight: Some(0.3), ..Config::default() });
    let trained = Engine::train(&all, &Silent).unwrap();
    let finished = finish(&all, &merged_counts(&all, 3));
    assert!(!finished.model().neighbors.is_empty());
    assert_same_answers(&finished, &trained);
}

#[test]
fn auto_takes_the_fallback_training_takes_on_a_small_shop() {
    // Too few orders to tune: training falls back, and so does an engine finished from counts.
    let mut all = synthetic(60, 300, 9).train_request();
    all.config =
        Some(Config { store_customer_history: false, use_buy_again: false, use_seasonal: false, ..Config::default() });
    let trained = Engine::train(&all, &Silent).unwrap();
    assert!(trained.stats().tuning.as_ref().unwrap().fallback);
    let finished = finish(&all, &merged_counts(&all, 2));
    assert!(finished.stats().tuning.as_ref().unwrap().summary.contains("not tuned"));
    assert_eq!(finished.config(), trained.config());
    assert_same_answers(&finished, &trained);
}

#[test]
fn auto_tuned_in_a_first_pass_answers_as_training_tunes() {
    // Enough orders to tune: the first pass on every order chooses what training chooses; shards counted and
    // finished with that choice answer alike, and the model keeps the tuner's report.
    let mut all = synthetic(200, 3000, 5).train_request();
    all.config = Some(Config { store_customer_history: false, ..Config::default() });
    let trained = Engine::train(&all, &Silent).unwrap();
    let report = trained.stats().tuning.clone().unwrap();
    assert!(!report.fallback, "{}", report.summary);
    let (tuned, tuning) = tune_orders(&all).unwrap();
    assert_eq!(tuning.as_ref(), Some(&report));
    let all = TrainRequest { config: Some(tuned), ..all };
    let finished =
        Engine::from_merged_counts(&TrainRequest { orders: None, ..all.clone() }, &merged_counts(&all, 3), tuning)
            .unwrap();
    assert_eq!(finished.stats().tuning.as_ref(), Some(&report));
    assert_eq!(finished.config(), trained.config());
    assert_same_answers(&finished, &trained);
}

#[test]
fn counts_of_another_catalog_or_config_do_not_finish() {
    let all = synthetic(50, 200, 3).train_request();
    let counts = count_orders(&all, false, None).unwrap();
    let mut fewer = all.clone();
    if let Source::Records(p) = &all.products {
        fewer.products = Source::Records(p[1..].to_vec());
    }
    fewer.orders = None;
    assert_eq!(Engine::from_merged_counts(&fewer, &counts, None).unwrap_err().code, ErrorCode::InvalidInput);
    let mut other = TrainRequest { orders: None, ..all.clone() };
    other.config = Some(Config { half_life_days: Some(30.0), ..Config::default() });
    let e = Engine::from_merged_counts(&other, &counts, None).unwrap_err();
    assert!(e.message.contains("decay"), "{e}");
    assert!(Engine::from_merged_counts(&all, &counts, None).is_err(), "orders given twice");
}

#[test]
fn a_currency_taken_from_the_orders_reaches_the_finished_engine() {
    // Products without a currency: the shards' catalogs take the orders' one, which finishing does not read.
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/shopify/");
    let all: TrainRequest = serde_json::from_value(json!({
        "products": format!("{data}products_export_packt_liquid_book_2021.csv"),
        "orders": format!("{data}orders_export_devstore_inr_2025_redacted.csv"),
        "config": {"measure": "default"},
    }))
    .unwrap();
    let trained = Engine::train(&all, &Silent).unwrap();
    let counts = count_orders(&all, false, None).unwrap();
    assert_eq!(counts.currency, "INR");
    let finished = finish(&all, &counts);
    assert_eq!(finished.catalog().currency.code(), "INR");
    assert_eq!(finished.config(), trained.config());
    assert_eq!(finished.model().neighbors, trained.model().neighbors);
}
