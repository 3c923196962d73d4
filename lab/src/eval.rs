//! Offline evaluation: "complete the basket" and "next basket" on a time or per-customer split, comparing the
//! default strategy with every association measure and with popularity and random baselines.

use ahash::{AHashMap, AHashSet};
use cartlift_core::lab::read_catalog;
use cartlift_core::lab::Internals;
use cartlift_core::lab::{Behaviour, Bundles, Catalog, CustomerHistories, ProductIdx, Repurchase, Rules, Season};
use cartlift_core::Engine;
use cartlift_core::Order;
use cartlift_core::Silent;
use cartlift_core::{load_orders, LoadOptions, Source};
use cartlift_core::{CartLineInput, Counts, CrossSellRequest, Placement};
use cartlift_core::{Config, Measure};
use cartlift_core::{Error, Result};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Split {
    /// The latest `test_fraction` of orders (by time) are the test set.
    Time,
    /// Each customer's last order is the test set.
    CustomerLast,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Hold out one item of a test basket, ask with the rest.
    CompleteBasket,
    /// Given a customer's previous order, predict products of their next one (post-purchase).
    NextBasket,
}

#[derive(Debug, Clone)]
pub struct EvalOptions {
    pub split: Split,
    pub mode: Mode,
    pub test_fraction: f64,
    pub k: usize,
    pub seed: u64,
    /// Also send the customer's earlier purchases with each query.
    pub personalized: bool,
    pub config: Config,
    /// Write the split and the queries here (`train_order_ids.txt`, `queries.jsonl`) so peers can be scored on
    /// exactly the same task (bench/compare.py).
    pub dump_dir: Option<std::path::PathBuf>,
}

/// Metrics of one strategy.
#[derive(Debug, Clone, Serialize)]
pub struct StrategyResult {
    pub strategy: String,
    pub personalized: bool,
    pub queries: usize,
    pub hit_rate: f64,
    pub ndcg: f64,
    pub mrr: f64,
    /// Distinct products recommended / products in the catalog.
    pub coverage: f64,
    /// Mean popularity percentile of recommended products (1.0 = the bestseller).
    pub popularity_bias: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    pub mode: Mode,
    pub split: Split,
    pub k: usize,
    pub train_orders: usize,
    pub test_orders: usize,
    pub results: Vec<StrategyResult>,
}

/// One evaluation query: the cart sent, the customer's earlier products, the products that count as hits.
struct Query {
    cart: Vec<ProductIdx>,
    history: Vec<ProductIdx>,
    targets: Vec<ProductIdx>,
    /// The test order's customer and time (personalized queries send them: stored history, buy again, seasons).
    customer: Option<String>,
    at: i64,
}

