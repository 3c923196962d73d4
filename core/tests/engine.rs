//! Engine behaviour end to end: merging shards, invariants of cross-sell (property tests), snapshots,
//! product updates, threads, and the real grocery sample in tests/data.

use cartlift_core::lab::Counted;
use cartlift_core::lab::Internals;
use cartlift_core::CrossSellRequest;
use cartlift_core::Placement;
use cartlift_core::Silent;
use cartlift_core::Source;
use cartlift_core::{CartLineInput, CartLineObject};
use cartlift_core::{Config, Engine, ErrorCode, Operation, TrainRequest};
use cartlift_lab::gen::{demo_store, synthetic};
use proptest::prelude::*;
use serde_json::json;
use std::sync::OnceLock;

fn demo() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::train(&demo_store().train_request(), &Silent).unwrap())
}

fn shard_request(all: &TrainRequest, keep: impl Fn(&serde_json::Value) -> bool) -> TrainRequest {
    let mut r = all.clone();
    if let Some(Source::Records(orders)) = &all.orders {
        r.orders = Some(Source::Records(orders.iter().filter(|o| keep(o)).cloned().collect()));
    }
    r
}

#[test]
fn merged_shards_equal_the_whole() {
    let store = synthetic(300, 4000, 11);
    let mut all = store.train_request();
    all.config = Some(Config { decay_reference: Some("2026-01-01T00:00:00Z".into()), ..Config::default() });
    // Shard by customer: the natural split, and the one under which customer-window pairs are exact too.
    let even =
        |o: &serde_json::Value| o["customer_id"].as_str().unwrap().bytes().map(|b| b as u32).sum::<u32>() % 2 == 0;
    // `auto` is tuned once, on all orders; every shard then counts with the tuned (explicit) settings.
    let whole = Counted::read(&all, &Silent).unwrap();
    let mut tuned = all.clone();
    tuned.config = Some(whole.config.clone());
    let a = Counted::read(&shard_request(&tuned, even), &Silent).unwrap();
    let b = Counted::read(&shard_request(&tuned, |o| !even(o)), &Silent).unwrap();
    assert!(a.counts.orders > 0 && b.counts.orders > 0);
    let mut merged = a.counts.clone();
    merged.merge(b.counts).unwrap();
    assert_eq!(merged, whole.counts, "merged counts must equal counts of all orders");
    // The same with every count weighting that can differ: 1/sqrt(basket) weights and customer pairs.
    let weighted = Config {
        basket_weight: Some(cartlift_core::BasketWeight::InverseSqrt),
        customer_weight: Some(0.3),
        ..whole.config.clone()
    };
    let mut w = all.clone();
    w.config = Some(weighted);
    let (wa, wb) = (
        Counted::read(&shard_request(&w, even), &Silent).unwrap(),
        Counted::read(&shard_request(&w, |o| !even(o)), &Silent).unwrap(),
    );
    let mut wm = wa.counts.clone();
    wm.merge(wb.counts).unwrap();
    let ww = Counted::read(&w, &Silent).unwrap();
    assert!(!ww.counts.customer_pairs.is_empty());
    assert_eq!(wm, ww.counts);

    // `train` finishes from the baskets themselves, `from_counts` from the counted pair table: one model.
    let same_model = |table: &Engine, baskets: &Engine| {
        let (t, b) = (table.model(), baskets.model());
        assert_eq!(t.neighbors, b.neighbors);
        assert_eq!(t.popular, b.popular);
        assert_eq!(t.category_links, b.category_links);
        assert_eq!(t.pairs, b.pairs);
    };
    let e1 = Engine::from_counts(a.config, a.catalog, &merged, a.rules, a.bundles, a.stats, &Silent);
    same_model(&e1, &Engine::train(&all, &Silent).unwrap());
    let e3 = Engine::from_counts(ww.config.clone(), ww.catalog, &ww.counts, ww.rules, ww.bundles, ww.stats, &Silent);
    same_model(&e3, &Engine::train(&w, &Silent).unwrap());

    // Different decay references cannot be merged silently.
    let mut other = all.clone();
    other.config = Some(Config::default());
    let c = Counted::read(&other, &Silent).unwrap();
    let mut m = whole.counts.clone();
    assert_eq!(m.merge(c.counts).unwrap_err().code, ErrorCode::InvalidInput);
}

