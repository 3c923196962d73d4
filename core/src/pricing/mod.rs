//! Bundle discounts and cart pricing with exact money.
//!
//! `price_cart` prices each line (catalog price or the line's override), chooses the bundle applications that
//! save the customer the most (see [`optimizer`] for the model, the search and the tie rules), allocates each
//! bundle's saving to its lines ([`alloc`]), then applies order-level `threshold` bundles, and lists the
//! cheapest changes that would unlock more ([`opportunities`]).
//!
//! Money rules: all amounts are integer minor units of the catalog currency; a percentage rounds half-even
//! once per application (on the application's value); a bundle's saving is split over the lines it discounted
//! by value with the largest-remainder method, so lines always add up to the totals.
//!
//! Thresholds: a threshold qualifies on the subtotal before discounts ("spend at least X"); its percentage
//! applies to what is left after unit-level bundles, so a unit's cent is never discounted twice. Among
//! non-stackable thresholds the best one applies; stackable ones add to it; an `exclusive` threshold replaces
//! every other bundle when it alone saves more. Because a threshold never gains more than it loses when unit
//! savings grow, unit-level savings are maximised first.
//!
//! Stackable bundles: their saving is computed on list prices; when stacked discounts would take a line below
//! zero the stackable bundle's saving is cut to what is left on the line (reported as its saving).
//!
//! Time: a bundle is live when `starts_at <= now < ends_at`; `now` defaults to the current time (pass it for
//! reproducible answers). Bundles with a product id the catalog does not know, and fixed bundles with a
//! component out of stock, are neither applied nor suggested; cart units of out-of-stock products never take
//! part in a bundle.

pub mod alloc;
pub mod defs;
pub mod opportunities;
pub mod optimizer;
#[cfg(feature = "schema")]
pub(crate) mod record;
pub mod suggest;

use crate::catalog::{Catalog, ProductIdx};
use crate::error::{Error, ErrorCode, Result};
use crate::money::{checked_total, format_minor, line_value, Currency};
use crate::request::{resolve_cart, CartLine, CartLineInput};
use crate::shop::Shop;
use defs::{Bundle, Kind};
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

pub(crate) use opportunities::completion_offers;
pub use opportunities::{AddItem, Opportunity};
pub(crate) use suggest::suggest_bundles;
pub use suggest::{SuggestBundlesRequest, SuggestBundlesResponse, SuggestedBundle};

/// The shop's bundle definitions, compiled against a catalog.
#[derive(Debug, Clone, Default)]
pub struct Bundles {
    /// The JSON each bundle came from, kept so a saved model reproduces them exactly.
    pub sources: Vec<String>,
    pub bundles: Vec<Bundle>,
    /// Per product, its part in each bundle, worked out once here instead of in every request.
    pub(crate) roles: optimizer::RoleIndex,
}

