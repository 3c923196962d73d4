//! The engine: an immutable, `Send + Sync` snapshot of catalog, model, rules and bundles.
//! Many threads query one engine at once; training or updating makes a new engine (old queries keep the old).

use crate::behaviour::{read_events, Behaviour, Declines, OrderFacts, Repurchase, Season, Substitutes};
use crate::catalog::{Catalog, ProductIdx};
use crate::config::Config;
use crate::error::{Error, ErrorCode, Result};
use crate::input::{self, CurrencyOrigin, LoadOptions, LoadReport, Source};
use crate::measure::Experiments;
use crate::model::{Basket, BasketPairs, Counts, Model, PairSource};
use crate::money::MoneyInput;
use crate::orders::OrderOf;
use crate::personal::CustomerHistories;
use crate::pricing::Bundles;
use crate::progress::Progress;
use crate::rules::Rules;
use ahash::AHashMap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Instant;

#[cfg(feature = "schema")]
use crate::{
    measure::events::EventRecord, measure::experiment::ExperimentInput as ExperimentRecord,
    pricing::record::BundleRecord, rules::Rule as RuleRecord,
};

/// What `train` reads: each input a file path (any supported format) or records in memory.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TrainRequest {
    /// The catalog.
    #[cfg_attr(feature = "schema", schemars(with = "input::SourceOf<input::ProductInput>"))]
    pub products: Source,
    /// The order history the associations are counted from.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<input::SourceOf<input::OrderInput>>"))]
    pub orders: Option<Source>,
    /// Merchant rules (`pin`, `exclude`, `complement`, `boost`, `bury`, `price_range`).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<input::SourceOf<RuleRecord>>"))]
    pub rules: Option<Source>,
    /// Bundle definitions for `price_cart` and `suggest_bundles`.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<input::SourceOf<BundleRecord>>"))]
    pub bundles: Option<Source>,
    #[serde(default)]
    pub config: Option<Config>,
    /// A/B experiment definitions (JSON Lines or array), stored in the model for `assign` and for requests
    /// carrying `experiment` + `visitor_id`.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<input::SourceOf<ExperimentRecord>>"))]
    pub experiments: Option<Source>,
    /// Shopper events (the measurement schema, JSON Lines or array): views teach substitutes, declines keep
    /// offers away from the shopper who declined them.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<input::SourceOf<EventRecord>>"))]
    pub events: Option<Source>,
    /// Skip bad rows (counted and reported) instead of failing the whole load.
    #[serde(default)]
    pub skip_invalid: bool,
}

/// What training read and how long each phase took.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TrainStats {
    /// How the products, orders and events files were read.
    pub products: LoadReport,
    pub orders: LoadReport,
    #[serde(default)]
    pub events: LoadReport,
    /// Order lines naming a product not in the catalog (counted, not fatal).
    pub unknown_product_lines: u64,
    /// Distinct pairs of products bought in one order, and by one customer in different orders.
    pub pairs: u64,
    pub customer_pairs: u64,
    /// (phase, milliseconds)
    pub phases_ms: Vec<(String, u64)>,
    /// What `measure: "auto"` chose, and what it measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tuning: Option<crate::model::TuneReport>,
    /// The catalog's currency when it was taken from the orders, as neither the products nor config named one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency_from_orders: Option<String>,
}

pub(crate) struct State {
    pub config: Config,
    pub catalog: Arc<Catalog>,
    pub model: Arc<Model>,
    pub rules: Arc<Rules>,
    pub bundles: Arc<Bundles>,
    pub histories: Arc<CustomerHistories>,
    pub experiments: Arc<Experiments>,
    pub behaviour: Arc<Behaviour>,
    /// Neighbour lists of experiment variants that override the measure (see `MODEL_KEYS`).
    pub variant_models: Arc<Vec<VariantModel>>,
    pub stats: TrainStats,
}

/// The neighbour lists one experiment variant answers with, finished from the same counts as the main model.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VariantModel {
    pub experiment: String,
    pub variant: String,
    pub model: Arc<Model>,
}

/// How much an engine holds (`cartlift info`, the train summary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub products: usize,
    /// Orders the model was counted from.
    pub orders: u64,
    /// Customers with a stored purchase history.
    pub customers: usize,
    /// Shoppers with learned declines.
    pub declining_shoppers: usize,
    /// Products with learned substitutes.
    pub substitutes: usize,
    /// Products with a learned repurchase cycle.
    pub repurchase_cycles: usize,
    /// Whether seasonal patterns were learned.
    pub seasons: bool,
}

