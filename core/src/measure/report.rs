//! The experiment report: per experiment, variant, placement and week, with lift against control.
//! Money (revenue, AOV, revenue per visitor) is a decimal string rounded half-even to the currency's minor unit;
//! rates and statistics are floats (null when they cannot be computed, e.g. no orders).

use super::attribution::{attribute, Attribution, DEFAULT_WINDOW_SECS};
use super::events::{EventLog, Malformed};
use super::experiment::{Experiment, Experiments};
use super::stats::{self, Difference};
use crate::error::{Error, Result};
use crate::money::{format_minor, mul_div_half_even, Currency};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Report settings.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    pub currency: Currency,
    /// Attribution window in seconds (default 24 hours).
    pub window_secs: i64,
    /// The relative lift in revenue per visitor to size the test for (default 0.05 = 5%).
    pub mde: f64,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions { currency: Currency::USD, window_secs: DEFAULT_WINDOW_SECS, mde: 0.05 }
    }
}

/// The `report` request of the JSON API.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    /// Experiment definitions, in the request itself (not a path).
    #[cfg_attr(feature = "schema", schemars(with = "Vec<super::experiment::ExperimentInput>"))]
    pub experiments: Vec<Value>,
    /// Shopper events, in the request itself (not a path). A malformed one does not fail the report: it is
    /// counted and listed in the answer's `events`.
    #[cfg_attr(feature = "schema", schemars(with = "Vec<super::events::EventRecord>"))]
    pub events: Vec<Value>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub attribution_window_hours: Option<u32>,
    #[serde(default)]
    pub mde: Option<f64>,
}

impl ReportRequest {
    pub fn options(&self) -> Result<ReportOptions> {
        let mut o = ReportOptions::default();
        if let Some(c) = &self.currency {
            o.currency = Currency::parse(c)?;
        }
        if let Some(h) = self.attribution_window_hours {
            o.window_secs = h as i64 * 3600;
        }
        if let Some(m) = self.mde {
            if !(m > 0.0 && m.is_finite()) {
                return Err(Error::invalid("mde", "mde is a positive relative lift such as 0.05"));
            }
            o.mde = m;
        }
        Ok(o)
    }

    pub fn run(&self) -> Result<Value> {
        let opts = self.options()?;
        let exps = Experiments::compile(&self.experiments)?;
        let log = EventLog::from_values(&self.events, opts.currency);
        Ok(report(&exps, &log, &opts))
    }
}

/// The `report` answer of the JSON API (and `cartlift report --format json`): the report of each experiment
/// over the events. Money is a decimal string in `currency`; rates and statistics are floats, null when they
/// cannot be computed (no orders, fewer than two values).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReportResponse {
    /// The currency of every money string (ISO 4217).
    pub currency: String,
    /// How long before an order a click can earn it (hours).
    pub attribution_window_hours: f64,
    /// The relative lift in revenue per visitor that `power` sizes the test for.
    pub mde: f64,
    pub events: EventCounts,
    /// One report per experiment, in the order of the definitions.
    pub experiments: Vec<ExperimentReport>,
}

/// What became of the events: counts, and the first malformed ones (at most 100) with why.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EventCounts {
    /// Events given.
    pub read: u64,
    /// Events read, less the malformed and the duplicates.
    pub valid: u64,
    pub malformed: u64,
    /// Events identical to an earlier one, and orders whose `order_id` was already seen: counted once.
    pub duplicates: u64,
    /// Events earlier than an event before them (sorted, not dropped).
    pub out_of_order: u64,
    /// Clicks naming an unknown list, or a product the list did not show.
    pub unmatched_clicks: u64,
    pub declines: u64,
    /// Impressions tagged with another variant than the visitor's assignment.
    pub variant_mismatches: u64,
    pub malformed_examples: Vec<Malformed>,
}

