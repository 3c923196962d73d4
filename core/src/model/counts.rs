//! Exact, mergeable co-occurrence statistics.

use crate::catalog::ProductIdx;
use crate::config::Config;
use crate::error::{Error, Result};
use ahash::AHashMap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Fixed-point scale of decayed weights: an order at the reference time weighs `WEIGHT_SCALE`.
/// Integers make sums associative, which is what makes merging exact.
pub const WEIGHT_SCALE: u64 = 1 << 20;

/// An order reduced to what training needs: interned products, deduplicated, sorted.
#[derive(Debug, Clone, PartialEq)]
pub struct Basket {
    pub customer: Option<u32>,
    pub at: i64,
    /// (product, units) sorted by product, one entry per product.
    pub items: Vec<(ProductIdx, u32)>,
}

/// How often (raw) and how much (decayed) a pair was seen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairCount {
    pub count: u32,
    pub weight: u64,
}

impl PairCount {
    fn add(&mut self, other: PairCount) {
        self.count += other.count;
        self.weight += other.weight;
    }
}

/// Key of an unordered pair (a < b).
#[inline]
pub fn pair_key(a: ProductIdx, b: ProductIdx) -> u64 {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    ((lo as u64) << 32) | hi as u64
}

#[inline]
pub fn unpair(key: u64) -> (ProductIdx, ProductIdx) {
    ((key >> 32) as u32, key as u32)
}

/// Everything training counts. Same catalog and same decay settings: then `a.merge(b)` equals counting both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    pub n_products: u32,
    pub reference: i64,
    pub half_life_secs: i64,
    pub window_secs: i64,
    pub trending_secs: i64,
    pub orders: u64,
    pub order_weight: u64,
    /// Earliest order time seen (for the long-run sales rate); i64::MAX when empty.
    pub first_at: i64,
    /// Per product: orders containing it.
    pub item: Vec<PairCount>,
    /// Per product: units sold, all time and within the trending window.
    pub units: Vec<u64>,
    pub recent_units: Vec<u64>,
    /// Same-order pairs.
    pub pairs: AHashMap<u64, PairCount>,
    /// Pairs bought by one customer in different orders within the window (counted once per customer).
    pub customer_pairs: AHashMap<u64, PairCount>,
}

impl Counts {
    pub fn empty(n_products: usize, reference: i64, config: &Config) -> Counts {
        Counts {
            n_products: n_products as u32,
            reference,
            half_life_secs: (config.half_life_days * 86_400.0) as i64,
            window_secs: config.customer_window_days as i64 * 86_400,
            trending_secs: config.trending_window_days as i64 * 86_400,
            orders: 0,
            order_weight: 0,
            first_at: i64::MAX,
            item: vec![PairCount::default(); n_products],
            units: vec![0; n_products],
            recent_units: vec![0; n_products],
            pairs: AHashMap::new(),
            customer_pairs: AHashMap::new(),
        }
    }

    /// Decayed fixed-point weight of an order at time `at`. Orders after the reference count in full.
    pub fn weight(&self, at: i64) -> u64 {
        if self.half_life_secs <= 0 {
            return WEIGHT_SCALE;
        }
        let age = (self.reference - at).max(0) as f64;
        let w = (WEIGHT_SCALE as f64) * (-(age / self.half_life_secs as f64) * std::f64::consts::LN_2).exp();
        w.round() as u64
    }

    /// Count baskets. Same-order statistics are exact for any split of the orders; customer-window pairs are
    /// exact when every customer's orders are in one shard (shard by customer).
    pub fn count(baskets: &[Basket], n_products: usize, reference: i64, config: &Config) -> Counts {
        let base = Counts::empty(n_products, reference, config);
        let chunk = (baskets.len() / (rayon::current_num_threads() * 4)).max(1024);
        let mut counts = baskets
            .par_chunks(chunk)
            .map(|part| {
                let mut c = base.clone_empty();
                for b in part {
                    c.add_basket(b);
                }
                c
            })
            .reduce(|| base.clone_empty(), |mut a, b| {
                a.merge_unchecked(b);
                a
            });
        counts.customer_pairs = base.count_customer_pairs(baskets);
        counts
    }

