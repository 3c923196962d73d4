//! From counts to what queries read: top-K neighbours per product, popularity and trending.

use super::categories::{category_links, CategoryLink, CategoryRow};
use super::counts::{Counts, PairCount};
use super::rows::PairSource;
use crate::catalog::{Catalog, ProductIdx};
use crate::config::{Config, Measure};
use crate::flat::{Column, Csr};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One learned association of a product, with the raw evidence behind it (for honest reasons).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, bytemuck::Pod, bytemuck::Zeroable)]
pub struct Neighbor {
    pub item: ProductIdx,
    pub score: f32,
    /// Orders containing both products.
    pub together: u32,
    /// Customers who bought both in different orders within the window.
    pub customers: u32,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Model {
    pub measure_name: String,
    /// Per product, best first.
    pub neighbors: Csr<Neighbor>,
    /// Orders containing each product (raw counts).
    pub item_orders: Column<u32>,
    /// Units sold of each product (raw).
    pub units: Column<u64>,
    /// Decayed popularity in [0, 1] (1 = most popular).
    pub popularity: Column<f32>,
    /// The most popular products, best first.
    pub popular: Vec<ProductIdx>,
    /// Trending products with their velocity ratio (recent rate / long-run rate), best first.
    pub trending: Vec<(ProductIdx, f32)>,
    /// Per category, its most popular products, best first (categories sorted by name).
    pub category_popular: Vec<(String, Vec<ProductIdx>)>,
    /// Per category of `category_popular`, the categories bought with it, strongest first.
    pub category_links: Vec<Vec<CategoryLink>>,
    pub orders: u64,
    pub pairs: u64,
}

const POPULAR_KEPT: usize = 200;
/// Companions scored per product under `measure: "auto"` (see [`keep_companions`]).
pub const MAX_COMPANIONS: usize = 2_000;

/// Keep in `touched[..k]` the `k` companions bought with the product in the most orders (ties: lower index
/// first). A bestseller has tens of thousands of companions, most seen once or twice: they cannot carry a
/// supported suggestion, and scoring them was most of the work of finishing and tuning.
pub(crate) fn keep_companions(touched: &mut [ProductIdx], k: usize, count: impl Fn(ProductIdx) -> u32) {
    if touched.len() > k {
        touched.select_nth_unstable_by(k, |&x, &y| count(y).cmp(&count(x)).then(x.cmp(&y)));
    }
}
const CATEGORY_KEPT: usize = 50;

/// How counts become one product's neighbour scores: the measure and its parameters, resolved from config.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scoring {
    pub measure: Measure,
    pub alpha: f64,
    pub shrinkage: f64,
    pub min_support: u32,
    pub top_k: usize,
    pub customer_weight: f64,
    /// Only a product's this many most frequent companions are scored (see [`keep_companions`]).
    pub companions: usize,
}

impl Scoring {
    pub fn new(config: &Config, measure: Measure) -> Scoring {
        Scoring {
            measure,
            alpha: config.alpha(),
            shrinkage: config.shrinkage_for(measure),
            min_support: if measure == Measure::Default { config.min_support } else { 0 },
            top_k: config.top_k(),
            customer_weight: config.customer_weight(),
            companions: config.max_companions.unwrap_or(usize::MAX),
        }
    }

    /// Score of candidate `b` for product `a` from weights: `count` baskets and weight `co` together, `a` and `b`
    /// each product's own terms (computed once per product), `n` baskets in all.
    #[inline]
    pub fn pair_with(&self, count: u32, co: f64, a: Alone, b: Alone, n: f64) -> f64 {
        self.pair_with_term(count, co, a, self.other_term(b), n)
    }

    /// All a pair's score reads of its second product `b`: its weight alone, or for the asymmetric cosine
    /// `w^-(1-α)`. One number per product keeps a table of them small enough to stay in cache.
    #[inline]
    pub fn other_term(&self, b: Alone) -> f64 {
        match self.measure {
            Measure::AsymmetricCosine => b.inv_pow_rest,
            _ => b.w,
        }
    }

