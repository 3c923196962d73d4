//! Self-tuning (`measure: "auto"`): each shop's own newest orders choose how its counts become suggestions.
//!
//! The newest [`HOLDOUT_FRACTION`] of orders is held out. Each held-out order of two or more known products
//! becomes a "complete the basket" query: one product (picked by a hash of the order's position, so the
//! choice is deterministic) is hidden, the rest is the cart. Every candidate setting ranks suggestions for
//! those carts from the older orders alone, the way a query does (cart lines seed their top-K neighbours,
//! weighted by value share or equally, missing entries of cut lists credited or not, blended with popularity
//! or not, cart products excluded, a per-category cap with fill in rank order, then popular products). A
//! candidate replaces the current one when it finds the hidden product in the top 10 for clearly more
//! queries (a sign test, see [`better`]); a larger `top_k`, which costs query time, must win the same way, a
//! smaller one only not lose. Settings the merchant configured are not tuned.
//!
//! The search is coordinate descent over the dimensions in a fixed order, two rounds: deterministic, and a
//! few dozen evaluations instead of the whole grid. Rows are counted once, for the query products only, with
//! every candidate weighting side by side, so an evaluation only rescores them.

use super::counts::{order_weight, Basket, Postings};
use super::finish::{keep_companions, Alone, Scoring, MAX_COMPANIONS};
use crate::catalog::{Catalog, ProductIdx};
use crate::config::{BasketWeight, CartWeight, Config, Measure};
use serde::{Deserialize, Serialize};

/// Share of orders (the newest) held out to tune on.
pub const HOLDOUT_FRACTION: f64 = 0.1;
/// At most this many held-out queries are scored (evenly spaced over the held-out orders).
pub const MAX_QUERIES: usize = 2_000;
/// Fewer queries than this: too little data to tune; the fallback settings are used.
pub const MIN_QUERIES: usize = 100;
/// A candidate must beat the current one by this many standard deviations of a sign test to be taken.
pub const NOISE_Z: f64 = 1.0;
const K: usize = 10;
const HALF_LIVES: [f64; 2] = [0.0, 180.0];
const TOP_KS: [usize; 4] = [50, 100, 200, 400];
const SHRINKAGES: [f64; 4] = [0.0, 2.0, 5.0, 10.0];
const CAPS: [usize; 3] = [0, 2, 3];
const CUT_CREDITS: [f64; 2] = [0.0, 1.0];
const POPULARITY_PRIORS: [f64; 2] = [0.0, 0.5];
const POPULAR_FILL: usize = 50;
/// Ranked suggestions the category cap may look through to fill 10.
const SHORTLIST: usize = K * 20;

/// What the tuner chose and what it measured; kept in the model's train stats.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TuneReport {
    /// One line for people: "auto: jaccard, top_k 200, ... — HR@10 0.31 vs 0.23 for the old default on ...".
    pub summary: String,
    pub queries: usize,
    pub hit_rate: f64,
    pub ndcg: f64,
    /// The settings of the default before `auto` (`measure: "default"`), on the same queries.
    pub old_default_hit_rate: f64,
    pub evaluations: usize,
    /// True when there were too few held-out queries and the fallback settings were used.
    pub fallback: bool,
    /// What was chosen for the personal weights (absent when the merchant set them, personalization is off,
    /// or the model was trained before they were tuned).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personal: Option<PersonalTuneReport>,
}

/// What `auto` chose for `history_weight`, `cart_buy_again_weight` and `buy_again_weight` on the held-out
/// orders of returning customers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PersonalTuneReport {
    /// One line for people: "personal: history_weight 0, cart_buy_again_weight 0.2 — HR@10 0.29 vs 0.27 ...".
    pub summary: String,
    pub queries: usize,
    /// The weights chosen (absent: set by the merchant, or not tuned).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history_weight: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cart_buy_again_weight: Option<f64>,
    pub hit_rate: f64,
    /// HR@10 with the weights unset, on the same queries.
    pub unset_hit_rate: f64,
    /// `buy_again_weight` chosen on the next-order queries (absent: set by the merchant, or not tuned).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buy_again_weight: Option<f64>,
    /// Next-order queries (the customer's previous order as the cart, after a purchase), and HR@10 on them
    /// with the chosen and the unset `buy_again_weight` (0 when it was not tuned).
    #[serde(default)]
    pub next_queries: usize,
    #[serde(default)]
    pub next_hit_rate: f64,
    #[serde(default)]
    pub next_unset_hit_rate: f64,
    /// True when there were too few such orders and the weights stayed unset.
    pub fallback: bool,
}

/// One point of the search.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Candidate {
    measure: Measure,
    alpha: f64,
    shrinkage: f64,
    top_k: usize,
    half_life: f64,
    basket: BasketWeight,
    cart: CartWeight,
    cap: usize,
    credit: f64,
    prior: f64,
}

impl Candidate {
    /// The settings `measure: "default"` had before `auto`.
    fn old_default() -> Candidate {
        Candidate {
            measure: Measure::Default,
            alpha: 0.5,
            shrinkage: 5.0,
            top_k: 50,
            half_life: 180.0,
            basket: BasketWeight::Equal,
            cart: CartWeight::Value,
            cap: 2,
            credit: 0.0,
            prior: 0.0,
        }
    }

    /// Write the candidate into `config` (every tuned setting becomes explicit).
    fn apply(&self, config: &Config) -> Config {
        Config {
            measure: self.measure,
            asymmetric_alpha: Some(self.alpha),
            shrinkage: Some(self.shrinkage),
            top_k: Some(self.top_k),
            half_life_days: Some(self.half_life),
            basket_weight: Some(self.basket),
            cart_weight: Some(self.cart),
            max_per_category: Some(self.cap),
            cut_credit: Some(self.credit),
            popularity_prior: Some(self.prior),
            customer_weight: Some(config.customer_weight()),
            max_companions: Some(config.max_companions.unwrap_or(MAX_COMPANIONS)),
            ..config.clone()
        }
    }