fn known_items(catalog: &Catalog, o: &Order) -> Vec<ProductIdx> {
    let mut v: Vec<ProductIdx> = o.lines.iter().filter_map(|l| catalog.get(&l.product_id)).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Runs the evaluation: load, split, build the queries, train once, then score every strategy and baseline on
/// the same queries.
pub fn run(products: &Source, orders: &Source, opts: &EvalOptions) -> Result<EvalReport> {
    check_options(opts)?;
    let config = opts.config.clone();
    config.validate()?;
    let (catalog, all) = load(products, orders, &config)?;
    let (train, test) = split(all, opts);
    let queries = Past::of(&catalog, &train).queries(&catalog, &test, opts);
    if let Some(dir) = &opts.dump_dir {
        dump(dir, &catalog, &train, &queries)?;
    }
    let trained = Trained::new(&catalog, &train, &config);
    let popularity = Popularity::rank(&catalog, &trained);
    let placement = if opts.mode == Mode::NextBasket { Placement::PostPurchase } else { Placement::Cart };
    let bench = Bench {
        catalog: &catalog,
        trained: &trained,
        queries: &queries,
        popularity: &popularity,
        placement,
        k: opts.k,
    };
    let mut results = bench.strategies(opts.personalized);
    if opts.personalized {
        results.extend(bench.ablation());
    }
    results.extend(bench.baselines(opts.seed));
    Ok(EvalReport {
        mode: opts.mode,
        split: opts.split,
        k: opts.k,
        train_orders: train.len(),
        test_orders: test.len(),
        results,
    })
}

fn check_options(opts: &EvalOptions) -> Result<()> {
    if !(0.0..1.0).contains(&opts.test_fraction) || opts.test_fraction == 0.0 {
        return Err(Error::invalid("test_fraction", "must be between 0 and 1 (exclusive)"));
    }
    if opts.k == 0 {
        return Err(Error::invalid("k", "must be at least 1"));
    }
    Ok(())
}

/// The catalog and every order, sorted by time then id so that the split is reproducible. Invalid records
/// are skipped: an evaluation reads real exports.
fn load(products: &Source, orders: &Source, config: &Config) -> Result<(Catalog, Vec<Order>)> {
    let read = read_catalog(products, Some(orders), config, true)?;
    let catalog = read.catalog;
    let load = LoadOptions { skip_invalid: true, currency: catalog.currency };
    let mut all: Vec<Order> = load_orders(orders, catalog.currency, &load)
        .map_err(|e| read.origin.hint(e))?
        .records
        .into_iter()
        .map(|(o, _)| o)
        .collect();
    all.sort_by(|a, b| a.created_at.cmp(&b.created_at).then_with(|| a.id.cmp(&b.id)));
    Ok((catalog, all))
}

/// (train, test): the latest orders, or each repeat customer's last order, are the test set.
fn split(mut all: Vec<Order>, opts: &EvalOptions) -> (Vec<Order>, Vec<Order>) {
    match opts.split {
        Split::Time => {
            let cut = ((all.len() as f64) * (1.0 - opts.test_fraction)).round() as usize;
            let test = all.split_off(cut.min(all.len()));
            (all, test)
        }
        Split::CustomerLast => {
            let mut last: AHashMap<&str, usize> = AHashMap::new();
            let mut count: AHashMap<&str, usize> = AHashMap::new();
            for (i, o) in all.iter().enumerate() {
                if let Some(c) = o.customer_id.as_deref() {
                    last.insert(c, i);
                    *count.entry(c).or_default() += 1;
                }
            }
            let test_idx: AHashSet<usize> = last.iter().filter(|(c, _)| count[*c] >= 2).map(|(_, &i)| i).collect();
            let (mut tr, mut te) = (Vec::new(), Vec::new());
            for (i, o) in all.into_iter().enumerate() {
                if test_idx.contains(&i) {
                    te.push(o)
                } else {
                    tr.push(o)
                }
            }
            (tr, te)
        }
    }
}

/// What the training side knows about each customer: the queries may use nothing else.
struct Past<'o> {
    /// Earlier products, most recent last.
    history: AHashMap<&'o str, Vec<ProductIdx>>,
    /// The products of the customer's latest training order (the cart of a next-basket query).
    last_order: AHashMap<&'o str, Vec<ProductIdx>>,
}

