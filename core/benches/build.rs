//! Criterion benchmark of training (`cargo bench -p cartlift-core --bench build`): a generated store passed as
//! in-memory records, so the number is the build (validate, intern, count pairs, finish neighbours) without reading
//! or parsing files. File-to-model times at 100k–5M orders are measured with the CLI, see BENCHMARKS.md.

use cartlift_core::gen::synthetic;
use cartlift_core::progress::Silent;
use cartlift_core::Engine;
use criterion::{black_box, criterion_group, criterion_main, Criterion, SamplingMode};
use std::time::Duration;

fn bench_build(c: &mut Criterion) {
    let mut group = c.benchmark_group("build");
    // One training is up to a second: ten flat samples of one iteration keep the whole run well under a minute.
    group.sample_size(10).sampling_mode(SamplingMode::Flat).measurement_time(Duration::from_secs(8));
    for (products, orders, name) in [(5_000, 20_000, "train 5k products, 20k orders"), (50_000, 100_000, "train 50k products, 100k orders")] {
        let req = synthetic(products, orders, 1).train_request();
        group.bench_function(name, |b| b.iter(|| black_box(Engine::train(&req, &Silent).unwrap())));
    }
    group.finish();
}

criterion_group!(benches, bench_build);
criterion_main!(benches);