    fn describe(&self) -> String {
        let measure = match self.measure {
            Measure::AsymmetricCosine => format!("asymmetric cosine (alpha {})", self.alpha),
            m => m.name().to_string(),
        };
        let shrink = if self.shrinkage > 0.0 { format!("shrinkage {}", self.shrinkage) } else { "no shrinkage".into() };
        let basket = match self.basket {
            BasketWeight::Equal => "equal order weights",
            BasketWeight::InverseSqrt => "1/sqrt(basket) weights",
        };
        let decay = if self.half_life > 0.0 { format!("half-life {} days", self.half_life) } else { "no decay".into() };
        let cart = match self.cart {
            CartWeight::Value => "cart lines by value",
            CartWeight::Equal => "cart lines equal",
        };
        let cap = if self.cap > 0 { format!("at most {} per category", self.cap) } else { "no category cap".into() };
        let credit = if self.credit > 0.0 { format!(", cut-list credit {}", self.credit) } else { String::new() };
        let prior = if self.prior > 0.0 { format!(", popularity prior {}", self.prior) } else { String::new() };
        format!("{measure}, {shrink}, top_k {}, {basket}, {decay}, {cart}, {cap}{credit}{prior}", self.top_k)
    }
}

/// The values each dimension may take: the configured one alone when the merchant set it.
struct Space {
    measures: Vec<(Measure, f64)>,
    shrinkages: Vec<f64>,
    top_ks: Vec<usize>,
    half_lives: Vec<f64>,
    baskets: Vec<BasketWeight>,
    carts: Vec<CartWeight>,
    caps: Vec<usize>,
    credits: Vec<f64>,
    priors: Vec<f64>,
}

impl Space {
    fn new(config: &Config) -> Space {
        fn pick<T: Copy>(set: Option<T>, all: &[T]) -> Vec<T> {
            set.map_or_else(|| all.to_vec(), |v| vec![v])
        }
        let measures = match config.asymmetric_alpha {
            Some(a) => vec![(Measure::AsymmetricCosine, a)],
            None => vec![
                (Measure::Default, 0.5),
                (Measure::Cosine, 0.5),
                (Measure::Jaccard, 0.5),
                (Measure::Confidence, 0.5),
                (Measure::AsymmetricCosine, 0.25),
                (Measure::AsymmetricCosine, 0.75),
            ],
        };
        Space {
            measures,
            shrinkages: pick(config.shrinkage, &SHRINKAGES),
            top_ks: pick(config.top_k, &TOP_KS),
            half_lives: pick(config.half_life_days, &HALF_LIVES),
            baskets: pick(config.basket_weight, &[BasketWeight::Equal, BasketWeight::InverseSqrt]),
            carts: pick(config.cart_weight, &[CartWeight::Value, CartWeight::Equal]),
            caps: pick(config.max_per_category, &CAPS),
            credits: pick(config.cut_credit, &CUT_CREDITS),
            priors: pick(config.popularity_prior, &POPULARITY_PRIORS),
        }
    }

    /// A catalog without categories has nothing to cap: the cap is not searched, and the model says so
    /// ("no category cap") instead of keeping a cap that could only act on categories added later.
    fn for_catalog(mut self, catalog: &Catalog) -> Space {
        let categorized = (0..catalog.len() as ProductIdx).any(|p| catalog.category(p).is_some_and(|c| !c.is_empty()));
        if !categorized && self.caps.len() > 1 {
            self.caps = vec![0];
        }
        self
    }

    /// Where the search starts: the first value of each dimension, the old default where it is allowed.
    fn start(&self) -> Candidate {
        let old = Candidate::old_default();
        Candidate {
            measure: self.measures[0].0,
            alpha: self.measures[0].1,
            shrinkage: if self.shrinkages.contains(&old.shrinkage) { old.shrinkage } else { self.shrinkages[0] },
            top_k: self.top_ks[0],
            half_life: if self.half_lives.contains(&old.half_life) { old.half_life } else { self.half_lives[0] },
            basket: self.baskets[0],
            cart: self.carts[0],
            cap: if self.caps.contains(&old.cap) { old.cap } else { self.caps[0] },
            credit: self.credits[0],
            prior: self.priors[0],
        }
    }

    /// Every candidate that differs from `c` in dimension `dim` only.
    fn along(&self, c: Candidate, dim: usize) -> Vec<Candidate> {
        match dim {
            0 => self.measures.iter().map(|&(measure, alpha)| Candidate { measure, alpha, ..c }).collect(),
            1 => self.baskets.iter().map(|&basket| Candidate { basket, ..c }).collect(),
            2 => self.half_lives.iter().map(|&half_life| Candidate { half_life, ..c }).collect(),
            3 => self.shrinkages.iter().map(|&shrinkage| Candidate { shrinkage, ..c }).collect(),
            4 => self.top_ks.iter().map(|&top_k| Candidate { top_k, ..c }).collect(),
            5 => self.carts.iter().map(|&cart| Candidate { cart, ..c }).collect(),
            6 => self.caps.iter().map(|&cap| Candidate { cap, ..c }).collect(),
            7 => self.credits.iter().map(|&credit| Candidate { credit, ..c }).collect(),
            _ => self.priors.iter().map(|&prior| Candidate { prior, ..c }).collect(),
        }
    }
    const DIMENSIONS: usize = 9;

    /// The count weightings the search may use: (half-life, basket weight) pairs.
    fn channels(&self) -> Vec<(f64, BasketWeight)> {
        self.half_lives.iter().flat_map(|&h| self.baskets.iter().map(move |&b| (h, b))).collect()
    }
}

/// A held-out "complete the basket" query.
struct Query {
    /// (product, line value) of the cart.
    cart: Vec<(ProductIdx, i64)>,
    /// Per cart line, its product's row (position in `Bench::products`).
    rows: Vec<u32>,
    hidden: ProductIdx,
}

