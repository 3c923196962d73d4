//! Cart-aware cross-sell: "frequently bought together", "complete your setup", "you might also like".
//!
//! Ranking, in order: pinned products (merchant rules), then every other candidate by score. A candidate's
//! score sums, over the cart lines, the line's share of the cart value times the learned association
//! (normalised so the strongest learned candidate is 1.0), plus the customer's history and this session's
//! views as weaker seeds, plus complement rules (`weight` × 0.5–1.0 by popularity). Fill (see `fill`) scores
//! below 0.1 and completes a short page from categories bought with the cart's.
//! Boost/bury rules multiply; ties break by product id, so the same request always gives the same answer.

mod candidates;
mod cart;
mod eligibility;
mod fill;
mod rank;
mod reasons;
mod shopper;

use crate::catalog::ProductIdx;
use crate::error::Result;
use crate::money::format_minor;
use crate::request::{check_offset, CartLineInput, Device, Filters, Reason};
use crate::rules::Placement;
use crate::shop::Shop;
use candidates::Pool;
use cart::Cart;
use eligibility::Eligibility;
use serde::{Deserialize, Serialize};
use shopper::Shopper;

/// The cross-sell request of the shared schema.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CrossSellRequest {
    pub cart: Vec<CartLineInput>,
    #[serde(default = "crate::request::cross_sell_placement")]
    pub placement: Placement,
    #[serde(default, deserialize_with = "crate::orders::opt_id_string")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::orders::IdInput>"))]
    pub customer_id: Option<String>,
    /// The anonymous shopper (cookie id): trained declines of this visitor apply (also picks an
    /// experiment's variant when `experiment` is given).
    #[serde(default, deserialize_with = "crate::orders::opt_id_string")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::orders::IdInput>"))]
    pub visitor_id: Option<String>,
    /// Products this customer bought before.
    #[serde(default, deserialize_with = "crate::orders::id_strings")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<crate::orders::IdInput>"))]
    pub customer_history: Vec<String>,
    /// Products viewed this session.
    #[serde(default, deserialize_with = "crate::orders::id_strings")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<crate::orders::IdInput>"))]
    pub viewed: Vec<String>,
    /// Offers the shopper dismissed: never suggested again.
    #[serde(default, deserialize_with = "crate::orders::id_strings")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<crate::orders::IdInput>"))]
    pub declined: Vec<String>,
    #[serde(default)]
    pub device: Option<Device>,
    #[serde(default)]
    pub limit: Option<usize>,
    #[serde(default)]
    pub offset: usize,
    #[serde(default)]
    pub filters: Option<Filters>,
    /// `false` ignores every personal signal for this request (no consent); default on.
    #[serde(default)]
    pub personalize: Option<bool>,
    /// Time for bundle windows, "buy it again", seasons and decline windows (RFC 3339); default: the clock
    /// (decline windows: the newest trained event).
    #[serde(default)]
    pub now: Option<String>,
}

impl Default for CrossSellRequest {
    fn default() -> CrossSellRequest {
        CrossSellRequest {
            cart: Vec::new(),
            placement: crate::request::cross_sell_placement(),
            customer_id: None,
            visitor_id: None,
            customer_history: Vec::new(),
            viewed: Vec::new(),
            declined: Vec::new(),
            device: None,
            limit: None,
            offset: 0,
            filters: None,
            personalize: None,
            now: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Recommendation {
    pub product_id: String,
    pub title: String,
    pub price: String,
    pub score: f64,
    pub reasons: Vec<Reason>,
    /// Not learned for this cart: popular in a category bought with the cart's (or trending or popular, for a
    /// cart nothing is known about), shown because the learned suggestions ran short.
    pub fill: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CrossSellResponse {
    pub heading: String,
    pub placement: Placement,
    pub recommendations: Vec<Recommendation>,
    /// Cart products the engine has not seen (answered from what is known).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown_products: Vec<String>,
}

const MAX_LIMIT: usize = 100;

pub(crate) fn cross_sell(shop: &Shop, req: &CrossSellRequest) -> Result<CrossSellResponse> {
    let catalog = shop.catalog;
    let config = shop.config;
    check_offset(req.offset)?;
    let cart = Cart::resolve(catalog, &req.cart, config.max_cart_lines)?;
    if !config.cross_sell {
        let heading = reasons::heading_for(req.placement, None, None);
        return Ok(CrossSellResponse {
            heading,
            placement: req.placement,
            recommendations: Vec::new(),
            unknown_products: cart.unknown,
        });
    }
    let limit = req
        .limit
        .unwrap_or(if req.device == Some(Device::Mobile) { config.mobile_limit } else { config.default_limit })
        .min(MAX_LIMIT);
    let wanted = req.offset + limit;
    let now = crate::clock::Now::resolve(req.now.as_deref())?;
    let shopper = Shopper::resolve(shop, req, now);
    let elig = Eligibility::new(shop, req, &cart, &shopper)?;

    let mut pool = Pool::new(catalog.len(), shop.model, &cart, &shopper);
    pool.add_learned(shop.model, config, &cart, &shopper, &elig);
    let (complement_heading, pinned) = pool.add_rules(shop, req.placement, &cart, &elig);
    pool.add_bundles(shop, req.placement, &cart, &elig, now.at());
    let buy_again = match req.placement {
        Placement::Cart | Placement::Checkout => config.cart_buy_again_weight(),
        Placement::ProductPage | Placement::PostPurchase => config.buy_again_weight(),
    };
    pool.add_due(&shopper.due, buy_again, &elig);
    pool.pin(&pinned);
    fill::fill(&mut pool, shop, &cart, &elig, wanted);
    rank::adjust(&mut pool, shop, req.placement, &shopper);
    let kept = rank::select(&pool, catalog, config.max_per_category(), wanted);

    let heading = reasons::heading_for(req.placement, kept.first().map(|k| k.1.source), complement_heading);
    let recommendations = kept
        .into_iter()
        .skip(req.offset)
        .map(|(idx, c)| recommendation(shop, &pool, &shopper, &cart, idx, c))
        .collect();
    Ok(CrossSellResponse { heading, placement: req.placement, recommendations, unknown_products: cart.unknown })
}

/// One suggestion as the answer shows it, with every reason that holds for it.
fn recommendation(
    shop: &Shop,
    pool: &Pool,
    shopper: &Shopper,
    cart: &Cart,
    idx: ProductIdx,
    c: &candidates::Candidate,
) -> Recommendation {
    let catalog = shop.catalog;
    let mut why =
        if c.source == candidates::Source::Bundle { Vec::new() } else { reasons::reasons(shop, idx, c, &cart.known) };
    why.extend(pool.bundle_reasons.get(&idx).map(|t| Reason::new("completes_bundle", t.clone())));
    why.extend(shopper.profile.as_ref().and_then(|pr| pr.reason(catalog, idx)));
    if shopper.season_week.is_some_and(|week| shop.behaviour.season.in_week(idx, week)) {
        why.push(Reason::new("seasonal", "Popular this time of year"));
    }
    Recommendation {
        product_id: catalog.id(idx).to_string(),
        title: catalog.title(idx).to_string(),
        price: format_minor(catalog.shelf().row(idx).price, catalog.currency),
        score: (c.score * 1e6).round() / 1e6,
        reasons: why,
        fill: c.source == candidates::Source::Fill,
    }
}
