//! The personal weights under `measure: "auto"`: chosen on returning customers' held-out orders by the engine's
//! own answers, kept when the merchant set them, deterministic.

use cartlift_core::{Config, Engine, PersonalTuneReport};
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

/// 300 customers order every week: two products of one random kit (twenty products that go together, so a
/// cart's list is full of strong suggestions) and, every fourth order, their own restock product. After an
/// order without it, the next one holds the restock product when it is due: only buy it again finds it.
fn restock_store() -> Value {
    let (kits, per_kit, customers, restocks) = (20u64, 20u64, 300u64, 30u64);
    let products: Vec<Value> = (0..kits * per_kit + restocks)
        .map(|i| json!({"id": format!("p{i}"), "title": format!("P{i}"), "price": "10.00"}))
        .collect();
    let mut state: u64 = 5;
    let mut next = |m: u64| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) % m
    };
    let mut orders = Vec::new();
    for week in 0..47u64 {
        for c in 0..customers {
            let kit = next(kits);
            let a = kit * per_kit + next(per_kit);
            let mut items = vec![a, kit * per_kit + (a % per_kit + 1 + next(per_kit - 1)) % per_kit];
            if (week + c) % 4 == 0 {
                items.push(kits * per_kit + c % restocks);
            }
            let day = week * 7 + c % 7;
            let lines: Vec<Value> = items.iter().map(|i| json!({"product_id": format!("p{i}")})).collect();
            orders.push(json!({"id": format!("o{week}-{c}"), "customer_id": format!("c{c}"), "lines": lines,
                "created_at": format!("2026-{:02}-{:02}T{:02}:00:00Z", 1 + day / 28, 1 + day % 28, c % 24)}));
        }
    }
    json!({"products": products, "orders": orders})
}

fn train(mut store: Value, config: Value) -> Engine {
    store["config"] = config;
    Engine::train_value(store).unwrap()
}

fn personal(e: &Engine) -> PersonalTuneReport {
    e.stats().tuning.clone().and_then(|t| t.personal).expect("personal weights tuned")
}

#[test]
fn returning_customers_orders_choose_the_history_weight() {
    let helps = train(store(12000, true), json!({}));
    let report = personal(&helps);
    assert!(!report.fallback && report.queries >= 1000, "{report:?}");
    assert!(report.history_weight.unwrap() >= 0.3, "{}", report.summary);
    assert_eq!(helps.config().history_weight, report.history_weight);
    assert_eq!(helps.config().cart_buy_again_weight, report.cart_buy_again_weight);
    assert!(report.cart_buy_again_weight.is_some(), "{}", report.summary);
    assert!(report.next_queries >= 1000 && report.buy_again_weight.is_some(), "{report:?}");

    let misleads = train(store(12000, false), json!({}));
    let report = personal(&misleads);
    assert!(report.history_weight.unwrap() < 0.3, "{}", report.summary);
    assert!(report.hit_rate > report.unset_hit_rate, "{}", report.summary);
    assert!(report.summary.starts_with("personal: history_weight "), "{}", report.summary);
    assert_eq!(misleads.config().history_weight, report.history_weight);
}

#[test]
fn set_weights_or_personalization_off_are_not_tuned() {
    let one = train(store(12000, false), json!({"history_weight": 0.3}));
    assert_eq!(personal(&one).history_weight, None);
    assert!(personal(&one).cart_buy_again_weight.is_some());
    assert_eq!(one.config().history_weight, Some(0.3));
    let all = json!({"history_weight": 0.3, "cart_buy_again_weight": 0.5, "buy_again_weight": 0.5});
    let all = train(store(12000, false), all);
    assert!(all.stats().tuning.as_ref().is_some_and(|t| t.personal.is_none()));
    assert_eq!((all.config().cart_buy_again_weight, all.config().buy_again_weight), (Some(0.5), Some(0.5)));
    let off = train(store(12000, false), json!({"personalization": false}));
    assert!(off.stats().tuning.as_ref().is_some_and(|t| t.personal.is_none()));
    assert_eq!((off.config().history_weight, off.config().cart_buy_again_weight), (None, None));
    assert_eq!(off.config().buy_again_weight, None);
    assert_eq!(Config::default().history_weight(), 0.3);
    assert_eq!(Config::default().cart_buy_again_weight(), Config::default().buy_again_weight());
}

#[test]
fn personal_tuning_is_deterministic() {
    let a = train(store(6000, false), json!({}));
    let b = train(store(6000, false), json!({}));
    assert!(a.stats().tuning.as_ref().is_some_and(|t| t.personal.is_some()));
    assert_eq!(a.stats().tuning, b.stats().tuning);
    assert_eq!(a.config(), b.config());
}

#[test]
fn too_few_returning_customers_keep_the_weights_unset() {
    // Every order from a new customer: no held-out order has a history.
    let mut s = store(6000, false);
    for (i, o) in s["orders"].as_array_mut().unwrap().iter_mut().enumerate() {
        o["customer_id"] = json!(format!("once{i}"));
    }
    let e = train(s, json!({}));
    let report = personal(&e);
    assert!(report.fallback && report.queries == 0, "{report:?}");
    assert_eq!((e.config().history_weight, e.config().cart_buy_again_weight), (None, None));
    assert_eq!(e.config().buy_again_weight, None);
}

#[test]
fn restocks_raise_buy_again_after_a_purchase_and_lower_it_in_the_cart() {
    let e = train(restock_store(), json!({}));
    let report = personal(&e);
    let after = report.buy_again_weight.expect("buy_again_weight tuned");
    assert!(after > 0.5, "{}", report.summary);
    assert!(report.next_hit_rate > report.next_unset_hit_rate, "{}", report.summary);
    assert_eq!(e.config().buy_again_weight, Some(after));
    // In the cart the hidden product is the kit's other one: a due restock only takes its place.
    let in_cart = report.cart_buy_again_weight.expect("cart_buy_again_weight tuned");
    assert!(in_cart < 0.5, "{}", report.summary);
    assert_eq!(e.config().cart_buy_again_weight, Some(in_cart));
}