impl Bundles {
    /// Check and compile definitions; errors name the bundle's 1-based line and the field.
    pub fn compile(values: &[serde_json::Value], catalog: &Catalog) -> Result<Bundles> {
        let bundles = defs::compile_all(values, catalog, None)?;
        let roles = optimizer::RoleIndex::new(&bundles);
        Ok(Bundles { sources: values.iter().map(|v| v.to_string()).collect(), bundles, roles })
    }
    pub fn from_sources(sources: &[String], catalog: &Catalog) -> Result<Bundles> {
        let values = sources
            .iter()
            .map(|s| serde_json::from_str(s).map_err(|e| Error::corrupt(format!("stored bundle does not parse: {e}"))))
            .collect::<Result<Vec<serde_json::Value>>>()?;
        Bundles::compile(&values, catalog)
    }
    pub fn get(&self, id: &str) -> Option<&Bundle> {
        self.bundles.iter().find(|b| b.id == id)
    }
    /// The same bundles after catalog prices changed: collections reordered by the new prices.
    pub(crate) fn repriced(&self, catalog: &Catalog) -> Bundles {
        let mut out = self.clone();
        for b in &mut out.bundles {
            for c in b.kind.collections_mut() {
                c.order_by_price(catalog);
            }
        }
        out
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PriceCartRequest {
    pub cart: Vec<CartLineInput>,
    /// Must be the catalog's currency when given.
    #[serde(default)]
    pub currency: Option<String>,
    /// RFC 3339; default the current time.
    #[serde(default)]
    pub now: Option<String>,
    /// Extra definitions for this request; one with a trained bundle's id replaces it.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<record::BundleRecord>"))]
    pub bundles: Vec<serde_json::Value>,
    /// `false` skips `opportunities` (an order-confirmation total needs no "add one more" hints, and it is
    /// most of the work on carts with many near-miss bundles); default on.
    #[serde(default)]
    pub opportunities: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PricedLine {
    pub product_id: String,
    pub quantity: u32,
    pub unit_price: String,
    pub subtotal: String,
    pub discount: String,
    pub total: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UnitsUsed {
    pub product_id: String,
    pub quantity: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AppliedBundle {
    pub bundle_id: String,
    pub kind: String,
    pub title: Option<String>,
    pub applications: u32,
    pub saving: String,
    pub units: Vec<UnitsUsed>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PriceCartResponse {
    pub currency: String,
    pub subtotal: String,
    pub discount: String,
    pub total: String,
    pub lines: Vec<PricedLine>,
    pub applied: Vec<AppliedBundle>,
    pub opportunities: Vec<Opportunity>,
    /// True when the bundle choice is proven best (always for carts up to 40 units in practice).
    pub optimal: bool,
}

/// A line as pricing sees it. `idx` None: priced by its override, never in a bundle.
#[derive(Debug, Clone)]
pub(crate) struct PLine<'s> {
    /// Borrowed from the request or the catalog: opportunities copy the lines once per candidate change.
    pub product_id: &'s str,
    pub idx: Option<ProductIdx>,
    pub qty: u32,
    pub price: i64,
}

/// One applied bundle, aggregated over its applications.
#[derive(Debug, Clone)]
pub(crate) struct Applied<'a> {
    pub bundle: &'a Bundle,
    pub applications: u32,
    pub saving: i64,
    /// Units used per line index.
    pub units: Vec<(usize, u32)>,
}

/// The priced cart in minor units.
#[derive(Debug, Clone)]
pub(crate) struct Outcome<'a> {
    pub line_discount: Vec<i64>,
    pub applied: Vec<Applied<'a>>,
    pub subtotal: i64,
    pub discount: i64,
    pub optimal: bool,
}

/// The bundles live for one request.
pub(crate) struct Live<'a> {
    pub bundles: Vec<&'a Bundle>,
    /// The live unit-level (non-threshold) bundles: what the optimizer sees, listed once per request.
    pub unit: Vec<&'a Bundle>,
    /// Per bundle of `unit`, its index in the engine's bundle list; `None` for a request's own definition
    /// (whose roles are not in the engine's index).
    pub unit_source: Vec<Option<usize>>,
    /// The live order-level `threshold` bundles, in definition order (every re-priced change totals them).
    pub thresholds: Vec<&'a Bundle>,
}

impl<'a> Live<'a> {
    pub fn new(shop: &Shop<'a>, extra: &'a [Bundle], now: i64) -> Live<'a> {
        let catalog = shop.catalog;
        let engine_bundles = &shop.bundles.bundles;
        let mut listed: Vec<(&Bundle, Option<usize>)> = engine_bundles
            .iter()
            .enumerate()
            .map(|(i, b)| extra.iter().find(|e| e.id == b.id).map_or((b, Some(i)), |e| (e, None)))
            .collect();
        for e in extra {
            if shop.bundles.get(&e.id).is_none() {
                listed.push((e, None));
            }
        }
        listed.retain(|(b, _)| b.active_at(now) && b.applicable(catalog));
        let bundles: Vec<&Bundle> = listed.iter().map(|l| l.0).collect();
        let (thresholds, unit): (Vec<_>, Vec<_>) = listed.into_iter().partition(|l| l.0.is_threshold());
        let thresholds = thresholds.into_iter().map(|l| l.0).collect();
        let (unit, unit_source) = unit.into_iter().unzip();
        Live { bundles, unit, unit_source, thresholds }
    }
}

/// What the optimizer sees: unit classes of in-stock catalog lines, and the live unit-level bundles.
fn unit_problem<'l, 'a>(
    catalog: &Catalog,
    live: &'l Live<'a>,
    lines: &[PLine],
) -> (Vec<optimizer::Class>, &'l [&'a Bundle]) {
    let mut classes = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter().enumerate() {
        if let Some(product) = l.idx.filter(|&p| defs::eligible(catalog, p)) {
            classes.push(optimizer::Class { line: i, product, price: l.price, qty: l.qty });
        }
    }
    (classes, &live.unit)
}

