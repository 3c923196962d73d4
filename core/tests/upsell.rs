//! Upsell, upgrade paths and decoy pricing through the public JSON API, on real trained engines.

use cartlift_core::{Engine, ErrorCode, Operation};
use serde_json::{json, Value};

fn engine(products: Value, orders: Value, config: Value) -> Engine {
    Engine::train_value(json!({"products": products, "orders": orders, "config": config})).expect("trains")
}

fn ask(e: &Engine, op: &str, req: Value) -> Value {
    e.query(Operation::from_name(op).unwrap(), req).unwrap_or_else(|err| panic!("{op} failed: {err}"))
}

fn fail(e: &Engine, op: &str, req: Value) -> cartlift_core::Error {
    e.query(Operation::from_name(op).unwrap(), req).expect_err("must fail")
}

/// (product_id, role, badge) of each option, in display order.
fn roles(v: &Value) -> Vec<(String, String, Value)> {
    v["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (o["product_id"].as_str().unwrap().to_string(), o["role"].as_str().unwrap().to_string(), o["badge"].clone())
        })
        .collect()
}

fn ids_roles(v: &Value) -> Vec<(String, String)> {
    roles(v).into_iter().map(|(a, b, _)| (a, b)).collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

fn codes(reasons: &Value) -> Vec<String> {
    reasons.as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap().to_string()).collect()
}

fn economist() -> Engine {
    engine(
        json!([
            {"id": "web", "title": "Web only", "price": "59.00", "family": "economist", "attributes": {"web": true, "print": false}},
            {"id": "print", "title": "Print only", "price": "125.00", "family": "economist", "attributes": {"web": false, "print": true}},
            {"id": "both", "title": "Print & web", "price": "125.00", "family": "economist", "attributes": {"web": true, "print": true}}
        ]),
        json!([]),
        json!({"max_price_ratio": 2.5}),
    )
}

#[test]
fn economist_case() {
    let e = economist();
    let v = ask(&e, "upsell", json!({"product_id": "web"}));
    assert_eq!(ids_roles(&v), pairs(&[("web", "base"), ("print", "decoy"), ("both", "target")]));
    let o = &v["options"];
    assert_eq!(o[0]["price_delta"], "+$0.00");
    assert_eq!(o[1]["price"], "125.00");
    assert_eq!(o[2]["price_delta"], "+$66.00");
    // No orders, no quantities: no badge may appear.
    assert!(o.as_array().unwrap().iter().all(|x| x["badge"].is_null()));
    assert_eq!(o[1]["reasons"][0]["text"], "For the same price, Print & web also gives web");
    assert_eq!(o[2]["reasons"][0]["text"], "For $66.00 more: print");
    let table = &v["comparison"];
    assert_eq!(table["product_ids"], json!(["web", "print", "both"]));
    assert_eq!(
        table["rows"][0],
        json!({"attribute": "price", "label": "Price", "values": ["$59.00", "$125.00", "$125.00"]})
    );
    assert_eq!(table["rows"][1]["values"], json!(["No", "Yes", "Yes"]));
    assert_eq!(table["rows"][2]["attribute"], "web");

    // With the default 1.5x ceiling nothing is within reach: an empty offer, not an error.
    let v = ask(&e, "upsell", json!({"product_id": "web", "max_price_ratio": 1.5}));
    assert_eq!(v["options"], json!([]));
    assert_eq!(codes(&v["reasons"]), vec!["above_price_ceiling"]);
}

fn phones(orders: Value, config: Value) -> Engine {
    engine(
        json!([
            {"id": "p64", "title": "Phone 64", "price": "100.00", "family": "phone", "attributes": {"storage_gb": 64, "color": "black"}},
            {"id": "p128", "title": "Phone 128", "price": "120.00", "family": "phone", "attributes": {"storage_gb": 128, "color": "black"}},
            {"id": "p256", "title": "Phone 256", "price": "140.00", "family": "phone", "attributes": {"storage_gb": 256, "color": "black"}},
            {"id": "p512", "title": "Phone 512", "price": "180.00", "family": "phone", "attributes": {"storage_gb": 512, "color": "black"}},
            {"id": "p1t", "title": "Phone 1T", "price": "250.00", "family": "phone", "attributes": {"storage_gb": 1024, "color": "black"}}
        ]),
        orders,
        config,
    )
}

