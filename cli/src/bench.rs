//! `cartlift bench`: cross-sell latency percentiles on a trained model, on 1..N threads.

use cartlift_core::CartLineInput;
use cartlift_core::CrossSellRequest;
use cartlift_core::{Engine, Error};
use std::time::Instant;

/// The same carts with a shopper behind each: a stored customer (when the model has any), their history
/// filled up to 50 products with `customer_history`, 20 products viewed this session and a `now`.
pub fn personalize(engine: &Engine, reqs: &mut [CrossSellRequest]) {
    let popular = engine.popular_ids();
    let customers: Vec<(&str, usize)> = engine.customer_histories().collect();
    let id = |i: usize| popular[i % popular.len()].to_string();
    for (i, r) in reqs.iter_mut().enumerate() {
        let stored = if customers.is_empty() {
            0
        } else {
            let (c, stored) = customers[(i * 7919) % customers.len()];
            r.customer_id = Some(c.to_string());
            stored
        };
        r.customer_history = (0..50usize.saturating_sub(stored)).map(|j| id(i * 11 + j * 17 + 3)).collect();
        r.viewed = (0..20).map(|j| id(i * 5 + j * 29 + 1)).collect();
        r.now = Some("2026-01-15T12:00:00Z".to_string());
    }
}

/// Latencies of `reqs` after a warm-up on their first hundred, sorted.
fn warm_latencies(engine: &Engine, reqs: &[CrossSellRequest]) -> Result<Vec<u64>, Error> {
    for r in reqs.iter().take(100) {
        engine.cross_sell(r)?;
    }
    latencies(engine, reqs.iter())
}

/// `--personal`: the same carts without and with a shopper (50 history items, 20 views), interleaved in
/// rounds so machine noise hits both alike; prints both p50s and the difference.
pub fn run_personal(model: &std::path::Path, queries: usize, lines: usize) -> Result<(), Error> {
    let engine = Engine::load(model)?;
    let plain = carts(&engine, queries.max(1), lines);
    if plain.is_empty() {
        return Err(Error::invalid("model", "the model has no sales to build carts from"));
    }
    let mut personal = plain.clone();
    personalize(&engine, &mut personal);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for round in 0..5 {
        let chunk = plain.len().div_ceil(5);
        let range = round * chunk..((round + 1) * chunk).min(plain.len());
        a.extend(warm_latencies(&engine, &plain[range.clone()])?);
        b.extend(warm_latencies(&engine, &personal[range])?);
    }
    a.sort_unstable();
    b.sort_unstable();
    let (pa, pb) = (percentile(&a, 0.5) as f64 / 1e3, percentile(&b, 0.5) as f64 / 1e3);
    println!("cross_sell, {lines}-line carts, 1 thread, {} queries each:", a.len());
    println!("  without personal signals: p50 {pa:.1} µs, p99 {:.1} µs", percentile(&a, 0.99) as f64 / 1e3);
    println!("  with 50 history items and 20 views: p50 {pb:.1} µs, p99 {:.1} µs", percentile(&b, 0.99) as f64 / 1e3);
    println!("  personalization adds {:.1} µs at p50", pb - pa);
    Ok(())
}

/// Carts built from popular products (what real traffic looks like), deterministic.
fn carts(engine: &Engine, n: usize, lines: usize) -> Vec<CrossSellRequest> {
    let popular = engine.popular_ids();
    if popular.is_empty() {
        return Vec::new();
    }
    (0..n)
        .map(|i| {
            let cart =
                (0..lines).map(|j| CartLineInput::Id(popular[(i * 7 + j * 13) % popular.len()].to_string())).collect();
            CrossSellRequest { cart, ..Default::default() }
        })
        .collect()
}

fn mean_lines(reqs: &[CrossSellRequest]) -> f64 {
    reqs.iter().map(|r| r.cart.len()).sum::<usize>() as f64 / reqs.len().max(1) as f64
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// Cross-sell requests read from a file, one JSON request per line (blank lines skipped).
fn replay(path: &std::path::Path) -> Result<Vec<CrossSellRequest>, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| Error::from(e).at_line(i as u64 + 1)))
        .collect::<Result<_, Error>>()
        .map_err(|e| e.in_file(path.display().to_string()))
}

/// Each request's latency in nanoseconds, sorted.
fn latencies<'a>(engine: &Engine, reqs: impl Iterator<Item = &'a CrossSellRequest>) -> Result<Vec<u64>, Error> {
    let mut ns: Vec<u64> = Vec::new();
    for r in reqs {
        let t = Instant::now();
        std::hint::black_box(engine.cross_sell(r)?);
        ns.push(t.elapsed().as_nanos() as u64);
    }
    ns.sort_unstable();
    Ok(ns)
}

pub fn run(
    model: &std::path::Path,
    queries: usize,
    lines: usize,
    threads: usize,
    replayed: Option<&std::path::Path>,
) -> Result<(), Error> {
    let engine = Engine::load(model)?;
    let reqs = match replayed {
        Some(path) => replay(path)?,
        None => carts(&engine, queries.max(1), lines),
    };
    if reqs.is_empty() {
        return Err(Error::invalid("model", "no carts: the model has no sales to build carts from"));
    }
    let lines = match replayed {
        Some(path) => format!("replayed carts of {} (mean {:.1} lines)", path.display(), mean_lines(&reqs)),
        None => format!("{lines}-line carts"),
    };
    // The first pass reads each cart's neighbour lists from a cold model; a serving process answers warm.
    let cold = latencies(&engine, reqs.iter())?;
    let warm = latencies(&engine, reqs.iter().cycle().take(queries.max(reqs.len())))?;
    for (pass, ns) in [("first pass, cold", cold), ("warm", warm)] {
        println!(
            "cross_sell, {lines}, 1 thread, {pass}: p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs over {} queries",
            percentile(&ns, 0.5) as f64 / 1e3,
            percentile(&ns, 0.99) as f64 / 1e3,
            *ns.last().unwrap_or(&0) as f64 / 1e3,
            ns.len()
        );
    }
    for t in 1..=threads.max(1) {
        let start = Instant::now();
        std::thread::scope(|s| {
            for k in 0..t {
                let (engine, reqs) = (&engine, &reqs);
                s.spawn(move || {
                    for r in reqs.iter().skip(k).step_by(t) {
                        std::hint::black_box(engine.cross_sell(r).ok());
                    }
                });
            }
        });
        let qps = reqs.len() as f64 / start.elapsed().as_secs_f64();
        println!("  {t} thread(s): {qps:.0} queries/s");
    }
    Ok(())
}
