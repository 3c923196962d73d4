//! Criterion benchmark of training (issue 8's "build" hot path): a generated store of 50k products and 100k orders,
//! with its records already in memory, so reading files is left out (record validation and interning are in).
//! `cargo bench -p cartlift-core --bench build`. Builds on real exports and at 1M–5M orders are measured with the
//! CLI (`cartlift train` under `/usr/bin/time -v`), see BENCHMARKS.md.

use cartlift_core::Engine;
use cartlift_core::Silent;
use cartlift_lab::gen::synthetic;
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn bench_build(c: &mut Criterion) {
    let request = synthetic(50_000, 100_000, 1).train_request();
    let mut group = c.benchmark_group("build");
    group.sample_size(10);
    group.bench_function("train 50k products, 100k orders (records in memory)", |b| {
        b.iter(|| black_box(Engine::train(&request, &Silent).expect("trains")))
    });
    group.finish();
}

criterion_group!(benches, bench_build);
criterion_main!(benches);