#[test]
fn ladder_of_two() {
    let e = engine(
        json!([
            {"id": "s", "title": "Small", "price": "100.00", "family": "f", "attributes": {"storage_gb": 128}},
            {"id": "l", "title": "Large", "price": "120.00", "family": "f", "attributes": {"storage_gb": 256}}
        ]),
        json!([]),
        json!({}),
    );
    let v = ask(&e, "upsell", json!({"product_id": "s"}));
    assert_eq!(ids_roles(&v), pairs(&[("s", "base"), ("l", "target")]));
    let t = &v["options"][1];
    assert_eq!(t["price_delta"], "+$20.00");
    assert_eq!(t["comparisons"][0]["text"], "256 GB vs 128 GB: 2x storage");
    assert_eq!(t["unit_value"]["text"], "$0.47 per GB"); // 120.00 / 256 = 0.46875 -> 0.47
    assert_eq!(v["options"][0]["unit_value"]["text"], "$0.78 per GB"); // 100 / 128 = 0.78125
                                                                       // The larger one really is cheaper per GB, so "best_value" is earned.
    assert_eq!(t["badge"], "best_value");
    assert!(v["options"][0]["badge"].is_null());
    // From the top tier there is nothing to offer.
    let v = ask(&e, "upsell", json!({"product_id": "l"}));
    assert_eq!(v["options"], json!([]));
    assert_eq!(codes(&v["reasons"]), vec!["no_higher_tier"]);
}

#[test]
fn ladder_of_three_has_a_decoy() {
    let e = engine(
        json!([
            {"id": "a", "price": "100", "family": "f", "attributes": {"storage_gb": 128}},
            {"id": "b", "price": "120", "family": "f", "attributes": {"storage_gb": 256}},
            {"id": "c", "price": "150", "family": "f", "attributes": {"storage_gb": 512}}
        ]),
        json!([]),
        json!({}),
    );
    let v = ask(&e, "upsell", json!({"product_id": "a"}));
    // b costs 80% of c and has less of everything: it is c's decoy, c is the target.
    assert_eq!(ids_roles(&v), pairs(&[("a", "base"), ("b", "decoy"), ("c", "target")]));
    // c is the cheapest per GB; the badge says so and nothing else has one.
    assert_eq!(roles(&v)[2].2, json!("best_value"));
    assert_eq!(v["options"][2]["unit_value"]["price_per_unit"], "0.29");
}

#[test]
fn ladder_of_five_and_premium_browsing() {
    let e = phones(json!([]), json!({}));
    let v = ask(&e, "upsell", json!({"product_id": "p64"}));
    // Ceiling 150: p128 is p256's decoy (120 >= 0.8 * 140), p256 the target.
    assert_eq!(ids_roles(&v), pairs(&[("p64", "base"), ("p128", "decoy"), ("p256", "target")]));
    // Text attributes are in the table, not in the comparisons.
    let t = &v["options"][2];
    assert_eq!(t["comparisons"].as_array().unwrap().len(), 1);
    assert_eq!(t["comparisons"][0]["text"], "256 GB vs 64 GB: 4x storage");
    assert_eq!(
        v["comparison"]["rows"][1],
        json!({"attribute": "color", "label": "Color", "values": ["black", "black", "black"]})
    );
    assert_eq!(v["comparison"]["rows"][2]["label"], "Storage (GB)");

    // A wider ceiling with premium browsing: one tier up, said so.
    let v = ask(&e, "upsell", json!({"product_id": "p64", "max_price_ratio": 2.0}));
    assert_eq!(ids_roles(&v), pairs(&[("p64", "base"), ("p128", "decoy"), ("p256", "target")]));
    let v = ask(&e, "upsell", json!({"product_id": "p64", "max_price_ratio": 2.0, "viewed": ["p1t"]}));
    assert_eq!(ids_roles(&v), pairs(&[("p64", "base"), ("p512", "target")]));
    let reasons = codes(&v["options"][1]["reasons"]);
    assert!(reasons.contains(&"premium_browsing".to_string()), "{reasons:?}");
    // Viewing something cheap moves nothing; viewing the base itself does not count.
    let v = ask(&e, "upsell", json!({"product_id": "p64", "max_price_ratio": 2.0, "viewed": ["p128", "p64"]}));
    assert_eq!(ids_roles(&v)[2].0, "p256");
    // Premium browsing never breaks the ceiling.
    let v = ask(&e, "upsell", json!({"product_id": "p64", "viewed": ["p1t"]}));
    assert_eq!(ids_roles(&v)[2].0, "p256");
}