/// A query product's co-occurrence row over the older orders: per other product its order count and its
/// weight under every channel.
struct Row {
    others: Vec<ProductIdx>,
    counts: Vec<u32>,
    /// `weights[ch][e]`: channel-major, so a scoring pass reads only its channel.
    weights: Vec<Vec<f32>>,
}

/// Everything an evaluation reads.
struct Bench<'a> {
    catalog: &'a Catalog,
    queries: Vec<Query>,
    channels: Vec<(f64, BasketWeight)>,
    /// Per query product (by position in `products`), its row.
    products: Vec<ProductIdx>,
    rows: Vec<Row>,
    /// Per channel: each product's weight alone, and all orders' weight.
    alone: Vec<Vec<f32>>,
    total: Vec<f64>,
    popular: Vec<ProductIdx>,
    /// Per product, its category as an id (equal names, equal ids), 0 for none: the cap compares numbers.
    category: Vec<u32>,
    /// The `top_k` values searched, ascending; `max_top_k` the largest.
    top_ks: Vec<usize>,
    max_top_k: usize,
}

/// Which neighbour lists a candidate ranks with: everything but `top_k`, the cart weighting and the cap.
#[derive(Debug, Clone, Copy, PartialEq)]
struct ListKey {
    measure: Measure,
    alpha: f64,
    shrinkage: f64,
    half_life: f64,
    basket: BasketWeight,
}

impl ListKey {
    fn of(c: &Candidate) -> ListKey {
        ListKey { measure: c.measure, alpha: c.alpha, shrinkage: c.shrinkage, half_life: c.half_life, basket: c.basket }
    }
}

/// Per query product (in `Bench::products` order), its best neighbours with scores.
type Lists = Vec<Vec<(ProductIdx, f32)>>;

/// One candidate's scoring of the rows: its channel, measure, each product's other term, all orders' weight,
/// and the `top_k` values its lists must nest (ascending, the last its depth).
struct ScoringPass {
    ch: usize,
    scoring: Scoring,
    terms: Vec<f32>,
    n: f64,
    top_ks: Vec<usize>,
}

/// Channel weights are kept in whole orders as f32; scores read them in the fixed point of `Counts`.
const SCALE: f64 = super::counts::WEIGHT_SCALE as f64;

/// Tune the unset settings of `config` on the newest orders; `None` when `config.measure` is not `auto`.
/// The returned config has every tuned setting written out.
pub fn tune(baskets: &[Basket], catalog: &Catalog, config: &Config) -> Option<(Config, TuneReport)> {
    if config.measure != Measure::Auto {
        return None;
    }
    let space = Space::new(config).for_catalog(catalog);
    let Some(bench) = Bench::new(baskets, catalog, &space) else {
        let why = format!("too few orders to tune (fewer than {MIN_QUERIES} held-out baskets of 2+ products)");
        return Some(fallback(config, &why));
    };
    let mut search = Search { bench: &bench, budget: LISTS_BUDGET, lists: Vec::new(), scored: Vec::new() };
    let (best, best_score) = search.descend(&space);
    let old = search.score(&Candidate::old_default());
    let report = TuneReport {
        summary: format!(
            "auto: {} — HR@10 {:.4} vs {:.4} for the old default on {} held-out orders",
            best.describe(),
            best_score.hit_rate,
            old.hit_rate,
            bench.queries.len()
        ),
        queries: bench.queries.len(),
        hit_rate: best_score.hit_rate,
        ndcg: best_score.ndcg,
        old_default_hit_rate: old.hit_rate,
        evaluations: search.scored.len(),
        fallback: false,
        personal: None,
    };
    Some((best.apply(config), report))
}

/// The settings `auto` falls back to when it cannot tune (`why`): the old default where the merchant set
/// nothing, customer pairs included. Training on too few orders takes it, and so does an engine finished from
/// merged counts (tuning needs the orders, which counts no longer hold). `config` is returned unchanged
/// when its measure is not `auto`.
pub fn fallback(config: &Config, why: &str) -> (Config, TuneReport) {
    if config.measure != Measure::Auto {
        return (config.clone(), TuneReport::default());
    }
    let chosen = Space::new(config).start();
    let config = Config { customer_weight: Some(config.customer_weight.unwrap_or(0.3)), ..config.clone() };
    let report =
        TuneReport { summary: format!("auto: {why}; {}", chosen.describe()), fallback: true, ..Default::default() };
    (chosen.apply(&config), report)
}

/// The state of one search: every candidate scored so far, and the neighbour lists at hand.
struct Search<'b, 'a> {
    bench: &'b Bench<'a>,
    /// Lists made in one pass hold at most about this many bytes.
    budget: usize,
    /// The best candidate's lists, and those made for the candidates about to be scored.
    lists: Vec<Made>,
    scored: Vec<(Candidate, Score)>,
}

/// Neighbour lists of one [`ListKey`], `depth` deep (enough for every `top_k` up to it).
struct Made {
    key: ListKey,
    depth: usize,
    lists: Lists,
}

/// What the lists made in one pass may hold, in bytes.
const LISTS_BUDGET: usize = 96 << 20;

impl Search<'_, '_> {
    /// Coordinate descent from the start of `space`, two rounds at most: the best candidate and its score.
    fn descend(&mut self, space: &Space) -> (Candidate, Score) {
        let start = space.start();
        let mut best = (start, self.score(&start));
        for _round in 0..2 {
            let before = best.0;
            for dim in 0..Space::DIMENSIONS {
                let along: Vec<Candidate> = space.along(best.0, dim).into_iter().filter(|c| *c != best.0).collect();
                best = self.step(&along, best);
            }
            if best.0 == before {
                break;
            }
        }
        best
    }

    fn seen(&self, c: &Candidate) -> Option<&Score> {
        self.scored.iter().find(|(seen, _)| seen == c).map(|(_, s)| s)
    }