/// Unit-level bundles only: the optimizer's choice, allocated to lines (`discount` left 0), and the cart's
/// split into components (for re-pricing it with units added).
pub(crate) fn unit_level<'a>(
    catalog: &Catalog,
    live: &Live<'a>,
    lines: &[PLine],
    cache: &mut optimizer::Cache,
) -> (Outcome<'a>, optimizer::BaseSplit) {
    let subtotal: i64 = lines.iter().map(|l| l.price * l.qty as i64).sum();
    let (classes, unit_bundles) = unit_problem(catalog, live, lines);
    let (sol, base) = optimizer::solve(&classes, unit_bundles, cache);

    let line_value: Vec<i64> = lines.iter().map(|l| l.price * l.qty as i64).collect();
    let mut line_discount = vec![0i64; lines.len()];
    let mut applied: Vec<Applied> = Vec::new();
    // Aggregate per bundle in bundle order: non-stackable first, then stackable (which may be cut).
    let mut by_bundle: Vec<Vec<&optimizer::Application>> = vec![Vec::new(); unit_bundles.len()];
    for a in &sol.applications {
        by_bundle[a.bundle].push(a);
    }
    for stack_pass in [false, true] {
        for (bi, apps) in by_bundle.iter().enumerate() {
            let b = unit_bundles[bi];
            if apps.is_empty() || b.stackable != stack_pass {
                continue;
            }
            let mut weights = vec![0i64; lines.len()];
            let mut units = vec![0u32; lines.len()];
            let mut saving = 0i64;
            for a in apps {
                saving += a.saving;
                for &(c, n) in &a.disc {
                    let cl = &classes[c as usize];
                    weights[cl.line] += cl.price * n as i64;
                }
                for &(c, n) in &a.take {
                    units[classes[c as usize].line] += n as u32;
                }
            }
            let mut shares = alloc::largest_remainder(saving, &weights);
            if stack_pass {
                for (i, s) in shares.iter_mut().enumerate() {
                    *s = (*s).min(line_value[i] - line_discount[i]);
                }
                saving = shares.iter().sum();
            }
            for (i, s) in shares.iter().enumerate() {
                line_discount[i] += s;
            }
            if saving > 0 {
                applied.push(Applied {
                    bundle: b,
                    applications: apps.len() as u32,
                    saving,
                    units: units.iter().enumerate().filter(|(_, &u)| u > 0).map(|(i, &u)| (i, u)).collect(),
                });
            }
        }
    }
    (Outcome { line_discount, applied, subtotal, discount: 0, optimal: sol.optimal }, base)
}

/// Price lines with the live bundles (no opportunities).
pub(crate) fn evaluate<'a>(
    catalog: &Catalog,
    live: &Live<'a>,
    lines: &[PLine],
    cache: &mut optimizer::Cache,
) -> Outcome<'a> {
    with_thresholds(live, lines, unit_level(catalog, live, lines, cache).0)
}