#[test]
fn declines_are_respected() {
    let e = phones(json!([]), json!({}));
    let v = ask(&e, "upsell", json!({"product_id": "p64", "declined": ["p256"]}));
    assert_eq!(ids_roles(&v), pairs(&[("p64", "base"), ("p128", "target")]));
    let v = ask(&e, "upsell", json!({"product_id": "p64", "declined": ["p256", "p128"]}));
    assert_eq!(v["options"], json!([]));
    assert_eq!(codes(&v["reasons"]), vec!["declined", "above_price_ceiling"]);
    // A declined decoy is not shown either.
    let v = ask(&e, "upsell", json!({"product_id": "p64", "declined": ["p128"]}));
    assert_eq!(ids_roles(&v), pairs(&[("p64", "base"), ("p256", "target")]));
    // Already in the cart: not offered again.
    let v = ask(&e, "upsell", json!({"product_id": "p64", "cart": ["p64", {"product_id": "p256", "quantity": 1}]}));
    assert_eq!(ids_roles(&v), pairs(&[("p64", "base"), ("p128", "target")]));
    // Out of stock is never offered.
    let e2 = e.update_products_value(json!([{"id": "p256", "inventory": 0}])).unwrap();
    let v = ask(&e2, "upsell", json!({"product_id": "p64"}));
    assert_eq!(ids_roles(&v), pairs(&[("p64", "base"), ("p128", "target")]));
    // A price update is seen at once (the tier index is rebuilt for the new engine).
    let e3 = e.update_products_value(json!([{"id": "p128", "price": "105.00"}])).unwrap();
    let v = ask(&e3, "upsell", json!({"product_id": "p64"}));
    assert_eq!(ids_roles(&v), pairs(&[("p64", "base"), ("p128", "target")]));
}

fn order(id: &str, product: &str, qty: u32) -> Value {
    json!({"id": id, "created_at": "2026-01-01T00:00:00Z", "lines": [{"product_id": product, "quantity": qty}]})
}

#[test]
fn most_popular_only_with_data_behind_it() {
    // No orders: no most_popular anywhere (and no quantity attribute: no best_value either).
    let e = economist();
    let v = ask(&e, "upsell", json!({"product_id": "web"}));
    assert!(roles(&v).iter().all(|r| r.2.is_null()));

    // The decoy sold most among the shown options: it (not the target) gets the badge.
    let products = json!([
        {"id": "web", "price": "59", "family": "e", "attributes": {"web": true, "print": false}},
        {"id": "print", "price": "125", "family": "e", "attributes": {"web": false, "print": true}},
        {"id": "both", "price": "125", "family": "e", "attributes": {"web": true, "print": true}}
    ]);
    let orders = json!([order("1", "print", 5), order("2", "both", 3), order("3", "web", 1)]);
    let e = engine(products.clone(), orders, json!({"max_price_ratio": 2.5}));
    let v = ask(&e, "upsell", json!({"product_id": "web"}));
    assert_eq!(roles(&v)[1], ("print".into(), "decoy".into(), json!("most_popular")));
    assert!(roles(&v)[2].2.is_null());
    assert!(codes(&v["options"][1]["reasons"]).contains(&"most_popular".to_string()));

    // A tie for most sold: nobody is "most popular".
    let orders = json!([order("1", "print", 3), order("2", "both", 3)]);
    let e = engine(products, orders, json!({"max_price_ratio": 2.5}));
    let v = ask(&e, "upsell", json!({"product_id": "web"}));
    assert!(roles(&v).iter().all(|r| r.2.is_null()), "{v}");
}