impl<'o> Past<'o> {
    fn of(catalog: &Catalog, train: &'o [Order]) -> Past<'o> {
        let mut history: AHashMap<&str, Vec<ProductIdx>> = AHashMap::new();
        let mut last_order: AHashMap<&str, Vec<ProductIdx>> = AHashMap::new();
        for o in train {
            if let Some(c) = o.customer_id.as_deref() {
                let items = known_items(catalog, o);
                let h = history.entry(c).or_default();
                h.extend(items.iter().copied());
                last_order.insert(c, items);
            }
        }
        Past { history, last_order }
    }

    /// The customer's last 20 distinct earlier products, oldest first.
    fn recent(&self, customer: Option<&str>) -> Vec<ProductIdx> {
        let h = customer.and_then(|c| self.history.get(c)).cloned().unwrap_or_default();
        let mut seen = AHashSet::new();
        let mut out: Vec<ProductIdx> = h.into_iter().rev().filter(|i| seen.insert(*i)).take(20).collect();
        out.reverse();
        out
    }

    /// One query per usable test order (the held-out item is drawn from a generator seeded by `opts.seed`).
    fn queries(&self, catalog: &Catalog, test: &[Order], opts: &EvalOptions) -> Vec<Query> {
        let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
        let mut queries = Vec::new();
        for o in test {
            let items = known_items(catalog, o);
            let customer = o.customer_id.as_deref();
            let (cart, targets) = match opts.mode {
                Mode::CompleteBasket => {
                    if items.len() < 2 {
                        continue;
                    }
                    let held = *items.choose(&mut rng).expect("non-empty");
                    (items.iter().copied().filter(|&i| i != held).collect(), vec![held])
                }
                Mode::NextBasket => {
                    let Some(prev) = customer.and_then(|c| self.last_order.get(c)) else { continue };
                    let targets: Vec<ProductIdx> = items.iter().copied().filter(|i| !prev.contains(i)).collect();
                    if targets.is_empty() || prev.is_empty() {
                        continue;
                    }
                    (prev.clone(), targets)
                }
            };
            queries.push(Query {
                cart,
                history: self.recent(customer),
                targets,
                customer: o.customer_id.clone(),
                at: o.created_at,
            });
        }
        queries
    }
}

/// Trained once on the training orders; every strategy's engine is finished from these counts.
struct Trained {
    histories: CustomerHistories,
    behaviour: Behaviour,
    /// The configured strategy (tuned on the training orders when `auto`) and its counts.
    configured: Config,
    configured_counts: Counts,
    /// The configuration with the default measure (the pre-`auto` defaults where unset), and its counts:
    /// every explicit measure is scored with these.
    explicit: Config,
    counts: Counts,
}

impl Trained {
    fn new(catalog: &Catalog, train: &[Order], config: &Config) -> Trained {
        let (baskets, names) = cartlift_core::lab::baskets_with_customers(catalog, train);
        let histories = CustomerHistories::build(&names, &baskets);
        let behaviour = Behaviour {
            repurchase: Repurchase::build(&baskets, catalog.len(), config),
            season: Season::build(&baskets, catalog.len(), config),
            ..Default::default()
        };
        let reference = baskets.iter().map(|b| b.at).max().unwrap_or(0);
        let tuned = cartlift_core::lab::tune_settings(&baskets, &names, catalog, config).ok().flatten();
        let configured = tuned.map_or_else(|| config.clone(), |t| t.0);
        let configured_counts =
            Counts::count(&baskets, catalog.len(), reference, &configured, configured.customer_weight() > 0.0);
        let explicit = Config { measure: Measure::Default, ..config.clone() };
        let counts = Counts::count(&baskets, catalog.len(), reference, &explicit, explicit.customer_weight() > 0.0);
        Trained { histories, behaviour, configured, configured_counts, explicit, counts }
    }
}

/// Products by popularity under the explicit configuration: the popularity baseline's answer, and each
/// product's percentile for the popularity bias of every strategy.
struct Popularity {
    order: Vec<ProductIdx>,
    /// Per product: 1.0 for the bestseller, falling towards 0.
    pct: Vec<f64>,
}

impl Popularity {
    fn rank(catalog: &Catalog, trained: &Trained) -> Popularity {
        let base = Engine::from_counts(
            trained.explicit.clone(),
            catalog.clone(),
            &trained.counts,
            Rules::default(),
            Bundles::default(),
            Default::default(),
            &Silent,
        );
        let mut order: Vec<ProductIdx> = (0..catalog.len() as u32).collect();
        let pop = &base.model().popularity;
        order.sort_by(|&a, &b| pop[b as usize].total_cmp(&pop[a as usize]).then(a.cmp(&b)));
        let mut pct = vec![0.0f64; catalog.len()];
        let n = order.len().max(1) as f64;
        for (r, &i) in order.iter().enumerate() {
            pct[i as usize] = 1.0 - r as f64 / n;
        }
        Popularity { order, pct }
    }
}

/// Everything the strategies are scored against: the same queries, catalog and popularity for all.
struct Bench<'a> {
    catalog: &'a Catalog,
    trained: &'a Trained,
    queries: &'a [Query],
    popularity: &'a Popularity,
    placement: Placement,
    k: usize,
}