#[test]
fn planted_complements_are_learned() {
    let e = demo();
    for (anchor, complement) in
        [("cam-a3", "sd-256"), ("run-road", "socks-run"), ("hp-pro", "hp-case"), ("lp-16", "hub-usbc")]
    {
        let a = e
            .cross_sell(&CrossSellRequest {
                cart: vec![CartLineInput::Id(anchor.into())],
                limit: Some(3),
                ..Default::default()
            })
            .unwrap();
        assert!(
            a.recommendations.iter().any(|r| r.product_id == complement),
            "{complement} should be in the top 3 for {anchor}: {:?}",
            a.recommendations
        );
    }
}

#[test]
fn reasons_tell_the_truth() {
    // "Bought together with X in N orders" must be the real count of orders containing both.
    let store = demo_store();
    let e = demo();
    let a = e
        .cross_sell(&CrossSellRequest { cart: vec![CartLineInput::Id("cam-a2".into())], ..Default::default() })
        .unwrap();
    let mut checked = 0;
    for r in &a.recommendations {
        for reason in r.reasons.iter().filter(|x| x.code == "bought_together") {
            let n = store
                .orders
                .iter()
                .filter(|o| {
                    o.lines.iter().any(|l| l.product_id == "cam-a2")
                        && o.lines.iter().any(|l| l.product_id == r.product_id)
                })
                .count();
            assert!(reason.text.contains(&format!(" in {n} order")), "{} vs {n}", reason.text);
            checked += 1;
        }
    }
    assert!(checked >= 3);
}