#[test]
fn best_value_only_when_really_best() {
    // The target is worse per GB than the base: no best_value on it; the base earns it.
    let e = engine(
        json!([
            {"id": "s", "price": "100", "family": "f", "attributes": {"storage_gb": 200}},
            {"id": "l", "price": "140", "family": "f", "attributes": {"storage_gb": 256}}
        ]),
        json!([]),
        json!({}),
    );
    let v = ask(&e, "upsell", json!({"product_id": "s"}));
    assert_eq!(roles(&v)[0].2, json!("best_value"));
    assert!(roles(&v)[1].2.is_null());
    // Equal price per unit: no badge.
    let e = engine(
        json!([
            {"id": "s", "price": "100", "family": "f", "attributes": {"volume_ml": 100}},
            {"id": "l", "price": "120", "family": "f", "attributes": {"volume_ml": 120}}
        ]),
        json!([]),
        json!({}),
    );
    let v = ask(&e, "upsell", json!({"product_id": "s"}));
    assert!(roles(&v).iter().all(|r| r.2.is_null()), "{v}");
    assert_eq!(v["options"][1]["unit_value"]["text"], "$1.00 per ml");
}

#[test]
fn missing_attributes_make_no_claims() {
    // "mid" does not list ram_gb: it cannot be called worse on it, and it is better on nothing... but it does
    // not list anything the target lacks, and is worse on storage, so it is still a decoy.
    // "odd" lists an attribute the target lacks: it might be better there, so it is never a decoy.
    let e = engine(
        json!([
            {"id": "base", "price": "100", "family": "f", "attributes": {"storage_gb": 64, "ram_gb": 4}},
            {"id": "mid", "price": "125", "family": "f", "attributes": {"storage_gb": 128}},
            {"id": "odd", "price": "126", "family": "f", "attributes": {"storage_gb": 64, "ram_gb": 4, "stylus": true}},
            {"id": "top", "price": "140", "family": "f", "attributes": {"storage_gb": 256, "ram_gb": 8}}
        ]),
        json!([]),
        json!({}),
    );
    let v = ask(&e, "upsell", json!({"product_id": "base"}));
    assert_eq!(ids_roles(&v), pairs(&[("base", "base"), ("mid", "decoy"), ("top", "target")]));
    let mid = &v["options"][1]["comparisons"];
    assert_eq!(
        mid[0],
        json!({"attribute": "ram_gb", "value": "not listed", "base_value": "4 GB", "verdict": "unknown", "text": "not listed vs 4 GB"})
    );
    assert_eq!(v["comparison"]["rows"][1]["values"], json!(["4 GB", "—", "8 GB"]));
    // odd beats the base on stylus, so it is a tier; top does not list stylus, so it cannot dominate odd.
    let s = ask(&e, "suggest_decoy_price", json!({"product_id": "base", "target_id": "top"}));
    let ids: Vec<&str> =
        s["suggestions"].as_array().unwrap().iter().map(|x| x["product_id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec!["mid"]);
}

#[test]
fn ties_are_deterministic() {
    // Two tiers at the same price, neither dominating the other (trade-offs): the one with the smaller id
    // is the target; no badge without data.
    let e = engine(
        json!([
            {"id": "base", "price": "100", "family": "f", "attributes": {"a": 1, "b": 1}},
            {"id": "y", "price": "120", "family": "f", "attributes": {"a": 2, "b": 1}},
            {"id": "x", "price": "120", "family": "f", "attributes": {"a": 1, "b": 2}}
        ]),
        json!([]),
        json!({}),
    );
    let first = ask(&e, "upsell", json!({"product_id": "base"}));
    assert_eq!(ids_roles(&first), pairs(&[("base", "base"), ("x", "target")]));
    for _ in 0..5 {
        assert_eq!(ask(&e, "upsell", json!({"product_id": "base"})), first);
    }
    // A pricier tier that is worse than a cheaper one is a bad deal: never the target, even for premium browsers.
    let e2 = engine(
        json!([
            {"id": "base", "price": "100", "family": "f", "attributes": {"storage_gb": 64}},
            {"id": "good", "price": "110", "family": "f", "attributes": {"storage_gb": 256}},
            {"id": "worse", "price": "140", "family": "f", "attributes": {"storage_gb": 128}}
        ]),
        json!([]),
        json!({}),
    );
    let v = ask(&e2, "upsell", json!({"product_id": "base", "viewed": ["worse"]}));
    assert_eq!(ids_roles(&v), pairs(&[("base", "base"), ("good", "target")]));
    let s = ask(&e2, "suggest_decoy_price", json!({"product_id": "base"}));
    assert_eq!(s["target_id"], "good");
    let up = ask(&e, "upgrade_path", json!({"product_id": "base"}));
    let ids: Vec<&str> = up["tiers"].as_array().unwrap().iter().map(|x| x["product_id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec!["x", "y"]);
}

#[test]
fn limited_time_only_with_a_future_merchant_deadline() {
    let e = economist();
    let req = |exp: &str| json!({"product_id": "web", "now": "2026-03-01T00:00:00Z", "expires_at": exp});
    let v = ask(&e, "upsell", req("2026-03-02T00:00:00Z"));
    assert_eq!(v["expires_at"], "2026-03-02T00:00:00Z");
    assert!(codes(&v["options"][2]["reasons"]).contains(&"limited_time".to_string()));
    let v = ask(&e, "upsell", req("2026-02-28T00:00:00Z"));
    assert!(v["expires_at"].is_null());
    assert!(!v.to_string().contains("limited_time"));
    let v = ask(&e, "upsell", json!({"product_id": "web"}));
    assert!(v["expires_at"].is_null() && !v.to_string().contains("limited_time"));
    let err = fail(&e, "upsell", json!({"product_id": "web", "expires_at": "tomorrow"}));
    assert_eq!(err.field.as_deref(), Some("expires_at"));
}

#[test]
fn price_band_from_history() {
    let e = phones(json!([]), json!({}));
    // Usually buys around $80: 1.5 x 80 = 120, so only p128 is within reach.
    let e = e.update_products_value(json!([])).unwrap();
    let cheap = engine(
        json!([
            {"id": "p64", "price": "100.00", "family": "phone", "attributes": {"storage_gb": 64}},
            {"id": "p128", "price": "120.00", "family": "phone", "attributes": {"storage_gb": 128}},
            {"id": "p256", "price": "140.00", "family": "phone", "attributes": {"storage_gb": 256}},
            {"id": "case", "price": "80.00"},
            {"id": "charger", "price": "20.00"}
        ]),
        json!([]),
        json!({}),
    );
    let v = ask(&cheap, "upsell", json!({"product_id": "p64", "customer_history": ["case"]}));
    assert_eq!(ids_roles(&v), pairs(&[("p64", "base"), ("p128", "target")]));
    let v = ask(&cheap, "upsell", json!({"product_id": "p64", "customer_history": ["charger"]}));
    assert_eq!(v["options"], json!([]));
    assert_eq!(codes(&v["reasons"]), vec!["outside_price_band"]);
    // No consent: no price band (and no premium browsing).
    let v = ask(&cheap, "upsell", json!({"product_id": "p64", "customer_history": ["charger"], "personalize": false}));
    assert_eq!(ids_roles(&v).len(), 3);
    let e5 = phones(json!([]), json!({}));
    let v = ask(
        &e5,
        "upsell",
        json!({"product_id": "p64", "max_price_ratio": 2.0, "viewed": ["p1t"], "personalize": false}),
    );
    assert_eq!(ids_roles(&v)[2].0, "p256");
    // Unknown history ids are ignored; no history: the plain ceiling.
    let v = ask(&e, "upsell", json!({"product_id": "p64", "customer_history": ["nope"]}));
    assert_eq!(ids_roles(&v).len(), 3);
}

#[test]
fn stored_history_gives_the_price_band() {
    let products = json!([
        {"id": "p64", "price": "100.00", "family": "phone", "attributes": {"storage_gb": 64}},
        {"id": "p128", "price": "120.00", "family": "phone", "attributes": {"storage_gb": 128}},
        {"id": "charger", "price": "20.00"}
    ]);
    let orders = json!([{"id": "o1", "customer_id": "c1", "created_at": "2026-01-01T00:00:00Z", "lines": [{"product_id": "charger"}]}]);
    let e = engine(products, orders, json!({}));
    let v = ask(&e, "upsell", json!({"product_id": "p64", "customer_id": "c1"}));
    assert_eq!(codes(&v["reasons"]), vec!["outside_price_band"]);
    let v = ask(&e, "upsell", json!({"product_id": "p64", "customer_id": "someone-else"}));
    assert_eq!(ids_roles(&v), pairs(&[("p64", "base"), ("p128", "target")]));
}

#[test]
fn substitutes_without_a_family() {
    let products = json!([
        {"id": "kettle", "price": "40", "category": "kettles", "attributes": {"volume_l": 1.5}},
        {"id": "kettle2", "price": "50", "category": "kettles", "attributes": {"volume_l": 1.7}},
        {"id": "kettle3", "price": "55", "category": "kettles", "attributes": {"volume_l": 2}},
        {"id": "plain", "price": "45", "category": "kettles"},
        {"id": "toaster", "price": "45", "category": "toasters", "attributes": {"volume_l": 9}}
    ]);
    let e = engine(products.clone(), json!([]), json!({}));
    let v = ask(&e, "upsell", json!({"product_id": "kettle"}));
    assert_eq!(codes(&v["reasons"]), vec!["substitutes"]);
    // kettle2 (50) is at least 80% of kettle3 (55) and holds less: decoy.
    assert_eq!(ids_roles(&v), pairs(&[("kettle", "base"), ("kettle2", "decoy"), ("kettle3", "target")]));
    // Bought together often: complements, not substitutes.
    let orders: Vec<Value> = (0..6)
        .map(|i| json!({"id": format!("o{i}"), "created_at": "2026-01-01T00:00:00Z", "lines": [{"product_id": "kettle"}, {"product_id": "kettle3"}]}))
        .collect();
    let e = engine(products, json!(orders), json!({}));
    let v = ask(&e, "upsell", json!({"product_id": "kettle"}));
    assert_eq!(ids_roles(&v), pairs(&[("kettle", "base"), ("kettle2", "target")]));
    // No category and no family: empty offer.
    let e = engine(json!([{"id": "a", "price": "1"}, {"id": "b", "price": "2"}]), json!([]), json!({}));
    assert_eq!(ask(&e, "upsell", json!({"product_id": "a"}))["options"], json!([]));
}

#[test]
fn bad_input() {
    let e = economist();
    let err = fail(&e, "upsell", json!({"product_id": "nope"}));
    assert_eq!((err.code, err.field.as_deref()), (ErrorCode::UnknownProduct, Some("product_id")));
    let err = fail(&e, "upgrade_path", json!({"product_id": "nope"}));
    assert_eq!((err.code, err.field.as_deref()), (ErrorCode::UnknownProduct, Some("product_id")));
    let err = fail(&e, "upsell", json!({"product_id": "web", "max_price_ratio": 0.5}));
    assert_eq!((err.code, err.field.as_deref()), (ErrorCode::InvalidInput, Some("max_price_ratio")));
    let err = fail(&e, "upsell", json!({"product_id": "web", "colour": "red"}));
    assert_eq!(err.code, ErrorCode::InvalidInput);
    let err = fail(&e, "upsell", json!({"product_id": "web", "cart": [{"product_id": "web", "quantity": 0}]}));
    assert_eq!(err.field.as_deref(), Some("cart[0].quantity"));

    let mixed = engine(
        json!([
            {"id": "a", "price": "10", "family": "f", "attributes": {"size": 1}},
            {"id": "b", "price": "12", "family": "f", "attributes": {"size": "large"}}
        ]),
        json!([]),
        json!({}),
    );
    for op in ["upsell", "upgrade_path", "suggest_decoy_price"] {
        let err = fail(&mixed, op, json!({"product_id": "a"}));
        assert_eq!((err.code, err.field.as_deref()), (ErrorCode::InvalidInput, Some("attributes.size")), "{op}");
        assert!(err.message.contains("\"b\"") && err.message.contains("\"a\""), "{}", err.message);
    }

    let single =
        engine(json!([{"id": "solo", "price": "10", "family": "f", "attributes": {"x": 1}}]), json!([]), json!({}));
    let v = ask(&single, "upsell", json!({"product_id": "solo"}));
    assert_eq!(v["options"], json!([]));
    assert_eq!(v["comparison"], json!({"product_ids": [], "rows": []}));
    assert_eq!(ask(&single, "upgrade_path", json!({"product_id": "solo"}))["tiers"], json!([]));
}

#[test]
fn upgrade_path_lists_higher_tiers() {
    let e = phones(json!([]), json!({}));
    let v = ask(&e, "upgrade_path", json!({"product_id": "p128"}));
    assert_eq!(v["price"], "120.00");
    let tiers: Vec<(&str, &str)> = v["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["product_id"].as_str().unwrap(), t["price_delta"].as_str().unwrap()))
        .collect();
    assert_eq!(tiers, vec![("p256", "+$20.00"), ("p512", "+$60.00"), ("p1t", "+$130.00")]);
    assert_eq!(v["tiers"][0]["unit_value"]["text"], "$0.55 per GB"); // 140 / 256 = 0.546875
    let v = ask(&e, "upgrade_path", json!({"product_id": "p128", "max_price_ratio": 1.5, "declined": ["p256"]}));
    assert_eq!(v["tiers"].as_array().unwrap().len(), 1);
    assert_eq!(v["tiers"][0]["product_id"], "p512");
}

#[test]
fn decoy_price_suggestions() {
    // p128 at 110 is too cheap to be p256's decoy (needs 0.8 x 140 = 112).
    let e = engine(
        json!([
            {"id": "p64", "price": "100", "family": "phone", "attributes": {"storage_gb": 64}},
            {"id": "p128", "price": "110", "family": "phone", "attributes": {"storage_gb": 128}},
            {"id": "p256", "price": "140", "family": "phone", "attributes": {"storage_gb": 256}}
        ]),
        json!([]),
        json!({}),
    );
    let v = ask(&e, "upsell", json!({"product_id": "p64"}));
    assert_eq!(ids_roles(&v), pairs(&[("p64", "base"), ("p128", "target")]));
    let s = ask(&e, "suggest_decoy_price", json!({"product_id": "p64"}));
    assert_eq!(s["target_id"], "p256");
    assert_eq!(s["min_decoy_price"], "112.00");
    assert_eq!(s["suggestions"][0]["product_id"], "p128");
    assert_eq!(s["suggestions"][0]["suggested_price"], "112.00");
    assert_eq!(s["suggestions"][0]["price_change"], "+$2.00");
    assert_eq!(s["suggestions"][0]["already_decoy"], false);
    // Take the advice: now p128 is the decoy and p256 the target.
    let e2 = e.update_products_value(json!([{"id": "p128", "price": "112.00"}])).unwrap();
    let v = ask(&e2, "upsell", json!({"product_id": "p64"}));
    assert_eq!(ids_roles(&v), pairs(&[("p64", "base"), ("p128", "decoy"), ("p256", "target")]));
    let s = ask(&e2, "suggest_decoy_price", json!({"product_id": "p64"}));
    assert_eq!(s["suggestions"][0]["already_decoy"], true);
    // Economist: print-only already is the decoy.
    let s = ask(&economist(), "suggest_decoy_price", json!({"product_id": "web", "max_price_ratio": 2.5}));
    assert_eq!((s["target_id"].as_str(), s["suggestions"][0]["product_id"].as_str()), (Some("both"), Some("print")));
    // A target that is not a higher tier is an error naming target_id.
    let err = fail(&e, "suggest_decoy_price", json!({"product_id": "p256", "target_id": "p64"}));
    assert_eq!(err.field.as_deref(), Some("target_id"));
}

#[test]
fn survives_a_snapshot_round_trip() {
    let e = economist();
    let back = Engine::from_bytes(&e.to_bytes()).unwrap();
    let req = json!({"product_id": "web"});
    assert_eq!(ask(&e, "upsell", req.clone()), ask(&back, "upsell", req));
}

#[test]
fn requests_must_be_objects() {
    let e = economist();
    for op in ["upsell", "upgrade_path", "suggest_decoy_price"] {
        let err = fail(&e, op, json!(["web", 2]));
        assert_eq!((err.code, err.field.as_deref()), (ErrorCode::InvalidInput, None), "{op}");
    }
}

#[test]
fn a_request_for_a_product_is_what_json_naming_only_the_product_reads_as() {
    let read: cartlift_core::UpsellRequest = serde_json::from_value(json!({"product_id": "sd-64"})).unwrap();
    assert_eq!(read, cartlift_core::UpsellRequest::for_product("sd-64"));
}
