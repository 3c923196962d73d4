//! Measurement end to end: the simulation's planted lift is found, A/A tests stay quiet, attribution counts
//! each order line once, and bad input is reported (not dropped).

use cartlift_core::{report, EventLog, Experiments, ReportOptions};
use cartlift_core::{Engine, ErrorCode, Operation};
use cartlift_lab::gen::{simulate_events, synthetic, Simulation};
use serde_json::{json, Value};

fn run(sim: &Simulation) -> Value {
    let exps = Experiments::compile(&sim.experiments).unwrap();
    let log = EventLog::from_values(&sim.events, cartlift_core::Currency::USD);
    report(&exps, &log, &ReportOptions::default())
}

fn variant<'a>(r: &'a Value, id: &str) -> &'a Value {
    r["experiments"][0]["variants"].as_array().unwrap().iter().find(|v| v["variant"] == id).unwrap()
}

#[test]
fn planted_lift_is_found_and_covered() {
    let store = synthetic(300, 5000, 3);
    let sim = simulate_events(&store, 30_000, 10.0, 3);
    let r = run(&sim);
    let lift = &variant(&r, "on")["aov_lift"];
    let (lo, hi) = (lift["relative_ci_low"].as_f64().unwrap(), lift["relative_ci_high"].as_f64().unwrap());
    assert!(lo <= 0.10 && 0.10 <= hi, "interval [{lo}, {hi}] misses the planted 10%");
    assert!(lift["p_value"].as_f64().unwrap() < 0.01, "{lift}");
    assert!(lo > 0.0);
    // Attachment only where recommendations were shown; conversion was not changed.
    assert_eq!(variant(&r, "off")["attached_orders"], 0);
    assert!(variant(&r, "on")["attachment_rate"].as_f64().unwrap() > 0.1);
    assert!(variant(&r, "on")["conversion_lift"]["p_value"].as_f64().unwrap() > 0.01);
}

#[test]
fn aa_tests_find_nothing_at_the_stated_rate() {
    let store = synthetic(200, 3000, 9);
    let runs = 200;
    let mut positives = 0;
    for seed in 0..runs {
        let r = run(&simulate_events(&store, 1500, 0.0, seed));
        let p = variant(&r, "on")["aov_lift"]["p_value"].as_f64().unwrap();
        if p < 0.05 {
            positives += 1;
        }
    }
    // 5% of 200 is 10 (sd ~3.1); more than 20 means the test is miscalibrated.
    assert!(positives <= 20, "{positives} of {runs} A/A tests were significant at 5%");
    assert!(positives >= 2, "{positives} of {runs}: p-values are suspiciously large");
}

fn ev(v: Value) -> Value {
    v
}

fn exp() -> Value {
    json!({"id": "e1", "variants": [{"id": "control", "weight": 50, "control": true}, {"id": "fbt", "weight": 50}]})
}

/// Two visitors, one per variant (found by assignment).
fn visitors() -> (String, String) {
    let e = Experiments::compile(&[exp()]).unwrap();
    let e = e.get("e1").unwrap();
    let mut control = None;
    let mut treat = None;
    for i in 0.. {
        let v = format!("v{i}");
        match e.assign(&v).id.as_str() {
            "control" if control.is_none() => control = Some(v),
            "fbt" if treat.is_none() => treat = Some(v),
            _ => {}
        }
        if control.is_some() && treat.is_some() {
            break;
        }
    }
    (control.unwrap(), treat.unwrap())
}