/// A trained engine. Cloning is cheap (shared snapshot).
#[derive(Clone)]
pub struct Engine {
    pub(crate) state: Arc<State>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").field("products", &self.catalog().len()).field("orders", &self.model().orders).finish()
    }
}

/// The neighbour lists of every experiment variant that reshapes the model, finished from the same counts.
pub(crate) fn variant_models(
    experiments: &Experiments,
    engine: &Engine,
    counts: &Counts,
    same: &PairSource,
) -> Result<Vec<VariantModel>> {
    let mut out = Vec::new();
    for e in &experiments.list {
        for v in e.variants.iter().filter(|v| v.reshapes_model()) {
            let config = v.apply(engine.config())?;
            let model = Model::finish_from(counts, same, engine.catalog(), &config, config.measure);
            out.push(VariantModel { experiment: e.id.clone(), variant: v.id.clone(), model: Arc::new(model) });
        }
    }
    Ok(out)
}

/// Read JSON rules or bundles: a path to JSON Lines / a JSON array, or records in memory.
pub fn read_json_values(source: &Source) -> Result<Vec<serde_json::Value>> {
    match source {
        Source::Records(v) => Ok(v.clone()),
        Source::Path(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| Error::io(std::path::Path::new(p), e))?;
            let t = text.trim_start();
            if t.starts_with('[') {
                return serde_json::from_str(t).map_err(|e| Error::from(e).in_file(p.clone()));
            }
            text.lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(i, l)| {
                    serde_json::from_str(l).map_err(|e| Error::from(e).at_line(i as u64 + 1).in_file(p.clone()))
                })
                .collect()
        }
    }
}

impl Engine {
    /// Train from a request. Nothing is half-applied: any error leaves no engine.
    pub fn train(req: &TrainRequest, progress: &dyn Progress) -> Result<Engine> {
        let experiments = match &req.experiments {
            Some(src) => Experiments::compile(&read_json_values(src)?)?,
            None => Experiments::default(),
        };
        let (input, mut log) = Input::read(req, progress)?;
        let counts = input.count(progress, &mut log, experiments.override_key("customer_weight"), false);
        let same = PairSource::Baskets(BasketPairs::new(&input.baskets, &counts));
        let behaviour = input.behaviour(req, progress, &mut log, &same)?;
        let (rules, bundles) = read_rules_and_bundles(req, &input.catalog)?;
        experiments.check_overrides(&input.config)?;
        experiments.check_bundles(&bundles)?;
        let (config, catalog, histories) = (input.config, input.catalog, input.histories);
        let engine = Engine::finish_from(config, catalog, &counts, &same, (rules, bundles, log.stats), progress);
        let variant_models = variant_models(&experiments, &engine, &counts, &same)?;
        Ok(engine
            .with_histories(histories)
            .with_experiments(experiments)
            .with_variant_models(variant_models)
            .with_behaviour(behaviour))
    }

    /// Finish an engine from (possibly merged) counts.
    pub(crate) fn from_counts(
        config: Config,
        catalog: Catalog,
        counts: &Counts,
        rules: Rules,
        bundles: Bundles,
        stats: TrainStats,
        progress: &dyn Progress,
    ) -> Engine {
        let n = catalog.len();
        let facts = counts.facts.as_ref().map(|f| {
            let behaviour = Behaviour {
                repurchase: f.repurchase(n, &config),
                season: f.season(counts.first_at, n, &config),
                ..Default::default()
            };
            (behaviour, f.histories().filter(|_| config.store_customer_history))
        });
        let same = PairSource::Table(&counts.pairs);
        let engine = Engine::finish_from(config, catalog, counts, &same, (rules, bundles, stats), progress);
        match facts {
            Some((behaviour, histories)) => {
                engine.with_behaviour(behaviour).with_histories(histories.unwrap_or_default())
            }
            None => engine,
        }
    }

