//! From counts to what queries read: top-K neighbours per product, popularity and trending.

use super::categories::CategoryLink;
use super::counts::{unpair, Counts, PairCount, PairTable, WEIGHT_SCALE};
use crate::catalog::{Catalog, ProductIdx};
use crate::config::{Config, Measure};
use crate::flat::{Column, Csr};
use serde::{Deserialize, Serialize};

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

    /// Score of candidate `b` for product `a` from weights: `co` together, `na` and `nb` alone, `n` in all.
    pub fn pair(&self, pc: PairCount, na: u64, nb: u64, n: u64) -> f64 {
        let (a, b) = (Alone::new(self, na as f64), Alone::new(self, nb as f64));
        self.pair_with(pc.count, pc.weight as f64, a, b, n as f64)
    }

    /// [`Scoring::pair`] from weights as floats, with each product's powers computed once per product.
    #[inline]
    pub fn pair_with(&self, count: u32, co: f64, a: Alone, b: Alone, n: f64) -> f64 {
        if count < self.min_support {
            return 0.0;
        }
        let raw = match self.measure {
            Measure::Default | Measure::Cosine | Measure::Auto => co / (a.w * b.w).sqrt(),
            Measure::Confidence => co / a.w,
            Measure::Lift => co * n.max(1.0) / (a.w * b.w),
            Measure::Jaccard => co / (a.w + b.w - co).max(1.0),
            Measure::AsymmetricCosine => co * a.inv_pow_alpha * b.inv_pow_rest,
        };
        if self.shrinkage > 0.0 {
            raw * (count as f64 / (count as f64 + self.shrinkage))
        } else {
            raw
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

/// Where each product's pairs sit in a `PairTable` (sorted by key, so a product's pairs with later products
/// are one run; its pairs with earlier ones are listed by position).
struct TableIndex {
    row_start: Vec<usize>,
    col_start: Vec<usize>,
    col_pos: Vec<u32>,
}

impl TableIndex {
    fn build(table: &PairTable, n: usize) -> TableIndex {
        let entries = table.entries();
        assert!(entries.len() <= u32::MAX as usize, "more than 2^32 pairs");
        let mut row_start = vec![0usize; n + 1];
        let mut col_start = vec![0usize; n + 1];
        for &(k, _) in entries {
            let (a, b) = unpair(k);
            row_start[a as usize + 1] += 1;
            col_start[b as usize + 1] += 1;
        }
        for i in 0..n {
            row_start[i + 1] += row_start[i];
            col_start[i + 1] += col_start[i];
        }
        let mut fill = col_start.clone();
        let mut col_pos = vec![0u32; entries.len()];
        for (pos, &(k, _)) in entries.iter().enumerate() {
            let b = unpair(k).1 as usize;
            col_pos[fill[b]] = pos as u32;
            fill[b] += 1;
        }
        TableIndex { row_start, col_start, col_pos }
    }

    /// Every pair of `a`: (the other product, its count).
    fn pairs_of<'t>(
        &'t self,
        table: &'t PairTable,
        a: ProductIdx,
    ) -> impl Iterator<Item = (ProductIdx, PairCount)> + 't {
        let entries = table.entries();
        let a = a as usize;
        let row = entries[self.row_start[a]..self.row_start[a + 1]].iter().map(|&(k, c)| (unpair(k).1, c));
        let col = self.col_pos[self.col_start[a]..self.col_start[a + 1]].iter().map(move |&p| {
            let (k, c) = entries[p as usize];
            (unpair(k).0, c)
        });
        col.chain(row)
    }
}

/// One product's same-order and customer counts by other product (dense, one per thread).
struct RowSums {
    same: Vec<PairCount>,
    customer: Vec<PairCount>,
    touched: Vec<ProductIdx>,
}

impl RowSums {
    fn new(n: usize) -> RowSums {
        RowSums { same: vec![PairCount::default(); n], customer: vec![PairCount::default(); n], touched: Vec::new() }
    }

    fn add(&mut self, b: ProductIdx, pc: PairCount, customer: bool) {
        let i = b as usize;
        if self.same[i].count == 0 && self.customer[i].count == 0 {
            self.touched.push(b);
        }
        let slot = if customer { &mut self.customer[i] } else { &mut self.same[i] };
        slot.count += pc.count;
        slot.weight += pc.weight;
    }