impl Bench<'_> {
    fn engine(&self, cfg: Config, counts: &Counts) -> Engine {
        Engine::from_counts(
            cfg,
            self.catalog.clone(),
            counts,
            Rules::default(),
            Bundles::default(),
            Default::default(),
            &Silent,
        )
        .with_histories(self.trained.histories.clone())
        .with_behaviour(self.trained.behaviour.clone())
    }

    /// The engine's cross-sell answer to `q`, as it would be asked in the shop.
    fn ask(&self, engine: &Engine, personal: bool, q: &Query) -> Vec<ProductIdx> {
        let catalog = self.catalog;
        let req = CrossSellRequest {
            cart: q.cart.iter().map(|&i| CartLineInput::Id(catalog.product(i).id.to_string())).collect(),
            customer_history: if personal {
                q.history.iter().map(|&i| catalog.product(i).id.to_string()).collect()
            } else {
                Vec::new()
            },
            customer_id: if personal { q.customer.clone() } else { None },
            now: Some(cartlift_core::format_time(q.at)),
            placement: self.placement,
            limit: Some(self.k),
            ..Default::default()
        };
        engine
            .cross_sell(&req)
            .map(|a| a.recommendations.into_iter().filter_map(|r| catalog.get(&r.product_id)).collect())
            .unwrap_or_default()
    }

    fn score(&self, name: &str, personal: bool, recommend: impl FnMut(&Query) -> Vec<ProductIdx>) -> StrategyResult {
        score(name, personal, self.queries, self.catalog, &self.popularity.pct, self.k, recommend)
    }

    /// The configured strategy and every explicit measure, each plain and (when asked) personalized.
    fn strategies(&self, personalized: bool) -> Vec<StrategyResult> {
        let t = self.trained;
        let personal_modes: &[bool] = if personalized { &[false, true] } else { &[false] };
        let strategies =
            std::iter::once(("cartlift (default)".to_string(), t.configured.clone(), &t.configured_counts)).chain(
                Measure::ALL.iter().map(|&m| {
                    (format!("cartlift ({} measure)", m.name()), Config { measure: m, ..t.explicit.clone() }, &t.counts)
                }),
            );
        let mut results = Vec::new();
        for (name, cfg, counts) in strategies {
            let engine = self.engine(cfg, counts);
            for &personal in personal_modes {
                results.push(self.score(&name, personal, |q| self.ask(&engine, personal, q)));
            }
        }
        results
    }

    /// The default strategy, personalized, with one signal switched off at a time.
    fn ablation(&self) -> Vec<StrategyResult> {
        let configured = &self.trained.configured;
        let off: [(&str, Config); 4] = [
            ("- history seeds", Config { history_weight: Some(0.0), ..configured.clone() }),
            ("- affinity", Config { use_affinity: false, ..configured.clone() }),
            ("- buy again", Config { use_buy_again: false, ..configured.clone() }),
            ("- seasonal", Config { use_seasonal: false, ..configured.clone() }),
        ];
        off.into_iter()
            .map(|(what, cfg)| {
                let engine = self.engine(cfg, &self.trained.configured_counts);
                self.score(&format!("cartlift {what}"), true, |q| self.ask(&engine, true, q))
            })
            .collect()
    }

    /// Baselines: the most popular products not in the cart; uniformly random available products.
    fn baselines(&self, seed: u64) -> Vec<StrategyResult> {
        let (catalog, k) = (self.catalog, self.k);
        let popularity = self.score("popularity", false, |q| {
            self.popularity
                .order
                .iter()
                .copied()
                .filter(|i| !q.cart.contains(i) && catalog.product(*i).in_stock())
                .take(k)
                .collect()
        });
        let available: Vec<ProductIdx> = (0..catalog.len() as u32).filter(|&i| catalog.product(i).in_stock()).collect();
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
        let random = self.score("random", false, |q| {
            let mut out = Vec::with_capacity(k);
            while out.len() < k.min(available.len()) {
                let i = *available.choose(&mut rng).expect("non-empty");
                if !q.cart.contains(&i) && !out.contains(&i) {
                    out.push(i);
                }
            }
            out
        });
        vec![popularity, random]
    }
}

