//! Training split over machines (Spark executors, processes): each shard of the orders is counted into
//! [`Counts`], the counts merge exactly (`Counts::merge`), and one engine is finished from the merged counts
//! with the catalog, config, rules, bundles and experiments of a train request.
//!
//! Shards must be split by customer (customer-window pairs need every order of a customer in one shard) and
//! share one decay reference: set `config.decay_reference`, or give every shard the newest order's time
//! ([`newest_order_at`]). Then the finished engine answers as `Engine::train` on all the orders does:
//! repurchase cycles, seasons and customer histories merge exactly ([`OrderFacts`]), declines and substitutes
//! are learned from `req.events` when finishing. Self-tuning is a first pass: [`tune_orders`] runs the tuner
//! on the orders (all of them, or the newest that fit one machine) and returns the config with every tuned
//! setting written out; shards count with it and the engine finishes with it and the report. Finished without
//! that pass, `measure: "auto"` takes its documented fallback ([`crate::model::fallback`]).

use crate::behaviour::{read_events, Declines, OrderFacts, Substitutes};
use crate::catalog::Catalog;
use crate::config::Config;
use crate::engine::{
    decay_reference, read_baskets, read_catalog, read_json_values, read_rules_and_bundles, variant_models, Engine,
    TrainRequest, TrainStats,
};
use crate::error::{Error, Result};
use crate::input::LoadOptions;
use crate::measure::Experiments;
use crate::model::{Counts, PairSource, TuneReport};
use crate::personal::CustomerHistories;

/// Why an engine finished from counts is not tuned (the summary of its fallback).
const NOT_TUNED: &str = "not tuned (counted in shards: tuning needs the orders themselves)";

/// The config counting and finishing both use: validated, `auto` resolved to its fallback.
fn resolved_config(req: &TrainRequest) -> Result<(Config, Option<TuneReport>)> {
    let config = req.config.clone().unwrap_or_default();
    config.validate()?;
    let auto = config.measure == crate::config::Measure::Auto;
    let (config, report) = crate::model::fallback(&config, NOT_TUNED);
    Ok((config, auto.then_some(report)))
}

fn load_options(req: &TrainRequest, config: &Config) -> Result<LoadOptions> {
    Ok(LoadOptions { skip_invalid: req.skip_invalid, currency: config.currency()? })
}

/// A fingerprint of the catalog's product ids in index order: counts name products by index, so counts of
/// another catalog (even one of the same size) must not merge or finish.
pub fn catalog_id(catalog: &Catalog) -> u64 {
    let mut h = crc32fast::Hasher::new();
    for p in catalog.products() {
        h.update(p.id.as_bytes());
        h.update(&[0]);
    }
    (catalog.len() as u64) << 32 | h.finalize() as u64
}

/// Count one shard: `req.orders` against the catalog of `req.products`, with `req.config`. Customer-window
/// pairs are counted when the config weighs them, or when `customer_pairs` (an experiment variant does).
/// Seasons are counted in the year up to `newest` (the newest order of all shards, [`newest_order_at`]), else
/// up to the decay reference: finishing fails when that was not the newest order and seasons could be seen.
pub fn count_orders(req: &TrainRequest, customer_pairs: bool, newest: Option<i64>) -> Result<Counts> {
    let (mut config, _) = resolved_config(req)?;
    let opts = load_options(req, &config)?;
    let mut stats = TrainStats::default();
    let (catalog, origin) = read_catalog(req, &mut config, &mut stats)?;
    let (baskets, names) = read_baskets(req, &catalog, origin, &opts, &mut stats)?;
    let reference = decay_reference(&config, &baskets)?;
    let customer_pairs = customer_pairs || config.customer_weight() > 0.0;
    let mut counts = Counts::count(&baskets, catalog.len(), reference, &config, customer_pairs);
    let histories = config.store_customer_history.then(|| CustomerHistories::build(&names, &baskets));
    let season_end = newest.unwrap_or(reference);
    counts.facts = Some(OrderFacts::count(&baskets, catalog.len(), season_end, histories.as_ref()));
    counts.catalog_id = catalog_id(&catalog);
    counts.currency = catalog.currency.code().to_string();
    Ok(counts)
}

/// The first pass of a sharded run under `measure: "auto"`: the tuner run on `req.orders` as training runs
/// it, returning `req.config` with every tuned setting written out, and what the tuner chose and measured
/// (`None`, and the config unchanged, when the measure is set). Given every order, in file order, the choice
/// is the one `Engine::train` makes; given the newest orders only, it is made on those.
pub fn tune_orders(req: &TrainRequest) -> Result<(Config, Option<TuneReport>)> {
    let config = req.config.clone().unwrap_or_default();
    config.validate()?;
    let mut read_config = config.clone();
    let opts = load_options(req, &config)?;
    let mut stats = TrainStats::default();
    let (catalog, origin) = read_catalog(req, &mut read_config, &mut stats)?;
    let (baskets, names) = read_baskets(req, &catalog, origin, &opts, &mut stats)?;
    Ok(match crate::tuning::tune_settings(&baskets, &names, &catalog, &config)? {
        Some((tuned, report)) => (tuned, Some(report)),
        None => (config, None),
    })
}