    /// [`Engine::from_counts`] with the same-order pairs read from `same`.
    fn finish_from(
        config: Config,
        catalog: Catalog,
        counts: &Counts,
        same: &PairSource,
        (rules, bundles, mut stats): (Rules, Bundles, TrainStats),
        progress: &dyn Progress,
    ) -> Engine {
        let clock = Instant::now();
        progress.phase("building neighbours", 0);
        let model = Model::finish_from(counts, same, &catalog, &config, config.measure);
        stats.pairs = model.pairs;
        stats.customer_pairs = counts.customer_pairs.len() as u64;
        stats.phases_ms.push(("model".to_string(), clock.elapsed().as_millis() as u64));
        progress.finish();
        Engine::from_parts(config, catalog, model, rules, bundles, stats)
    }

    /// Train from the JSON train request (`{"products": PATH or [..], "orders": .., ...}`).
    pub fn train_json(request: &str) -> Result<Engine> {
        let req: TrainRequest = crate::json::from_str(request)?;
        Engine::train(&req, &crate::progress::Silent)
    }

    pub fn train_value(request: serde_json::Value) -> Result<Engine> {
        let req: TrainRequest = crate::json::from_value(&request)?;
        Engine::train(&req, &crate::progress::Silent)
    }

    // The internal parts: the lab crate and the engine's own tests reach them through `lab::Internals`.
    pub(crate) fn catalog(&self) -> &Catalog {
        &self.state.catalog
    }
    pub(crate) fn model(&self) -> &Model {
        &self.state.model
    }
    /// The configuration trained with.
    pub fn config(&self) -> &Config {
        &self.state.config
    }
    /// How much the engine holds.
    pub fn summary(&self) -> Summary {
        let b = &self.state.behaviour;
        Summary {
            products: self.catalog().len(),
            orders: self.model().orders,
            customers: self.histories().len(),
            declining_shoppers: b.declines.len(),
            substitutes: b.substitutes.len(),
            repurchase_cycles: b.repurchase.len(),
            seasons: !b.season.is_empty(),
        }
    }
    /// Product ids by popularity, most popular first: what real carts hold (`cartlift bench` builds its carts
    /// from them).
    pub fn popular_ids(&self) -> Vec<&str> {
        let s = &self.state;
        s.model.popular.iter().map(|&p| s.catalog.product(p).id).collect()
    }
    /// Customers with a stored purchase history, each with how many products that history holds.
    pub fn customer_histories(&self) -> impl Iterator<Item = (&str, usize)> + '_ {
        let h = &self.state.histories;
        h.customers().map(move |c| (c, h.get(c).len()))
    }
    /// What the domain modules read of this snapshot.
    pub(crate) fn shop(&self) -> crate::shop::Shop<'_> {
        let s = &self.state;
        crate::shop::Shop {
            catalog: &s.catalog,
            config: &s.config,
            rules: &s.rules,
            bundles: &s.bundles,
            model: &s.model,
            behaviour: &s.behaviour,
            histories: &s.histories,
        }
    }
    /// What training read and how long each phase took.
    pub fn stats(&self) -> &TrainStats {
        &self.state.stats
    }
    pub(crate) fn histories(&self) -> &CustomerHistories {
        &self.state.histories
    }

    /// The experiments trained in (answered live, see [`Engine::query`]).
    pub fn experiments(&self) -> &Experiments {
        &self.state.experiments
    }

    /// What training learned from events and order timing.
    pub(crate) fn behaviour(&self) -> &Behaviour {
        &self.state.behaviour
    }

    /// The same engine with this learned behaviour.
    pub(crate) fn with_behaviour(&self, behaviour: Behaviour) -> Engine {
        self.derive(|st| st.behaviour = Arc::new(behaviour))
    }

    /// The same engine with these stored experiments.
    pub fn with_experiments(&self, experiments: Experiments) -> Engine {
        self.derive(|st| st.experiments = Arc::new(experiments))
    }

    /// The same engine with these per-variant neighbour lists.
    pub(crate) fn with_variant_models(&self, models: Vec<VariantModel>) -> Engine {
        self.derive(|st| st.variant_models = Arc::new(models))
    }

    /// The engine one experiment variant answers with: its config override, its own neighbour lists when it
    /// changes the measure, and only its bundles when it names a bundle set.
    pub(crate) fn for_variant(
        &self,
        experiment: &str,
        variant: &crate::measure::experiment::Variant,
    ) -> Result<Engine> {
        if variant.config_json.is_empty() && variant.bundles.is_none() {
            return Ok(self.clone());
        }
        let config = variant.apply(self.config())?;
        let model = self.state.variant_models.iter().find(|m| m.experiment == experiment && m.variant == variant.id);
        Ok(self.derive(|st| {
            st.config = config;
            if let Some(m) = model {
                st.model = m.model.clone();
            }
            if let Some(ids) = &variant.bundles {
                let mut b = (*st.bundles).clone();
                b.bundles.retain(|x| ids.contains(&x.id));
                b.roles = crate::pricing::optimizer::RoleIndex::new(&b.bundles);
                st.bundles = Arc::new(b);
            }
        }))
    }

    /// The same engine answering with `config` (training settings in it have no effect: the model is kept).
    pub(crate) fn with_config(&self, config: Config) -> Engine {
        self.derive(|st| st.config = config)
    }

    /// The same engine with these stored customer histories.
    pub(crate) fn with_histories(&self, histories: CustomerHistories) -> Engine {
        self.derive(|st| st.histories = Arc::new(histories))
    }

    /// A new snapshot sharing everything with this one except what `change` replaces (derived indexes restart).
    fn derive(&self, change: impl FnOnce(&mut State)) -> Engine {
        let s = &self.state;
        let mut st = State {
            config: s.config.clone(),
            catalog: s.catalog.clone(),
            model: s.model.clone(),
            rules: s.rules.clone(),
            bundles: s.bundles.clone(),
            histories: s.histories.clone(),
            experiments: s.experiments.clone(),
            behaviour: s.behaviour.clone(),
            variant_models: s.variant_models.clone(),
            stats: s.stats.clone(),
        };
        change(&mut st);
        Engine { state: Arc::new(st) }
    }

    /// Apply price, availability and inventory changes without retraining. Returns a new engine; `self` is
    /// untouched, so a query sees the old state or the new, never a mix. All updates apply or none.
    pub fn update_products(&self, updates: &[ProductUpdate]) -> Result<Engine> {
        let mut catalog = (*self.state.catalog).clone();
        for (i, u) in updates.iter().enumerate() {
            let at = format!("updates[{i}]");
            let idx = catalog.require(&u.id, "id").map_err(|e| e.under(&at))?;
            let currency = catalog.currency;
            let p = catalog.row_mut(idx);
            if let Some(price) = &u.price {
                let v = price.to_minor(currency, "price").map_err(|e| e.under(&at))?;
                if v < 0 {
                    return Err(Error::invalid("price", "price is negative").under(&at));
                }
                p.price = v;
            }
            if let Some(c) = &u.compare_at_price {
                p.set_compare_at(
                    c.as_ref()
                        .map(|c| c.to_minor(currency, "compare_at_price"))
                        .transpose()
                        .map_err(|e| e.under(&at))?,
                );
            }
            if let Some(a) = u.available {
                p.available = a as u32;
            }
            if let Some(n) = u.inventory {
                p.set_inventory(n);
            }
        }
        let repriced = updates.iter().any(|u| u.price.is_some());
        Ok(self.derive(|st| {
            if repriced {
                st.bundles = Arc::new(st.bundles.repriced(&catalog));
            }
            st.catalog = Arc::new(catalog);
        }))
    }

    /// An engine of a model and what prices and filters it; histories, experiments and behaviour are empty
    /// until added with the `with_` methods.
    pub(crate) fn from_parts(
        config: Config,
        catalog: Catalog,
        model: Model,
        rules: Rules,
        bundles: Bundles,
        stats: TrainStats,
    ) -> Engine {
        Engine {
            state: Arc::new(State {
                config,
                catalog: Arc::new(catalog),
                model: Arc::new(model),
                rules: Arc::new(rules),
                bundles: Arc::new(bundles),
                histories: Default::default(),
                experiments: Default::default(),
                behaviour: Default::default(),
                variant_models: Arc::new(Vec::new()),
                stats,
            }),
        }
    }
}