#[test]
fn attribution_window_first_click_and_no_double_counting() {
    let (_, t) = visitors();
    let events = vec![
        ev(
            json!({"type": "impression", "at": "2025-03-01T10:00:00Z", "visitor_id": t, "list_id": "L1", "placement": "cart",
                  "experiment": "e1", "variant": "fbt", "product_ids": ["sd", "bag"]}),
        ),
        ev(
            json!({"type": "impression", "at": "2025-03-01T10:05:00Z", "visitor_id": t, "list_id": "L2", "placement": "product",
                  "product_ids": ["sd"]}),
        ),
        ev(
            json!({"type": "click", "at": "2025-03-01T10:01:00Z", "visitor_id": t, "product_id": "sd", "list_id": "L1"}),
        ),
        ev(
            json!({"type": "click", "at": "2025-03-01T10:06:00Z", "visitor_id": t, "product_id": "sd", "list_id": "L2"}),
        ),
        // Clicked, but bought only after the 24-hour window: not attributed.
        ev(
            json!({"type": "click", "at": "2025-03-01T10:02:00Z", "visitor_id": t, "product_id": "bag", "list_id": "L1"}),
        ),
        ev(json!({"type": "order", "at": "2025-03-01T11:00:00Z", "visitor_id": t, "order_id": "o1", "total": "120.00",
                  "lines": [{"product_id": "cam", "quantity": 1, "price": "100.00"}, {"product_id": "sd", "quantity": 2, "price": "10.00"}]})),
        // A second order of the same product: the click was used up, so not attributed again.
        ev(json!({"type": "order", "at": "2025-03-01T12:00:00Z", "visitor_id": t, "order_id": "o2", "total": "10.00",
                  "lines": [{"product_id": "sd", "quantity": 1, "price": "10.00"}]})),
        ev(json!({"type": "order", "at": "2025-03-03T12:00:00Z", "visitor_id": t, "order_id": "o3", "total": "30.00",
                  "lines": [{"product_id": "bag", "quantity": 1, "price": "30.00"}]})),
    ];
    let engine = Engine::train_value(json!({"products": [{"id": "x", "title": "x", "price": "1.00"}]})).unwrap();
    let r = engine.query(Operation::Report, json!({"experiments": [exp()], "events": events})).unwrap();
    let v = variant(&r, "fbt");
    assert_eq!(v["orders"], 3);
    assert_eq!(v["attached_orders"], 1);
    assert_eq!(v["attributed_revenue"], "20.00");
    assert_eq!(v["revenue"], "160.00");
    assert_eq!(v["aov"], "53.33");
    // First click wins: the cart list gets the credit, the product-page list none.
    assert_eq!(v["placements"]["cart"]["attributed_revenue"], "20.00");
    assert_eq!(v["placements"]["product"]["attributed_revenue"], "0.00");
    assert_eq!(v["click_through_rate"], 1.0);
    // The events came out of order (a click before the impression it follows in the input): sorted, counted.
    assert_eq!(r["events"]["out_of_order"], 2);
}

#[test]
fn malformed_and_duplicate_events_are_counted() {
    let (c, _) = visitors();
    let order = json!({"type": "order", "at": "2025-03-01T11:00:00Z", "visitor_id": c, "order_id": "o1", "total": "12.50",
                       "lines": [{"product_id": "cam", "quantity": 1, "price": "12.50"}]});
    let events = vec![
        order.clone(),
        order.clone(), // exact duplicate
        json!({"type": "order", "at": "2025-03-01T11:30:00Z", "visitor_id": c, "order_id": "o1", "total": "12.50", "lines": []}), // same order id
        json!({"type": "order", "at": "2025-03-01T11:00:00Z", "visitor_id": c, "order_id": "o9", "total": 12.5, "lines": []}), // float money
        json!({"type": "click", "at": "yesterday", "visitor_id": c, "product_id": "cam"}),
        json!({"type": "teleport", "at": "2025-03-01T11:00:00Z", "visitor_id": c}),
        json!("not an object"),
    ];
    let engine = Engine::train_value(json!({"products": [{"id": "x", "title": "x", "price": "1.00"}]})).unwrap();
    let r = engine.query(Operation::Report, json!({"experiments": [exp()], "events": events})).unwrap();
    assert_eq!(r["events"]["read"], 7);
    assert_eq!(r["events"]["valid"], 1);
    assert_eq!(r["events"]["duplicates"], 2);
    assert_eq!(r["events"]["malformed"], 4);
    let ex = r["events"]["malformed_examples"].as_array().unwrap();
    assert_eq!(ex[0]["index"], 3);
    assert_eq!(ex[0]["field"], "total");
    assert!(ex[0]["message"].as_str().unwrap().contains("decimal string"));
    assert_eq!(ex[1]["field"], "at");
    assert_eq!(variant(&r, "control")["orders"], 1);
    assert_eq!(variant(&r, "control")["aov"], "12.50");
    assert_eq!(variant(&r, "fbt")["aov"], Value::Null);
}