/// The time (Unix seconds) training would measure decay from when `config.decay_reference` is unset: the
/// newest order naming a product of the catalog. `None` without such orders. The newest of every shard's
/// answer is the reference all shards count with.
pub fn newest_order_at(req: &TrainRequest) -> Result<Option<i64>> {
    let (mut config, _) = resolved_config(req)?;
    let opts = load_options(req, &config)?;
    let mut stats = TrainStats::default();
    let (catalog, origin) = read_catalog(req, &mut config, &mut stats)?;
    let (baskets, _) = read_baskets(req, &catalog, origin, &opts, &mut stats)?;
    Ok(baskets.iter().map(|b| b.at).max())
}

impl Engine {
    /// Finish an engine from (merged) counts and the rest of a train request: products, config, rules,
    /// bundles, experiments, events (read here, where they are few beside the orders). `orders` must be
    /// absent (they are in the counts). The counts must come from this catalog and this config. `tuning`:
    /// the report of [`tune_orders`] when `req.config` is the config it returned (kept in the train stats).
    pub fn from_merged_counts(req: &TrainRequest, counts: &Counts, tuning: Option<TuneReport>) -> Result<Engine> {
        if req.orders.is_some() {
            return Err(Error::invalid("orders", "the orders are already in the counts; finish without them"));
        }
        let experiments = match &req.experiments {
            Some(src) => Experiments::compile(&read_json_values(src)?)?,
            None => Experiments::default(),
        };
        let (mut config, fallback) = resolved_config(req)?;
        let mut stats = TrainStats { tuning: tuning.or(fallback), ..Default::default() };
        if config.currency.is_none() && !counts.currency.is_empty() {
            // The shards' catalogs took their currency from the orders, which finishing does not read.
            config.currency = Some(counts.currency.clone());
        }
        let (catalog, _) = read_catalog(req, &mut config, &mut stats)?;
        let customer_pairs = config.customer_weight() > 0.0 || experiments.override_key("customer_weight");
        check_counts_fit(counts, &catalog, &config, customer_pairs)?;
        experiments.check_overrides(&config)?;
        let (rules, bundles) = read_rules_and_bundles(req, &catalog)?;
        experiments.check_bundles(&bundles)?;
        stats.orders.format = "counts".to_string();
        stats.orders.loaded = counts.orders as usize;
        let mut behaviour = None;
        if let Some(src) = &req.events {
            let ev = read_events(src, &catalog, catalog.currency, req.skip_invalid)?;
            let subs = Substitutes::build(ev.views, &catalog, &PairSource::Table(&counts.pairs), &config);
            behaviour = Some((Declines::build(ev.declines, ev.newest), subs));
            stats.events = ev.report;
        }
        let mut engine = Engine::from_counts(config, catalog, counts, rules, bundles, stats, &crate::progress::Silent);
        if let Some((declines, substitutes)) = behaviour {
            let learned = crate::behaviour::Behaviour { declines, substitutes, ..engine.behaviour().clone() };
            engine = engine.with_behaviour(learned);
        }
        let variants = variant_models(&experiments, &engine, counts, &PairSource::Table(&counts.pairs))?;
        Ok(engine.with_experiments(experiments).with_variant_models(variants))
    }
}

/// Counts finish into the model `config` describes only when they were counted on this catalog with this
/// config's decay and customer-window settings (and with customer pairs when the model weighs them).
fn check_counts_fit(counts: &Counts, catalog: &Catalog, config: &Config, customer_pairs: bool) -> Result<()> {
    counts.check()?;
    let other_currency = !counts.currency.is_empty() && counts.currency != catalog.currency.code();
    if counts.n_products as usize != catalog.len() || counts.catalog_id != catalog_id(catalog) || other_currency {
        return Err(Error::invalid("counts", "the counts were made from another catalog"));
    }
    let expected = Counts::empty(catalog.len(), counts.reference, config);
    let settings = |c: &Counts| (c.half_life_secs, c.window_secs, c.window_orders, c.trending_secs, c.size_weighting);
    if settings(&expected) != settings(counts) {
        return Err(Error::invalid("counts", "the counts were made with other decay or customer-window settings"));
    }
    if let Some(r) = &config.decay_reference {
        if crate::clock::parse_time(r, "config.decay_reference")? != counts.reference {
            return Err(Error::invalid("counts", "the counts were made with another config.decay_reference"));
        }
    }
    if customer_pairs && !counts.has_customer_pairs {
        return Err(Error::invalid("counts", "the model weighs customer-window pairs but the counts lack them"));
    }
    check_facts_fit(counts, config)
}

/// Repurchase, seasons and histories finish as training learns them only when counted so.
fn check_facts_fit(counts: &Counts, config: &Config) -> Result<()> {
    let Some(facts) = &counts.facts else {
        return Err(Error::invalid("counts", "the counts lack repurchase and season facts (count with count_orders)"));
    };
    if config.store_customer_history && !facts.has_histories() {
        return Err(Error::invalid("counts", "the config stores customer histories but the counts lack them"));
    }
    if !facts.seasons_exact(counts.first_at) {
        let (end, newest) = (crate::clock::format_time(facts.season_end), crate::clock::format_time(facts.last_at));
        return Err(Error::invalid(
            "counts",
            format!("seasons were counted for the year to {end} but the newest order is at {newest}: count every shard with newest = {newest}"),
        ));
    }
    Ok(())
}