    fn lists_for(&self, c: &Candidate) -> Option<&Lists> {
        let key = ListKey::of(c);
        self.lists.iter().find(|m| m.key == key && m.depth >= c.top_k).map(|m| &m.lists)
    }

    /// Score `cands` in order, each against the best so far, making the lists they lack in as few passes
    /// over the rows as the budget allows (the rows are read once a pass, not once a candidate); returns the
    /// new best and its score.
    fn step(&mut self, cands: &[Candidate], mut best: (Candidate, Score)) -> (Candidate, Score) {
        let mut i = 0;
        while i < cands.len() {
            let group = &cands[i..(i + self.batch(cands[i].top_k)).min(cands.len())];
            self.prepare(group);
            for c in group {
                let s = self.score(c);
                if better(&s, c.top_k, &best.1, best.0.top_k) {
                    best = (*c, s);
                }
            }
            let keep = ListKey::of(&best.0);
            self.lists.retain(|m| m.key == keep);
            i += group.len();
        }
        best
    }

    /// How many list sets `depth` deep fit the budget.
    fn batch(&self, depth: usize) -> usize {
        let set = self.bench.rows.len() * depth.min(self.bench.max_top_k) * std::mem::size_of::<(ProductIdx, f32)>();
        (self.budget / set.max(1)).max(1)
    }

    /// Make in one pass the lists of the candidates in `group` not scored yet and without lists at hand.
    fn prepare(&mut self, group: &[Candidate]) {
        let mut wanted: Vec<(Candidate, usize)> = Vec::new();
        for c in group.iter().filter(|c| self.seen(c).is_none() && self.lists_for(c).is_none()) {
            match wanted.iter_mut().find(|(w, _)| ListKey::of(w) == ListKey::of(c)) {
                Some((_, depth)) => *depth = (*depth).max(c.top_k),
                None => wanted.push((*c, c.top_k)),
            }
        }
        if wanted.is_empty() {
            return;
        }
        let made = self.bench.neighbours(&wanted);
        let made = wanted.iter().zip(made).map(|(&(c, depth), lists)| Made { key: ListKey::of(&c), depth, lists });
        self.lists.extend(made);
    }

    /// A candidate's score; the second round revisits candidates around a best that did not move, and those
    /// are looked up, not scored again.
    fn score(&mut self, c: &Candidate) -> Score {
        if let Some(s) = self.seen(c) {
            return s.clone();
        }
        if self.lists_for(c).is_none() {
            self.prepare(std::slice::from_ref(c));
        }
        let s = self.bench.evaluate(c, self.lists_for(c).expect("lists just made"));
        self.scored.push((*c, s.clone()));
        s
    }
}

/// A candidate's result on the held-out queries.
#[derive(Debug, Clone)]
struct Score {
    /// Per query: the hidden product was in the top 10.
    hits: Vec<bool>,
    hit_rate: f64,
    ndcg: f64,
}

/// Should the search move from `old` (lists of `k_old`) to `new` (lists of `k_new`)? Only when `new` wins on
/// the queries where the two disagree by more than [`NOISE_Z`] standard deviations (a sign test): on a small
/// shop, differences of a few queries are noise, and the start (the old default) stays. Smaller lists cost
/// less query time and are taken when no worse.
fn better(new: &Score, k_new: usize, old: &Score, k_old: usize) -> bool {
    if k_new < k_old {
        let (gained, lost) = gained_and_lost(&new.hits, &old.hits);
        return gained >= lost;
    }
    clearly_better(&new.hits, &old.hits)
}

/// Queries `new` hits and `old` misses, and the reverse.
fn gained_and_lost(new: &[bool], old: &[bool]) -> (usize, usize) {
    let gained = new.iter().zip(old).filter(|(n, o)| **n && !**o).count();
    let lost = new.iter().zip(old).filter(|(n, o)| !**n && **o).count();
    (gained, lost)
}

/// Do the hits of `new` beat those of `old` (same queries) by more than [`NOISE_Z`] standard deviations of
/// a sign test over the queries where the two disagree?
pub(crate) fn clearly_better(new: &[bool], old: &[bool]) -> bool {
    let (gained, lost) = gained_and_lost(new, old);
    let (gained, lost) = (gained as f64, lost as f64);
    gained - lost > NOISE_Z * (gained + lost).sqrt()
}

/// A deterministic hash of an order's position (splitmix64), to pick the product it hides.
pub(crate) fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

