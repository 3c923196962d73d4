//! Criterion benchmarks of the query paths (`cargo bench -p cartlift-core --bench engine`). Results go to BENCHMARKS.md.
//! Training at scale is measured with the CLI (`cartlift gen` + `cartlift train`), see BENCHMARKS.md.

use cartlift_core::lab::Internals;
use cartlift_core::CartLineInput;
use cartlift_core::CrossSellRequest;
use cartlift_core::Silent;
use cartlift_core::{Engine, Operation};
use cartlift_lab::gen::{demo_store, synthetic};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use serde_json::json;

/// As the shipped libraries and the CLI allocate (see bindings-*/src/lib.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn carts(engine: &Engine, lines: usize) -> Vec<CrossSellRequest> {
    let popular = &engine.model().popular;
    (0..64)
        .map(|i| CrossSellRequest {
            cart: (0..lines)
                .map(|j| {
                    CartLineInput::Id(
                        engine.catalog().product(popular[(i * 7 + j * 13) % popular.len()]).id.to_string(),
                    )
                })
                .collect(),
            ..Default::default()
        })
        .collect()
}

fn bench_cross_sell(c: &mut Criterion) {
    let store = synthetic(50_000, 200_000, 1);
    let engine = Engine::train(&store.train_request(), &Silent).unwrap();
    let reqs = carts(&engine, 5);
    let mut i = 0;
    c.bench_function("cross_sell 5-line cart (50k products, 200k orders)", |b| {
        b.iter(|| {
            i = (i + 1) % reqs.len();
            black_box(engine.cross_sell(&reqs[i]).unwrap())
        })
    });
    // The same carts with a shopper: 50 history items (stored + request), 20 session views, a `now`.
    let popular = &engine.model().popular;
    let customers: Vec<&str> = engine.histories().customers().collect();
    let personal: Vec<CrossSellRequest> = reqs
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let id = |k: usize| engine.catalog().product(popular[k % popular.len()]).id.to_string();
            let c = customers[(i * 7919) % customers.len()];
            let stored = engine.histories().get(c).len();
            CrossSellRequest {
                customer_id: Some(c.to_string()),
                customer_history: (0..50usize.saturating_sub(stored)).map(|j| id(i * 11 + j * 17 + 3)).collect(),
                viewed: (0..20).map(|j| id(i * 5 + j * 29 + 1)).collect(),
                now: Some("2026-01-15T12:00:00Z".to_string()),
                ..r.clone()
            }
        })
        .collect();
    c.bench_function("cross_sell 5-line cart + 50 history items + 20 views", |b| {
        b.iter(|| {
            i = (i + 1) % personal.len();
            black_box(engine.cross_sell(&personal[i]).unwrap())
        })
    });
    let json =
        serde_json::to_string(&json!({"cart": ["P000001", "P000002", "P000003", "P000004", "P000005"]})).unwrap();
    c.bench_function("cross_sell via JSON text (the C ABI path)", |b| {
        b.iter(|| black_box(engine.query_json(Operation::CrossSell, &json).unwrap()))
    });
}

fn bench_demo_ops(c: &mut Criterion) {
    let engine = Engine::train(&demo_store().train_request(), &Silent).unwrap();
    let upsell = json!({"product_id": "lp-13"});
    if engine.query(Operation::Upsell, upsell.clone()).is_ok() {
        c.bench_function("upsell (family of 4)", |b| {
            b.iter(|| black_box(engine.query(Operation::Upsell, upsell.clone()).unwrap()))
        });
    }
    let price = json!({"cart": [
        {"product_id": "cam-a2", "quantity": 1}, {"product_id": "lens-50", "quantity": 1}, {"product_id": "socks-run", "quantity": 3},
        {"product_id": "beans-house", "quantity": 2}, {"product_id": "lp-14", "quantity": 1}, {"product_id": "warranty-lp", "quantity": 1},
        {"product_id": "run-road", "quantity": 1}, {"product_id": "socks-merino", "quantity": 2}, {"product_id": "mug-travel", "quantity": 1},
        {"product_id": "hp-nc", "quantity": 1}]});
    if engine.query(Operation::PriceCart, price.clone()).is_ok() {
        c.bench_function("price_cart (10 lines, demo bundles)", |b| {
            b.iter(|| black_box(engine.query(Operation::PriceCart, price.clone()).unwrap()))
        });
    }
}

criterion_group!(benches, bench_cross_sell, bench_demo_ops);
criterion_main!(benches);