/// One experiment: its variants (lifts against `control`) and, per week, their headline numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ExperimentReport {
    pub id: String,
    /// The control variant's id.
    pub control: String,
    /// Placements the experiment covers; empty: all.
    pub placements: Vec<String>,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub variants: Vec<VariantReport>,
    /// Every week any variant saw activity, each with every variant.
    pub weeks: Vec<WeekReport>,
}

/// One variant's visitors, orders and recommendations; the lifts and `power` are null for the control.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct VariantReport {
    pub variant: String,
    pub control: bool,
    pub weight: u64,
    /// Visitors with any event inside the experiment window, assigned to this variant.
    pub visitors: u64,
    /// Visitors with an order.
    pub converters: u64,
    pub orders: u64,
    pub revenue: String,
    pub conversion_rate: Option<f64>,
    /// 95% Wilson interval.
    pub conversion_rate_ci: Option<(f64, f64)>,
    /// Average order value.
    pub aov: Option<String>,
    /// 95% t interval of the mean order value.
    pub aov_ci: Option<(f64, f64)>,
    pub revenue_per_visitor: Option<String>,
    /// Orders holding an attributed recommended item.
    pub attached_orders: u64,
    pub attachment_rate: Option<f64>,
    /// 95% Wilson interval.
    pub attachment_rate_ci: Option<(f64, f64)>,
    /// Revenue of attributed lines.
    pub attributed_revenue: String,
    /// Recommendation lists shown in the experiment's placements.
    pub impressions: u64,
    pub click_through_rate: Option<f64>,
    /// Of impressions with placement `bundle`: the share followed within the window by an order of all its products.
    pub bundle_take_rate: Option<f64>,
    /// Of impressions with placement `upsell`: the share with an `add_to_cart` from that list.
    pub upsell_acceptance: Option<f64>,
    /// Per placement shown.
    pub placements: BTreeMap<String, PlacementReport>,
    /// Welch's t-test of order values against the control's.
    pub aov_lift: Option<Lift>,
    /// Welch's t-test of every visitor's revenue (zeros included) against the control's.
    pub revenue_per_visitor_lift: Option<Lift>,
    /// Two-proportion z-test against the control.
    pub conversion_lift: Option<Lift>,
    /// Two-proportion z-test against the control.
    pub attachment_lift: Option<Lift>,
    /// Two-proportion z-test against the control.
    pub click_through_lift: Option<Lift>,
    pub power: Option<PowerAnalysis>,
}

/// One placement's recommendation lists of a variant.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PlacementReport {
    pub impressions: u64,
    pub click_through_rate: Option<f64>,
    pub attached_orders: u64,
    /// Of all the variant's orders.
    pub attachment_rate: Option<f64>,
    pub attributed_revenue: String,
}

/// A variant against the control: treatment − control (`estimate`), its 95% interval and two-sided p-value. For
/// AOV and revenue per visitor (Welch's t-test) in whole units of the currency; for rates (two-proportion z-test)
/// a difference of proportions.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Lift {
    pub estimate: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// Null when a z-test has no spread (both rates 0 or both 1).
    pub p_value: Option<f64>,
    /// The test statistic (t or z); null as `p_value`.
    pub statistic: Option<f64>,
    /// Welch's degrees of freedom (AOV and revenue per visitor).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "f64"))]
    pub df: Option<f64>,
    /// `estimate` over the control mean (AOV and revenue per visitor, when that mean is not zero).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "f64"))]
    pub relative: Option<f64>,
    /// `ci_low` over the control mean, with `relative`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "f64"))]
    pub relative_ci_low: Option<f64>,
    /// `ci_high` over the control mean, with `relative`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "f64"))]
    pub relative_ci_high: Option<f64>,
}

/// Visitors per variant needed to detect a relative lift of `mde` in revenue per visitor (two-sided 5%, 80%
/// power), and how many more than the smaller of this variant and the control has.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PowerAnalysis {
    pub metric: PowerMetric,
    pub mde: f64,
    pub power: f64,
    pub alpha: f64,
    pub visitors_needed_per_variant: u64,
    pub more_visitors_needed: u64,
}

