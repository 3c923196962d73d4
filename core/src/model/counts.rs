//! Exact, mergeable co-occurrence statistics.

use crate::catalog::ProductIdx;
use crate::config::Config;
use crate::error::{Error, Result};
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
    /// Earlier orders of the customer each order is paired with (0 = every one within the window).
    pub window_orders: u32,
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
    pub pairs: PairTable,
    /// Pairs bought by one customer in different orders within the window (counted once per customer).
    pub customer_pairs: PairTable,
}

impl Counts {
    pub fn empty(n_products: usize, reference: i64, config: &Config) -> Counts {
        Counts {
            n_products: n_products as u32,
            reference,
            half_life_secs: (config.half_life_days * 86_400.0) as i64,
            window_secs: config.customer_window_days as i64 * 86_400,
            window_orders: config.customer_window_orders,
            trending_secs: config.trending_window_days as i64 * 86_400,
            orders: 0,
            order_weight: 0,
            first_at: i64::MAX,
            item: vec![PairCount::default(); n_products],
            units: vec![0; n_products],
            recent_units: vec![0; n_products],
            pairs: PairTable::default(),
            customer_pairs: PairTable::default(),
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
                let mut emitted = Vec::new();
                for b in part {
                    c.add_basket(b, &mut emitted);
                }
                c.pairs = PairTable::from_unsorted(emitted);
                c
            })
            .reduce(
                || base.clone_empty(),
                |mut a, b| {
                    a.merge_unchecked(b);
                    a
                },
            );
        counts.customer_pairs = base.count_customer_pairs(baskets);
        counts
    }

    fn clone_empty(&self) -> Counts {
        let mut c = Counts::empty(self.n_products as usize, self.reference, &Config::default());
        c.half_life_secs = self.half_life_secs;
        c.window_secs = self.window_secs;
        c.window_orders = self.window_orders;
        c.trending_secs = self.trending_secs;
        c
    }

    fn add_basket(&mut self, b: &Basket, pairs: &mut Vec<(u64, PairCount)>) {
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
                pairs.push((pair_key(a, c), one));
            }
        }
    }

    /// Cross-order pairs per customer: each order with its `window_orders` previous orders within the window;
    /// each customer counts a pair once, weighted by the later of the two orders.
    fn count_customer_pairs(&self, baskets: &[Basket]) -> PairTable {
        if self.window_secs <= 0 {
            return PairTable::default();
        }
        let mut by_customer: Vec<(u32, i64, usize)> =
            baskets.iter().enumerate().filter_map(|(i, b)| b.customer.map(|c| (c, b.at, i))).collect();
        by_customer.par_sort_unstable();
        let groups: Vec<&[(u32, i64, usize)]> =
            by_customer.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1).collect();
        groups
            .par_iter()
            .fold(Vec::new, |mut acc: Vec<(u64, PairCount)>, group| {
                // (pair, weight of the order that formed it); per customer a pair keeps its latest (largest) weight.
                let mut seen: Vec<(u64, u64)> = Vec::new();
                for (j, &(_, at_j, bj)) in group.iter().enumerate() {
                    let w = self.weight(at_j);
                    let later = &baskets[bj].items;
                    let previous = if self.window_orders == 0 { j } else { self.window_orders as usize };
                    for &(_, at_i, bi) in group[..j].iter().rev().take(previous) {
                        if at_j - at_i > self.window_secs {
                            break;
                        }
                        for &(x, _) in baskets[bi].items.iter().take(64) {
                            for &(y, _) in later.iter().take(64) {
                                if x != y {
                                    seen.push((pair_key(x, y), w));
                                }
                            }
                        }
                    }
                }
                seen.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
                seen.dedup_by_key(|e| e.0);
                acc.extend(seen.into_iter().map(|(k, w)| (k, PairCount { count: 1, weight: w })));
                acc
            })
            .map(PairTable::from_unsorted)
            .reduce(PairTable::default, PairTable::merge)
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
        self.pairs = std::mem::take(&mut self.pairs).merge(other.pairs);
        self.customer_pairs = std::mem::take(&mut self.customer_pairs).merge(other.customer_pairs);
    }

    /// Add another shard's counts. Both must come from the same catalog and decay settings.
    pub fn merge(&mut self, other: Counts) -> Result<()> {
        if self.n_products != other.n_products {
            return Err(Error::invalid("counts", "cannot merge counts built on different catalogs"));
        }
        if (self.reference, self.half_life_secs, self.window_secs, self.window_orders, self.trending_secs)
            != (other.reference, other.half_life_secs, other.window_secs, other.window_orders, other.trending_secs)
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

/// Pair statistics as a vector sorted by pair key: compact, fast to build by sorting, and merged by one linear
/// merge-join (which keeps merging exact and cheap).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairTable(Vec<(u64, PairCount)>);

impl PairTable {
    /// Sort and add up duplicate keys.
    pub fn from_unsorted(mut v: Vec<(u64, PairCount)>) -> PairTable {
        if v.len() > 100_000 {
            v.par_sort_unstable_by_key(|e| e.0);
        } else {
            v.sort_unstable_by_key(|e| e.0);
        }
        let mut out: Vec<(u64, PairCount)> = Vec::with_capacity(v.len() / 2 + 1);
        for (k, c) in v {
            match out.last_mut() {
                Some((lk, lc)) if *lk == k => lc.add(c),
                _ => out.push((k, c)),
            }
        }
        out.shrink_to_fit();
        PairTable(out)
    }

    pub fn merge(self, other: PairTable) -> PairTable {
        if self.0.is_empty() {
            return other;
        }
        if other.0.is_empty() {
            return self;
        }
        let mut out = Vec::with_capacity(self.0.len().max(other.0.len()));
        let (mut a, mut b) = (self.0.into_iter().peekable(), other.0.into_iter().peekable());
        loop {
            match (a.peek(), b.peek()) {
                (Some(x), Some(y)) if x.0 == y.0 => {
                    let (k, mut c) = a.next().expect("peeked");
                    c.add(b.next().expect("peeked").1);
                    out.push((k, c));
                }
                (Some(x), Some(y)) if x.0 < y.0 => out.push(a.next().expect("peeked")),
                (Some(_), Some(_)) => out.push(b.next().expect("peeked")),
                (Some(_), None) => out.extend(a.by_ref()),
                (None, Some(_)) => out.extend(b.by_ref()),
                (None, None) => break,
            }
        }
        PairTable(out)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The count of one unordered pair (binary search: the table is sorted by key).
    pub fn get(&self, a: ProductIdx, b: ProductIdx) -> Option<PairCount> {
        let k = pair_key(a, b);
        self.0.binary_search_by_key(&k, |e| e.0).ok().map(|i| self.0[i].1)
    }

    /// (product a, product b, count) with a < b, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (ProductIdx, ProductIdx, PairCount)> + '_ {
        self.0.iter().map(|&(k, c)| {
            let (a, b) = unpair(k);
            (a, b, c)
        })
    }
}