impl<'a> Bench<'a> {
    fn new(baskets: &[Basket], catalog: &'a Catalog, space: &Space) -> Option<Bench<'a>> {
        let (older, newer) = split_by_time(baskets);
        let mut queries = held_out_queries(baskets, catalog, &newer)?;
        let products = query_products(&mut queries);
        let train = Flat::new(baskets, &older);
        let channels = space.channels();
        let basket_w = channel_weights(baskets, &older, &channels);
        let n = catalog.len();
        let alone = AloneSums::of(&train, &basket_w, channels.len(), n);
        let postings = Postings::of_lists(train.len(), |bi| train.items(bi), n);
        let rows = super::par_map_scratch(
            products.len(),
            || RowAcc::new(n, channels.len()),
            |acc, i| acc.row(products[i], &postings, &train, &basket_w),
        );
        let popular = alone.most_ordered(POPULAR_FILL);
        let mut top_ks = space.top_ks.clone();
        top_ks.sort_unstable();
        let max_top_k = *top_ks.last().expect("a top_k to search");
        let category = category_ids(catalog);
        let AloneSums { weights: alone, total, .. } = alone;
        Some(Bench { catalog, queries, channels, products, rows, alone, total, popular, category, top_ks, max_top_k })
    }

    /// Each product's popularity as the model would keep it under `c`'s count weighting: its weight over
    /// the most ordered product's.
    fn popularity(&self, c: &Candidate) -> Vec<f32> {
        let ch = self.channels.iter().position(|&x| x == (c.half_life, c.basket)).expect("channel counted");
        let max = self.alone[ch].iter().copied().fold(0.0, f32::max).max(f32::MIN_POSITIVE);
        self.alone[ch].iter().map(|&w| w / max).collect()
    }

    /// (HR@10, NDCG@10) of a candidate, ranking with `lists` (its neighbour lists), on the held-out queries.
    fn evaluate(&self, c: &Candidate, lists: &Lists) -> Score {
        let popularity = if c.prior > 0.0 { self.popularity(c) } else { Vec::new() };
        let per_query = super::par_map_scratch(
            self.queries.len(),
            || Ranker::new(self.catalog.len()),
            |ranker, i| {
                let q = &self.queries[i];
                self.rank(q, lists, c, &popularity, ranker);
                ranker.shown.iter().position(|&p| p == q.hidden)
            },
        );
        let n = self.queries.len().max(1) as f64;
        Score {
            hits: per_query.iter().map(Option::is_some).collect(),
            hit_rate: per_query.iter().filter(|r| r.is_some()).count() as f64 / n,
            ndcg: per_query.iter().flatten().map(|&r| 1.0 / ((r + 2) as f64).log2()).sum::<f64>() / n,
        }
    }

    /// Per wanted (candidate, depth): every query product's top `depth` neighbours under the candidate's
    /// scoring. One pass over the rows: a row is read from memory once and scored for every candidate.
    fn neighbours(&self, wanted: &[(Candidate, usize)]) -> Vec<Lists> {
        let passes: Vec<ScoringPass> = wanted.iter().map(|(c, depth)| self.scoring_pass(c, *depth)).collect();
        let per_row = super::par_map_scratch(self.rows.len(), Vec::new, |scored: &mut Vec<u64>, r| {
            passes.iter().map(|pass| self.row_top(pass, r, scored)).collect::<Vec<_>>()
        });
        let mut sets: Vec<Lists> = wanted.iter().map(|_| Vec::with_capacity(self.rows.len())).collect();
        for row in per_row {
            for (set, lists) in sets.iter_mut().zip(row) {
                set.push(lists);
            }
        }
        sets
    }

    /// What scoring the rows for one candidate needs.
    fn scoring_pass(&self, c: &Candidate, depth: usize) -> ScoringPass {
        let ch = self.channels.iter().position(|&x| x == (c.half_life, c.basket)).expect("channel counted");
        let scoring = Scoring {
            measure: c.measure,
            alpha: c.alpha,
            shrinkage: c.shrinkage,
            min_support: if c.measure == Measure::Default { 3 } else { 0 },
            top_k: self.max_top_k,
            customer_weight: 0.0,
            companions: MAX_COMPANIONS,
        };
        // Read once per row entry, at random: 4 bytes a product stay in cache where a whole `Alone` did not.
        let terms = self.alone[ch].iter().map(|&w| scoring.other_term(Alone::new(&scoring, w as f64 * SCALE)) as f32);
        let top_ks = self.top_ks.iter().copied().filter(|&k| k < depth).chain([depth]).collect();
        ScoringPass { ch, scoring, terms: terms.collect(), n: self.total[ch] * SCALE, top_ks }
    }

    /// Row `r`'s best neighbours under one pass's scoring, nested by the searched `top_k` values.
    fn row_top(&self, pass: &ScoringPass, r: usize, scored: &mut Vec<u64>) -> Vec<(ProductIdx, f32)> {
        let ScoringPass { ch, scoring, terms, n, top_ks } = pass;
        let row = &self.rows[r];
        let na = Alone::new(scoring, self.alone[*ch][self.products[r] as usize] as f64 * SCALE);
        let weights = &row.weights[*ch];
        let len = weights.len();
        let (others, counts) = (&row.others[..len], &row.counts[..len]);
        // Every pair's key is written and only the positive finite ones counted: no branch on the data.
        scored.clear();
        scored.resize(len, 0);
        let mut kept = 0;
        scoring.each_pair_with_term(
            na,
            *n,
            len,
            |e| (counts[e], weights[e] as f64 * SCALE, terms[others[e] as usize] as f64),
            |e, s| {
                scored[kept] = rank_key(s as f32, others[e]);
                kept += usize::from(s > 0.0 && s.is_finite());
            },
        );
        scored.truncate(kept);
        nested_top(scored, top_ks)
    }

    /// The top 10 of a query as a storefront would show it, into `r.shown`.
    fn rank(&self, q: &Query, lists: &Lists, c: &Candidate, popularity: &[f32], r: &mut Ranker) {
        self.score_cart(q, lists, c, popularity, r);
        let Ranker { ranked, shown, over, per, .. } = r;
        // `capped` reads suggestions in rank order until it shows 10: order a short prefix first, and all of
        // the SHORTLIST only when the cap skipped so many that the prefix ran out.
        let mut sorted = 0;
        for want in [2 * K, SHORTLIST] {
            let upto = want.min(ranked.len());
            if upto < ranked.len() {
                ranked[sorted..].select_nth_unstable(upto - sorted);
            }
            ranked[sorted..upto].sort_unstable();
            sorted = upto;
            if capped(&self.category, ranked[..upto].iter().map(|&k| unrank_key(k).0), c.cap, shown, over, per)
                || upto == ranked.len()
            {
                break;
            }
        }
        let in_cart = |p: ProductIdx| q.cart.iter().any(|l| l.0 == p);
        for &p in &self.popular {
            if shown.len() >= K {
                break;
            }
            if !in_cart(p) && !shown.contains(&p) {
                shown.push(p);
            }
        }
    }

    /// The cart's learned scores, into `r.ranked` as rank keys (cart products left out).
    fn score_cart(&self, q: &Query, lists: &Lists, c: &Candidate, popularity: &[f32], r: &mut Ranker) {
        let Ranker { scores, listed_cut, touched, ranked, .. } = r;
        let value: i64 = q.cart.iter().map(|l| l.1).sum();
        for (&(_, v), &row) in q.cart.iter().zip(&q.rows) {
            let w = match c.cart {
                CartWeight::Value if value > 0 => v as f32 / value as f32,
                _ => 1.0 / q.cart.len() as f32,
            };
            let list = &lists[row as usize][..lists[row as usize].len().min(c.top_k)];
            // Tuner lists are not sorted: the cut score (as a query reads it) is the list's smallest.
            let cut = if c.credit > 0.0 && list.len() >= c.top_k {
                w * list.iter().fold(f32::INFINITY, |m, e| m.min(e.1))
            } else {
                0.0
            };
            for &(b, s) in list {
                if scores[b as usize] == 0.0 {
                    touched.push(b);
                }
                scores[b as usize] += w * s;
                listed_cut[b as usize] += cut;
            }
        }
        // Scores are sums of positive scores: a negative one marks a cart product, left out below.
        for &(p, _) in &q.cart {
            scores[p as usize] = -scores[p as usize].abs();
        }
        // Debited as a query debits (see `Pool::seed`); rounding must not make a key negative.
        let credit = c.credit as f32;
        let credited = |b: ProductIdx| (scores[b as usize] - credit * listed_cut[b as usize]).max(0.0);
        let live = || touched.iter().copied().filter(|&b| scores[b as usize] > 0.0);
        let prior = c.prior as f32;
        // As a query blends: the learned score relative to the best, then popularity (`popularity_prior`).
        let top = if prior > 0.0 { live().map(credited).fold(0.0, f32::max) } else { 1.0 };
        let blended = |b: ProductIdx| {
            if prior > 0.0 {
                (1.0 - prior) * credited(b) / top + prior * popularity[b as usize]
            } else {
                credited(b)
            }
        };
        ranked.clear();
        ranked.extend(live().map(|b| rank_key(blended(b), b)));
        for &b in touched.iter() {
            scores[b as usize] = 0.0;
            listed_cut[b as usize] = 0.0;
        }
        touched.clear();
    }
}

/// An evaluation thread's scratch: a zeroed dense score row (zeroed again after each query) and buffers.
struct Ranker {
    scores: Vec<f32>,
    /// Per product, the cut scores of the cart lines whose lists hold it (see `Config::cut_credit`): kept
    /// apart from `scores`, where 0 means "not touched yet" and a debited entry could be 0.
    listed_cut: Vec<f32>,
    touched: Vec<ProductIdx>,
    ranked: Vec<u64>,
    shown: Vec<ProductIdx>,
    over: Vec<ProductIdx>,
    per: Vec<(u32, usize)>,
}

impl Ranker {
    fn new(n: usize) -> Ranker {
        Ranker {
            scores: vec![0.0; n],
            listed_cut: vec![0.0; n],
            touched: Vec::new(),
            ranked: Vec::new(),
            shown: Vec::with_capacity(K),
            over: Vec::new(),
            per: Vec::new(),
        }
    }
}

/// A positive score and its product packed so that ascending keys are best first, ties by lower product
/// index (a positive f32's bits order as the float does): selecting plain integers is several times faster
/// than selecting by a float comparator.
fn rank_key(score: f32, item: ProductIdx) -> u64 {
    !((u64::from(score.to_bits()) << 32) | u64::from(!item))
}

fn unrank_key(key: u64) -> (ProductIdx, f32) {
    let key = !key;
    (!(key as u32), f32::from_bits((key >> 32) as u32))
}

/// The neighbours in an order where every searched `top_k` is a prefix holding the best `top_k` (nested
/// partitions: ranking only sums scores, so nothing needs sorting). Reorders `keys` (see [`rank_key`]).
fn nested_top(keys: &mut [u64], top_ks: &[usize]) -> Vec<(ProductIdx, f32)> {
    let mut end = keys.len();
    for &k in top_ks.iter().rev() {
        if k < end {
            keys[..end].select_nth_unstable(k);
            end = k;
        }
    }
    let kept = keys.len().min(top_ks.last().copied().unwrap_or(0));
    keys[..kept].iter().map(|&k| unrank_key(k)).collect()
}

/// The first 10 of `ranked` with at most `cap` per category (0: no cap) into `shown`, filled in rank order
/// when short; `category` is each product's category id (0: none). True when 10 were shown before `ranked`
/// ran out (then no later suggestion could change `shown`).
fn capped(
    category: &[u32],
    ranked: impl Iterator<Item = ProductIdx>,
    cap: usize,
    shown: &mut Vec<ProductIdx>,
    over: &mut Vec<ProductIdx>,
    per: &mut Vec<(u32, usize)>,
) -> bool {
    shown.clear();
    over.clear();
    per.clear();
    let mut full = false;
    for p in ranked.take(SHORTLIST) {
        if shown.len() >= K {
            full = true;
            break;
        }
        let cat = category[p as usize];
        if cap > 0 && cat != 0 {
            match per.iter_mut().find(|e| e.0 == cat) {
                Some(e) if e.1 >= cap => {
                    over.push(p);
                    continue;
                }
                Some(e) => e.1 += 1,
                None => per.push((cat, 1)),
            }
        }
        shown.push(p);
    }
    let full = full || shown.len() >= K;
    shown.extend(over.iter().take(K.saturating_sub(shown.len())));
    full
}

/// Basket positions oldest first, split into the older orders and the newest [`HOLDOUT_FRACTION`].
pub(crate) fn split_by_time(baskets: &[Basket]) -> (Vec<usize>, Vec<usize>) {
    let mut by_time: Vec<usize> = (0..baskets.len()).collect();
    by_time.sort_by_key(|&i| (baskets[i].at, i));
    let held = ((baskets.len() as f64) * HOLDOUT_FRACTION).round() as usize;
    let newer = by_time.split_off(baskets.len() - held);
    (by_time, newer)
}

/// Up to [`MAX_QUERIES`] of the `newer` baskets of two or more products, evenly spaced, each with one product
/// hidden; `None` under [`MIN_QUERIES`]. Rows are set by [`query_products`].
fn held_out_queries(baskets: &[Basket], catalog: &Catalog, newer: &[usize]) -> Option<Vec<Query>> {
    let candidates: Vec<usize> = newer.iter().copied().filter(|&i| baskets[i].items.len() >= 2).collect();
    if candidates.len() < MIN_QUERIES {
        return None;
    }
    let query = |i: usize| {
        let items = &baskets[i].items;
        let h = (mix(i as u64) % items.len() as u64) as usize;
        let cart = items
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != h)
            .map(|(_, &(p, qty))| (p, catalog.product(p).price.saturating_mul(qty as i64)))
            .collect();
        Query { cart, rows: Vec::new(), hidden: items[h].0 }
    };
    Some(evenly_spaced(candidates, MAX_QUERIES).into_iter().map(query).collect())
}

