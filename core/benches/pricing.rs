//! Criterion benchmark of `price_cart` (issue 4's speed goals): a 10-line cart against 20 live bundles of
//! every kind, with and without opportunities, and a 40-unit cart. `cargo bench -p cartlift-core --bench pricing`.

use cartlift_core::gen::demo_store;
use cartlift_core::pricing::{price_cart, PriceCartRequest};
use cartlift_core::progress::Silent;
use cartlift_core::Engine;
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use serde_json::json;

/// As the shipped libraries and the CLI allocate (see bindings-*/src/lib.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Twenty bundles over the demo catalog, every kind, most of them touching the benchmark cart.
pub fn twenty_bundles() -> Vec<serde_json::Value> {
    vec![
        json!({"id":"camera-kit","kind":"fixed","items":[{"product_id":"cam-a2","quantity":1},{"product_id":"lens-50","quantity":1}],"amount_off":"25.00"}),
        json!({"id":"camera-35","kind":"fixed","items":[{"product_id":"cam-a2","quantity":1},{"product_id":"lens-35","quantity":1}],"percent_off":8}),
        json!({"id":"camera-a3","kind":"fixed","items":[{"product_id":"cam-a3","quantity":1},{"product_id":"lens-50","quantity":1}],"price":"950.00"}),
        json!({"id":"socks-3","kind":"mix_and_match","collection":{"category":"socks"},"quantity":3,"percent_off":20}),
        json!({"id":"socks-4","kind":"mix_and_match","collection":{"category":"socks"},"quantity":4,"price":"60.00"}),
        json!({"id":"beans-volume","kind":"volume","collection":{"category":"coffee-beans"},"tiers":[{"min_quantity":2,"percent_off":10},{"min_quantity":4,"percent_off":15}]}),
        json!({"id":"socks-volume","kind":"volume","collection":{"category":"socks"},"tiers":[{"min_quantity":5,"percent_off":12}]}),
        json!({"id":"shoes-socks","kind":"buy_x_get_y","buy":{"collection":{"tag":"shoes"},"quantity":1},"get":{"collection":{"tag":"socks"},"quantity":1},"percent_off":50}),
        json!({"id":"beans-mug","kind":"buy_x_get_y","buy":{"collection":{"category":"coffee-beans"},"quantity":2},"get":{"collection":{"category":"mugs"},"quantity":1},"percent_off":100}),
        json!({"id":"protect-laptop","kind":"addon","trigger":{"category":"laptops"},"target":{"product_ids":["warranty-lp"]},"percent_off":20}),
        json!({"id":"cam-card","kind":"addon","trigger":{"category":"cameras"},"target":{"category":"memory-cards"},"percent_off":30}),
        json!({"id":"hp-case","kind":"addon","trigger":{"category":"headphones"},"target":{"product_ids":["hp-case"]},"amount_off":"10.00"}),
        json!({"id":"spend-200","kind":"threshold","min_subtotal":"200.00","amount_off":"10.00"}),
        json!({"id":"spend-3000","kind":"threshold","min_subtotal":"3000.00","percent_off":5}),
        json!({"id":"coffee-pair","kind":"fixed","items":[{"product_id":"beans-house","quantity":1},{"product_id":"mug-travel","quantity":1}],"amount_off":"3.00"}),
        json!({"id":"coffee-mix","kind":"mix_and_match","collection":{"category":"coffee-beans"},"quantity":3,"percent_off":12}),
        json!({"id":"mug-beans","kind":"addon","trigger":{"category":"mugs"},"target":{"category":"coffee-beans"},"percent_off":5}),
        json!({"id":"run-pair","kind":"fixed","items":[{"product_id":"run-road","quantity":1},{"product_id":"run-trail","quantity":1}],"percent_off":15}),
        json!({"id":"run-gear","kind":"mix_and_match","collection":{"category":"running-gear"},"quantity":2,"percent_off":10}),
        json!({"id":"laptop-stack","kind":"addon","trigger":{"category":"laptops"},"target":{"product_ids":["stand-lp"]},"percent_off":10,"stackable":true}),
    ]
}

fn engine() -> Engine {
    let store = demo_store();
    let mut req = store.train_request();
    req.bundles = Some(cartlift_core::input::Source::Records(twenty_bundles()));
    Engine::train(&req, &Silent).expect("demo store trains")
}

fn request(lines: serde_json::Value) -> PriceCartRequest {
    serde_json::from_value(json!({"cart": lines, "now": "2026-06-01T00:00:00Z"})).expect("request parses")
}

/// The 10-line cart of the speed goal.
pub fn ten_lines() -> serde_json::Value {
    json!([
        {"product_id": "cam-a2", "quantity": 1}, {"product_id": "lens-50", "quantity": 1}, {"product_id": "socks-run", "quantity": 2},
        {"product_id": "beans-house", "quantity": 2}, {"product_id": "lp-14", "quantity": 1}, {"product_id": "warranty-lp", "quantity": 1},
        {"product_id": "run-road", "quantity": 1}, {"product_id": "socks-merino", "quantity": 1}, {"product_id": "mug-travel", "quantity": 1},
        {"product_id": "hp-nc", "quantity": 1}])
}

fn bench_price_cart(c: &mut Criterion) {
    let engine = engine();
    let ten = request(ten_lines());
    let out = price_cart(&engine, &ten).expect("prices");
    assert!(out.applied.len() >= 5 && !out.opportunities.is_empty(), "the benchmark cart must exercise bundles and opportunities");
    c.bench_function("price_cart 10 lines, 20 bundles", |b| b.iter(|| black_box(price_cart(&engine, &ten).unwrap())));
    let totals_only = PriceCartRequest { opportunities: Some(false), ..ten.clone() };
    c.bench_function("price_cart 10 lines, 20 bundles, opportunities: false", |b| {
        b.iter(|| black_box(price_cart(&engine, &totals_only).unwrap()))
    });
    let forty = request(json!([
        {"product_id": "socks-run", "quantity": 9}, {"product_id": "socks-merino", "quantity": 8}, {"product_id": "socks-comp", "quantity": 7},
        {"product_id": "run-road", "quantity": 3}, {"product_id": "run-trail", "quantity": 3}, {"product_id": "beans-house", "quantity": 4},
        {"product_id": "beans-eth", "quantity": 3}, {"product_id": "mug-travel", "quantity": 2}, {"product_id": "cups-esp", "quantity": 1}]));
    c.bench_function("price_cart 40 units, 20 bundles", |b| b.iter(|| black_box(price_cart(&engine, &forty).unwrap())));
}

criterion_group!(benches, bench_price_cart);
criterion_main!(benches);