/// Inputs read and orders counted, before the model is finished. Counts of shards (disjoint order sets, split
/// by customer) can be merged with `Counts::merge` and finished into one engine with `Engine::from_counts`.
pub struct Counted {
    pub config: Config,
    pub catalog: Catalog,
    pub counts: Counts,
    pub rules: Rules,
    pub bundles: Bundles,
    /// Recent purchases per customer (empty when `store_customer_history` is off).
    pub histories: CustomerHistories,
    /// Declines, substitutes, repurchase cycles and seasons (see `behaviour`).
    pub behaviour: Behaviour,
    pub stats: TrainStats,
}

impl Counted {
    pub fn read(req: &TrainRequest, progress: &dyn Progress) -> Result<Counted> {
        Counted::read_with(req, progress, false)
    }

    /// [`Counted::read`]; `customer_pairs` counts customer-window pairs even when the main config gives them no
    /// weight (an experiment variant does).
    pub fn read_with(req: &TrainRequest, progress: &dyn Progress, customer_pairs: bool) -> Result<Counted> {
        let (input, mut log) = Input::read(req, progress)?;
        let mut counts = input.count(progress, &mut log, customer_pairs, true);
        let histories = input.config.store_customer_history.then_some(&input.histories);
        counts.facts = Some(OrderFacts::count(&input.baskets, input.catalog.len(), input.reference, histories));
        let behaviour = input.behaviour(req, progress, &mut log, &PairSource::Table(&counts.pairs))?;
        let (rules, bundles) = read_rules_and_bundles(req, &input.catalog)?;
        let Input { config, catalog, histories, .. } = input;
        Ok(Counted { config, catalog, counts, rules, bundles, histories, behaviour, stats: log.stats })
    }
}