#[test]
fn assign_operation_and_errors() {
    let engine = Engine::train_value(json!({"products": [{"id": "x", "title": "x", "price": "1.00"}]})).unwrap();
    let a = engine
        .query(Operation::Assign, json!({"experiments": [exp()], "experiment": "e1", "visitor_id": "v1"}))
        .unwrap();
    assert_eq!(a["experiment"], "e1");
    let b = engine
        .query(Operation::Assign, json!({"experiments": [exp()], "experiment": "e1", "visitor_id": "v1"}))
        .unwrap();
    assert_eq!(a, b, "sticky");
    let e = engine
        .query(Operation::Assign, json!({"experiments": [exp()], "experiment": "e2", "visitor_id": "v1"}))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::UnknownExperiment);
    let e = engine.query(Operation::Assign, json!({"experiment": "e1", "visitor_id": "v1"})).unwrap_err();
    assert_eq!(e.code, ErrorCode::UnknownExperiment);
    let zero = json!({"id": "z", "variants": [{"id": "a", "weight": 0}, {"id": "b", "weight": 0}]});
    let e = engine
        .query(Operation::Assign, json!({"experiments": [zero], "experiment": "z", "visitor_id": "v1"}))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert_eq!(e.field.as_deref(), Some("experiments[0].variants"));
    let e = engine.query(Operation::Report, json!({"experiments": [exp()], "events": [], "mde": 0})).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert_eq!(Operation::from_name("report").unwrap(), Operation::Report);
}

#[test]
fn window_and_placement_scope() {
    let (c, t) = visitors();
    let scoped = json!({"id": "e1", "placements": ["cart"], "starts_at": "2025-03-01T00:00:00Z", "ends_at": "2025-03-02T00:00:00Z",
        "variants": [{"id": "control", "weight": 50, "control": true}, {"id": "fbt", "weight": 50}]});
    let events = vec![
        json!({"type": "order", "at": "2025-02-28T11:00:00Z", "visitor_id": c, "order_id": "before", "total": "5.00", "lines": []}),
        json!({"type": "order", "at": "2025-03-01T11:00:00Z", "visitor_id": c, "order_id": "in", "total": "7.00", "lines": []}),
        json!({"type": "impression", "at": "2025-03-01T10:00:00Z", "visitor_id": t, "list_id": "P", "placement": "product", "product_ids": ["a"]}),
        json!({"type": "impression", "at": "2025-03-01T10:00:00Z", "visitor_id": t, "list_id": "C", "placement": "cart", "product_ids": ["a"]}),
    ];
    let engine = Engine::train_value(json!({"products": [{"id": "x", "title": "x", "price": "1.00"}]})).unwrap();
    let r = engine.query(Operation::Report, json!({"experiments": [scoped], "events": events})).unwrap();
    assert_eq!(variant(&r, "control")["orders"], 1);
    assert_eq!(variant(&r, "control")["revenue"], "7.00");
    assert_eq!(variant(&r, "fbt")["impressions"], 1);
    assert_eq!(r["experiments"][0]["starts_at"], "2025-03-01T00:00:00Z");
}

