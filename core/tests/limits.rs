//! Limits at the edge: absurd requests get `invalid_input` naming the field, never an abort, a panic or a
//! wrapped number; a normal request afterwards is answered as before.

use cartlift_core::MAX_AMOUNT_MINOR;
use cartlift_core::{Engine, ErrorCode, Operation};
use cartlift_core::{MAX_CART_UNITS, MAX_LINE_QUANTITY, MAX_OFFSET};
use serde_json::{json, Value};

fn store(price: &str, config: Value) -> Result<Engine, cartlift_core::Error> {
    Engine::train_value(json!({
        "products": [{"id": "A", "title": "Anvil", "price": price}, {"id": "B", "title": "Bolt", "price": "1.00"}],
        "orders": [{"id": "1", "created_at": "2026-01-01T00:00:00Z", "lines": [{"product_id": "A"}, {"product_id": "B"}]}],
        "config": config,
    }))
}

fn invalid(engine: &Engine, op: Operation, request: Value) -> Option<String> {
    let err = engine.query(op, request).expect_err("an absurd request is refused");
    assert_eq!(err.code, ErrorCode::InvalidInput, "{err}");
    err.field
}

#[test]
fn a_huge_offset_is_an_error_not_an_allocation() {
    let e = store("5.00", json!({})).unwrap();
    let field = invalid(&e, Operation::CrossSell, json!({"cart": ["A"], "offset": 10_000_000_000_000u64, "limit": 5}));
    assert_eq!(field.as_deref(), Some("offset"));
    let edge = e.query(Operation::CrossSell, json!({"cart": ["A"], "offset": MAX_OFFSET, "limit": 5})).unwrap();
    assert_eq!(edge["recommendations"], json!([]));
    let normal = e.query(Operation::CrossSell, json!({"cart": ["A"]})).unwrap();
    assert_eq!(normal["recommendations"][0]["product_id"], "B");
}

#[test]
fn amounts_beyond_the_money_range_are_refused_where_they_enter() {
    // The catalog price of issue 19 (9·10^15 minor units) fails at training, naming the line and field.
    let err = store("90000000000000.00", json!({})).unwrap_err();
    assert_eq!((err.code, err.field.as_deref()), (ErrorCode::InvalidInput, Some("products[0].price")), "{err}");
    let biggest = format!("{}.{:02}", MAX_AMOUNT_MINOR / 100, MAX_AMOUNT_MINOR % 100);
    let e = store(&biggest, json!({})).unwrap();
    // The largest price at the largest quantity is a correct, positive total.
    let a =
        e.query(Operation::PriceCart, json!({"cart": [{"product_id": "A", "quantity": MAX_LINE_QUANTITY}]})).unwrap();
    let expected = MAX_AMOUNT_MINOR as i128 * MAX_LINE_QUANTITY as i128;
    assert_eq!(a["total"], format!("{}.{:02}", expected / 100, expected % 100));
    // An override price past the bound names its line.
    let over = json!({"cart": [{"product_id": "B", "price": "1000000000000.01"}]});
    assert_eq!(invalid(&e, Operation::PriceCart, over).as_deref(), Some("cart[0].price"));
}

#[test]
fn quantities_and_cart_sizes_are_bounded() {
    let e = store("5.00", json!({"max_cart_lines": 3})).unwrap();
    let line = |q: i64| json!({"product_id": "A", "quantity": q});
    for op in [Operation::PriceCart, Operation::CrossSell] {
        assert_eq!(invalid(&e, op, json!({"cart": [line(1_000_000)]})).as_deref(), Some("cart[0].quantity"));
        assert_eq!(invalid(&e, op, json!({"cart": ["A", "B", "A", "B"]})).as_deref(), Some("cart"));
    }
    let wide = store("5.00", json!({})).unwrap();
    let lines: Vec<Value> = (0..7).map(|_| line(MAX_LINE_QUANTITY)).collect();
    assert!(7 * MAX_LINE_QUANTITY as u64 > MAX_CART_UNITS);
    assert_eq!(invalid(&wide, Operation::PriceCart, json!({"cart": lines})).as_deref(), Some("cart"));
    let fine = wide.query(Operation::PriceCart, json!({"cart": [line(3)]})).unwrap();
    assert_eq!(fine["total"], "15.00");
    let bad = Engine::train_value(json!({"products": [], "config": {"max_cart_lines": 0}})).unwrap_err();
    assert_eq!(bad.field.as_deref(), Some("config.max_cart_lines"));
}

#[test]
fn an_unknown_operation_names_the_known_ones() {
    let e = Operation::from_name("crossSell").unwrap_err();
    assert_eq!((e.code, e.field.as_deref()), (ErrorCode::InvalidInput, Some("operation")));
    for op in Operation::ALL {
        assert!(e.message.contains(op.name()), "{e}");
    }
}