/// Products and orders read, and the settings tuned on them: what counting starts from.
struct Input {
    config: Config,
    catalog: Catalog,
    baskets: Vec<Basket>,
    histories: CustomerHistories,
    reference: i64,
}

/// What training read, and how long each phase took (`stats`); `clock` started with the current phase.
struct Log {
    stats: TrainStats,
    clock: Instant,
}

impl Log {
    /// Record how long the phase that ends now took.
    fn lap(&mut self, name: &str) {
        self.stats.phases_ms.push((name.to_string(), self.clock.elapsed().as_millis() as u64));
        self.clock = Instant::now();
    }
}

impl Input {
    fn read(req: &TrainRequest, progress: &dyn Progress) -> Result<(Input, Log)> {
        let mut config = req.config.clone().unwrap_or_default();
        config.validate()?;
        let opts = LoadOptions { skip_invalid: req.skip_invalid, currency: config.currency()? };
        let mut log = Log { stats: TrainStats::default(), clock: Instant::now() };
        progress.phase("reading products", 0);
        let (catalog, origin) = read_catalog(req, &mut config, &mut log.stats)?;
        log.lap("products");

        progress.phase("reading orders", 0);
        let (baskets, customer_names) = read_baskets(req, &catalog, origin, &opts, &mut log.stats)?;
        let histories = if config.store_customer_history {
            CustomerHistories::build(&customer_names, &baskets)
        } else {
            CustomerHistories::default()
        };
        log.lap("orders");

        let reference = decay_reference(&config, &baskets)?;
        if config.measure == crate::config::Measure::Auto {
            progress.phase("tuning on the newest orders", 0);
        }
        if let Some((tuned, report)) = crate::tuning::tune_settings(&baskets, &customer_names, &catalog, &config)? {
            config = tuned;
            log.stats.tuning = Some(report);
            log.lap("tune");
        }
        Ok((Input { config, catalog, baskets, histories, reference }, log))
    }

    /// Count the orders; `same_order_pairs: false` leaves the same-order pair table out (a model finished
    /// from the baskets themselves needs none).
    fn count(&self, progress: &dyn Progress, log: &mut Log, customer_pairs: bool, same_order_pairs: bool) -> Counts {
        progress.phase("counting pairs", self.baskets.len() as u64);
        let customer_pairs = customer_pairs || self.config.customer_weight() > 0.0;
        let (baskets, n) = (&self.baskets, self.catalog.len());
        let counts = if same_order_pairs {
            Counts::count(baskets, n, self.reference, &self.config, customer_pairs)
        } else {
            Counts::count_items(baskets, n, self.reference, &self.config, customer_pairs)
        };
        progress.advance(self.baskets.len() as u64);
        log.lap("count");
        counts
    }