/// The metric a test is sized for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PowerMetric {
    RevenuePerVisitor,
}

/// One week (starting on Monday) of an experiment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WeekReport {
    /// The Monday's date (YYYY-MM-DD).
    pub week: String,
    /// Every variant, zeros where it had no activity that week.
    pub variants: Vec<WeekVariant>,
}

/// A variant's headline numbers in one week.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WeekVariant {
    pub variant: String,
    pub visitors: u64,
    pub orders: u64,
    pub revenue: String,
    pub conversion_rate: Option<f64>,
    pub aov: Option<String>,
    pub revenue_per_visitor: Option<String>,
    pub attachment_rate: Option<f64>,
}

const WEEK: i64 = 7 * 86_400;
/// 1970-01-01 was a Thursday: shift so weeks start on Monday.
const MONDAY_SHIFT: i64 = 3 * 86_400;

fn week_start(at: i64) -> i64 {
    (at + MONDAY_SHIFT).div_euclid(WEEK) * WEEK - MONDAY_SHIFT
}

fn date(at: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(at).expect("in range");
    format!("{:04}-{:02}-{:02}", t.year(), t.month() as u8, t.day())
}

#[derive(Default)]
struct Acc {
    visitors: u64,
    converters: u64,
    orders: u64,
    revenue: i64,
    attributed_revenue: i64,
    attached_orders: u64,
    order_totals: Vec<f64>,
    visitor_revenue: Vec<f64>,
    impressions: u64,
    clicked: u64,
    bundle_impressions: u64,
    bundles_taken: u64,
    upsell_impressions: u64,
    upsells_accepted: u64,
    placements: BTreeMap<String, PlacementAcc>,
    weeks: BTreeMap<i64, WeekAcc>,
}

#[derive(Default)]
struct PlacementAcc {
    impressions: u64,
    clicked: u64,
    attached_orders: u64,
    attributed_revenue: i64,
}

#[derive(Default)]
struct WeekAcc {
    visitors: BTreeSet<String>,
    converters: BTreeSet<String>,
    orders: u64,
    revenue: i64,
    attached_orders: u64,
}

fn rate(x: u64, n: u64) -> Option<f64> {
    (n != 0).then(|| x as f64 / n as f64)
}

/// A statistic that may not be computable (NaN): null, as JSON writes a non-finite float.
fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

fn lift(d: Option<Difference>, base: Option<f64>) -> Option<Lift> {
    let d = d?;
    let base = base.filter(|b| *b != 0.0);
    Some(Lift {
        estimate: d.estimate,
        ci_low: d.ci_low,
        ci_high: d.ci_high,
        p_value: finite(d.p_value),
        statistic: finite(d.statistic),
        df: d.df,
        relative: base.map(|b| d.estimate / b),
        relative_ci_low: base.map(|b| d.ci_low / b),
        relative_ci_high: base.map(|b| d.ci_high / b),
    })
}

/// The whole report as JSON ([`ReportResponse::to_json`] of [`ReportResponse::build`]).
pub fn report(exps: &Experiments, log: &EventLog, opts: &ReportOptions) -> Value {
    ReportResponse::build(exps, log, opts).to_json()
}

impl ReportResponse {
    /// The report as a JSON value, whose keys are sorted (the text every binding, the CLI and the tests have
    /// always compared), never the struct written field by field.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).expect("a report serializes")
    }

    /// The report of the experiments over the events.
    pub fn build(exps: &Experiments, log: &EventLog, opts: &ReportOptions) -> ReportResponse {
        let attr = attribute(log, opts.window_secs);
        let mut mismatches = 0u64;
        let experiments = exps.list.iter().map(|e| experiment_report(e, &attr, opts, &mut mismatches)).collect();
        ReportResponse {
            currency: opts.currency.code().to_string(),
            attribution_window_hours: opts.window_secs as f64 / 3600.0,
            mde: opts.mde,
            events: EventCounts {
                read: log.read,
                valid: log.events.len() as u64,
                malformed: log.malformed,
                duplicates: log.duplicates,
                out_of_order: log.out_of_order,
                unmatched_clicks: attr.unmatched_clicks,
                declines: attr.declines,
                variant_mismatches: mismatches,
                malformed_examples: log.malformed_examples.clone(),
            },
            experiments,
        }
    }
}

