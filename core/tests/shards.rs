//! Training in shards learns what training on all orders learns: repurchase cycles, seasons and customer
//! histories merge exactly from shards split by customer; declines and substitutes come from events given
//! when finishing.

use cartlift_core::format_time;
use cartlift_core::lab::Internals;
use cartlift_core::Measure;
use cartlift_core::Silent;
use cartlift_core::Source;
use cartlift_core::{count_orders, newest_order_at};
use cartlift_core::{Config, Engine, ErrorCode, Operation, TrainRequest};
use cartlift_lab::gen::{plant_personal, synthetic, GEN_START};
use serde_json::{json, Value};

const DAY: i64 = 86_400;

/// A generated year of orders with planted restockers, a product selling in two weeks of July, and events:
/// sessions comparing two products of one category, and declines.
fn request() -> TrainRequest {
    let mut store = synthetic(300, 4000, 11);
    plant_personal(&mut store, 3);
    // Two products of one category nobody bought, which shoppers compare.
    for id in ["cmp-a", "cmp-b"] {
        let mut p = store.products[2].clone();
        p.id = id.into();
        store.products.push(p);
    }
    let mut req = store.train_request();
    let Some(Source::Records(orders)) = &mut req.orders else { panic!("records") };
    let july = GEN_START + 181 * DAY;
    for k in 0..80 {
        orders.push(json!({"id": format!("S{k}"), "customer_id": format!("S{k}"), "created_at": format_time(july + k * 4 * 3600),
            "lines": [{"product_id": "P000299", "quantity": 10}, {"product_id": "P000002", "quantity": 1}]}));
    }
    let mut events = Vec::new();
    for k in 0..12 {
        for p in ["cmp-a", "cmp-b"] {
            events.push(json!({"type": "view", "at": format_time(july + k * 60), "visitor_id": format!("v{k}"),
                "session_id": format!("s{k}"), "product_id": p}));
        }
    }
    for c in ["C000001", "v3"] {
        for k in 0..3 {
            events.push(json!({"type": "decline", "at": format_time(july + k * 60), "visitor_id": "v3",
                "customer_id": (c != "v3").then_some(c), "product_id": "P000001", "list_id": "l1"}));
        }
    }
    req.events = Some(Source::Records(events));
    req
}

fn shard(all: &TrainRequest, even: bool) -> TrainRequest {
    let mut r = all.clone();
    let Some(Source::Records(orders)) = &all.orders else { panic!("records") };
    let is_even = |o: &Value| o["customer_id"].as_str().unwrap().bytes().map(u32::from).sum::<u32>() % 2 == 0;
    r.orders = Some(Source::Records(orders.iter().filter(|o| is_even(o) == even).cloned().collect()));
    r.events = None;
    r
}

fn finish_request(all: &TrainRequest) -> TrainRequest {
    TrainRequest { orders: None, ..all.clone() }
}

fn with_config(req: &TrainRequest, config: Config) -> TrainRequest {
    TrainRequest { config: Some(config), ..req.clone() }
}