    /// [`Scoring::pair_with_term`] of `a` with each of `len` products (`pair(e)`: the `e`th one's baskets
    /// together, weight together and other term), `score(e, s)` called for every one; a pair under the
    /// minimum support scores 0. The measure is matched once, not per pair, and the loop has no branch that
    /// depends on the data: one tight loop per measure, the same arithmetic as `pair_with_term`.
    #[inline]
    pub fn each_pair_with_term(
        &self,
        a: Alone,
        n: f64,
        len: usize,
        pair: impl Fn(usize) -> (u32, f64, f64),
        score: impl FnMut(usize, f64),
    ) {
        let min_support = self.min_support;
        let shrunk = Shrunk::new(self.shrinkage);
        macro_rules! each {
            ($raw:expr) => {{
                let raw = $raw;
                let mut score = score;
                for e in 0..len {
                    let (c, co, b_term) = pair(e);
                    let s = shrunk.apply(raw(co, b_term), c);
                    score(e, if c < min_support { 0.0 } else { s });
                }
            }};
        }
        match self.measure {
            Measure::Default | Measure::Cosine | Measure::Auto => each!(|co: f64, bt: f64| co / (a.w * bt).sqrt()),
            Measure::Confidence => each!(|co: f64, _bt: f64| co / a.w),
            Measure::Lift => each!(|co: f64, bt: f64| co * n.max(1.0) / (a.w * bt)),
            Measure::Jaccard => each!(|co: f64, bt: f64| co / (a.w + bt - co).max(1.0)),
            Measure::AsymmetricCosine => each!(|co: f64, bt: f64| co * a.inv_pow_alpha * bt),
        }
    }

    /// [`Scoring::pair_with`] with `b` given by its [`Scoring::other_term`].
    #[inline]
    pub fn pair_with_term(&self, count: u32, co: f64, a: Alone, b_term: f64, n: f64) -> f64 {
        if count < self.min_support {
            return 0.0;
        }
        let raw = match self.measure {
            Measure::Default | Measure::Cosine | Measure::Auto => co / (a.w * b_term).sqrt(),
            Measure::Confidence => co / a.w,
            Measure::Lift => co * n.max(1.0) / (a.w * b_term),
            Measure::Jaccard => co / (a.w + b_term - co).max(1.0),
            Measure::AsymmetricCosine => co * a.inv_pow_alpha * b_term,
        };
        if self.shrinkage > 0.0 {
            raw * (count as f64 / (count as f64 + self.shrinkage))
        } else {
            raw
        }
    }
}

/// The shrinkage factor `c / (c + shrinkage)` of the common small counts, computed ahead (the same
/// division, so the same bits): a table read instead of a division per pair.
struct Shrunk {
    shrinkage: f64,
    factors: [f64; Shrunk::TABLE],
}

impl Shrunk {
    const TABLE: usize = 64;

    fn new(shrinkage: f64) -> Shrunk {
        let mut factors = [1.0; Shrunk::TABLE];
        if shrinkage > 0.0 {
            for (c, f) in factors.iter_mut().enumerate() {
                *f = c as f64 / (c as f64 + shrinkage);
            }
        }
        Shrunk { shrinkage, factors }
    }

    /// `raw` shrunk by the pair's count, as [`Scoring::pair_with_term`] does.
    #[inline]
    fn apply(&self, raw: f64, count: u32) -> f64 {
        if self.shrinkage <= 0.0 {
            raw
        } else if let Some(&f) = self.factors.get(count as usize) {
            raw * f
        } else {
            raw * (count as f64 / (count as f64 + self.shrinkage))
        }
    }
}

/// A product's weight alone and the powers of it the measures divide by.
#[derive(Debug, Clone, Copy)]
pub struct Alone {
    pub w: f64,
    /// `w^-α` and `w^-(1-α)` of the asymmetric cosine (0 for the other measures).
    inv_pow_alpha: f64,
    inv_pow_rest: f64,
}

impl Alone {
    pub fn new(scoring: &Scoring, w: f64) -> Alone {
        let w = w.max(1.0);
        let asymmetric = scoring.measure == Measure::AsymmetricCosine;
        Alone {
            w,
            inv_pow_alpha: if asymmetric { w.powf(-scoring.alpha) } else { 0.0 },
            inv_pow_rest: if asymmetric { w.powf(scoring.alpha - 1.0) } else { 0.0 },
        }
    }
}

/// One product's same-order and customer counts by other product (dense, one per thread).
pub(crate) struct RowSums {
    same: Vec<PairCount>,
    customer: Vec<PairCount>,
    touched: Vec<ProductIdx>,
}

impl RowSums {
    /// Sums over `n` products; customer sums only `with_customer` pairs (a row without them then reads one
    /// array, half the cache lines).
    fn new(n: usize, with_customer: bool) -> RowSums {
        let customer = vec![PairCount::default(); if with_customer { n } else { 0 }];
        RowSums { same: vec![PairCount::default(); n], customer, touched: Vec::new() }
    }