    /// Repurchase cycles and seasons from the orders; declines and substitutes from `req.events`.
    fn behaviour(
        &self,
        req: &TrainRequest,
        progress: &dyn Progress,
        log: &mut Log,
        same: &PairSource,
    ) -> Result<Behaviour> {
        progress.phase("learning behaviour", 0);
        let (baskets, catalog, config) = (&self.baskets, &self.catalog, &self.config);
        let mut behaviour = Behaviour {
            repurchase: Repurchase::build(baskets, catalog.len(), config),
            season: Season::build(baskets, catalog.len(), config),
            ..Default::default()
        };
        if let Some(src) = &req.events {
            let ev = read_events(src, catalog, catalog.currency, req.skip_invalid)?;
            behaviour.declines = Declines::build(ev.declines, ev.newest);
            behaviour.substitutes = Substitutes::build(ev.views, catalog, same, config);
            log.stats.events = ev.report;
        }
        log.lap("behaviour");
        Ok(behaviour)
    }
}

/// The catalog of `req.products` and what decided its currency (its load report goes into `stats`). The config
/// then names the catalog's currency, as the stored config of a model does.
pub(crate) fn read_catalog(
    req: &TrainRequest,
    config: &mut Config,
    stats: &mut TrainStats,
) -> Result<(Catalog, CurrencyOrigin)> {
    let read = input::read_catalog(&req.products, req.orders.as_ref(), config, req.skip_invalid)?;
    stats.products = read.report;
    if read.origin == CurrencyOrigin::Orders {
        stats.currency_from_orders = Some(read.catalog.currency.code().to_string());
    }
    config.currency = Some(read.catalog.currency.code().to_string());
    Ok((read.catalog, read.origin))
}

/// The baskets of `req.orders` in source order, and the customer ids their `customer` indexes.
pub(crate) fn read_baskets(
    req: &TrainRequest,
    catalog: &Catalog,
    origin: CurrencyOrigin,
    opts: &LoadOptions,
    stats: &mut TrainStats,
) -> Result<(Vec<Basket>, Vec<String>)> {
    let ids = ProductIds::new(catalog);
    let mut interner = BasketInterner::default();
    if let Some(src) = &req.orders {
        let product = |id: &str| ids.find(id);
        stats.orders = input::stream_orders_of(src, catalog.currency, opts, &product, &mut |chunk| {
            interner.add(&chunk.iter().map(|(o, _)| o).collect::<Vec<_>>())
        })
        .map_err(|e| origin.hint(e))?;
    }
    stats.unknown_product_lines = interner.unknown_lines;
    Ok(interner.finish())
}

/// Decay and trending are measured from `config.decay_reference`, else from the newest basket.
pub(crate) fn decay_reference(config: &Config, baskets: &[Basket]) -> Result<i64> {
    match &config.decay_reference {
        Some(r) => crate::clock::parse_time(r, "config.decay_reference"),
        None => Ok(baskets.iter().map(|b| b.at).max().unwrap_or(0)),
    }
}

/// The merchandising rules and bundles of a train request (empty when not given).
pub(crate) fn read_rules_and_bundles(req: &TrainRequest, catalog: &Catalog) -> Result<(Rules, Bundles)> {
    let rules = match &req.rules {
        Some(src) => Rules::compile(&read_json_values(src)?, catalog.currency)?,
        None => Rules::default(),
    };
    let bundles = match &req.bundles {
        Some(src) => Bundles::compile(&read_json_values(src)?, catalog)?,
        None => Bundles::default(),
    };
    Ok((rules, bundles))
}

/// Baskets of orders and the customer ids their `customer` indexes (offline evaluation of personal signals).
pub fn baskets_with_customers(catalog: &Catalog, orders: &[crate::orders::Order]) -> (Vec<Basket>, Vec<String>) {
    baskets(catalog, orders.iter(), &mut TrainStats::default())
}

/// Intern orders into baskets; lines naming unknown products are counted in `stats`, not fatal.
/// Also returns customer ids, indexed by `Basket::customer`.
fn baskets<'a>(
    catalog: &Catalog,
    orders: impl Iterator<Item = &'a crate::orders::Order>,
    stats: &mut TrainStats,
) -> (Vec<Basket>, Vec<String>) {
    let ids = ProductIds::new(catalog);
    let resolved: Vec<_> = orders.map(|o| o.clone().map_products(|id| ids.find(id))).collect();
    let mut interner = BasketInterner::default();
    interner.add(&resolved.iter().collect::<Vec<_>>());
    stats.unknown_product_lines += interner.unknown_lines;
    interner.finish()
}

