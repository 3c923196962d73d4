//! Upselling: the shopper considers product B; offer up to three tiers (base, decoy, target) so that the
//! premium target is plainly the best value, and say honestly why.
//!
//! Tiers (see `tiers`): the base's family, or same-category substitutes. Candidates cost more than the
//! base, at most `max_price_ratio` × base (request, else config), within the shopper's price band when a
//! history is given or stored for `customer_id` (at most `max_price_ratio` × the highest price in it, never
//! below the base), are in
//! stock, not gift cards, not declined, not already in the cart, and beat the base on at least one
//! attribute (something real for the extra money).
//!
//! A candidate priced at least `decoy_min_ratio` × another candidate's price (and no more) and dominated by
//! it (no better anywhere, worse somewhere) is that one's decoy and never a target; nor is a candidate that
//! another one costing no more dominates (a bad deal). The target is the
//! cheapest remaining candidate; when the session's `viewed` products include one priced at or above the
//! next possible target, the target moves one tier up (premium browsing). The decoy is the highest-priced
//! candidate that is a decoy for the target (ties by id). Badges need data: "most_popular" only for the
//! option with strictly the most units sold among those shown; "best_value" only for the strictly lowest
//! exact price per unit of a quantity attribute all shown options list. When an option earns both, it shows
//! "most_popular". A limited-time label needs a merchant `expires_at` later than `now`.

mod display;
mod tiers;

use crate::catalog::{Catalog, Product, ProductIdx};
use crate::clock::{parse_time, Now};
use crate::error::Result;
use crate::orders::id_string;
use crate::request::{resolve_cart, CartLineInput, Reason};
use crate::rules::Placement;
use crate::shop::Shop;
use serde::{Deserialize, Serialize};
use tiers::Source;

/// The upsell request of the shared schema.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct UpsellRequest {
    /// What the shopper is looking at or has in the cart: the base of the offer.
    #[serde(deserialize_with = "id_string")]
    pub product_id: String,
    #[serde(default)]
    pub cart: Vec<CartLineInput>,
    #[serde(default, deserialize_with = "crate::orders::opt_id_string")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::orders::IdInput>"))]
    pub customer_id: Option<String>,
    /// The anonymous shopper: trained declines of this visitor apply (also picks an experiment's variant).
    #[serde(default, deserialize_with = "crate::orders::opt_id_string")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::orders::IdInput>"))]
    pub visitor_id: Option<String>,
    /// Products this customer bought before: their highest price bounds the offer (price band).
    #[serde(default, deserialize_with = "crate::orders::id_strings")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<crate::orders::IdInput>"))]
    pub customer_history: Vec<String>,
    /// Products viewed this session: premium browsing moves the target one tier up.
    #[serde(default, deserialize_with = "crate::orders::id_strings")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<crate::orders::IdInput>"))]
    pub viewed: Vec<String>,
    /// Upsells the shopper declined: never shown again.
    #[serde(default, deserialize_with = "crate::orders::id_strings")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<crate::orders::IdInput>"))]
    pub declined: Vec<String>,
    #[serde(default = "crate::request::upsell_placement")]
    pub placement: Placement,
    /// Request time (RFC 3339) for `expires_at`; the clock when absent.
    #[serde(default)]
    pub now: Option<String>,
    /// Merchant-set end of a limited-time upgrade offer (RFC 3339); the only source of urgency.
    #[serde(default)]
    pub expires_at: Option<String>,
    /// Overrides `config.max_price_ratio` for this request.
    #[serde(default)]
    pub max_price_ratio: Option<f64>,
    /// `false` turns off the price band and premium browsing (no consent); `config.personalization` too.
    #[serde(default)]
    pub personalize: Option<bool>,
}