    #[inline]
    fn add(&mut self, b: ProductIdx, pc: PairCount, customer: bool) {
        let i = b as usize;
        if self.same[i].count == 0 && self.customer.get(i).is_none_or(|c| c.count == 0) {
            self.touched.push(b);
        }
        let slot = if customer { &mut self.customer[i] } else { &mut self.same[i] };
        slot.count += pc.count;
        slot.weight += pc.weight;
    }

    /// Same-order pairs of `a` with later products: (the other product, orders with both).
    fn later_pairs(&self, a: ProductIdx) -> impl Iterator<Item = (ProductIdx, u32)> + '_ {
        self.touched.iter().filter(move |&&b| b > a).map(|&b| (b, self.same[b as usize].count)).filter(|p| p.1 > 0)
    }

    /// Score every touched product for `a` and keep the best; the sums are empty afterwards.
    fn neighbours(&mut self, scoring: &Scoring, alone: &[Alone], a: ProductIdx, n: u64) -> Vec<Neighbor> {
        let (na, n) = (alone[a as usize], n as f64);
        let (same, customer) = (&self.same, &self.customer);
        let customer_count = |b: ProductIdx| customer.get(b as usize).map_or(0, |c| c.count);
        keep_companions(&mut self.touched, scoring.companions, |b| same[b as usize].count + customer_count(b));
        let mut out = Vec::with_capacity(self.touched.len().min(scoring.companions));
        for (rank, b) in self.touched.drain(..).enumerate() {
            if rank >= scoring.companions {
                self.same[b as usize] = PairCount::default();
                if let Some(c) = self.customer.get_mut(b as usize) {
                    *c = PairCount::default();
                }
                continue;
            }
            let same = std::mem::take(&mut self.same[b as usize]);
            let customer = self.customer.get_mut(b as usize).map(std::mem::take).unwrap_or_default();
            let nb = alone[b as usize];
            let mut score = 0.0;
            if same.count > 0 {
                score += scoring.pair_with(same.count, same.weight as f64, na, nb, n);
            }
            if customer.count > 0 {
                score += scoring.customer_weight * scoring.pair_with(customer.count, customer.weight as f64, na, nb, n);
            }
            if score > 0.0 && score.is_finite() {
                out.push(Neighbor { item: b, score: score as f32, together: same.count, customers: customer.count });
            }
        }
        top_k(out, scoring.top_k)
    }
}

/// The best `k` neighbours, best first (ties by product index).
pub(crate) fn top_k(mut out: Vec<Neighbor>, k: usize) -> Vec<Neighbor> {
    let order = |x: &Neighbor, y: &Neighbor| y.score.total_cmp(&x.score).then(x.item.cmp(&y.item));
    if out.len() > k {
        out.select_nth_unstable_by(k, order);
        out.truncate(k);
    }
    out.sort_unstable_by(order);
    // Lists live as long as the model: drop the capacity of the whole row.
    out.shrink_to_fit();
    out
}

impl Model {
    /// Check a decoded model against a catalog of `n` products: every table sized `n`, every index below it.
    pub fn check(&self, n: usize) -> crate::error::Result<()> {
        use crate::error::Error;
        let sizes = [self.neighbors.len(), self.item_orders.len(), self.units.len(), self.popularity.len()];
        if sizes.iter().any(|&len| len != n) {
            return Err(Error::corrupt(format!("model tables {sizes:?} do not match a catalog of {n}")));
        }
        Error::check_indices("the popular list", n, self.popular.iter().copied())?;
        Error::check_indices("the trending list", n, self.trending.iter().map(|t| t.0))?;
        Error::check_indices("a category list", n, self.category_popular.iter().flat_map(|c| c.1.iter().copied()))?;
        let categories = self.category_popular.len();
        if self.category_links.len() != categories {
            return Err(Error::corrupt(format!(
                "{} category link lists for {categories} categories",
                self.category_links.len()
            )));
        }
        let linked = self.category_links.iter().flatten().map(|l| l.category);
        Error::check_indices("a category link", categories, linked)
    }

    /// Finish counts into a queryable model with the configured measure.
    pub fn finish(counts: &Counts, catalog: &Catalog, config: &Config) -> Model {
        Model::finish_with(counts, catalog, config, config.measure)
    }

