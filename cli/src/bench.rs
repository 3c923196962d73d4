//! `cartlift bench`: cross-sell latency percentiles on a trained model, on 1..N threads.

use cartlift_core::crosssell::{cross_sell, CrossSellRequest};
use cartlift_core::request::CartLineInput;
use cartlift_core::{Engine, Error};
use std::time::Instant;

/// Carts built from popular products (what real traffic looks like), deterministic.
fn carts(engine: &Engine, n: usize, lines: usize) -> Vec<CrossSellRequest> {
    let popular = &engine.model().popular;
    if popular.is_empty() {
        return Vec::new();
    }
    (0..n)
        .map(|i| {
            let cart = (0..lines)
                .map(|j| {
                    let idx = popular[(i * 7 + j * 13) % popular.len()];
                    CartLineInput::Id(engine.catalog().product(idx).id.clone())
                })
                .collect();
            CrossSellRequest { cart, ..Default::default() }
        })
        .collect()
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

pub fn run(model: &std::path::Path, queries: usize, lines: usize, threads: usize) -> Result<(), Error> {
    let engine = Engine::load(model)?;
    let reqs = carts(&engine, queries.max(1), lines);
    if reqs.is_empty() {
        return Err(Error::invalid("model", "the model has no sales to build carts from"));
    }
    for r in reqs.iter().take(100) {
        cross_sell(&engine, r)?;
    }
    let mut ns: Vec<u64> = Vec::with_capacity(reqs.len());
    for r in &reqs {
        let t = Instant::now();
        std::hint::black_box(cross_sell(&engine, r)?);
        ns.push(t.elapsed().as_nanos() as u64);
    }
    ns.sort_unstable();
    println!(
        "cross_sell, {lines}-line carts, 1 thread: p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs over {} queries",
        percentile(&ns, 0.5) as f64 / 1e3,
        percentile(&ns, 0.99) as f64 / 1e3,
        *ns.last().unwrap_or(&0) as f64 / 1e3,
        ns.len()
    );
    for t in 1..=threads.max(1) {
        let start = Instant::now();
        std::thread::scope(|s| {
            for k in 0..t {
                let (engine, reqs) = (&engine, &reqs);
                s.spawn(move || {
                    for r in reqs.iter().skip(k).step_by(t) {
                        std::hint::black_box(cross_sell(engine, r).ok());
                    }
                });
            }
        });
        let qps = reqs.len() as f64 / start.elapsed().as_secs_f64();
        println!("  {t} thread(s): {qps:.0} queries/s");
    }
    Ok(())
}
