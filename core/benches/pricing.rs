//! Criterion benchmark of `price_cart` (issue 4's speed goals): a 10-line cart against 20 live bundles of
//! every kind, with and without opportunities, the speed probe's 10-line cart against 20 bundles of which 12
//! are pairwise mix-and-match, and a 40-unit cart. `cargo bench -p cartlift-core --bench pricing`.

use cartlift_core::PriceCartRequest;
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use serde_json::json;

#[path = "fixtures/pricing.rs"]
mod fixture;
use fixture::{engine, pairwise_engine, pairwise_lines, request, ten_lines};

/// As the shipped libraries and the CLI allocate (see bindings-*/src/lib.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bench_price_cart(c: &mut Criterion) {
    let engine = engine();
    let ten = request(ten_lines());
    let out = engine.price_cart(&ten).expect("prices");
    assert!(
        out.applied.len() >= 5 && !out.opportunities.is_empty(),
        "the benchmark cart must exercise bundles and opportunities"
    );
    c.bench_function("price_cart 10 lines, 20 bundles", |b| b.iter(|| black_box(engine.price_cart(&ten).unwrap())));
    let totals_only = PriceCartRequest { opportunities: Some(false), ..ten.clone() };
    c.bench_function("price_cart 10 lines, 20 bundles, opportunities: false", |b| {
        b.iter(|| black_box(engine.price_cart(&totals_only).unwrap()))
    });
    let pairwise = pairwise_engine();
    let probe = request(pairwise_lines());
    c.bench_function("price_cart 10 lines, 20 bundles, 12 pairwise", |b| {
        b.iter(|| black_box(pairwise.price_cart(&probe).unwrap()))
    });
    let forty = request(json!([
        {"product_id": "socks-run", "quantity": 9}, {"product_id": "socks-merino", "quantity": 8}, {"product_id": "socks-comp", "quantity": 7},
        {"product_id": "run-road", "quantity": 3}, {"product_id": "run-trail", "quantity": 3}, {"product_id": "beans-house", "quantity": 4},
        {"product_id": "beans-eth", "quantity": 3}, {"product_id": "mug-travel", "quantity": 2}, {"product_id": "cups-esp", "quantity": 1}]));
    c.bench_function("price_cart 40 units, 20 bundles", |b| b.iter(|| black_box(engine.price_cart(&forty).unwrap())));
}

criterion_group!(benches, bench_price_cart);
criterion_main!(benches);