/// Product ids to catalog indices while orders are read: a hash map of the catalog's ids (a training pass
/// looks up millions of lines, each a few cache misses in the model's own id table) and, made on first need,
/// of unique product titles (order exports name a line by its title when the shop set no SKU).
struct ProductIds<'c> {
    catalog: &'c Catalog,
    ids: AHashMap<&'c str, ProductIdx>,
    by_title: std::sync::OnceLock<AHashMap<&'c str, Option<ProductIdx>>>,
}

impl<'c> ProductIds<'c> {
    fn new(catalog: &'c Catalog) -> Self {
        let ids = (0..catalog.len() as ProductIdx).map(|i| (catalog.id(i), i)).collect();
        ProductIds { catalog, ids, by_title: std::sync::OnceLock::new() }
    }

    fn find(&self, product_id: &str) -> Option<ProductIdx> {
        self.ids.get(product_id).copied().or_else(|| {
            let titles = self.by_title.get_or_init(|| {
                let mut m: AHashMap<&str, Option<ProductIdx>> = AHashMap::new();
                for (i, p) in self.catalog.products().enumerate() {
                    if !p.title.is_empty() {
                        m.entry(p.title).and_modify(|v| *v = None).or_insert(Some(i as ProductIdx));
                    }
                }
                m
            });
            titles.get(product_id).copied().flatten()
        })
    }
}

/// Orders become baskets one at a time (the orders can be dropped after): products are catalog indices
/// already, customer ids become small integers.
#[derive(Default)]
struct BasketInterner {
    customers: AHashMap<String, u32>,
    names: Vec<String>,
    baskets: Vec<Basket>,
    /// Lines naming no product of the catalog (skipped, not an error).
    unknown_lines: u64,
}

impl BasketInterner {
    /// Intern orders in order (their lines merged in parallel, customers in sequence).
    fn add(&mut self, orders: &[&OrderOf<Option<ProductIdx>>]) {
        let items: Vec<Vec<(ProductIdx, u32)>> = orders.par_iter().map(|o| merged_items(o)).collect();
        for (o, items) in orders.iter().zip(items) {
            self.unknown_lines += o.lines.iter().filter(|l| l.product_id.is_none()).count() as u64;
            if items.is_empty() {
                // Nothing known was bought (or a cancelled order with no lines): not an order for the model.
                continue;
            }
            let customer = o.customer_id.as_deref().map(|c| self.customer(c));
            self.baskets.push(Basket { customer, at: o.created_at, items });
        }
    }

    fn customer(&mut self, id: &str) -> u32 {
        if let Some(&c) = self.customers.get(id) {
            return c;
        }
        let c = self.names.len() as u32;
        self.names.push(id.to_string());
        self.customers.insert(id.to_string(), c);
        c
    }

    fn finish(self) -> (Vec<Basket>, Vec<String>) {
        (self.baskets, self.names)
    }
}

/// The order's lines naming known products as (product, units), sorted by product, each product once.
fn merged_items(o: &OrderOf<Option<ProductIdx>>) -> Vec<(ProductIdx, u32)> {
    merge_lines(o.lines.iter().filter_map(|l| Some((l.product_id?, l.quantity))).collect())
}

/// A basket's lines sorted by product, each product once with its units summed.
fn merge_lines(mut items: Vec<(ProductIdx, u32)>) -> Vec<(ProductIdx, u32)> {
    items.sort_unstable();
    items.dedup_by(|b, a| {
        if a.0 == b.0 {
            a.1 += b.1;
            true
        } else {
            false
        }
    });
    items
}

/// A partial product change: only the given fields change. `inventory: null` means "not tracked".
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ProductUpdate {
    #[serde(deserialize_with = "crate::orders::id_string")]
    pub id: String,
    #[serde(default)]
    pub price: Option<MoneyInput>,
    #[serde(default, with = "double_option")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<MoneyInput>"))]
    pub compare_at_price: Option<Option<MoneyInput>>,
    #[serde(default)]
    pub available: Option<bool>,
    #[serde(default, with = "double_option")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<i64>"))]
    pub inventory: Option<Option<i64>>,
}

/// Distinguish "field absent" (no change) from "field null" (clear it).
mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
    pub fn serialize<T: Serialize, S: Serializer>(v: &Option<Option<T>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }
}

// Compile-time proof of the threading contract.
const _: fn() = || {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Engine>();
};

impl From<ErrorCode> for Error {
    fn from(code: ErrorCode) -> Self {
        Error::new(code, code.as_str())
    }
}