/// A variant overriding the measure answers exactly as a model trained with that measure, also after a save
/// and load; a variant naming a bundle set prices with only those bundles.
#[test]
fn variants_change_the_measure_and_the_bundle_set() {
    let store = cartlift_lab::gen::demo_store();
    let mut req = store.train_request();
    // An explicit base measure: under `auto` a variant inherits the tuned counting (basket weights, decay),
    // which a model trained with `lift` alone does not have.
    req.config = Some(cartlift_core::Config { measure: cartlift_core::Measure::Default, ..Default::default() });
    let lift = json!({"measure": "lift", "min_support": 1});
    req.experiments = Some(cartlift_core::Source::Records(vec![json!({"id": "m", "variants": [
        {"id": "base", "weight": 1, "control": true},
        {"id": "lift", "weight": 1, "config": lift},
        {"id": "kit", "weight": 0, "bundles": ["camera-kit"]}]})]));
    let engine = cartlift_core::Engine::train(&req, &cartlift_core::Silent).unwrap();
    let mut plain = store.train_request();
    plain.config = Some(serde_json::from_value(lift.clone()).unwrap());
    let lift_engine = cartlift_core::Engine::train(&plain, &cartlift_core::Silent).unwrap();

    let visitor_of = |variant: &str| {
        (0..100)
            .map(|i| format!("v{i}"))
            .find(|v| {
                engine.query(Operation::Assign, json!({"experiment": "m", "visitor_id": v})).unwrap()["variant"]
                    == variant
            })
            .expect("some visitor lands in the variant")
    };
    let (base_v, lift_v) = (visitor_of("base"), visitor_of("lift"));
    let ask = |e: &cartlift_core::Engine, extra: Value| {
        let mut r = json!({"cart": ["cam-a2"], "limit": 6});
        r.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        let mut a = e.query(Operation::CrossSell, r).unwrap();
        a.as_object_mut().unwrap().remove("experiment");
        a
    };
    let in_lift = ask(&engine, json!({"experiment": "m", "visitor_id": lift_v}));
    assert_eq!(in_lift, ask(&lift_engine, json!({})));
    assert_eq!(ask(&engine, json!({"experiment": "m", "visitor_id": base_v})), ask(&engine, json!({})));
    assert_ne!(in_lift, ask(&engine, json!({})), "the demo store's lift and default lists differ");
    let reloaded = cartlift_core::Engine::from_bytes(&engine.to_bytes()).unwrap();
    assert_eq!(ask(&reloaded, json!({"experiment": "m", "visitor_id": lift_v})), in_lift);

    // Bundle sets: weight 0 drains the variant from assignment, so pick it through a one-variant copy instead.
    let price = |e: &cartlift_core::Engine| {
        let r = json!({"cart": ["cam-a2", "lens-50", {"product_id": "socks-run", "quantity": 3}], "now": "2026-06-01T00:00:00Z"});
        e.query(Operation::PriceCart, r).unwrap()["applied"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["bundle_id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(price(&engine), vec!["camera-kit", "socks-3", "spend-200"]);
    let mut only_kit = store.train_request();
    only_kit.experiments = Some(cartlift_core::Source::Records(vec![
        json!({"id": "k", "variants": [{"id": "kit", "weight": 1, "bundles": ["camera-kit"]}]}),
    ]));
    let e = cartlift_core::Engine::train(&only_kit, &cartlift_core::Silent).unwrap();
    let r = json!({"cart": ["cam-a2", "lens-50", {"product_id": "socks-run", "quantity": 3}], "now": "2026-06-01T00:00:00Z", "experiment": "k", "visitor_id": "anyone"});
    let applied: Vec<String> = e.query(Operation::PriceCart, r).unwrap()["applied"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["bundle_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(applied, vec!["camera-kit"]);

    // Unknown bundle ids and counting settings fail training, naming the field.
    let mut bad = store.train_request();
    bad.experiments = Some(cartlift_core::Source::Records(vec![
        json!({"id": "k", "variants": [{"id": "a", "weight": 1, "bundles": ["nope"]}]}),
    ]));
    let err = cartlift_core::Engine::train(&bad, &cartlift_core::Silent).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("experiments[0].variants[0].bundles[0]"));
    bad.experiments = Some(cartlift_core::Source::Records(vec![
        json!({"id": "k", "variants": [{"id": "a", "weight": 1, "config": {"half_life_days": 9}}]}),
    ]));
    let err = cartlift_core::Engine::train(&bad, &cartlift_core::Silent).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("experiments[0].variants[0].config.half_life_days"));
}

/// `cross_sell: false` is the "recommendations off" arm: empty answers whatever the request's limit or device.
#[test]
fn an_off_variant_answers_nothing_whatever_the_limit() {
    let mut req = cartlift_lab::gen::demo_store().train_request();
    req.experiments = Some(cartlift_core::Source::Records(vec![
        json!({"id": "off", "variants": [{"id": "off", "weight": 1, "control": true, "config": {"cross_sell": false}}]}),
    ]));
    let engine = cartlift_core::Engine::train(&req, &cartlift_core::Silent).unwrap();
    for extra in [json!({"limit": 5}), json!({"device": "mobile"}), json!({})] {
        let mut r = json!({"cart": ["cam-a2"], "experiment": "off", "visitor_id": "v1"});
        r.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        let a = engine.query(Operation::CrossSell, r).unwrap();
        assert_eq!(a["recommendations"], json!([]), "{a}");
        assert_eq!(a["experiment"]["variant"], "off");
    }
    let on = engine.query(Operation::CrossSell, json!({"cart": ["cam-a2"], "limit": 5})).unwrap();
    assert_eq!(on["recommendations"].as_array().unwrap().len(), 5);
}
