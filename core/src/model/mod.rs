//! The learned model: mergeable co-occurrence counts, and the finished neighbour lists queries read.
//!
//! Training is two steps. `Counts` holds exact integer statistics (decayed weights in fixed point), so counts
//! from disjoint shards add up to exactly the counts of the whole. `Model::finish` turns counts into top-K
//! neighbour lists, popularity and trending, which is all a query needs.

mod counts;
mod finish;

pub use counts::{Basket, Counts, PairCount, PairTable, WEIGHT_SCALE};
pub use finish::{Model, Neighbor};