/// At most `max` of `all`, evenly spaced, in order.
pub(crate) fn evenly_spaced<T>(all: Vec<T>, max: usize) -> Vec<T> {
    let step = (all.len() as f64 / max as f64).max(1.0);
    let mut picks = (0..all.len().min(max)).map(|q| (q as f64 * step) as usize).peekable();
    all.into_iter().enumerate().filter_map(|(i, x)| picks.next_if_eq(&i).map(|_| x)).collect()
}

/// The products of the queries' carts, sorted: the rows to count. Sets each query's `rows`.
fn query_products(queries: &mut [Query]) -> Vec<ProductIdx> {
    let mut products: Vec<ProductIdx> = queries.iter().flat_map(|q| q.cart.iter().map(|c| c.0)).collect();
    products.sort_unstable();
    products.dedup();
    for q in queries {
        q.rows = q.cart.iter().map(|l| products.binary_search(&l.0).expect("a cart product") as u32).collect();
    }
    products
}

/// Per older basket, its weight in every channel (basket-major: a row adds all of a basket's at once).
fn channel_weights(baskets: &[Basket], older: &[usize], channels: &[(f64, BasketWeight)]) -> Vec<[f32; MAX_CHANNELS]> {
    let reference = older.iter().map(|&i| baskets[i].at).max().unwrap_or(0);
    let weights = |i: usize| {
        let mut w = [0.0; MAX_CHANNELS];
        for (w, &(h, bw)) in w.iter_mut().zip(channels) {
            *w = weight(&baskets[i], reference, h, bw);
        }
        w
    };
    older.iter().map(|&i| weights(i)).collect()
}