fn demo_ids() -> Vec<String> {
    demo().catalog().products().map(|p| p.id.to_string()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn cross_sell_invariants(
        cart in proptest::collection::vec((0usize..65, 1i64..4), 0..6),
        declined in proptest::collection::vec(0usize..65, 0..4),
        placement in prop_oneof![Just(Placement::Cart), Just(Placement::ProductPage), Just(Placement::Checkout), Just(Placement::PostPurchase)],
        limit in 0usize..12,
        offset in 0usize..4,
    ) {
        let ids = demo_ids();
        let e = demo();
        let req = CrossSellRequest {
            cart: cart.iter().map(|&(i, q)| CartLineInput::Line(CartLineObject { product_id: ids[i].clone(), quantity: q, price: None })).collect(),
            declined: declined.iter().map(|&i| ids[i].clone()).collect(),
            placement,
            limit: Some(limit),
            offset,
            ..Default::default()
        };
        let a = e.cross_sell(&req).unwrap();
        prop_assert!(a.recommendations.len() <= limit);
        let cat = e.catalog();
        let cart_families: Vec<&str> = cart.iter().filter_map(|&(i, _)| cat.product(i as u32).family).collect();
        let mut seen = std::collections::HashSet::new();
        for r in &a.recommendations {
            let p = cat.product(cat.get(&r.product_id).unwrap());
            prop_assert!(seen.insert(r.product_id.clone()), "duplicate {}", r.product_id);
            prop_assert!(!cart.iter().any(|&(i, _)| ids[i] == r.product_id), "in cart: {}", r.product_id);
            prop_assert!(!req.declined.contains(&r.product_id), "declined: {}", r.product_id);
            prop_assert!(p.in_stock(), "unavailable: {}", r.product_id);
            prop_assert!(!p.is_gift_card());
            prop_assert!(p.family.is_none_or(|f| !cart_families.contains(&f)), "substitute: {}", r.product_id);
            prop_assert!(!r.reasons.is_empty());
        }
        // Deterministic.
        prop_assert_eq!(&e.cross_sell(&req).unwrap(), &a);
        // Paging walks one stable ranking.
        if offset > 0 && limit > 0 {
            let first = e.cross_sell(&CrossSellRequest { offset: 0, limit: Some(offset + limit), ..req.clone() }).unwrap();
            prop_assert_eq!(&first.recommendations[offset.min(first.recommendations.len())..], &a.recommendations[..]);
        }
    }
}

#[test]
fn never_empty_while_candidates_exist() {
    let e = demo();
    let a = e
        .cross_sell(&CrossSellRequest { cart: vec![CartLineInput::Id("gift-50".into())], ..Default::default() })
        .unwrap();
    assert!(!a.recommendations.is_empty());
    let a = e.cross_sell(&CrossSellRequest { cart: vec![], ..Default::default() }).unwrap();
    assert_eq!(a.recommendations.len(), e.config().default_limit);
}

#[test]
fn snapshot_round_trip_and_corruption() {
    let e = demo();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.cartlift");
    e.save(&path).unwrap();
    let loaded = Engine::load(&path).unwrap();
    let req = json!({"cart": ["cam-a2", "lens-50"], "placement": "cart"});
    assert_eq!(e.query(Operation::CrossSell, req.clone()).unwrap(), loaded.query(Operation::CrossSell, req).unwrap());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left behind");

    let bytes = e.to_bytes();
    let truncated = Engine::from_bytes(&bytes[..bytes.len() / 2]).unwrap_err();
    assert_eq!(truncated.code, ErrorCode::CorruptModel);
    assert!(truncated.message.contains("truncated"), "{truncated}");
    let mut flipped = bytes.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x40;
    let err = Engine::from_bytes(&flipped).unwrap_err();
    assert_eq!(err.code, ErrorCode::CorruptModel);
    assert!(err.message.contains("checksum"), "{err}");
    let mut newer = bytes.clone();
    newer[8..12].copy_from_slice(&99u32.to_le_bytes());
    assert_eq!(Engine::from_bytes(&newer).unwrap_err().code, ErrorCode::UnsupportedVersion);
    assert_eq!(Engine::from_bytes(b"hello world, not a model").unwrap_err().code, ErrorCode::CorruptModel);
    assert_eq!(Engine::from_bytes(&[]).unwrap_err().code, ErrorCode::CorruptModel);

    // A failed save over a good model leaves it where it was, byte for byte: a directory in the way of the
    // temporary file makes saving another model to the same path fail before anything is renamed.
    let good = std::fs::read(&path).unwrap();
    let other = e.update_products_value(json!([{"id": "lens-50", "price": "1.00"}])).unwrap();
    assert_ne!(other.to_bytes(), good, "the failed save would change the file");
    let blocker = dir.path().join(format!("model.cartlift.tmp-{}", std::process::id()));
    std::fs::create_dir(&blocker).unwrap();
    assert_eq!(other.save(&path).unwrap_err().code, ErrorCode::Io);
    std::fs::remove_dir(&blocker).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), good, "a failed save changed the model file");
    let bad = e.save(dir.path().join("missing-dir").join("m.cartlift"));
    assert_eq!(bad.unwrap_err().code, ErrorCode::Io);
    // A rename that fails (onto a directory that is not empty) removes the temporary file it wrote.
    let occupied = dir.path().join("occupied");
    std::fs::create_dir(&occupied).unwrap();
    std::fs::write(occupied.join("keep"), b"x").unwrap();
    assert_eq!(e.save(&occupied).unwrap_err().code, ErrorCode::Io);
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".tmp-"))
        .collect();
    assert!(left.is_empty(), "temporary files left behind: {left:?}");
}