fn experiment_report(
    e: &Experiment,
    attr: &Attribution,
    opts: &ReportOptions,
    mismatches: &mut u64,
) -> ExperimentReport {
    let mut tally = Tally::new(e);
    tally.assign_visitors(e, attr);
    tally.count_lists(e, attr, mismatches);
    tally.count_orders(e, attr, opts.currency.scale() as f64);
    let accs = tally.finish(e, attr, opts.currency.scale() as f64);
    let c = e.control;
    let render = Render {
        e,
        accs: &accs,
        opts,
        control_aov: stats::mean_var(&accs[c].order_totals).0,
        control_rpv: stats::mean_var(&accs[c].visitor_revenue).0,
    };
    ExperimentReport {
        id: e.id.clone(),
        control: e.variants[c].id.clone(),
        placements: e.placements.clone(),
        starts_at: e.starts_at.map(crate::clock::format_time),
        ends_at: e.ends_at.map(crate::clock::format_time),
        variants: (0..accs.len()).map(|i| render.variant(i)).collect(),
        weeks: render.weeks(),
    }
}

/// One experiment's counts while the attributed events are read: per variant, and which variant each
/// visitor saw (a visitor counts only when active while the experiment ran).
struct Tally<'a> {
    accs: Vec<Acc>,
    variant_of: HashMap<&'a str, usize>,
    revenue_of: HashMap<&'a str, i64>,
}

