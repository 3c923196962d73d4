//! `measure: "auto"`: the tuner finds what a store's data plants, keeps what the merchant set, is deterministic,
//! and falls back on too little data.

use cartlift_core::lab::Internals;
use cartlift_core::{Config, Engine};
use serde_json::{json, Value};

/// 30 categories of 8 products. Every order holds two products of one category (a kit) and one product of
/// another (noise). A cart holds one kit product; the missing one is in its category, so a cap of 2 per
/// category hides most of the answer.
fn kit_store(orders: usize) -> Value {
    let products: Vec<Value> = (0..240)
        .map(|i| json!({"id": format!("p{i}"), "title": format!("P{i}"), "price": "10.00", "category": format!("c{}", i / 8)}))
        .collect();
    let mut state: u64 = 7;
    let mut next = |m: u64| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) % m
    };
    let orders: Vec<Value> = (0..orders)
        .map(|o| {
            let cat = next(30);
            let a = cat * 8 + next(8);
            let mut b = cat * 8 + next(8);
            if b == a {
                b = cat * 8 + (b + 1) % 8;
            }
            let noise = ((cat + 1 + next(29)) % 30) * 8 + next(8);
            let day = 1 + o * 300 / orders;
            json!({"id": format!("o{o}"), "created_at": format!("2026-01-01T00:00:00Z"), "day": day,
                   "lines": [{"product_id": format!("p{a}")}, {"product_id": format!("p{b}")}, {"product_id": format!("p{noise}")}]})
        })
        .map(|mut o| {
            let day = o["day"].as_u64().unwrap();
            o["created_at"] = json!(format!("2026-{:02}-{:02}T00:00:00Z", 1 + (day / 28).min(11), 1 + day % 28));
            o.as_object_mut().unwrap().remove("day");
            o
        })
        .collect();
    json!({"products": products, "orders": orders})
}

fn train(mut store: Value, config: Value) -> Engine {
    store["config"] = config;
    Engine::train_value(store).unwrap()
}

#[test]
fn the_tuner_finds_the_planted_setting_and_keeps_what_is_set() {
    let e = train(kit_store(4000), json!({}));
    let report = e.stats().tuning.clone().expect("auto tunes");
    assert!(!report.fallback && report.queries >= 100, "{report:?}");
    assert_eq!(e.config().max_per_category, Some(0), "{}", report.summary);
    assert!(report.hit_rate > report.old_default_hit_rate, "{}", report.summary);
    assert!(report.summary.starts_with("auto: "), "{}", report.summary);
    // A setting the merchant gave is kept; the rest is still tuned.
    let pinned = train(kit_store(4000), json!({"max_per_category": 2}));
    assert_eq!(pinned.config().max_per_category, Some(2));
    assert!(pinned.stats().tuning.is_some());
    // An explicit measure tunes nothing.
    let explicit = train(kit_store(4000), json!({"measure": "jaccard"}));
    assert!(explicit.stats().tuning.is_none());
    assert_eq!(explicit.config().top_k, None);
}

#[test]
fn a_catalog_without_categories_gets_no_cap() {
    let mut store = kit_store(4000);
    for p in store["products"].as_array_mut().unwrap() {
        p.as_object_mut().unwrap().remove("category");
    }
    let e = train(store, json!({}));
    let report = e.stats().tuning.clone().expect("auto tunes");
    assert!(!report.fallback, "{report:?}");
    assert_eq!(e.config().max_per_category, Some(0), "{}", report.summary);
    assert!(report.summary.contains("no category cap"), "{}", report.summary);
}

#[test]
fn tuning_is_deterministic() {
    let a = train(kit_store(3000), json!({}));
    let b = train(kit_store(3000), json!({}));
    assert_eq!(a.config(), b.config());
    assert_eq!(a.stats().tuning, b.stats().tuning);
    assert_eq!(a.model().neighbors, b.model().neighbors);
}

#[test]
fn too_few_orders_fall_back_to_the_old_default() {
    let e = train(kit_store(300), json!({}));
    let report = e.stats().tuning.clone().unwrap();
    assert!(report.fallback, "{report:?}");
    assert_eq!(e.config().measure, cartlift_core::Measure::Default);
    assert!(report.summary.contains("too few orders"), "{}", report.summary);
    // The model file keeps what was chosen.
    let loaded = Engine::from_bytes(&e.to_bytes()).unwrap();
    assert_eq!(loaded.config(), e.config());
    let _ = Config::default();
}