impl UpsellRequest {
    /// The request for `product_id` with everything else as a JSON request that names nothing else gets.
    pub fn for_product(product_id: impl Into<String>) -> UpsellRequest {
        UpsellRequest {
            product_id: product_id.into(),
            cart: Vec::new(),
            customer_id: None,
            visitor_id: None,
            customer_history: Vec::new(),
            viewed: Vec::new(),
            declined: Vec::new(),
            placement: crate::request::upsell_placement(),
            now: None,
            expires_at: None,
            max_price_ratio: None,
            personalize: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Base,
    Decoy,
    Target,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Badge {
    MostPopular,
    BestValue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Better,
    Worse,
    Same,
    /// One side does not list the attribute: no claim either way.
    Unknown,
}

/// One attribute of an option against the base: "256 GB vs 128 GB: 2x storage".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AttributeComparison {
    pub attribute: String,
    pub value: String,
    pub base_value: String,
    pub verdict: Verdict,
    pub text: String,
}

/// Price per unit of a quantity attribute, exact: "$0.39 per GB".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UnitValue {
    pub attribute: String,
    pub unit: String,
    pub price_per_unit: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UpsellOption {
    pub product_id: String,
    pub title: String,
    pub role: Role,
    pub price: String,
    /// Difference from the base, signed: "+$20.00" (the base itself: "+$0.00").
    pub price_delta: String,
    /// Against the base (empty for the base).
    pub comparisons: Vec<AttributeComparison>,
    pub unit_value: Option<UnitValue>,
    pub badge: Option<Badge>,
    pub reasons: Vec<Reason>,
}

/// A table a storefront renders as is: one column per option, rows "price" then attributes by name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ComparisonTable {
    pub product_ids: Vec<String>,
    pub rows: Vec<ComparisonRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ComparisonRow {
    pub attribute: String,
    pub label: String,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UpsellResponse {
    pub product_id: String,
    pub placement: Placement,
    /// Display order: base, decoy (when one fits), target. Empty when no honest upsell exists.
    pub options: Vec<UpsellOption>,
    pub comparison: ComparisonTable,
    /// The merchant's offer end, only while it is in the future.
    pub expires_at: Option<String>,
    /// About the offer as a whole: where tiers came from, or why there is none.
    pub reasons: Vec<Reason>,
}

/// Why a higher-priced peer was left out (reported only when nothing is left).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Excluded {
    Unavailable,
    Declined,
    InCart,
    NotBetter,
    AboveCeiling,
    OutsideBand,
}

impl Excluded {
    fn reason(self, base: &Product, ratio_ceiling: &str, band_ceiling: &str) -> Reason {
        match self {
            Excluded::Unavailable => Reason::new("unavailable", "Higher tiers are not available"),
            Excluded::Declined => Reason::new("declined", "The shopper declined the higher tiers"),
            Excluded::InCart => Reason::new("in_cart", "Higher tiers are already in the cart"),
            Excluded::NotBetter => Reason::new(
                "not_better",
                format!("No higher-priced option beats {} on any listed attribute", base.name()),
            ),
            Excluded::AboveCeiling => {
                Reason::new("above_price_ceiling", format!("Higher tiers cost more than the {ratio_ceiling} ceiling"))
            }
            Excluded::OutsideBand => Reason::new(
                "outside_price_band",
                format!("Higher tiers are above this shopper's usual price band (up to {band_ceiling})"),
            ),
        }
    }
}

/// The bounds every offer respects, resolved once per request.
struct Limits {
    ratio_ceiling: i64,
    ceiling: i64,
}

/// `history`: the request's `customer_history` plus the stored purchases of `customer` (when trained with them).
fn limits(
    shop: &Shop,
    base: &Product,
    ratio: Option<f64>,
    history: &[String],
    customer: Option<&str>,
) -> Result<Limits> {
    let ratio = tiers::milli(ratio.unwrap_or(shop.config.max_price_ratio), 1.0, "max_price_ratio")?;
    let ratio_ceiling = tiers::scale_down(base.price, ratio);
    let catalog = shop.catalog;
    let stored = customer.map_or(&[][..], |c| shop.histories.get(c));
    let band = history
        .iter()
        .filter_map(|id| catalog.get(id))
        .chain(stored.iter().map(|e| e.0))
        .map(|i| catalog.product(i).price)
        .max();
    let ceiling = match band {
        Some(h) => ratio_ceiling.min(tiers::scale_down(h, ratio).max(base.price)),
        None => ratio_ceiling,
    };
    Ok(Limits { ratio_ceiling, ceiling })
}

/// Why `p` cannot be offered above `base`, if it cannot.
fn exclusion(
    p: &Product,
    base: &Product,
    lim: &Limits,
    declined: &[String],
    cart: &[ProductIdx],
    idx: ProductIdx,
) -> Option<Excluded> {
    if !p.in_stock() || p.is_gift_card() {
        Some(Excluded::Unavailable)
    } else if declined.iter().any(|d| d == p.id) {
        Some(Excluded::Declined)
    } else if cart.contains(&idx) {
        Some(Excluded::InCart)
    } else if p.price > lim.ratio_ceiling {
        Some(Excluded::AboveCeiling)
    } else if p.price > lim.ceiling {
        Some(Excluded::OutsideBand)
    } else if tiers::compare(p, base).better == 0 {
        Some(Excluded::NotBetter)
    } else {
        None
    }
}

pub(crate) fn upsell(shop: &Shop, req: &UpsellRequest) -> Result<UpsellResponse> {
    let ask = Ask::resolve(shop, req)?;
    let catalog = shop.catalog;
    let bp = catalog.product(ask.base);
    let mut response = UpsellResponse {
        product_id: bp.id.to_string(),
        placement: req.placement,
        options: Vec::new(),
        comparison: ComparisonTable::default(),
        expires_at: None,
        reasons: Vec::new(),
    };
    if ask.source == Source::Substitutes {
        if let Some(c) = &bp.category {
            response.reasons.push(Reason::new(
                "substitutes",
                format!("{} has no product family: compared with similar products in {c}", bp.name()),
            ));
        }
    }
    let higher = ask.higher_tiers(catalog);
    if higher.eligible.is_empty() {
        response.reasons.extend(ask.why_none(catalog, higher));
        return Ok(response);
    }
    let tiers = ask.choose(catalog, &higher.eligible, &req.viewed);
    let mut shown: Vec<(ProductIdx, Role)> = vec![(ask.base, Role::Base)];
    if let Some(d) = tiers.decoy {
        shown.push((d, Role::Decoy));
    }
    shown.push((tiers.target, Role::Target));
    let unit_attr = unit_attribute(catalog, &shown);
    let mut badges = badges(shop, &shown, unit_attr);
    for (k, &(i, role)) in shown.iter().enumerate() {
        let mut reasons = ask.option_reasons(shop, &tiers, i, role);
        if role == Role::Target {
            if let Some((_, text)) = ask.expires.filter(|(at, _)| *at > ask.now.at()) {
                reasons.push(Reason::new("limited_time", format!("Upgrade offer ends {text}")));
                response.expires_at = Some(text.to_string());
            }
        }
        let badge = badges[k].take().map(|(b, r)| {
            reasons.push(r);
            b
        });
        response.options.push(option(catalog, &bp, i, role, unit_attr, badge, reasons));
    }
    response.comparison = table(catalog, &shown);
    Ok(response)
}

/// An upsell request resolved against the engine: the base, the bounds and the shopper's declines, checked in
/// the order the errors are reported.
struct Ask<'r> {
    base: ProductIdx,
    cart: Vec<ProductIdx>,
    now: Now,
    /// The merchant's offer end (time and the text as given).
    expires: Option<(i64, &'r String)>,
    /// Personal signals apply (config and consent): price band, learned declines, premium browsing.
    personal: bool,
    lim: Limits,
    decoy_milli: i64,
    source: Source,
    /// The base's peers, sorted by (price, id).
    peers: Vec<ProductIdx>,
    /// The request's declines plus those learned for this customer or visitor, as ids.
    declined: Vec<String>,
}

/// The higher-priced peers split into those that may be offered and why the others may not.
struct HigherTiers {
    eligible: Vec<ProductIdx>,
    excluded: Vec<Excluded>,
    /// Peers priced above the base, offered or not.
    higher: usize,
}

/// What the offer shows beside the base.
struct Tiers {
    target: ProductIdx,
    decoy: Option<ProductIdx>,
    /// The highest viewed price that moved the target one tier up (premium browsing).
    premium: Option<i64>,
}

impl<'r> Ask<'r> {
    fn resolve(shop: &Shop, req: &'r UpsellRequest) -> Result<Ask<'r>> {
        let catalog = shop.catalog;
        let base = catalog.require(&req.product_id, "product_id")?;
        let bp = catalog.product(base);
        let cart: Vec<ProductIdx> =
            resolve_cart(&req.cart, catalog, shop.config.max_cart_lines)?.iter().filter_map(|l| l.idx).collect();
        let now = Now::resolve(req.now.as_deref())?;
        let expires = match &req.expires_at {
            Some(t) => Some((parse_time(t, "expires_at")?, t)),
            None => None,
        };
        let personal = shop.config.personalization && req.personalize != Some(false);
        let lim = if personal {
            limits(shop, &bp, req.max_price_ratio, &req.customer_history, req.customer_id.as_deref())?
        } else {
            limits(shop, &bp, req.max_price_ratio, &[], None)?
        };
        let decoy_milli = tiers::milli(shop.config.decoy_min_ratio, 0.0, "config.decoy_min_ratio")?;
        let (source, peers) = tiers::peers(shop, base)?;
        let mut declined = req.declined.clone();
        if personal {
            let mut learned = Vec::new();
            for shopper in [&req.customer_id, &req.visitor_id].into_iter().flatten() {
                shop.behaviour.declines.blocked(shopper, now.given(), shop.config, &mut learned);
            }
            declined.extend(learned.into_iter().map(|i| catalog.product(i).id.to_string()));
        }
        Ok(Ask { base, cart, now, expires, personal, lim, decoy_milli, source, peers, declined })
    }

    fn higher_tiers(&self, catalog: &Catalog) -> HigherTiers {
        let bp = catalog.product(self.base);
        let mut out = HigherTiers { eligible: Vec::with_capacity(self.peers.len()), excluded: Vec::new(), higher: 0 };
        for &i in &self.peers {
            let p = catalog.product(i);
            if p.price <= bp.price {
                continue;
            }
            out.higher += 1;
            match exclusion(&p, &bp, &self.lim, &self.declined, &self.cart, i) {
                None => out.eligible.push(i),
                Some(e) => out.excluded.push(e),
            }
        }
        out
    }

    /// Why no upsell is shown: nothing costs more, or each distinct reason the higher tiers were left out.
    fn why_none(&self, catalog: &Catalog, mut higher: HigherTiers) -> Vec<Reason> {
        let bp = catalog.product(self.base);
        if higher.higher == 0 {
            return vec![match self.source {
                Source::Family => {
                    Reason::new("no_higher_tier", format!("Nothing in the family of {} costs more", bp.name()))
                }
                Source::Substitutes => Reason::new(
                    "no_higher_tier",
                    format!("{} has no product family and no comparable higher-priced product", bp.name()),
                ),
            }];
        }
        higher.excluded.sort_unstable();
        higher.excluded.dedup();
        let ratio_ceiling = catalog.money(self.lim.ratio_ceiling).display();
        let band_ceiling = catalog.money(self.lim.ceiling).display();
        higher.excluded.iter().map(|e| e.reason(&bp, &ratio_ceiling, &band_ceiling)).collect()
    }

    /// `d` is priced as a decoy for `t` and `t` dominates it.
    fn is_decoy_for(&self, catalog: &Catalog, d: ProductIdx, t: ProductIdx) -> bool {
        let price = |i: ProductIdx| catalog.product(i).price;
        d != t
            && tiers::priced_as_decoy(price(d), price(t), self.decoy_milli)
            && tiers::dominates(&catalog.product(t), &catalog.product(d))
    }

    /// The target (the cheapest candidate that is neither a decoy nor a bad deal, one tier up on premium
    /// browsing) and its decoy (the highest-priced, ties by id).
    fn choose(&self, catalog: &Catalog, eligible: &[ProductIdx], viewed: &[String]) -> Tiers {
        let price = |i: ProductIdx| catalog.product(i).price;
        let targets: Vec<ProductIdx> = eligible
            .iter()
            .copied()
            .filter(|&c| !eligible.iter().any(|&t| self.is_decoy_for(catalog, c, t)) && !bad_deal(catalog, eligible, c))
            .collect();
        let mut target = targets.first().copied().unwrap_or(*eligible.last().expect("not empty"));
        let mut premium = None;
        if let Some(&next) = targets.get(1).filter(|_| self.personal) {
            let viewed_max =
                viewed.iter().filter_map(|id| catalog.get(id)).filter(|&i| i != self.base).map(price).max();
            if let Some(v) = viewed_max.filter(|&v| v >= price(next)) {
                premium = Some(v);
                target = next;
            }
        }
        let decoy =
            eligible.iter().copied().filter(|&d| self.is_decoy_for(catalog, d, target)).max_by(|&a, &b| {
                price(a).cmp(&price(b)).then_with(|| catalog.product(b).id.cmp(catalog.product(a).id))
            });
        Tiers { target, decoy, premium }
    }

    /// The reasons of one shown option (the limited-time label and the badge are added by the caller).
    fn option_reasons(&self, shop: &Shop, tiers: &Tiers, i: ProductIdx, role: Role) -> Vec<Reason> {
        let catalog = shop.catalog;
        let (p, bp, tp) = (catalog.product(i), catalog.product(self.base), catalog.product(tiers.target));
        let mut reasons = Vec::new();
        match role {
            Role::Base => reasons.push(Reason::new("current", format!("The {} you are looking at", p.name()))),
            Role::Decoy => {
                let gained = display::gains(&tp, &p);
                let text = if tp.price == p.price {
                    format!("For the same price, {} also gives {gained}", tp.name())
                } else {
                    format!(
                        "For {} more, {} also gives {gained}",
                        catalog.money(tp.price - p.price).display(),
                        tp.name()
                    )
                };
                reasons.push(Reason::new("compare_with_target", text));
            }
            Role::Target => {
                reasons.push(Reason::new(
                    "upgrade",
                    format!("For {} more: {}", catalog.money(p.price - bp.price).display(), display::gains(&p, &bp)),
                ));
                if self.source == Source::Substitutes && shop.behaviour.substitutes.are(self.base, i) {
                    reasons.push(Reason::new(
                        "shoppers_compare",
                        format!("Shoppers compare these: {} and {}", p.name(), bp.name()),
                    ));
                }
                if let Some(v) = tiers.premium {
                    reasons.push(Reason::new(
                        "premium_browsing",
                        format!(
                            "One tier up: this session viewed products priced up to {}",
                            catalog.money(v).display()
                        ),
                    ));
                }
            }
        }
        reasons
    }
}

/// One option as shown: prices against the base, comparisons, unit value, badge and reasons.
fn option(
    catalog: &Catalog,
    bp: &Product,
    i: ProductIdx,
    role: Role,
    unit_attr: Option<&str>,
    badge: Option<Badge>,
    reasons: Vec<Reason>,
) -> UpsellOption {
    let currency = catalog.currency;
    let p = catalog.product(i);
    let unit_value = unit_attr.and_then(|name| {
        let q = display::quantity(&p.attribute(name)?)?;
        Some(display::unit_value(name, p.price, q, currency))
    });
    UpsellOption {
        product_id: p.id.to_string(),
        title: p.title.to_string(),
        role,
        price: display::price(p.price, currency),
        price_delta: display::delta(p.price - bp.price, currency),
        comparisons: if role == Role::Base { Vec::new() } else { display::comparisons(&p, bp) },
        unit_value,
        badge,
        reasons,
    }
}

/// `c` is a bad deal: another candidate costs no more and dominates it. Never a target.
fn bad_deal(catalog: &Catalog, candidates: &[ProductIdx], c: ProductIdx) -> bool {
    let p = catalog.product(c);
    candidates.iter().any(|&o| {
        let q = catalog.product(o);
        o != c && q.price <= p.price && tiers::dominates(&q, &p)
    })
}

/// The first quantity attribute (by name) every shown option lists with a positive exact value.
fn unit_attribute<'a>(catalog: &'a Catalog, shown: &[(ProductIdx, Role)]) -> Option<&'a str> {
    let first = catalog.product(shown[0].0);
    first.attributes.iter().map(|(n, _)| n).find(|n| {
        display::unit_of(n).is_some()
            && shown.iter().all(|&(i, _)| catalog.product(i).attribute(n).and_then(|a| display::quantity(&a)).is_some())
    })
}

/// Badges with the data behind them; None for every option without a clear, data-backed win.
fn badges(shop: &Shop, shown: &[(ProductIdx, Role)], unit_attr: Option<&str>) -> Vec<Option<(Badge, Reason)>> {
    let catalog = shop.catalog;
    let mut out: Vec<Option<(Badge, Reason)>> = vec![None; shown.len()];
    // Most popular: strictly the most units sold among the shown options.
    let units = |i: ProductIdx| shop.model.units.get(i as usize).copied().unwrap_or(0);
    if let Some(k) = strict_best(shown.len(), |a, b| units(shown[a].0).cmp(&units(shown[b].0))) {
        let u = units(shown[k].0);
        if u > 0 {
            out[k] = Some((
                Badge::MostPopular,
                Reason::new("most_popular", format!("Most popular of these options: {u} sold")),
            ));
        }
    }
    // Best value: strictly the lowest exact price per unit.
    if let Some(name) = unit_attr {
        let mut q = [(0i64, (1i128, 0u32)); 3];
        for (k, &(i, _)) in shown.iter().enumerate().take(3) {
            let p = catalog.product(i);
            q[k] = (p.price, p.attribute(name).and_then(|a| display::quantity(&a)).expect("checked by unit_attribute"));
        }
        if let Some(k) = strict_best(shown.len(), |a, b| {
            let ((pa, qa), (pb, qb)) = (q[a], q[b]);
            display::cmp_per_unit(pb, qb, pa, qa)
        }) {
            if out[k].is_none() {
                let (p, qk) = q[k];
                let uv = display::unit_value(name, p, qk, catalog.currency);
                out[k] = Some((
                    Badge::BestValue,
                    Reason::new("best_value", format!("Lowest price per {} of these options: {}", uv.unit, uv.text)),
                ));
            }
        }
    }
    out
}

/// Index of the strictly greatest element under `cmp` (None on a tie for first or fewer than two).
fn strict_best(n: usize, cmp: impl Fn(usize, usize) -> std::cmp::Ordering) -> Option<usize> {
    if n < 2 {
        return None;
    }
    let mut best = 0;
    let mut tied = false;
    for k in 1..n {
        match cmp(k, best) {
            std::cmp::Ordering::Greater => {
                best = k;
                tied = false;
            }
            std::cmp::Ordering::Equal => tied = true,
            std::cmp::Ordering::Less => {}
        }
    }
    (!tied).then_some(best)
}

fn table(catalog: &Catalog, shown: &[(ProductIdx, Role)]) -> ComparisonTable {
    let products: Vec<Product> = shown.iter().map(|&(i, _)| catalog.product(i)).collect();
    let mut names: Vec<&str> = products.iter().flat_map(|p| p.attributes.iter().map(|(n, _)| n)).collect();
    names.sort_unstable();
    names.dedup();
    let mut rows = Vec::with_capacity(names.len() + 1);
    rows.push(ComparisonRow {
        attribute: "price".to_string(),
        label: "Price".to_string(),
        values: products.iter().map(|p| catalog.money(p.price).display()).collect(),
    });
    for n in names {
        rows.push(ComparisonRow {
            attribute: n.to_string(),
            label: display::label(n),
            values: products
                .iter()
                .map(|p| {
                    p.attribute(n).map_or_else(|| display::MISSING_CELL.to_string(), |a| display::fmt_value(n, &a))
                })
                .collect(),
        });
    }
    ComparisonTable { product_ids: products.iter().map(|p| p.id.to_string()).collect(), rows }
}

/// Later upgrade offers (post-purchase, email): the higher tiers of a product.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct UpgradePathRequest {
    #[serde(deserialize_with = "id_string")]
    pub product_id: String,
    /// Only tiers up to this multiple of the price (no ceiling when absent: later offers may reach further).
    #[serde(default)]
    pub max_price_ratio: Option<f64>,
    #[serde(default, deserialize_with = "crate::orders::id_strings")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<crate::orders::IdInput>"))]
    pub declined: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UpgradeTier {
    pub product_id: String,
    pub title: String,
    pub price: String,
    pub price_delta: String,
    pub comparisons: Vec<AttributeComparison>,
    /// Price per unit of the first quantity attribute this tier shares with the product.
    pub unit_value: Option<UnitValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UpgradePathResponse {
    pub product_id: String,
    pub price: String,
    /// Cheapest first; in stock, not declined, better than the product on at least one attribute.
    pub tiers: Vec<UpgradeTier>,
}

pub(crate) fn upgrade_path(shop: &Shop, req: &UpgradePathRequest) -> Result<UpgradePathResponse> {
    let catalog = shop.catalog;
    let currency = catalog.currency;
    let base = catalog.require(&req.product_id, "product_id")?;
    let bp = catalog.product(base);
    let ceiling = match req.max_price_ratio {
        Some(r) => tiers::scale_down(bp.price, tiers::milli(r, 1.0, "max_price_ratio")?),
        None => i64::MAX,
    };
    let (_, peers) = tiers::peers(shop, base)?;
    let tiers_out = peers
        .iter()
        .map(|&i| (i, catalog.product(i)))
        .filter(|(_, p)| {
            p.price > bp.price
                && p.price <= ceiling
                && p.in_stock()
                && !p.is_gift_card()
                && !req.declined.iter().any(|d| d == p.id)
                && tiers::compare(p, &bp).better > 0
        })
        .map(|(i, p)| {
            let pair = [(base, Role::Base), (i, Role::Target)];
            UpgradeTier {
                product_id: p.id.to_string(),
                title: p.title.to_string(),
                price: display::price(p.price, currency),
                price_delta: display::delta(p.price - bp.price, currency),
                comparisons: display::comparisons(&p, &bp),
                unit_value: unit_attribute(catalog, &pair).and_then(|n| {
                    Some(display::unit_value(n, p.price, display::quantity(&p.attribute(n)?)?, currency))
                }),
            }
        })
        .collect();
    Ok(UpgradePathResponse {
        product_id: bp.id.to_string(),
        price: display::price(bp.price, currency),
        tiers: tiers_out,
    })
}

/// For merchants: at what price an existing middle option would become a decoy for the target.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DecoyPriceRequest {
    /// The base (entry tier) of the ladder.
    #[serde(deserialize_with = "id_string")]
    pub product_id: String,
    /// The tier to make look best; default: the highest-priced tier an upsell from the base could target.
    #[serde(default, deserialize_with = "crate::orders::opt_id_string")]
    pub target_id: Option<String>,
    #[serde(default)]
    pub max_price_ratio: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DecoySuggestion {
    pub product_id: String,
    pub title: String,
    pub price: String,
    /// The lowest price at which it is a decoy for the target (its current price when it already is).
    pub suggested_price: String,
    pub price_change: String,
    pub already_decoy: bool,
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DecoyPriceResponse {
    pub product_id: String,
    pub target_id: Option<String>,
    pub target_price: Option<String>,
    /// Decoys cost from this price up to the target's (`decoy_min_ratio` × target price, rounded up).
    pub min_decoy_price: Option<String>,
    /// Middle options the target dominates, highest-priced first; empty when none can become a decoy.
    pub suggestions: Vec<DecoySuggestion>,
    pub reasons: Vec<Reason>,
}

pub(crate) fn suggest_decoy_price(shop: &Shop, req: &DecoyPriceRequest) -> Result<DecoyPriceResponse> {
    let catalog = shop.catalog;
    let currency = catalog.currency;
    let base = catalog.require(&req.product_id, "product_id")?;
    let bp = catalog.product(base);
    let (_, peers) = tiers::peers(shop, base)?;
    let decoy_milli = tiers::milli(shop.config.decoy_min_ratio, 0.0, "config.decoy_min_ratio")?;
    let mut out = DecoyPriceResponse {
        product_id: bp.id.to_string(),
        target_id: None,
        target_price: None,
        min_decoy_price: None,
        suggestions: Vec::new(),
        reasons: Vec::new(),
    };
    let Some(target) = decoy_target(shop, req, base, &peers)? else {
        out.reasons.push(Reason::new("no_target", format!("No higher tier of {} to make a decoy for", bp.name())));
        return Ok(out);
    };
    let tp = catalog.product(target);
    // Smallest price with price × 1000 >= target × milli.
    let min_price = ((tp.price as i128 * decoy_milli as i128 + 999).div_euclid(1000)) as i64;
    out.target_id = Some(tp.id.to_string());
    out.target_price = Some(display::price(tp.price, currency));
    out.min_decoy_price = Some(display::price(min_price, currency));
    let mut middle: Vec<Product> = peers
        .iter()
        .map(|&i| catalog.product(i))
        .filter(|p| {
            p.id != tp.id && p.price > bp.price && p.price <= tp.price && p.in_stock() && tiers::dominates(&tp, p)
        })
        .collect();
    middle.sort_by(|a, b| b.price.cmp(&a.price).then_with(|| a.id.cmp(b.id)));
    out.suggestions = middle.into_iter().map(|p| decoy_suggestion(catalog, &p, &tp, min_price)).collect();
    if out.suggestions.is_empty() {
        out.reasons.push(Reason::new(
            "no_middle_option",
            format!(
                "No option between {} and {} is dominated by {}: price alone cannot make a decoy",
                bp.name(),
                tp.name(),
                tp.name()
            ),
        ));
    }
    Ok(out)
}

/// The requested target (which must be a higher tier of the base), or the top tier an upsell from the base
/// could target that is not a bad deal.
fn decoy_target(
    shop: &Shop,
    req: &DecoyPriceRequest,
    base: ProductIdx,
    peers: &[ProductIdx],
) -> Result<Option<ProductIdx>> {
    let catalog = shop.catalog;
    let bp = catalog.product(base);
    match &req.target_id {
        Some(id) => {
            let t = catalog.require(id, "target_id")?;
            if !peers.contains(&t) || catalog.product(t).price <= bp.price {
                return Err(crate::error::Error::invalid(
                    "target_id",
                    format!("{id:?} is not a higher tier of {:?} (same family or substitute, priced higher)", bp.id),
                ));
            }
            Ok(Some(t))
        }
        None => {
            let lim = limits(shop, &bp, req.max_price_ratio, &[], None)?;
            let eligible: Vec<ProductIdx> = peers
                .iter()
                .copied()
                .filter(|&i| {
                    let p = catalog.product(i);
                    p.price > bp.price && exclusion(&p, &bp, &lim, &[], &[], i).is_none()
                })
                .collect();
            // The top tier that is not a bad deal (peers are sorted by price).
            Ok(eligible.iter().rev().copied().find(|&t| !bad_deal(catalog, &eligible, t)))
        }
    }
}

/// How `p` becomes (or already is) a decoy for the target `tp`: priced at least `min_price`.
fn decoy_suggestion(catalog: &Catalog, p: &Product, tp: &Product, min_price: i64) -> DecoySuggestion {
    let currency = catalog.currency;
    let already = p.price >= min_price;
    let suggested = if already { p.price } else { min_price };
    let reason = if already {
        Reason::new("already_decoy", format!("{} already makes {} look like the better deal", p.name(), tp.name()))
    } else {
        Reason::new(
            "reprice",
            format!(
                "At {} or more (up to {}), {} makes {} look like the better deal: {} also gives {}",
                catalog.money(min_price).display(),
                catalog.money(tp.price).display(),
                p.name(),
                tp.name(),
                tp.name(),
                display::gains(tp, p)
            ),
        )
    };
    DecoySuggestion {
        product_id: p.id.to_string(),
        title: p.title.to_string(),
        price: display::price(p.price, currency),
        suggested_price: display::price(suggested, currency),
        price_change: display::delta(suggested - p.price, currency),
        already_decoy: already,
        reasons: vec![reason],
    }
}