/// What the older orders say of each product alone: its weight per channel, all orders' weight per channel,
/// and its order count.
struct AloneSums {
    weights: Vec<Vec<f32>>,
    total: Vec<f64>,
    orders: Vec<u32>,
}

impl AloneSums {
    fn of(train: &Flat, basket_w: &[[f32; MAX_CHANNELS]], channels: usize, n: usize) -> AloneSums {
        let mut sums =
            AloneSums { weights: vec![vec![0f32; n]; channels], total: vec![0f64; channels], orders: vec![0; n] };
        for (bi, ws) in basket_w.iter().enumerate() {
            for (ch, &w) in ws[..channels].iter().enumerate() {
                sums.total[ch] += w as f64;
                for &p in train.items(bi) {
                    sums.weights[ch][p as usize] += w;
                }
            }
            for &p in train.items(bi) {
                sums.orders[p as usize] += 1;
            }
        }
        sums
    }

    /// The `k` products in the most older orders (ties: lower index first).
    fn most_ordered(&self, k: usize) -> Vec<ProductIdx> {
        let orders = &self.orders;
        let mut popular: Vec<ProductIdx> =
            (0..orders.len() as ProductIdx).filter(|&p| orders[p as usize] > 0).collect();
        popular.sort_by(|&a, &b| orders[b as usize].cmp(&orders[a as usize]).then(a.cmp(&b)));
        popular.truncate(k);
        popular
    }
}

/// Each product's category as a number: equal names, equal numbers; 0 for none (or an empty name).
fn category_ids(catalog: &Catalog) -> Vec<u32> {
    let mut ids: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
    (0..catalog.len() as ProductIdx)
        .map(|p| match catalog.product(p).category {
            Some(c) if !c.is_empty() => {
                let next = ids.len() as u32 + 1;
                *ids.entry(c).or_insert(next)
            }
            _ => 0,
        })
        .collect()
}

/// An order's weight in one channel (as `Counts::weight`, in whole orders).
fn weight(b: &Basket, reference: i64, half_life_days: f64, basket: BasketWeight) -> f32 {
    let half_life_secs = (half_life_days * 86_400.0) as i64;
    let sized = basket == BasketWeight::InverseSqrt;
    order_weight((reference - b.at).max(0), half_life_secs, b.items.len(), sized) as f32
}

/// The older orders' products in one flat array: building rows reads baskets at random, 4 bytes a line.
struct Flat {
    start: Vec<usize>,
    items: Vec<ProductIdx>,
}

impl Flat {
    fn new(baskets: &[Basket], which: &[usize]) -> Flat {
        let mut start = Vec::with_capacity(which.len() + 1);
        start.push(0);
        let mut items = Vec::with_capacity(which.iter().map(|&i| baskets[i].items.len()).sum());
        for &i in which {
            items.extend(baskets[i].items.iter().map(|e| e.0));
            start.push(items.len());
        }
        Flat { start, items }
    }

    fn len(&self) -> usize {
        self.start.len() - 1
    }

    fn items(&self, i: usize) -> &[ProductIdx] {
        &self.items[self.start[i]..self.start[i + 1]]
    }
}

/// At most this many count weightings are searched side by side: two half-lives times two basket weights.
const MAX_CHANNELS: usize = 4;

/// One product's sums in a row being counted: its order count and its weight in every channel, side by
/// side so that an update touches one cache line.
#[derive(Clone, Copy, Default)]
struct Slot {
    count: u32,
    weights: [f32; MAX_CHANNELS],
}