/// The order-level thresholds a cart gets on top of `unit_discount`: (bundle, saving) in the order applied,
/// and whether an exclusive threshold replaces every other bundle.
pub(crate) fn choose_thresholds<'a>(
    live: &Live<'a>,
    subtotal: i64,
    unit_discount: i64,
) -> (Vec<(&'a Bundle, i64)>, bool) {
    let mut chosen = Vec::new();
    let replace = each_threshold(live, subtotal, unit_discount, |b, s| chosen.push((b, s)));
    (chosen, replace)
}

/// The total discount of a cart with `subtotal` whose unit-level discount is `unit_discount`, thresholds
/// included, and whether an exclusive threshold replaces every bundle (what [`choose_thresholds`] gives,
/// without listing them).
pub(crate) fn total_with_thresholds(live: &Live, subtotal: i64, unit_discount: i64) -> (i64, bool) {
    let mut thresholds = 0;
    let replace = each_threshold(live, subtotal, unit_discount, |_, s| thresholds += s.max(0));
    (if replace { thresholds } else { unit_discount + thresholds }, replace)
}

/// [`choose_thresholds`], each chosen (bundle, saving) handed to `choose` in the order applied; true when an
/// exclusive threshold replaces every other bundle (then it is the only one handed over).
fn each_threshold<'a>(
    live: &Live<'a>,
    subtotal: i64,
    unit_discount: i64,
    mut choose: impl FnMut(&'a Bundle, i64),
) -> bool {
    let thresholds = || {
        live.thresholds
            .iter()
            .copied()
            .filter(move |b| matches!(b.kind, Kind::Threshold { min_subtotal, .. } if subtotal >= min_subtotal))
    };
    let tdisc = |b: &Bundle, base: i64| match b.kind {
        Kind::Threshold { discount, .. } => discount.saving(base),
        _ => 0,
    };
    let mut remaining = subtotal - unit_discount;
    let base = remaining;
    let normal = thresholds()
        .filter(|b| !b.stackable && !b.exclusive)
        .max_by(|a, b| (tdisc(a, base), a.priority).cmp(&(tdisc(b, base), b.priority)).then(b.line.cmp(&a.line)));
    // The exclusive one is decided first (it needs the normal total), then the normal ones are handed over.
    let mut normal_savings: SmallVec<[(&'a Bundle, i64); 4]> = SmallVec::new();
    for b in normal.into_iter().chain(thresholds().filter(|b| b.stackable)) {
        let s = tdisc(b, base).min(remaining);
        remaining -= s;
        normal_savings.push((b, s));
    }
    let normal_total = subtotal - remaining;
    if let Some(x) = thresholds().filter(|b| b.exclusive).max_by(|a, b| {
        (tdisc(a, subtotal), a.priority).cmp(&(tdisc(b, subtotal), b.priority)).then(b.line.cmp(&a.line))
    }) {
        if tdisc(x, subtotal) > normal_total {
            choose(x, tdisc(x, subtotal));
            return true;
        }
    }
    for (b, s) in normal_savings {
        choose(b, s);
    }
    false
}

/// An upper bound on the total discount of a cart with `subtotal` whose unit-level discount is at most
/// `unit_bound`: thresholds save the most when nothing else is discounted, and an exclusive one replaces
/// everything.
fn discount_bound(live: &Live, subtotal: i64, unit_bound: i64) -> i64 {
    let (mut best_single, mut stacked, mut exclusive) = (0i64, 0i64, 0i64);
    for b in &live.thresholds {
        let Kind::Threshold { min_subtotal, discount } = b.kind else {
            continue;
        };
        if subtotal < min_subtotal {
            continue;
        }
        let s = discount.saving(subtotal);
        if b.exclusive {
            exclusive = exclusive.max(s);
        } else if b.stackable {
            stacked += s;
        } else {
            best_single = best_single.max(s);
        }
    }
    (unit_bound + best_single + stacked).max(exclusive)
}

/// Add order-level thresholds to a unit-level outcome (`discount` is recomputed).
pub(crate) fn with_thresholds<'a>(live: &Live<'a>, lines: &[PLine], unit: Outcome<'a>) -> Outcome<'a> {
    let Outcome { mut line_discount, mut applied, subtotal, mut optimal, .. } = unit;
    let (chosen, replace) = choose_thresholds(live, subtotal, line_discount.iter().sum());
    if replace {
        applied.clear();
        line_discount = vec![0; lines.len()];
        optimal = true;
    }
    for (b, s) in chosen {
        if s <= 0 {
            continue;
        }
        let weights: Vec<i64> = lines.iter().zip(&line_discount).map(|(l, d)| l.price * l.qty as i64 - d).collect();
        let shares = alloc::largest_remainder(s, &weights);
        for (i, sh) in shares.iter().enumerate() {
            line_discount[i] += sh;
        }
        applied.push(Applied { bundle: b, applications: 1, saving: s, units: Vec::new() });
    }
    let discount = line_discount.iter().sum();
    Outcome { line_discount, applied, subtotal, discount, optimal }
}

/// A cart prepared for re-pricing with a few units added (opportunities, completion offers): its unit
/// classes and how they split into components, so each change re-solves only what it touches.
pub(crate) struct Repricer<'l, 'a> {
    live: &'l Live<'a>,
    lines: &'l [PLine<'l>],
    base: optimizer::BaseSplit,
    subtotal: i64,
}

/// The cart with a few catalog products added (each as a new line at catalog price).
pub(crate) struct ChangedCart {
    change: optimizer::Change,
    subtotal: i64,
}

impl<'l, 'a> Repricer<'l, 'a> {
    pub fn new(live: &'l Live<'a>, lines: &'l [PLine<'l>], base: optimizer::BaseSplit) -> Repricer<'l, 'a> {
        let subtotal = lines.iter().map(|l| l.price * l.qty as i64).sum();
        Repricer { live, lines, base, subtotal }
    }

    /// The cart's eligible units in the first and second role of unit-level bundle `unit_index` (see
    /// `optimizer::BaseSplit::units_in_roles`).
    pub fn units_in_roles(&self, unit_index: usize) -> (u32, u32) {
        self.base.units_in_roles(unit_index)
    }

    /// The cart with `add` (costing `spend` at catalog prices) added; `None` when its subtotal would leave
    /// the money range.
    pub fn change(
        &self,
        catalog: &Catalog,
        add: &[(ProductIdx, u32)],
        spend: i64,
        cache: &mut optimizer::Cache,
    ) -> Option<ChangedCart> {
        let subtotal = self.subtotal.checked_add(spend)?;
        let mut added: SmallVec<[optimizer::Class; 2]> = SmallVec::new();
        for (k, &(p, q)) in add.iter().enumerate() {
            if defs::eligible(catalog, p) {
                added.push(optimizer::Class {
                    line: self.lines.len() + k,
                    product: p,
                    price: catalog.price(p),
                    qty: q,
                });
            }
        }
        Some(ChangedCart { change: self.base.change(added, &self.live.unit, cache), subtotal })
    }

    /// An upper bound on the unit-level discount of a changed cart, found without solving anything; `None`
    /// when there is none.
    pub fn unit_bound(&self, changed: &ChangedCart, cache: &optimizer::Cache) -> Option<i64> {
        optimizer::change_bound(&self.base, &changed.change, &self.live.unit, cache)
    }

    /// An upper bound on the total discount of a changed cart whose unit-level discount is at most `unit`.
    pub fn discount_bound(&self, changed: &ChangedCart, unit: i64) -> i64 {
        discount_bound(self.live, changed.subtotal, unit)
    }

    /// The total discount of a changed cart and whether unit-level `bundle` takes part: what `evaluate` would
    /// say, without allocating to lines (stackable cuts are worked out per component; see
    /// `optimizer::summarize`).
    pub fn total_discount(
        &self,
        catalog: &Catalog,
        changed: &ChangedCart,
        add: &[(ProductIdx, u32)],
        bundle: &Bundle,
        cache: &mut optimizer::Cache,
    ) -> Repriced {
        let unit_bundles = &self.live.unit[..];
        let of_interest = unit_bundles.iter().position(|b| std::ptr::eq(*b, bundle)).unwrap_or(usize::MAX);
        let sum = optimizer::summarize_change(&self.base, &changed.change, unit_bundles, cache, of_interest);
        if !sum.known {
            let mut more = self.lines.to_vec();
            for &(p, q) in add {
                more.push(PLine { product_id: catalog.id(p), idx: Some(p), qty: q, price: catalog.price(p) });
            }
            let next = evaluate(catalog, self.live, &more, cache);
            return Repriced {
                discount: next.discount,
                applies: next.applied.iter().any(|a| std::ptr::eq(a.bundle, bundle)),
                unit: None,
            };
        }
        let unit = sum.exact.then_some(sum.discount);
        // An exclusive threshold that replaces every bundle leaves the bundle of interest out.
        let (discount, replaced) = total_with_thresholds(self.live, changed.subtotal, sum.discount);
        Repriced { discount, applies: sum.applies && !replaced, unit }
    }
}

/// A changed cart re-priced.
pub(crate) struct Repriced {
    /// The total discount.
    pub discount: i64,
    /// Whether the bundle of interest takes part.
    pub applies: bool,
    /// The unit-level discount when it is the best there is and no stackable bundle takes part where the
    /// change reached (then no change that adds less can have more).
    pub unit: Option<i64>,
}

/// Validate a request's cart into pricing lines.
pub(crate) fn pricing_lines<'s>(catalog: &Catalog, cart: &'s [CartLine]) -> Result<Vec<PLine<'s>>> {
    cart.iter()
        .enumerate()
        .map(|(i, l)| {
            let price = match (l.unit_price, l.idx) {
                (Some(p), _) => p,
                (None, Some(idx)) => catalog.price(idx),
                (None, None) => return Err(Error::unknown_product(format!("cart[{i}].product_id"), &l.product_id)),
            };
            Ok(PLine { product_id: &l.product_id, idx: l.idx, qty: l.quantity, price })
        })
        .collect::<Result<Vec<PLine>>>()
        .and_then(|lines| {
            // Every later sum of line values is at most this total, so checking it once covers them all.
            let values = lines.iter().enumerate().map(|(i, l)| line_value(l.price, l.qty, &format!("cart[{i}]")));
            checked_total(values.collect::<Result<Vec<i64>>>()?, "cart")?;
            Ok(lines)
        })
}