    /// Score every touched product for `a` and keep the best; the sums are empty afterwards.
    fn neighbours(&mut self, scoring: &Scoring, alone: &[Alone], a: ProductIdx, n: u64) -> Vec<Neighbor> {
        let (na, n) = (alone[a as usize], n as f64);
        let (same, customer) = (&self.same, &self.customer);
        keep_companions(&mut self.touched, scoring.companions, |b| same[b as usize].count + customer[b as usize].count);
        let mut out = Vec::with_capacity(self.touched.len().min(scoring.companions));
        for (rank, b) in self.touched.drain(..).enumerate() {
            if rank >= scoring.companions {
                self.same[b as usize] = PairCount::default();
                self.customer[b as usize] = PairCount::default();
                continue;
            }
            let same = std::mem::take(&mut self.same[b as usize]);
            let customer = std::mem::take(&mut self.customer[b as usize]);
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
        let n = counts.n_products as usize;
        let scoring = Scoring::new(config, measure);
        let same = TableIndex::build(&counts.pairs, n);
        let customer = (scoring.customer_weight > 0.0).then(|| TableIndex::build(&counts.customer_pairs, n));
        let item_w: Vec<u64> = counts.item.iter().map(|c| c.weight).collect();
        let alone: Vec<Alone> = item_w.iter().map(|&w| Alone::new(&scoring, w as f64)).collect();
        let neighbors: Vec<Vec<Neighbor>> = super::par_map_scratch(
            n,
            || RowSums::new(n),
            |row, a| {
                let a = a as ProductIdx;
                for (b, pc) in same.pairs_of(&counts.pairs, a) {
                    row.add(b, pc, false);
                }
                if let Some(index) = &customer {
                    for (b, pc) in index.pairs_of(&counts.customer_pairs, a) {
                        row.add(b, pc, true);
                    }
                }
                row.neighbours(&scoring, &alone, a, counts.order_weight)
            },
        );

        let max_w = item_w.iter().copied().max().unwrap_or(0).max(1) as f64;
        let popularity: Vec<f32> = item_w.iter().map(|&w| (w as f64 / max_w) as f32).collect();
        let mut by_pop: Vec<ProductIdx> = (0..n as u32).filter(|&i| counts.item[i as usize].count > 0).collect();
        by_pop.sort_unstable_by(|&x, &y| item_w[y as usize].cmp(&item_w[x as usize]).then(x.cmp(&y)));

        let mut category_popular: std::collections::BTreeMap<String, Vec<ProductIdx>> = Default::default();
        for &i in &by_pop {
            if let Some(c) = &catalog.product(i).category {
                let v = category_popular.entry(c.to_string()).or_default();
                if v.len() < CATEGORY_KEPT {
                    v.push(i);
                }
            }
        }

        let category_links = link_categories(counts, catalog, &category_popular);

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
        let _ = WEIGHT_SCALE;

        Model {
            measure_name: measure.name().to_string(),
            neighbors: neighbors.into(),
            item_orders: counts.item.iter().map(|c| c.count).collect(),
            units: counts.units.clone().into(),
            popularity: popularity.into(),
            popular: by_pop.into_iter().take(POPULAR_KEPT).collect(),
            trending,
            category_popular: category_popular.into_iter().collect(),
            category_links,
            orders: counts.orders,
            pairs: counts.pairs.len() as u64,
        }
    }

    /// The neighbours of `a`, best first. A list naming a product past the catalog (damaged bytes of an opened
    /// file: lists are checked when read, not all at open) reads as empty.
    pub fn neighbours(&self, a: ProductIdx) -> &[Neighbor] {
        let row = self.neighbors.row(a as usize);
        let n = self.item_orders.len();
        if row.iter().all(|nb| (nb.item as usize) < n) {
            row
        } else {
            &[]
        }
    }

    /// The learned association of `b` for `a`, if it made a's top K.
    pub fn neighbor(&self, a: ProductIdx, b: ProductIdx) -> Option<&Neighbor> {
        self.neighbours(a).iter().find(|n| n.item == b)
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

/// Category links over the categories of `category_popular` (sorted by name, so positions are stable).
fn link_categories(
    counts: &Counts,
    catalog: &Catalog,
    category_popular: &std::collections::BTreeMap<String, Vec<ProductIdx>>,
) -> Vec<Vec<CategoryLink>> {
    let names: Vec<&str> = category_popular.keys().map(String::as_str).collect();
    let position = |p: &crate::catalog::Product| {
        p.category.and_then(|c| names.binary_search(&c).ok()).map_or(u32::MAX, |i| i as u32)
    };
    let cat_of: Vec<u32> = (0..counts.n_products).map(|i| position(&catalog.product(i))).collect();
    let item_orders: Vec<u32> = counts.item.iter().map(|c| c.count).collect();
    super::categories::category_links(&counts.pairs, &item_orders, &cat_of, names.len())
}
