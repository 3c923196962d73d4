//! The learned model: mergeable co-occurrence counts, and the finished neighbour lists queries read.
//!
//! Training is two steps. `Counts` holds exact integer statistics (decayed weights in fixed point), so counts
//! from disjoint shards add up to exactly the counts of the whole. `Model::finish` turns counts into top-K
//! neighbour lists, popularity and trending, which is all a query needs.

mod categories;
mod counts;
mod counts_bytes;
mod finish;
mod rows;
pub mod tune;

pub use counts::{Basket, Counts};
pub use finish::{Model, Neighbor};
pub use rows::{BasketPairs, PairSource};
pub use tune::{fallback, tune, PersonalTuneReport, TuneReport};

/// `f(scratch, i)` for every `i` in `0..n`, in parallel, in order. Each task makes its scratch once for a run of
/// indices (rayon's `map_init` may make one per split, and a dense row per split was most of the time).
pub(crate) fn par_map_scratch<S, R: Send>(
    n: usize,
    init: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, usize) -> R + Sync,
) -> Vec<R> {
    use rayon::prelude::*;
    let run = (n / (rayon::current_num_threads() * 8)).max(64);
    let starts: Vec<usize> = (0..n).step_by(run).collect();
    let parts: Vec<Vec<R>> = starts
        .into_par_iter()
        .map(|s| {
            let mut scratch = init();
            (s..(s + run).min(n)).map(|i| f(&mut scratch, i)).collect()
        })
        .collect();
    let mut out = Vec::with_capacity(n);
    for p in parts {
        out.extend(p);
    }
    out
}