pub(crate) fn price_cart(shop: &Shop, req: &PriceCartRequest) -> Result<PriceCartResponse> {
    let catalog = shop.catalog;
    if let Some(c) = &req.currency {
        let cur = Currency::parse(c)?;
        if cur != catalog.currency {
            return Err(Error::new(
                ErrorCode::CurrencyMismatch,
                format!("the request is in {cur} but the catalog is priced in {}", catalog.currency),
            )
            .with_field("currency"));
        }
    }
    let now = crate::clock::Now::resolve(req.now.as_deref())?.at();
    let cart = resolve_cart(&req.cart, catalog, shop.config.max_cart_lines)?;
    let extra = defs::compile_all(&req.bundles, catalog, Some("bundles"))?;
    let lines = pricing_lines(catalog, &cart)?;
    let live = Live::new(shop, &extra, now);
    let mut cache = optimizer::Cache::for_live(shop, &live);
    let (unit, base) = unit_level(catalog, &live, &lines, &mut cache);
    let unit_discount = unit.line_discount.iter().sum();
    let out = with_thresholds(&live, &lines, unit);
    let opportunities = if req.opportunities == Some(false) {
        Vec::new()
    } else {
        opportunities::find(catalog, &live, &lines, unit_discount, &out, base, &mut cache)
    };
    Ok(render(catalog, &lines, &out, opportunities))
}