#[test]
fn shards_merged_learn_repurchase_seasons_histories_declines_and_substitutes_as_training() {
    let all = request();
    let newest = newest_order_at(&all).unwrap().unwrap();
    let all = with_config(
        &all,
        Config { decay_reference: Some(format_time(newest)), measure: Measure::Default, ..Config::default() },
    );
    let mut merged = count_orders(&shard(&all, true), false, None).unwrap();
    merged.merge(count_orders(&shard(&all, false), false, None).unwrap()).unwrap();
    let whole = count_orders(&TrainRequest { events: None, ..all.clone() }, false, None).unwrap();
    assert_eq!(merged, whole, "merged facts must equal the facts of all orders");

    let trained = Engine::train(&all, &Silent).unwrap();
    let finished = Engine::from_merged_counts(&finish_request(&all), &merged, None).unwrap();
    let (t, f) = (trained.behaviour(), finished.behaviour());
    assert!(!t.repurchase.is_empty() && !t.season.is_empty(), "the store must teach cycles and a season");
    assert!(!t.substitutes.is_empty(), "the events must teach substitutes");
    assert!(!t.declines.is_empty(), "the events must teach declines");
    let config = trained.config();
    for p in 0..trained.catalog().len() as u32 {
        assert_eq!(t.repurchase.interval(p), f.repurchase.interval(p), "repurchase of {p}");
        assert!((0..52).all(|w| t.season.in_week(p, w) == f.season.in_week(p, w)), "season of {p}");
        assert_eq!(t.substitutes.of(p), f.substitutes.of(p), "substitutes of {p}");
    }
    for who in ["C000001", "v3", "nobody"] {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        t.declines.blocked(who, None, config, &mut a);
        f.declines.blocked(who, None, config, &mut b);
        assert_eq!(a, b, "declines of {who}");
    }
    assert_eq!(trained.histories().len(), finished.histories().len());
    assert!(trained.histories().customers().eq(finished.histories().customers()));
    for c in trained.histories().customers() {
        assert_eq!(trained.histories().get(c), finished.histories().get(c), "history of {c}");
    }
    // Answers that read them: buy again for a restocker, the season in July and out of it.
    let mut seen = String::new();
    for now in ["2025-07-05T00:00:00Z", "2025-12-20T00:00:00Z", "2026-01-25T00:00:00Z"] {
        for customer in ["R000000", "R000004", "C000001", "S3"] {
            for cart in ["P000002", "P000299"] {
                let q = json!({"cart": [cart], "customer_id": customer, "visitor_id": "v3", "now": now, "limit": 50});
                let (a, b) = (trained.query(Operation::CrossSell, q.clone()), finished.query(Operation::CrossSell, q));
                let a = a.unwrap();
                assert_eq!(a, b.unwrap(), "{customer} at {now}");
                seen.push_str(&a.to_string());
            }
        }
    }
    assert!(seen.contains("buy_again"), "the answers must read repurchase cycles");
    assert!(seen.contains("seasonal"), "the answers must read seasons");
}

#[test]
fn seasons_counted_to_another_end_than_the_newest_order_refuse_until_counted_with_it() {
    let all = with_config(
        &TrainRequest { events: None, ..request() },
        Config { decay_reference: Some("2026-06-01T00:00:00Z".into()), ..Config::default() },
    );
    let mut merged = count_orders(&shard(&all, true), false, None).unwrap();
    merged.merge(count_orders(&shard(&all, false), false, None).unwrap()).unwrap();
    let e = Engine::from_merged_counts(&finish_request(&all), &merged, None).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains("newest"), "{e}");
    let newest = merged.facts.as_ref().unwrap().last_at;
    let mut again = count_orders(&shard(&all, true), false, Some(newest)).unwrap();
    again.merge(count_orders(&shard(&all, false), false, Some(newest)).unwrap()).unwrap();
    let finished = Engine::from_merged_counts(&finish_request(&all), &again, None).unwrap();
    let trained = Engine::train(&all, &Silent).unwrap();
    assert!(!trained.behaviour().season.is_empty());
    let n = trained.catalog().len() as u32;
    let seasons = |e: &Engine| {
        (0..n)
            .flat_map(|p| (0..52).map(move |w| (p, w)))
            .filter(|&(p, w)| e.behaviour().season.in_week(p, w))
            .collect::<Vec<_>>()
    };
    assert_eq!(seasons(&trained), seasons(&finished));
    // Shards counted with different season ends do not merge.
    let mut one = count_orders(&shard(&all, true), false, Some(newest)).unwrap();
    assert!(one.merge(count_orders(&shard(&all, false), false, None).unwrap()).is_err());
}

#[test]
fn histories_the_config_stores_must_be_counted() {
    let all = request();
    let off = Config {
        store_customer_history: false,
        decay_reference: Some("2026-01-01T00:00:00Z".into()),
        ..Config::default()
    };
    let counts = count_orders(&with_config(&shard(&all, true), off.clone()), false, None).unwrap();
    let on = Config { store_customer_history: true, ..off };
    let e = Engine::from_merged_counts(&finish_request(&with_config(&all, on)), &counts, None).unwrap_err();
    assert!(e.message.contains("histories"), "{e}");
}