#[test]
fn updates_make_a_new_engine_and_are_all_or_nothing() {
    let e = demo();
    let updated = e
        .update_products_value(json!([{"id": "sd-128", "available": false}, {"id": "lens-50", "price": "199.00"}]))
        .unwrap();
    let req = json!({"cart": ["cam-a2"], "limit": 10});
    let before = e.query(Operation::CrossSell, req.clone()).unwrap();
    let after = updated.query(Operation::CrossSell, req).unwrap();
    let ids = |v: &serde_json::Value| {
        v["recommendations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["product_id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert!(ids(&before).contains(&"sd-128".to_string()));
    assert!(!ids(&after).contains(&"sd-128".to_string()));
    let lens = after["recommendations"].as_array().unwrap().iter().find(|r| r["product_id"] == "lens-50").unwrap();
    assert_eq!(lens["price"], "199.00");

    let err = e
        .update_products_value(json!([{"id": "lens-50", "price": "1.00"}, {"id": "nope", "price": "2.00"}]))
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::UnknownProduct);
    assert_eq!(err.field.as_deref(), Some("updates[1].id"));
    assert_eq!(e.catalog().product(e.catalog().get("lens-50").unwrap()).price, 21_900, "nothing half-applied");
}

#[test]
fn many_threads_one_engine() {
    let e = demo().clone();
    let expected = e.query(Operation::CrossSell, json!({"cart": ["esp-plus", "beans-house"]})).unwrap();
    std::thread::scope(|s| {
        for _ in 0..8 {
            let (e, expected) = (&e, &expected);
            s.spawn(move || {
                for _ in 0..200 {
                    assert_eq!(
                        &e.query(Operation::CrossSell, json!({"cart": ["esp-plus", "beans-house"]})).unwrap(),
                        expected
                    );
                }
            });
        }
    });
}

/// Generation `g` of the demo catalog: every product of `cart` priced `g + 1` dollars.
fn generation(base: &Engine, cart: &[&str], g: u32) -> Engine {
    let updates: Vec<cartlift_core::ProductUpdate> = cart
        .iter()
        .map(|id| serde_json::from_value(json!({"id": id, "price": format!("{}.00", g + 1)})).unwrap())
        .collect();
    base.update_products(&updates).unwrap()
}

#[test]
fn answers_never_mix_states_while_updates_swap_engines() {
    // A host keeps the current engine behind a lock and swaps in updated ones; readers query meanwhile. Each
    // generation prices every cart product the same, so a price from another generation in one answer would
    // show a mixed state. The check holds however the threads interleave: nothing is timed.
    let cart = ["esp-plus", "beans-house", "cam-a2", "lens-50"];
    let current = std::sync::RwLock::new(generation(demo(), &cart, 0));
    let request = json!({"cart": cart.iter().map(|id| json!({"product_id": id, "quantity": 1})).collect::<Vec<_>>()});
    std::thread::scope(|s| {
        s.spawn(|| {
            for g in 1..=40 {
                let next = generation(demo(), &cart, g);
                *current.write().unwrap() = next;
            }
        });
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..300 {
                    let engine = current.read().unwrap().clone();
                    let answer = engine.query(Operation::PriceCart, request.clone()).unwrap();
                    let prices: Vec<&str> =
                        answer["lines"].as_array().unwrap().iter().map(|l| l["unit_price"].as_str().unwrap()).collect();
                    assert_eq!(prices.len(), cart.len());
                    assert!(prices.iter().all(|p| *p == prices[0]), "one answer mixes generations: {prices:?}");
                    let cross = engine.query(Operation::CrossSell, json!({"cart": ["esp-plus"]})).unwrap();
                    assert!(cross["recommendations"].is_array());
                }
            });
        }
    });
}

#[test]
fn bad_rows_fail_with_line_or_are_skipped_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let products = dir.path().join("products.jsonl");
    std::fs::write(
        &products,
        "{\"id\":\"a\",\"price\":\"1.00\"}\n{\"id\":\"b\",\"price\":\"x\"}\n{\"id\":\"c\",\"price\":\"2\"}\n",
    )
    .unwrap();
    let orders = dir.path().join("orders.jsonl");
    std::fs::write(
        &orders,
        "{\"id\":\"1\",\"created_at\":\"2025-01-01T00:00:00Z\",\"lines\":[{\"product_id\":\"a\"},{\"product_id\":\"zzz\"}]}\nnot json\n",
    )
    .unwrap();
    let req = |skip| TrainRequest {
        products: Source::Path(products.display().to_string()),
        orders: Some(Source::Path(orders.display().to_string())),
        rules: None,
        bundles: None,
        config: None,
        experiments: None,
        events: None,
        skip_invalid: skip,
    };
    let err = Engine::train(&req(false), &Silent).unwrap_err();
    assert_eq!((err.code, err.line, err.field.as_deref()), (ErrorCode::InvalidInput, Some(2), Some("price")));
    assert!(err.to_string().contains("products.jsonl:line 2: price"), "{err}");
    let e = Engine::train(&req(true), &Silent).unwrap();
    let st = e.stats();
    assert_eq!((st.products.loaded, st.products.skipped), (2, 1));
    assert_eq!((st.orders.loaded, st.orders.skipped), (1, 1));
    assert_eq!(st.orders.skipped_reasons[0].line, 2);
    assert_eq!(st.unknown_product_lines, 1);
}