    pub fn finish_with(counts: &Counts, catalog: &Catalog, config: &Config, measure: Measure) -> Model {
        Model::finish_from(counts, &PairSource::Table(&counts.pairs), catalog, config, measure)
    }

    /// Finish with the same-order pairs read from `same` (the table of `counts`, or the baskets counted).
    pub fn finish_from(
        counts: &Counts,
        same: &PairSource,
        catalog: &Catalog,
        config: &Config,
        measure: Measure,
    ) -> Model {
        Model::finish_some(counts, same, catalog, config, measure, None)
    }

    /// [`Model::finish_from`] with neighbour lists for the `wanted` products only, when given: the others'
    /// lists are empty and the category links are counted from the wanted rows alone. A model to ask known
    /// queries of, made in a fraction of the time.
    pub(crate) fn finish_some(
        counts: &Counts,
        same: &PairSource,
        catalog: &Catalog,
        config: &Config,
        measure: Measure,
        wanted: Option<&[bool]>,
    ) -> Model {
        let n = counts.n_products as usize;
        let item_w: Vec<u64> = counts.item.iter().map(|c| c.weight).collect();
        let max_w = item_w.iter().copied().max().unwrap_or(0).max(1) as f64;
        let popularity: Vec<f32> = item_w.iter().map(|&w| (w as f64 / max_w) as f32).collect();
        let mut by_pop: Vec<ProductIdx> = (0..n as u32).filter(|&i| counts.item[i as usize].count > 0).collect();
        by_pop.sort_unstable_by(|&x, &y| item_w[y as usize].cmp(&item_w[x as usize]).then(x.cmp(&y)));
        let category_popular = popular_by_category(catalog, &by_pop);
        let cat_of = category_positions(catalog, n, &category_popular);

        let scoring = Scoring::new(config, measure);
        let rows = finish_rows(counts, same, &scoring, (&cat_of, category_popular.len()), wanted);
        let pairs = rows.iter().map(|r| r.later_pairs).sum();
        let item_orders: Vec<u32> = counts.item.iter().map(|c| c.count).collect();
        let together = rows.iter().flat_map(|r| r.category_pairs.iter().copied());
        let category_links = category_links(together, &item_orders, &cat_of, category_popular.len());
        let neighbors: Vec<Vec<Neighbor>> = rows.into_iter().map(|r| r.neighbours).collect();

        // Trending: units per day in the recent window against the long-run rate, smoothed so that a product
        // needs at least a few recent sales to trend.
        let span_days = if counts.first_at == i64::MAX {
            1.0
        } else {
            (((counts.reference - counts.first_at) as f64) / 86_400.0).max(1.0)
        };
        let window_days = (counts.trending_secs as f64 / 86_400.0).max(1.0);
        let mut trending: Vec<(ProductIdx, f32)> = (0..n)
            .filter(|&i| counts.recent_units[i] >= 3)
            .map(|i| {
                let recent_rate = counts.recent_units[i] as f64 / window_days;
                let long_rate = (counts.units[i] as f64 + 1.0) / span_days;
                (i as ProductIdx, (recent_rate / long_rate) as f32)
            })
            .filter(|&(_, r)| r > 1.2)
            .collect();
        trending.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        trending.truncate(POPULAR_KEPT);

        Model {
            measure_name: measure.name().to_string(),
            neighbors: neighbors.into(),
            item_orders: item_orders.into(),
            units: counts.units.clone().into(),
            popularity: popularity.into(),
            popular: by_pop.into_iter().take(POPULAR_KEPT).collect(),
            trending,
            category_popular: category_popular.into_iter().collect(),
            category_links,
            orders: counts.orders,
            pairs,
        }
    }

    /// The neighbours of `a`, best first. A list naming a product past the catalog (damaged bytes of an opened
    /// file: lists are checked when read, not all at open) reads as empty.
    pub fn neighbours(&self, a: ProductIdx) -> &[Neighbor] {
        let row = self.neighbors.row(a as usize);
        // The largest item, not an early exit: this loop vectorizes, and every list read pays it.
        let largest = row.iter().fold(0, |m, nb| m.max(nb.item));
        if row.is_empty() || (largest as usize) < self.item_orders.len() {
            row
        } else {
            &[]
        }
    }

    /// How many neighbours `a` has (its list unchecked: for sizing, not reading).
    pub fn neighbour_count(&self, a: ProductIdx) -> usize {
        self.neighbors.row(a as usize).len()
    }

