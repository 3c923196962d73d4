//! The catalog's currency at training: config's, else the products', else the one currency of the orders
//! (Shopify's product CSV names none), else USD. Orders in several currencies fail with a hint. The Shopify files
//! are the real exports of tests/data/shopify (see its SOURCES.md).

use cartlift_core::lab::Internals;
use cartlift_core::{Engine, Error, ErrorCode};
use serde_json::{json, Value};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/shopify/");

fn path(name: &str) -> String {
    format!("{DIR}{name}")
}

fn train(req: Value) -> Result<Engine, Error> {
    Engine::train_value(req)
}

fn order(id: &str, currency: Option<&str>, price: &str) -> Value {
    let mut o = json!({"id": id, "created_at": "2025-03-01T10:00:00Z",
                       "lines": [{"product_id": "a", "quantity": 1, "price": price}, {"product_id": "b", "quantity": 1}]});
    if let Some(c) = currency {
        o["currency"] = json!(c);
    }
    o
}

fn products_without_currency(price: &str) -> Value {
    json!([{"id": "a", "title": "A", "price": price}, {"id": "b", "title": "B", "price": "3"}])
}

#[test]
fn shopify_product_csv_adopts_the_currency_of_inr_and_zar_order_exports() {
    for (orders, code) in [
        ("orders_export_devstore_inr_2025_redacted.csv", "INR"),
        ("orders_export_kidsliving_zar_2021_redacted.csv", "ZAR"),
        ("webhook_orders_create_devstore_hkd_2025_redacted.json", "HKD"),
    ] {
        let engine = train(json!({
            "products": path("products_export_packt_liquid_book_2021.csv"),
            "orders": path(orders),
        }))
        .unwrap_or_else(|e| panic!("{orders}: {e}"));
        assert_eq!(engine.catalog().currency.code(), code, "{orders}");
        assert_eq!(engine.stats().currency_from_orders.as_deref(), Some(code), "{orders}: the summary says so");
        assert_eq!(engine.config().currency.as_deref(), Some(code), "{orders}: the stored config names it");
        assert!(engine.stats().orders.loaded > 0, "{orders}");
    }
}

#[test]
fn adopted_currency_reads_product_prices_with_its_decimals() {
    // JPY has no minor unit: "8000" is 8000 yen, not 800000 cents.
    let engine = train(json!({
        "products": products_without_currency("8000"),
        "orders": [order("1", Some("JPY"), "8000"), order("2", Some("JPY"), "8000")],
    }))
    .unwrap();
    assert_eq!(engine.catalog().currency.code(), "JPY");
    let a = engine.catalog().get("a").unwrap();
    assert_eq!(engine.catalog().product(a).price, 8000);
    // Orders naming no currency leave the USD default, and nothing is said to be adopted.
    let engine = train(json!({
        "products": products_without_currency("8000"),
        "orders": [order("1", None, "8000.00")],
    }))
    .unwrap();
    assert_eq!(engine.catalog().currency.code(), "USD");
    assert_eq!(engine.stats().currency_from_orders, None);
}

#[test]
fn orders_in_several_currencies_fail_with_a_hint() {
    let e = train(json!({
        "products": products_without_currency("10"),
        "orders": [order("1", Some("INR"), "10"), order("2", None, "10"), order("3", Some("ZAR"), "10")],
    }))
    .unwrap_err();
    assert_eq!((e.code, e.field.as_deref()), (ErrorCode::CurrencyMismatch, Some("currency")));
    assert!(e.message.contains("several currencies (INR, ZAR)"), "{e}");
    assert!(e.message.contains("set config.currency"), "{e}");

    // The same from a file: the error names it.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("orders.jsonl");
    let lines = [order("1", Some("INR"), "10"), order("2", Some("ZAR"), "10")].map(|o| o.to_string());
    std::fs::write(&file, lines.join("\n")).unwrap();
    let e = train(json!({"products": products_without_currency("10"), "orders": file})).unwrap_err();
    assert_eq!(e.code, ErrorCode::CurrencyMismatch);
    assert_eq!(e.file.as_deref(), file.to_str());
}

#[test]
fn config_currency_still_wins() {
    let inr = path("orders_export_devstore_inr_2025_redacted.csv");
    let products = path("products_export_packt_liquid_book_2021.csv");
    let e = train(json!({"products": products, "orders": inr, "config": {"currency": "USD"}})).unwrap_err();
    assert_eq!((e.code, e.field.as_deref()), (ErrorCode::CurrencyMismatch, Some("currency")));
    assert!(e.message.contains("is in INR but the catalog is in USD"), "{e}");
    assert!(e.message.contains("config.currency sets the catalog's currency"), "the hint: {e}");

    let engine = train(json!({"products": products, "orders": inr, "config": {"currency": "INR"}})).unwrap();
    assert_eq!(engine.catalog().currency.code(), "INR");
    assert_eq!(engine.stats().currency_from_orders, None, "config named it: nothing adopted");
}

#[test]
fn config_currency_wins_over_the_products_too() {
    // A product priced in another currency than config names is a mismatch naming its line, never a catalog that
    // quietly keeps the products' currency.
    let products = json!([{"id": "a", "title": "A", "price": "10", "currency": "USD"},
                          {"id": "b", "title": "B", "price": "3", "currency": "USD"}]);
    let orders = json!([order("1", None, "10")]);
    let e = train(json!({"products": products, "orders": orders, "config": {"currency": "EUR"}})).unwrap_err();
    assert_eq!((e.code, e.field.as_deref()), (ErrorCode::CurrencyMismatch, Some("products[0].currency")), "{e}");
    assert!(e.message.contains("priced in USD but the catalog is in EUR"), "{e}");

    let products = json!([{"id": "a", "title": "A", "price": "10", "currency": "EUR"},
                          {"id": "b", "title": "B", "price": "3"}]);
    let engine = train(json!({"products": products, "orders": orders, "config": {"currency": "EUR"}})).unwrap();
    assert_eq!(engine.catalog().currency.code(), "EUR");
}

#[test]
fn products_naming_a_currency_win_over_the_orders() {
    let products = json!([{"id": "a", "title": "A", "price": "10", "currency": "EUR"},
                          {"id": "b", "title": "B", "price": "3", "currency": "EUR"}]);
    let e = train(json!({"products": products, "orders": [order("1", Some("INR"), "10")]})).unwrap_err();
    assert_eq!(e.code, ErrorCode::CurrencyMismatch);
    assert!(e.message.contains("is in INR but the catalog is in EUR"), "{e}");
    assert!(e.message.contains("the products are priced in the catalog's currency"), "{e}");
}