#[test]
fn real_grocery_sample() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/completejourney-3000");
    let req = TrainRequest {
        products: Source::Path(format!("{dir}/products.jsonl")),
        orders: Some(Source::Path(format!("{dir}/orders.jsonl"))),
        rules: None,
        bundles: None,
        config: None,
        experiments: None,
        events: None,
        skip_invalid: false,
    };
    let e = Engine::train(&req, &Silent).unwrap();
    assert_eq!(e.stats().products.loaded, 12_577);
    assert_eq!(e.stats().orders.loaded, 3_000);
    assert_eq!(e.stats().unknown_product_lines, 0);
    // The most popular product gets learned suggestions with true evidence.
    let top = e.catalog().product(e.model().popular[0]).id.to_string();
    let a = e.query(Operation::CrossSell, json!({"cart": [top]})).unwrap();
    let recs = a["recommendations"].as_array().unwrap();
    assert!(!recs.is_empty());
    assert_eq!(recs[0]["reasons"][0]["code"], "bought_together");
}

#[test]
fn offline_eval_default_beats_baselines_on_planted_store() {
    use cartlift_lab::eval::{run, EvalOptions, Mode, Split};
    let store = demo_store();
    let req = store.train_request();
    let opts = EvalOptions {
        split: Split::Time,
        mode: Mode::CompleteBasket,
        test_fraction: 0.2,
        k: 5,
        seed: 1,
        personalized: true,
        config: Config::default(),
        dump_dir: None,
    };
    let report = run(&req.products, req.orders.as_ref().unwrap(), &opts).unwrap();
    let get = |name: &str| report.results.iter().find(|r| r.strategy == name && !r.personalized).unwrap();
    let (default, popularity, random) = (get("cartlift (default)"), get("popularity"), get("random"));
    assert!(default.queries > 100);
    assert!(default.hit_rate > popularity.hit_rate + 0.1, "{} vs {}", default.hit_rate, popularity.hit_rate);
    assert!(popularity.hit_rate > random.hit_rate);
    assert!(default.ndcg <= default.hit_rate && default.mrr <= default.hit_rate);
    assert!(report.results.iter().any(|r| r.personalized));
    let next = run(
        &req.products,
        req.orders.as_ref().unwrap(),
        &EvalOptions { mode: Mode::NextBasket, split: Split::CustomerLast, ..opts },
    )
    .unwrap();
    assert!(next.results[0].queries > 50);
}