    /// The learned association of `b` for `a`, if it made a's top K.
    pub fn neighbor(&self, a: ProductIdx, b: ProductIdx) -> Option<&Neighbor> {
        // Items are only compared here, never used as indexes: the list needs no range check.
        self.neighbors.row(a as usize).iter().find(|n| n.item == b)
    }

    pub fn popular_in(&self, category: &str) -> &[ProductIdx] {
        self.category_position(category).map(|i| self.category_popular[i].1.as_slice()).unwrap_or(&[])
    }

    /// The categories bought with the category at `position`, strongest first.
    pub fn linked_categories(&self, position: usize) -> &[CategoryLink] {
        &self.category_links[position]
    }

    /// A category's name by its position (as a [`CategoryLink`] holds it).
    pub fn category_name(&self, position: u32) -> &str {
        &self.category_popular[position as usize].0
    }

    /// A category's popular products by its position.
    pub fn popular_at(&self, position: u32) -> &[ProductIdx] {
        &self.category_popular[position as usize].1
    }

    /// A category's position in the model's category list.
    pub fn category_position(&self, category: &str) -> Option<usize> {
        self.category_popular.binary_search_by(|(c, _)| c.as_str().cmp(category)).ok()
    }
}

/// Per category (by name), its most popular products, best first.
fn popular_by_category(catalog: &Catalog, by_pop: &[ProductIdx]) -> BTreeMap<String, Vec<ProductIdx>> {
    let mut category_popular: BTreeMap<String, Vec<ProductIdx>> = BTreeMap::new();
    for &i in by_pop {
        if let Some(c) = catalog.product(i).category {
            let v = category_popular.entry(c.to_string()).or_default();
            if v.len() < CATEGORY_KEPT {
                v.push(i);
            }
        }
    }
    category_popular
}

/// Each product's category as a position in `category_popular` (sorted by name, so positions are stable),
/// `u32::MAX` for none.
fn category_positions(catalog: &Catalog, n: usize, category_popular: &BTreeMap<String, Vec<ProductIdx>>) -> Vec<u32> {
    let names: Vec<&str> = category_popular.keys().map(String::as_str).collect();
    let position = |p: &crate::catalog::Product| {
        p.category.and_then(|c| names.binary_search(&c).ok()).map_or(u32::MAX, |i| i as u32)
    };
    (0..n as ProductIdx).map(|i| position(&catalog.product(i))).collect()
}

/// What finishing learns from one product's row.
struct FinishedRow {
    neighbours: Vec<Neighbor>,
    /// Distinct same-order pairs with later products (they add up to the model's pair count).
    later_pairs: u64,
    /// (this category, another category, orders) over pairs with later products.
    category_pairs: Vec<(u32, u32, u64)>,
}

/// Every product's row summed from `same` (and the customer pairs of `counts` when they weigh), scored, cut
/// to its top K, and read for the category co-purchases.
fn finish_rows(
    counts: &Counts,
    same: &PairSource,
    scoring: &Scoring,
    (cat_of, n_cats): (&[u32], usize),
    wanted: Option<&[bool]>,
) -> Vec<FinishedRow> {
    let n = counts.n_products as usize;
    let same = same.rows(n);
    let customer_pairs = PairSource::Table(&counts.customer_pairs);
    let customer = (scoring.customer_weight > 0.0).then(|| customer_pairs.rows(n));
    let alone: Vec<Alone> = counts.item.iter().map(|c| Alone::new(scoring, c.weight as f64)).collect();
    super::par_map_scratch(
        n,
        || (RowSums::new(n, customer.is_some()), CategoryRow::new(n_cats)),
        |(row, cats), a| {
            if wanted.is_some_and(|w| !w[a]) {
                return FinishedRow { neighbours: Vec::new(), later_pairs: 0, category_pairs: Vec::new() };
            }
            let a = a as ProductIdx;
            same.for_each(a, |b, pc| row.add(b, pc, false));
            if let Some(customer) = &customer {
                customer.for_each(a, |b, pc| row.add(b, pc, true));
            }
            let later_pairs = row.later_pairs(a).count() as u64;
            let category_pairs = cats.sum(cat_of[a as usize], row.later_pairs(a), cat_of);
            let neighbours = row.neighbours(scoring, &alone, a, counts.order_weight);
            FinishedRow { neighbours, later_pairs, category_pairs }
        },
    )
}