/// A dense per-thread accumulator of one row in every channel.
struct RowAcc {
    slots: Vec<Slot>,
    touched: Vec<ProductIdx>,
    channels: usize,
}

impl RowAcc {
    fn new(n: usize, channels: usize) -> RowAcc {
        assert!(channels <= MAX_CHANNELS, "at most {MAX_CHANNELS} channels");
        RowAcc { slots: vec![Slot::default(); n], touched: Vec::new(), channels }
    }

    /// Product `a`'s row: what every basket holding it (`postings`, weighted per channel by `basket_w`)
    /// holds besides it, cut to its [`MAX_COMPANIONS`] most frequent companions.
    fn row(&mut self, a: ProductIdx, postings: &Postings, train: &Flat, basket_w: &[[f32; MAX_CHANNELS]]) -> Row {
        for &bi in postings.of(a) {
            let w = &basket_w[bi as usize];
            for &c in train.items(bi as usize) {
                let slot = &mut self.slots[c as usize];
                if slot.count == 0 {
                    self.touched.push(c);
                }
                slot.count += 1;
                for (sum, x) in slot.weights.iter_mut().zip(w) {
                    *sum += x;
                }
            }
        }
        self.slots[a as usize] = Slot::default();
        self.touched.retain(|&c| c != a);
        let slots = &self.slots;
        keep_companions(&mut self.touched, MAX_COMPANIONS, |c| slots[c as usize].count);
        for c in self.touched.drain(MAX_COMPANIONS.min(self.touched.len())..) {
            self.slots[c as usize] = Slot::default();
        }
        self.touched.sort_unstable();
        let len = self.touched.len();
        let mut row = Row {
            others: Vec::with_capacity(len),
            counts: Vec::with_capacity(len),
            weights: vec![Vec::with_capacity(len); self.channels],
        };
        for c in self.touched.drain(..) {
            let slot = std::mem::take(&mut self.slots[c as usize]);
            row.others.push(c);
            row.counts.push(slot.count);
            for (weights, &w) in row.weights.iter_mut().zip(&slot.weights) {
                weights.push(w);
            }
        }
        row
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::ProductRecord;
    use crate::money::Currency;

    /// 24 categories of 6 products; an order holds two products of one category and one of another.
    fn kit_store(orders: u64) -> (Catalog, Vec<Basket>) {
        let items = (0..144)
            .map(|i| {
                let json = format!(r#"{{"id":"p{i}","price":"{}.00","category":"c{}"}}"#, 5 + i % 7, i / 6);
                let record: ProductRecord = serde_json::from_str(&json).unwrap();
                let (p, currency) = record.validate(Currency::USD).unwrap();
                (p, currency, i + 1)
            })
            .collect();
        let catalog = Catalog::build(Currency::USD, items).unwrap();
        let mut state: u64 = 11;
        let mut next = |m: u64| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) % m
        };
        let baskets = (0..orders)
            .map(|o| {
                let cat = next(24);
                let a = cat * 6 + next(6);
                let b = cat * 6 + (a % 6 + 1 + next(5)) % 6;
                let noise = ((cat + 1 + next(23)) % 24) * 6 + next(6);
                let mut items: Vec<(ProductIdx, u32)> = [a, b, noise].iter().map(|&p| (p as ProductIdx, 1)).collect();
                items.sort_unstable();
                Basket { customer: None, at: 1_700_000_000 + o as i64 * 3_600, items }
            })
            .collect();
        (catalog, baskets)
    }

    /// Lists are made a dimension at a time, as deep as needed, and kept only for the best: every score the
    /// search took must equal a fresh evaluation with lists made for that candidate alone, in full depth.
    #[test]
    fn every_score_of_the_search_equals_a_fresh_evaluation() {
        let (catalog, baskets) = kit_store(3_000);
        let config = Config { measure: Measure::Auto, ..Config::default() };
        let space = Space::new(&config);
        let bench = Bench::new(&baskets, &catalog, &space).expect("enough orders to tune");
        for budget in [0, usize::MAX] {
            let mut search = Search { bench: &bench, budget, lists: Vec::new(), scored: Vec::new() };
            search.descend(&space);
            assert!(search.scored.len() > 10, "{} candidates scored", search.scored.len());
            for (c, score) in &search.scored {
                let lists = bench.neighbours(&[(*c, bench.max_top_k)]).remove(0);
                assert_eq!(bench.evaluate(c, &lists).hits, score.hits, "{} (budget {budget})", c.describe());
            }
        }
    }

    /// Lists made for `top_k` 50 do not serve 400; the 400-deep ones hold the 50-deep ones as their prefix.
    #[test]
    fn lists_serve_only_the_depth_they_were_made_for() {
        let (catalog, baskets) = kit_store(3_000);
        let config = Config { measure: Measure::Auto, ..Config::default() };
        let space = Space::new(&config);
        let bench = Bench::new(&baskets, &catalog, &space).expect("enough orders to tune");
        let mut search = Search { bench: &bench, budget: usize::MAX, lists: Vec::new(), scored: Vec::new() };
        let shallow = Candidate { measure: Measure::Cosine, top_k: 50, ..space.start() };
        let deep = Candidate { top_k: 400, ..shallow };
        search.prepare(&[shallow]);
        assert!(search.lists_for(&shallow).is_some() && search.lists_for(&deep).is_none());
        search.prepare(&[deep]);
        let (short, long) = (search.lists_for(&shallow).unwrap(), search.lists_for(&deep).unwrap());
        assert!(long.iter().any(|l| l.len() > 50), "rows longer than the shallow depth");
        for (s, l) in short.iter().zip(long) {
            let mut prefix = l[..l.len().min(50)].to_vec();
            let mut s = s.clone();
            prefix.sort_by_key(|e| e.0);
            s.sort_by_key(|e| e.0);
            assert_eq!(s, prefix);
        }
    }
}