    fn clone_empty(&self) -> Counts {
        let mut c = Counts::empty(self.n_products as usize, self.reference, &Config::default());
        c.half_life_secs = self.half_life_secs;
        c.window_secs = self.window_secs;
        c.trending_secs = self.trending_secs;
        c
    }

    fn add_basket(&mut self, b: &Basket) {
        let w = self.weight(b.at);
        let one = PairCount { count: 1, weight: w };
        self.orders += 1;
        self.order_weight += w;
        self.first_at = self.first_at.min(b.at);
        let recent = b.at > self.reference - self.trending_secs;
        for (i, &(a, qty)) in b.items.iter().enumerate() {
            self.item[a as usize].add(one);
            self.units[a as usize] += qty as u64;
            if recent && b.at <= self.reference {
                self.recent_units[a as usize] += qty as u64;
            }
            for &(c, _) in &b.items[i + 1..] {
                self.pairs.entry(pair_key(a, c)).or_default().add(one);
            }
        }
    }

    /// Cross-order pairs per customer within the window; each customer counts a pair once, weighted by the
    /// later of the two orders.
    fn count_customer_pairs(&self, baskets: &[Basket]) -> AHashMap<u64, PairCount> {
        if self.window_secs <= 0 {
            return AHashMap::new();
        }
        let mut by_customer: Vec<(u32, i64, usize)> =
            baskets.iter().enumerate().filter_map(|(i, b)| b.customer.map(|c| (c, b.at, i))).collect();
        by_customer.par_sort_unstable();
        let groups: Vec<&[(u32, i64, usize)]> = by_customer.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1).collect();
        groups
            .par_iter()
            .fold(AHashMap::new, |mut acc: AHashMap<u64, PairCount>, group| {
                // pair -> weight of the latest order that formed it, for this customer
                let mut seen: AHashMap<u64, u64> = AHashMap::new();
                for (j, &(_, at_j, bj)) in group.iter().enumerate() {
                    let w = self.weight(at_j);
                    let later = &baskets[bj].items;
                    for &(_, at_i, bi) in group[..j].iter().rev() {
                        if at_j - at_i > self.window_secs {
                            break;
                        }
                        for &(x, _) in baskets[bi].items.iter().take(64) {
                            for &(y, _) in later.iter().take(64) {
                                if x != y {
                                    let e = seen.entry(pair_key(x, y)).or_insert(0);
                                    *e = (*e).max(w);
                                }
                            }
                        }
                    }
                }
                for (k, w) in seen {
                    acc.entry(k).or_default().add(PairCount { count: 1, weight: w });
                }
                acc
            })
            .reduce(AHashMap::new, |mut a, b| {
                let (mut big, small) = if a.len() >= b.len() { (std::mem::take(&mut a), b) } else { (b, std::mem::take(&mut a)) };
                for (k, v) in small {
                    big.entry(k).or_default().add(v);
                }
                big
            })
    }

    fn merge_unchecked(&mut self, other: Counts) {
        self.orders += other.orders;
        self.order_weight += other.order_weight;
        self.first_at = self.first_at.min(other.first_at);
        for (a, b) in self.item.iter_mut().zip(other.item) {
            a.add(b);
        }
        for (a, b) in self.units.iter_mut().zip(other.units) {
            *a += b;
        }
        for (a, b) in self.recent_units.iter_mut().zip(other.recent_units) {
            *a += b;
        }
        for (target, source) in [(&mut self.pairs, other.pairs), (&mut self.customer_pairs, other.customer_pairs)] {
            if target.len() < source.len() {
                let mine = std::mem::replace(target, source);
                for (k, v) in mine {
                    target.entry(k).or_default().add(v);
                }
            } else {
                for (k, v) in source {
                    target.entry(k).or_default().add(v);
                }
            }
        }
    }

    /// Add another shard's counts. Both must come from the same catalog and decay settings.
    pub fn merge(&mut self, other: Counts) -> Result<()> {
        if self.n_products != other.n_products {
            return Err(Error::invalid("counts", "cannot merge counts built on different catalogs"));
        }
        if (self.reference, self.half_life_secs, self.window_secs, self.trending_secs)
            != (other.reference, other.half_life_secs, other.window_secs, other.trending_secs)
        {
            return Err(Error::invalid(
                "counts",
                "cannot merge counts with different decay settings; set config.decay_reference for every shard",
            ));
        }
        self.merge_unchecked(other);
        Ok(())
    }
}
