//! Exact, mergeable co-occurrence statistics.

use crate::behaviour::OrderFacts;
use crate::catalog::ProductIdx;
use crate::config::{BasketWeight, Config};
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
    pub(crate) fn add(&mut self, other: PairCount) {
        self.count += other.count;
        self.weight += other.weight;
    }
}

/// One entry of a product's row while counting: the later product of the pair and the pair's count.
struct RowPair {
    other: ProductIdx,
    count: u32,
    weight: u64,
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
    /// Orders weigh `1/sqrt(distinct products)` (config `basket_weight: "inverse_sqrt"`).
    pub size_weighting: bool,
    /// Fingerprint of the catalog's product ids in index order (0: not recorded). Partial counts built on
    /// different catalogs of one size must not merge: their indices name different products.
    #[serde(default)]
    pub catalog_id: u64,
    /// Whether customer-window pairs were counted (a model weighing them needs every shard to count them).
    #[serde(default)]
    pub has_customer_pairs: bool,
    /// ISO code of the catalog's currency when counted in shards (it may come from the shard's orders; empty:
    /// not recorded).
    #[serde(default)]
    pub currency: String,
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
    /// Repurchase gaps, seasonal sales and customer histories (None: not counted, as by [`Counts::count`]).
    pub facts: Option<OrderFacts>,
}

impl Counts {
    pub fn empty(n_products: usize, reference: i64, config: &Config) -> Counts {
        Counts {
            n_products: n_products as u32,
            reference,
            half_life_secs: (config.half_life_days() * 86_400.0) as i64,
            window_secs: config.customer_window_days as i64 * 86_400,
            window_orders: config.customer_window_orders,
            trending_secs: config.trending_window_days as i64 * 86_400,
            size_weighting: config.basket_weight() == BasketWeight::InverseSqrt,
            catalog_id: 0,
            has_customer_pairs: false,
            currency: String::new(),
            orders: 0,
            order_weight: 0,
            first_at: i64::MAX,
            item: vec![PairCount::default(); n_products],
            units: vec![0; n_products],
            recent_units: vec![0; n_products],
            pairs: PairTable::default(),
            customer_pairs: PairTable::default(),
            facts: None,
        }
    }

    /// Decayed fixed-point weight of an order at time `at` with `size` distinct products. Orders after the
    /// reference count in full; with size weighting an order weighs `1/sqrt(size)` of that (as TF-IDF and BM25
    /// normalise rows: a 40-item basket says less about each of its pairs than a 3-item one).
    pub fn weight(&self, at: i64, size: usize) -> u64 {
        let age = (self.reference - at).max(0);
        (WEIGHT_SCALE as f64 * order_weight(age, self.half_life_secs, size, self.size_weighting)).round() as u64
    }

    /// Count baskets. Same-order statistics are exact for any split of the orders; customer-window pairs are
    /// exact when every customer's orders are in one shard (shard by customer).
    /// `customer_pairs: false` leaves customer-window pairs out (a model that gives them no weight).
    pub fn count(
        baskets: &[Basket],
        n_products: usize,
        reference: i64,
        config: &Config,
        customer_pairs: bool,
    ) -> Counts {
        let mut counts = Counts::count_items(baskets, n_products, reference, config, customer_pairs);
        let weights: Vec<u64> = baskets.iter().map(|b| counts.weight(b.at, b.items.len())).collect();
        counts.pairs = PairTable::count(baskets, &weights, n_products);
        counts
    }

    /// [`Counts::count`] without the same-order pair table, for a model finished from the baskets themselves
    /// ([`super::PairSource::Baskets`]).
    pub fn count_items(
        baskets: &[Basket],
        n_products: usize,
        reference: i64,
        config: &Config,
        customer_pairs: bool,
    ) -> Counts {
        let mut counts = Counts::empty(n_products, reference, config);
        for b in baskets {
            counts.add_items(b, counts.weight(b.at, b.items.len()));
        }
        if customer_pairs {
            counts.customer_pairs = counts.count_customer_pairs(baskets);
        }
        counts.has_customer_pairs = customer_pairs;
        counts
    }

