//! `history_weight` under `measure: "auto"`: chosen on returning customers' held-out orders by the engine's own
//! answers, kept when the merchant set it, deterministic.

use cartlift_core::{Config, Engine};
use serde_json::{json, Value};

const CATEGORIES: u64 = 15;
const PER_CATEGORY: u64 = 20;
const STAPLES: u64 = 60;
const CUSTOMERS: u64 = 1500;

/// Each customer shops one home category. Every other order holds two home products (so home products go
/// together). The orders between hold, when `history_helps`, one home product and one staple: asked with the
/// staple alone in the cart, only the customer's earlier purchases point at the hidden home product. Else
/// they hold three staples, which go with each other alike: the earlier purchases point away from them.
fn store(orders: u64, history_helps: bool) -> Value {
    let staple0 = CATEGORIES * PER_CATEGORY;
    let products: Vec<Value> = (0..staple0 + STAPLES)
        .map(|i| {
            let mut p = json!({"id": format!("p{i}"), "title": format!("P{i}"), "price": "10.00"});
            if i < staple0 {
                p["category"] = json!(format!("c{}", i / PER_CATEGORY));
            }
            p
        })
        .collect();
    let mut state: u64 = 3;
    let mut next = |m: u64| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) % m
    };
    let orders: Vec<Value> = (0..orders)
        .map(|o| {
            let customer = next(CUSTOMERS);
            let home = customer % CATEGORIES;
            let a = home * PER_CATEGORY + next(PER_CATEGORY);
            let items = match (o % 2, history_helps) {
                (0, _) => vec![a, home * PER_CATEGORY + (a % PER_CATEGORY + 1 + next(PER_CATEGORY - 1)) % PER_CATEGORY],
                (_, true) => vec![a, staple0 + next(STAPLES)],
                (_, false) => (0..3).map(|_| staple0 + next(STAPLES)).collect(),
            };
            let day = o * 330 / orders;
            let lines: Vec<Value> = items.iter().map(|i| json!({"product_id": format!("p{i}")})).collect();
            json!({"id": format!("o{o}"), "customer_id": format!("c{customer}"), "lines": lines,
                   "created_at": format!("2026-{:02}-{:02}T{:02}:00:00Z", 1 + day / 28, 1 + day % 28, o % 24)})
        })
        .collect();
    json!({"products": products, "orders": orders})
}

fn train(mut store: Value, config: Value) -> Engine {
    store["config"] = config;
    Engine::train_value(store).unwrap()
}

#[test]
fn returning_customers_orders_choose_the_history_weight() {
    let helps = train(store(12000, true), json!({}));
    let history = helps.stats().tuning.clone().and_then(|t| t.history).expect("history_weight tuned");
    assert!(!history.fallback && history.queries >= 1000, "{history:?}");
    assert!(history.weight >= 0.3, "{}", history.summary);
    assert_eq!(helps.config().history_weight, Some(history.weight));

    let misleads = train(store(12000, false), json!({}));
    let history = misleads.stats().tuning.clone().and_then(|t| t.history).expect("history_weight tuned");
    assert!(history.weight < 0.3, "{}", history.summary);
    assert!(history.hit_rate > history.unset_hit_rate, "{}", history.summary);
    assert!(history.summary.starts_with("history_weight "), "{}", history.summary);
    assert_eq!(misleads.config().history_weight, Some(history.weight));
}

#[test]
fn a_set_weight_or_personalization_off_is_not_tuned() {
    let set = train(store(12000, false), json!({"history_weight": 0.3}));
    assert!(set.stats().tuning.as_ref().is_some_and(|t| t.history.is_none()));
    assert_eq!(set.config().history_weight, Some(0.3));
    let off = train(store(12000, false), json!({"personalization": false}));
    assert!(off.stats().tuning.as_ref().is_some_and(|t| t.history.is_none()));
    assert_eq!(off.config().history_weight, None);
    assert_eq!(Config::default().history_weight(), 0.3);
}

#[test]
fn history_tuning_is_deterministic() {
    let a = train(store(6000, false), json!({}));
    let b = train(store(6000, false), json!({}));
    assert!(a.stats().tuning.as_ref().is_some_and(|t| t.history.is_some()));
    assert_eq!(a.stats().tuning, b.stats().tuning);
    assert_eq!(a.config(), b.config());
}

#[test]
fn too_few_returning_customers_keep_the_weight_unset() {
    // Every order from a new customer: no held-out order has a history.
    let mut s = store(6000, false);
    for (i, o) in s["orders"].as_array_mut().unwrap().iter_mut().enumerate() {
        o["customer_id"] = json!(format!("once{i}"));
    }
    let e = train(s, json!({}));
    let history = e.stats().tuning.clone().and_then(|t| t.history).expect("a report");
    assert!(history.fallback && history.queries == 0, "{history:?}");
    assert_eq!(e.config().history_weight, None);
}