fn dump(dir: &std::path::Path, catalog: &Catalog, train: &[Order], queries: &[Query]) -> Result<()> {
    use std::io::Write;
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let ids: Vec<&str> = train.iter().map(|o| o.id.as_str()).collect();
    let p = dir.join("train_order_ids.txt");
    std::fs::write(&p, ids.join("\n") + "\n").map_err(|e| Error::io(&p, e))?;
    let p = dir.join("queries.jsonl");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&p).map_err(|e| Error::io(&p, e))?);
    let name = |v: &[ProductIdx]| v.iter().map(|&i| catalog.product(i).id.to_string()).collect::<Vec<_>>();
    for q in queries {
        let line = serde_json::json!({"cart": name(&q.cart), "history": name(&q.history), "targets": name(&q.targets)});
        writeln!(f, "{line}").map_err(|e| Error::io(&p, e))?;
    }
    f.flush().map_err(|e| Error::io(&p, e))
}

fn score(
    name: &str,
    personalized: bool,
    queries: &[Query],
    catalog: &Catalog,
    popularity_pct: &[f64],
    k: usize,
    mut recommend: impl FnMut(&Query) -> Vec<ProductIdx>,
) -> StrategyResult {
    let (mut hits, mut ndcg, mut mrr, mut pop_sum, mut pop_n) = (0.0, 0.0, 0.0, 0.0, 0usize);
    let mut shown: AHashSet<ProductIdx> = AHashSet::new();
    for q in queries {
        let recs = recommend(q);
        let ranks: Vec<usize> =
            recs.iter().take(k).enumerate().filter(|(_, r)| q.targets.contains(r)).map(|(i, _)| i + 1).collect();
        if let Some(&first) = ranks.first() {
            hits += 1.0;
            mrr += 1.0 / first as f64;
        }
        let dcg: f64 = ranks.iter().map(|&r| 1.0 / ((r + 1) as f64).log2()).sum();
        let ideal: f64 = (1..=q.targets.len().min(k)).map(|r| 1.0 / ((r + 1) as f64).log2()).sum();
        if ideal > 0.0 {
            ndcg += dcg / ideal;
        }
        for r in recs.iter().take(k) {
            shown.insert(*r);
            pop_sum += popularity_pct[*r as usize];
            pop_n += 1;
        }
    }
    let n = queries.len().max(1) as f64;
    StrategyResult {
        strategy: name.to_string(),
        personalized,
        queries: queries.len(),
        hit_rate: hits / n,
        ndcg: ndcg / n,
        mrr: mrr / n,
        coverage: shown.len() as f64 / catalog.len().max(1) as f64,
        popularity_bias: if pop_n > 0 { pop_sum / pop_n as f64 } else { 0.0 },
    }
}

impl EvalReport {
    pub fn table(&self) -> String {
        let flag = |v: String| v.trim_matches('"').replace('_', "-");
        let mode = flag(serde_json::to_string(&self.mode).expect("mode serializes"));
        let split = flag(serde_json::to_string(&self.split).expect("split serializes"));
        let mut out = format!(
            "{mode} on a {split} split, K = {}: {} train orders, {} test orders\n",
            self.k, self.train_orders, self.test_orders
        );
        // The strategy column is as wide as its longest name ("cartlift (asymmetric_cosine measure)").
        let w = self.results.iter().map(|r| r.strategy.len()).max().unwrap_or(0).max("strategy".len());
        out.push_str(&format!(
            "{:<w$} {:>5} {:>8} {:>9} {:>8} {:>8} {:>9} {:>9}\n",
            "strategy", "pers.", "queries", "hit@K", "NDCG@K", "MRR", "coverage", "pop.bias"
        ));
        for r in &self.results {
            out.push_str(&format!(
                "{:<w$} {:>5} {:>8} {:>9.4} {:>8.4} {:>8.4} {:>9.4} {:>9.3}\n",
                r.strategy,
                if r.personalized { "yes" } else { "no" },
                r.queries,
                r.hit_rate,
                r.ndcg,
                r.mrr,
                r.coverage,
                r.popularity_bias
            ));
        }
        out
    }
}