    fn add_items(&mut self, b: &Basket, w: u64) {
        let one = PairCount { count: 1, weight: w };
        self.orders += 1;
        self.order_weight += w;
        self.first_at = self.first_at.min(b.at);
        let recent = b.at > self.reference - self.trending_secs && b.at <= self.reference;
        for &(a, qty) in &b.items {
            self.item[a as usize].add(one);
            self.units[a as usize] += qty as u64;
            if recent {
                self.recent_units[a as usize] += qty as u64;
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
                    let w = self.weight(at_j, baskets[bj].items.len());
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
        if self.n_products != other.n_products || self.catalog_id != other.catalog_id || self.currency != other.currency
        {
            return Err(Error::invalid("counts", "cannot merge counts built on different catalogs"));
        }
        let settings = |c: &Counts| {
            let decay = (c.reference, c.half_life_secs, c.trending_secs, c.size_weighting);
            (decay, c.window_secs, c.window_orders, c.has_customer_pairs)
        };
        if settings(self) != settings(&other) {
            return Err(Error::invalid(
                "counts",
                "cannot merge counts with different decay or customer-window settings; count every shard with one \
                 config, and set config.decay_reference for every shard",
            ));
        }
        let mut other = other;
        match (&mut self.facts, other.facts.take()) {
            (Some(a), Some(b)) => a.merge(b)?,
            (None, None) => {}
            _ => {
                return Err(Error::invalid(
                    "counts",
                    "cannot merge counts with and without repurchase and season facts",
                ))
            }
        }
        self.merge_unchecked(other);
        Ok(())
    }
}

/// An order's weight in whole orders: halved every `half_life_secs` of `age_secs` (0: no decay), and divided
/// by `sqrt(size)` with size weighting. Counting and tuning both weigh orders with it.
pub(crate) fn order_weight(age_secs: i64, half_life_secs: i64, size: usize, size_weighting: bool) -> f64 {
    let mut w = 1.0;
    if half_life_secs > 0 {
        w *= (-(age_secs as f64 / half_life_secs as f64) * std::f64::consts::LN_2).exp();
    }
    if size_weighting && size > 1 {
        w /= (size as f64).sqrt();
    }
    w
}

/// Pair statistics as a vector sorted by pair key: compact, fast to build by sorting, and merged by one linear
/// merge-join (which keeps merging exact and cheap).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairTable(Vec<(u64, PairCount)>);

impl PairTable {
    /// Same-order pairs of `baskets` (each weighing `weights[i]`), counted product by product: each thread adds
    /// a product's later basket-mates into a dense accumulator and writes the row out in key order, so no pair
    /// is ever emitted twice or sorted globally.
    ///
    /// Rows are held as (other product, count) in 16 bytes instead of the table's 24 until all are counted and
    /// the table can be sized once: rows and table side by side are the peak memory of training.
    pub fn count(baskets: &[Basket], weights: &[u64], n_products: usize) -> PairTable {
        let postings = Postings::build(baskets, n_products);
        let rows: Vec<Vec<RowPair>> = super::par_map_scratch(
            n_products,
            || Accumulator::new(n_products),
            |acc, a| {
                let a = a as ProductIdx;
                for &bi in postings.of(a) {
                    let items = &baskets[bi as usize].items;
                    let at = items.partition_point(|e| e.0 <= a);
                    let one = PairCount { count: 1, weight: weights[bi as usize] };
                    for &(c, _) in &items[at..] {
                        acc.add(c, one);
                    }
                }
                acc.drain_sorted().map(|(other, pc)| RowPair { other, count: pc.count, weight: pc.weight }).collect()
            },
        );
        let mut out = Vec::with_capacity(rows.iter().map(Vec::len).sum());
        for (a, row) in rows.into_iter().enumerate() {
            let a = a as ProductIdx;
            out.extend(row.into_iter().map(|p| (pair_key(a, p.other), PairCount { count: p.count, weight: p.weight })));
        }
        PairTable(out)
    }

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

    /// (pair key, count) in key order.
    pub fn entries(&self) -> &[(u64, PairCount)] {
        &self.0
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

/// For each product, the baskets that contain it (an inverted index in one flat array).
pub(crate) struct Postings {
    start: Vec<usize>,
    baskets: Vec<u32>,
}

impl Postings {
    pub(crate) fn build(baskets: &[Basket], n_products: usize) -> Postings {
        let mut start = vec![0usize; n_products + 1];
        for b in baskets {
            for &(a, _) in &b.items {
                start[a as usize + 1] += 1;
            }
        }
        for i in 0..n_products {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut list = vec![0u32; start[n_products]];
        for (bi, b) in baskets.iter().enumerate() {
            for &(a, _) in &b.items {
                list[fill[a as usize]] = bi as u32;
                fill[a as usize] += 1;
            }
        }
        Postings { start, baskets: list }
    }

    /// The postings of `n_lists` lists of products, the `i`th given by `list(i)`.
    pub(crate) fn of_lists<'l>(
        n_lists: usize,
        list: impl Fn(usize) -> &'l [ProductIdx],
        n_products: usize,
    ) -> Postings {
        let mut start = vec![0usize; n_products + 1];
        for i in 0..n_lists {
            for &a in list(i) {
                start[a as usize + 1] += 1;
            }
        }
        for i in 0..n_products {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut out = vec![0u32; start[n_products]];
        for i in 0..n_lists {
            for &a in list(i) {
                out[fill[a as usize]] = i as u32;
                fill[a as usize] += 1;
            }
        }
        Postings { start, baskets: out }
    }

    pub(crate) fn of(&self, a: ProductIdx) -> &[u32] {
        &self.baskets[self.start[a as usize]..self.start[a as usize + 1]]
    }
}

/// A dense per-thread row: sums by product, with the touched products listed so that clearing is cheap.
pub(crate) struct Accumulator {
    sums: Vec<PairCount>,
    touched: Vec<ProductIdx>,
}

impl Accumulator {
    pub(crate) fn new(n_products: usize) -> Accumulator {
        Accumulator { sums: vec![PairCount::default(); n_products], touched: Vec::new() }
    }

    #[inline]
    pub(crate) fn add(&mut self, c: ProductIdx, v: PairCount) {
        let slot = &mut self.sums[c as usize];
        if slot.count == 0 {
            self.touched.push(c);
        }
        slot.add(v);
    }

    /// The row's (product, sum) in product order; the accumulator is empty afterwards.
    pub(crate) fn drain_sorted(&mut self) -> impl Iterator<Item = (ProductIdx, PairCount)> + '_ {
        self.touched.sort_unstable();
        let sums = &mut self.sums;
        self.touched.drain(..).map(move |c| (c, std::mem::take(&mut sums[c as usize])))
    }
}