#[test]
fn personalization_is_explained_and_can_be_switched_off() {
    let e = demo();
    let plain = e.query(Operation::CrossSell, json!({"cart": ["esp-plus"], "limit": 8})).unwrap();
    // No personal signal: exactly the non-personalized answer.
    assert_eq!(
        plain,
        e.query(Operation::CrossSell, json!({"cart": ["esp-plus"], "limit": 8, "personalize": false})).unwrap()
    );
    // An organic buyer sees organic options lifted, with the reason.
    let organic =
        json!({"cart": ["esp-plus"], "limit": 8, "customer_history": ["beans-eth", "beans-house", "socks-merino"]});
    let a = e.query(Operation::CrossSell, organic.clone()).unwrap();
    let texts: Vec<String> = a["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            r["reasons"].as_array().unwrap().iter().map(|x| x["text"].as_str().unwrap().to_string()).collect::<Vec<_>>()
        })
        .collect();
    assert!(texts.iter().any(|t| t == "Because you often buy organic"), "{texts:?}");
    // Without consent the same request is the plain answer.
    let mut off = organic.clone();
    off["personalize"] = json!(false);
    assert_eq!(e.query(Operation::CrossSell, off).unwrap(), plain);
    // A known customer personalizes by id alone (stored history), and the model file keeps it.
    let customer = e.histories().len();
    assert!(customer > 100);
    let loaded = Engine::from_bytes(&e.to_bytes()).unwrap();
    assert_eq!(loaded.histories().get("cust-0001"), e.histories().get("cust-0001"));
    assert!(!e.histories().get("cust-0001").is_empty());
    // Session intent: browsing a category lifts it.
    let b = e.query(Operation::CrossSell, json!({"cart": ["lp-14"], "viewed": ["mouse-pro"], "limit": 8})).unwrap();
    assert!(b["recommendations"].as_array().unwrap().iter().any(|r| r["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["code"] == "session_intent" || x["code"] == "viewed")));
}

#[test]
fn affinity_counts_purchases_not_distinct_products() {
    // A regular who bought two organic products nineteen times has a taste, though two distinct products
    // alone would be too few to read one from.
    let mut store = demo_store();
    for i in 0..19 {
        let product = if i % 2 == 0 { "beans-eth" } else { "beans-house" };
        store.orders.push(
            serde_json::from_value(json!({"id": format!("regular-{i}"), "customer_id": "organic-regular",
                "created_at": format!("2025-03-{:02}T10:00:00Z", i + 1), "lines": [{"product_id": product}]}))
            .unwrap(),
        );
    }
    let e = Engine::train(&store.train_request(), &Silent).unwrap();
    let bought = e.histories().get("organic-regular");
    assert_eq!(bought.iter().map(|b| b.2).sum::<u32>(), 19, "{bought:?}");
    let a = e.query(Operation::CrossSell, json!({"cart": ["esp-plus"], "customer_id": "organic-regular", "limit": 8}));
    // Organic, coffee and Crema & Co each make all 19 purchases; the reason names one of them.
    let reasons = a.unwrap()["recommendations"].to_string();
    assert!(reasons.contains(r#""code":"affinity""#), "{reasons}");
}

/// The per-category cap gives variety, never fewer answers: when other categories run out, products over the
/// cap fill the list in rank order.
#[test]
fn category_cap_fills_empty_slots() {
    let products: Vec<serde_json::Value> = (0..6)
        .map(|i| serde_json::json!({"id": format!("p{i}"), "title": format!("P{i}"), "price": "5.00", "category": if i == 0 { "anchor" } else { "socks" }}))
        .collect();
    let orders: Vec<serde_json::Value> = (0..40)
        .map(|o| {
            serde_json::json!({"id": format!("o{o}"), "created_at": "2026-01-01T00:00:00Z",
            "lines": [{"product_id": "p0", "quantity": 1}, {"product_id": format!("p{}", 1 + o % 5), "quantity": 1}]})
        })
        .collect();
    let engine = Engine::train_value(serde_json::json!({"products": products, "orders": orders, "config": {"max_per_category": 2, "min_support": 1}})).unwrap();
    let r = engine.query(cartlift_core::Operation::CrossSell, serde_json::json!({"cart": ["p0"], "limit": 4})).unwrap();
    let ids: Vec<&str> =
        r["recommendations"].as_array().unwrap().iter().map(|x| x["product_id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 4, "{ids:?}");
}

/// Customer-window pairs: each order pairs with the customer's previous `customer_window_orders` orders within
/// `customer_window_days` (0 = all of them), when `customer_weight` gives them weight. Three orders a week apart: with the default (1) the first and the
/// third are not related; with 0 they are; with a 10-day window only neighbours in time are.
#[test]
fn customer_window_pairs_follow_the_previous_orders_setting() {
    let products =
        serde_json::json!([{"id": "A", "price": "1.00"}, {"id": "B", "price": "1.00"}, {"id": "C", "price": "1.00"}]);
    let orders = serde_json::json!([
        {"id": "1", "customer_id": "c", "created_at": "2026-01-01T00:00:00Z", "lines": [{"product_id": "A"}]},
        {"id": "2", "customer_id": "c", "created_at": "2026-01-08T00:00:00Z", "lines": [{"product_id": "B"}]},
        {"id": "3", "customer_id": "c", "created_at": "2026-01-15T00:00:00Z", "lines": [{"product_id": "C"}]},
    ]);
    let pairs = |mut config: serde_json::Value| {
        // Customer pairs are counted only when they carry weight (unset under `auto`: none).
        config["customer_weight"] = serde_json::json!(0.3);
        let e = Engine::train_value(serde_json::json!({"products": products, "orders": orders, "config": config}))
            .expect("trains");
        e.stats().customer_pairs
    };
    assert_eq!(pairs(serde_json::json!({})), 2, "A-B and B-C only");
    assert_eq!(pairs(serde_json::json!({"customer_window_orders": 2})), 3);
    assert_eq!(pairs(serde_json::json!({"customer_window_orders": 0})), 3, "A-C too");
    assert_eq!(pairs(serde_json::json!({"customer_window_orders": 0, "customer_window_days": 10})), 2);
    assert_eq!(pairs(serde_json::json!({"customer_window_days": 0})), 0);
}

/// Equal scores rank by product id, whatever order the catalog lists products in, also when the tie runs past
/// the first block of the ranking that is sorted (32 or 4 × limit).
#[test]
fn equal_scores_rank_by_product_id_across_the_sorted_block() {
    // Listed in descending id order, so catalog order and id order disagree everywhere.
    let ids: Vec<String> = (0..60).rev().map(|i| format!("t{i:02}")).collect();
    let mut products: Vec<serde_json::Value> = ids.iter().map(|id| json!({"id": id, "price": "2.00"})).collect();
    products.push(json!({"id": "anchor", "price": "9.00"}));
    let orders: Vec<serde_json::Value> = ids
        .iter()
        .enumerate()
        .map(|(o, id)| {
            json!({"id": format!("o{o}"), "created_at": "2026-01-01T00:00:00Z",
                "lines": [{"product_id": "anchor"}, {"product_id": id}]})
        })
        .collect();
    let config = json!({"measure": "cosine", "top_k": 100, "min_support": 1, "max_per_category": 0});
    let engine = Engine::train_value(json!({"products": products, "orders": orders, "config": config})).unwrap();
    for limit in [10, 40, 60] {
        let r = engine.query(Operation::CrossSell, json!({"cart": ["anchor"], "limit": limit})).unwrap();
        let got: Vec<&str> =
            r["recommendations"].as_array().unwrap().iter().map(|x| x["product_id"].as_str().unwrap()).collect();
        let mut want: Vec<String> = ids.clone();
        want.sort();
        want.truncate(limit);
        assert_eq!(got, want, "limit {limit}");
    }
}

#[test]
fn integer_ids_name_the_same_products_as_their_digits() {
    // A shop whose ids are numbers (Shopify's) may write them as JSON numbers in records, rules and requests.
    let id = |n: u64, numeric: bool| if numeric { json!(n) } else { json!(n.to_string()) };
    let store = |numeric: bool| {
        let products: Vec<_> = (101..=106).map(|n| json!({"id": id(n, numeric), "price": "9.00"})).collect();
        let orders: Vec<_> = (0..40u64)
            .map(|i| {
                let lines = [101, 102 + i % 3].map(|n| json!({"product_id": id(n, numeric), "quantity": 1}));
                let at = format!("2025-01-{:02}T10:00:00Z", 1 + i % 28);
                json!({"id": id(9000 + i, numeric), "customer_id": id(7 + i % 5, numeric), "created_at": at, "lines": lines})
            })
            .collect();
        let rules = [
            json!({"kind": "pin", "products": [id(106, numeric)]}),
            json!({"kind": "exclude", "target": {"product_ids": [id(103, numeric)]}}),
        ];
        Engine::train_value(json!({"products": products, "orders": orders, "rules": rules})).unwrap()
    };
    let ask = |engine: &Engine, numeric: bool| {
        let req = json!({"cart": [id(101, numeric)], "customer_id": id(7, numeric), "viewed": [id(105, numeric)]});
        engine.query(Operation::CrossSell, req).unwrap()
    };
    let (as_text, as_numbers) = (store(false), store(true));
    let answer = ask(&as_text, false);
    assert_eq!(ask(&as_numbers, true), answer);
    assert_eq!(ask(&as_numbers, false), answer);
    let shown: Vec<&str> =
        answer["recommendations"].as_array().unwrap().iter().map(|r| r["product_id"].as_str().unwrap()).collect();
    assert_eq!(shown.first(), Some(&"106"), "{answer}");
    assert!(shown.contains(&"102") && !shown.contains(&"103"), "{answer}");
}
