//! `price_cart` on the pricing benchmark's cart in a plain loop, for counting instructions per request:
//! `bench/pricing-instructions.sh` (wall time on a shared machine drifts by several percent between runs;
//! instruction counts do not). `cargo run --release -p cartlift-core --example price_cart_loop -- N [pairwise]`
//! (`pairwise`: the speed probe's cart, whose 12 pairwise mix-and-match bundles make one large component).

use std::hint::black_box;

#[path = "../benches/fixtures/pricing.rs"]
mod fixture;

/// As the shipped libraries and the CLI allocate.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let (engine, request) = match std::env::args().nth(2).as_deref() {
        Some("pairwise") => (fixture::pairwise_engine(), fixture::request(fixture::pairwise_lines())),
        _ => (fixture::engine(), fixture::request(fixture::ten_lines())),
    };
    for _ in 0..n {
        black_box(engine.price_cart(&request).expect("the benchmark cart prices"));
    }
}