impl<'a> Tally<'a> {
    fn new(e: &Experiment) -> Tally<'a> {
        Tally {
            accs: e.variants.iter().map(|_| Acc::default()).collect(),
            variant_of: HashMap::new(),
            revenue_of: HashMap::new(),
        }
    }

    /// Visitors seen while the experiment ran, by assigned variant and by week.
    fn assign_visitors(&mut self, e: &Experiment, attr: &'a Attribution) {
        for (visitor, times) in &attr.visitor_times {
            let active: Vec<i64> = times.iter().copied().filter(|t| e.active_at(*t)).collect();
            if active.is_empty() {
                continue;
            }
            let v = e.assign_index(visitor);
            self.variant_of.insert(visitor.as_str(), v);
            self.accs[v].visitors += 1;
            for t in active {
                self.accs[v].weeks.entry(week_start(t)).or_default().visitors.insert(visitor.clone());
            }
        }
    }

    /// Impressions in the experiment's placements; a list tagged with another variant than the visitor's
    /// assignment is a mismatch (the storefront and the report disagree).
    fn count_lists(&mut self, e: &Experiment, attr: &Attribution, mismatches: &mut u64) {
        for l in attr.lists.values() {
            if !e.active_at(l.at) || !e.covers(&l.placement) {
                continue;
            }
            let Some(&v) = self.variant_of.get(l.visitor.as_str()) else { continue };
            if l.experiment.as_deref() == Some(e.id.as_str()) && l.variant.as_deref() != Some(e.variants[v].id.as_str())
            {
                *mismatches += 1;
            }
            let a = &mut self.accs[v];
            a.impressions += 1;
            a.clicked += l.clicked as u64;
            let p = a.placements.entry(l.placement.clone()).or_default();
            p.impressions += 1;
            p.clicked += l.clicked as u64;
            if l.placement == "bundle" {
                a.bundle_impressions += 1;
                a.bundles_taken += l.taken as u64;
            }
            if l.placement == "upsell" {
                a.upsell_impressions += 1;
                a.upsells_accepted += l.added as u64;
            }
        }
    }

    /// Orders of assigned visitors, with the revenue attributed to lists in the experiment's placements.
    fn count_orders(&mut self, e: &Experiment, attr: &'a Attribution, scale: f64) {
        for o in &attr.orders {
            if !e.active_at(o.at) {
                continue;
            }
            let Some(&v) = self.variant_of.get(o.visitor.as_str()) else { continue };
            let a = &mut self.accs[v];
            a.orders += 1;
            a.revenue += o.total;
            a.order_totals.push(o.total as f64 / scale);
            *self.revenue_of.entry(o.visitor.as_str()).or_default() += o.total;
            let mut attached = false;
            let mut by_placement: BTreeMap<&str, i64> = BTreeMap::new();
            for (list, amount) in &o.attributed {
                let Some(l) = attr.lists.get(list) else { continue };
                if !e.covers(&l.placement) {
                    continue;
                }
                attached = true;
                a.attributed_revenue += amount;
                *by_placement.entry(l.placement.as_str()).or_default() += amount;
            }
            for (p, amount) in by_placement {
                let pa = a.placements.entry(p.to_string()).or_default();
                pa.attached_orders += 1;
                pa.attributed_revenue += amount;
            }
            a.attached_orders += attached as u64;
            let w = a.weeks.entry(week_start(o.at)).or_default();
            w.orders += 1;
            w.revenue += o.total;
            w.attached_orders += attached as u64;
            w.converters.insert(o.visitor.clone());
        }
    }

    /// Per-visitor revenue (zero for visitors who bought nothing) and converters, once every order is in.
    fn finish(mut self, e: &Experiment, attr: &Attribution, scale: f64) -> Vec<Acc> {
        for (visitor, &v) in &self.variant_of {
            let r = self.revenue_of.get(visitor).copied().unwrap_or(0);
            self.accs[v].visitor_revenue.push(r as f64 / scale);
        }
        // Converters: visitors with at least one order in the window (a zero-total order still converts).
        let mut converted: HashMap<&str, bool> = HashMap::new();
        for o in &attr.orders {
            if e.active_at(o.at) && self.variant_of.contains_key(o.visitor.as_str()) {
                converted.insert(o.visitor.as_str(), true);
            }
        }
        for visitor in converted.keys() {
            self.accs[self.variant_of[visitor]].converters += 1;
        }
        // Deterministic order of per-visitor values (HashMap iteration is not).
        for a in self.accs.iter_mut() {
            a.visitor_revenue.sort_by(|x, y| x.total_cmp(y));
        }
        self.accs
    }
}

/// Writes one experiment's counts; lifts are against the control variant.
struct Render<'a> {
    e: &'a Experiment,
    accs: &'a [Acc],
    opts: &'a ReportOptions,
    control_aov: f64,
    control_rpv: f64,
}