fn render(catalog: &Catalog, lines: &[PLine], out: &Outcome, opportunities: Vec<Opportunity>) -> PriceCartResponse {
    let cur = catalog.currency;
    let m = |v: i64| format_minor(v, cur);
    PriceCartResponse {
        currency: cur.code().to_string(),
        subtotal: m(out.subtotal),
        discount: m(out.discount),
        total: m(out.subtotal - out.discount),
        lines: lines
            .iter()
            .zip(&out.line_discount)
            .map(|(l, &d)| {
                let sub = l.price * l.qty as i64;
                PricedLine {
                    product_id: l.product_id.to_string(),
                    quantity: l.qty,
                    unit_price: m(l.price),
                    subtotal: m(sub),
                    discount: m(d),
                    total: m(sub - d),
                }
            })
            .collect(),
        applied: out
            .applied
            .iter()
            .map(|a| {
                // Units per product (lines of one product are summed), in cart order.
                let mut units: Vec<UnitsUsed> = Vec::new();
                for &(li, n) in &a.units {
                    let pid = &lines[li].product_id;
                    match units.iter_mut().find(|u| u.product_id == *pid) {
                        Some(u) => u.quantity += n,
                        None => units.push(UnitsUsed { product_id: pid.to_string(), quantity: n }),
                    }
                }
                AppliedBundle {
                    bundle_id: a.bundle.id.clone(),
                    kind: a.bundle.kind.name().to_string(),
                    title: a.bundle.title.clone(),
                    applications: a.applications,
                    saving: m(a.saving),
                    units,
                }
            })
            .collect(),
        opportunities,
        optimal: out.optimal,
    }
}