impl Render<'_> {
    fn money(&self, minor: i64) -> String {
        format_minor(minor, self.opts.currency)
    }

    /// `total / n` as money (rounded half-even), null for no `n`.
    fn avg(&self, total: i64, n: u64) -> Option<String> {
        (n != 0).then(|| self.money(mul_div_half_even(total, 1, n as i64)))
    }

    fn variant(&self, i: usize) -> VariantReport {
        let (e, a) = (self.e, &self.accs[i]);
        let (aov_mean, aov_var) = stats::mean_var(&a.order_totals);
        let aov_ci = (a.orders >= 2 && aov_var.is_finite()).then(|| {
            let h = stats::t_ppf(0.975, a.orders as f64 - 1.0) * (aov_var / a.orders as f64).sqrt();
            (aov_mean - h, aov_mean + h)
        });
        let mut v = VariantReport {
            variant: e.variants[i].id.clone(),
            control: i == e.control,
            weight: e.variants[i].weight,
            visitors: a.visitors,
            converters: a.converters,
            orders: a.orders,
            revenue: self.money(a.revenue),
            conversion_rate: rate(a.converters, a.visitors),
            conversion_rate_ci: stats::wilson(a.converters, a.visitors),
            aov: self.avg(a.revenue, a.orders),
            aov_ci,
            revenue_per_visitor: self.avg(a.revenue, a.visitors),
            attached_orders: a.attached_orders,
            attachment_rate: rate(a.attached_orders, a.orders),
            attachment_rate_ci: stats::wilson(a.attached_orders, a.orders),
            attributed_revenue: self.money(a.attributed_revenue),
            impressions: a.impressions,
            click_through_rate: rate(a.clicked, a.impressions),
            bundle_take_rate: rate(a.bundles_taken, a.bundle_impressions),
            upsell_acceptance: rate(a.upsells_accepted, a.upsell_impressions),
            placements: self.placements(a),
            aov_lift: None,
            revenue_per_visitor_lift: None,
            conversion_lift: None,
            attachment_lift: None,
            click_through_lift: None,
            power: None,
        };
        if i != e.control {
            self.lifts(a, &mut v);
        }
        v
    }

    fn placements(&self, a: &Acc) -> BTreeMap<String, PlacementReport> {
        a.placements
            .iter()
            .map(|(p, pa)| {
                let report = PlacementReport {
                    impressions: pa.impressions,
                    click_through_rate: rate(pa.clicked, pa.impressions),
                    attached_orders: pa.attached_orders,
                    attachment_rate: rate(pa.attached_orders, a.orders),
                    attributed_revenue: self.money(pa.attributed_revenue),
                };
                (p.clone(), report)
            })
            .collect()
    }

    /// A treatment variant's differences from the control, and the visitors needed to see the MDE.
    fn lifts(&self, a: &Acc, v: &mut VariantReport) {
        let k = &self.accs[self.e.control];
        v.aov_lift = lift(stats::welch(&a.order_totals, &k.order_totals), Some(self.control_aov));
        v.revenue_per_visitor_lift = lift(stats::welch(&a.visitor_revenue, &k.visitor_revenue), Some(self.control_rpv));
        v.conversion_lift = lift(stats::two_proportion(a.converters, a.visitors, k.converters, k.visitors), None);
        v.attachment_lift = lift(stats::two_proportion(a.attached_orders, a.orders, k.attached_orders, k.orders), None);
        v.click_through_lift = lift(stats::two_proportion(a.clicked, a.impressions, k.clicked, k.impressions), None);
        let sd_t = stats::mean_var(&a.visitor_revenue).1.sqrt();
        let sd_c = stats::mean_var(&k.visitor_revenue).1.sqrt();
        let mde = self.opts.mde;
        v.power = stats::sample_size(sd_t, sd_c, mde * self.control_rpv).map(|n| {
            let needed = n.ceil() as u64;
            PowerAnalysis {
                metric: PowerMetric::RevenuePerVisitor,
                mde,
                power: 0.8,
                alpha: 0.05,
                visitors_needed_per_variant: needed,
                more_visitors_needed: needed.saturating_sub(a.visitors.min(k.visitors)),
            }
        });
    }

    /// Every week any variant saw activity, each with every variant (zeros where it had none).
    fn weeks(&self) -> Vec<WeekReport> {
        let all_weeks: BTreeSet<i64> = self.accs.iter().flat_map(|a| a.weeks.keys().copied()).collect();
        all_weeks
            .into_iter()
            .map(|w| WeekReport {
                week: date(w),
                variants: self.accs.iter().enumerate().map(|(i, a)| self.week(i, a.weeks.get(&w))).collect(),
            })
            .collect()
    }

    fn week(&self, i: usize, wa: Option<&WeekAcc>) -> WeekVariant {
        let (vis, conv, orders, revenue, att) = wa
            .map(|x| (x.visitors.len() as u64, x.converters.len() as u64, x.orders, x.revenue, x.attached_orders))
            .unwrap_or_default();
        WeekVariant {
            variant: self.e.variants[i].id.clone(),
            visitors: vis,
            orders,
            revenue: self.money(revenue),
            conversion_rate: rate(conv, vis),
            aov: self.avg(revenue, orders),
            revenue_per_visitor: self.avg(revenue, vis),
            attachment_rate: rate(att, orders),
        }
    }
}
