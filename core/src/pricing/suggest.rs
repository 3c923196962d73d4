//! Bundle suggestions mined from what customers buy together, priced so the shop keeps its margin.
//!
//! Candidates: the seed product(s) with each strong neighbour (pairs), and with two neighbours that are also
//! neighbours of each other (triples); every product in stock, no gift cards, and no set that an existing
//! fixed bundle already covers. Strength is the weakest pair score in the set; ties break by product ids.
//! The suggested discount is `DEFAULT_PERCENT` whole percent, lowered so that, when every product's `cost`
//! is known, the margin `(price − cost) / price` stays at least `config.margin_floor`; a set that cannot
//! give even 1% is dropped. "Save $X (Y%)" is computed in exact minor units.

use crate::catalog::ProductIdx;
use crate::error::{Error, Result};
use crate::money::{format_minor, mul_div_half_even};
use crate::request::{resolve_cart, CartLineInput};
use crate::shop::Shop;
use serde::{Deserialize, Serialize};

const DEFAULT_PERCENT: i64 = 10;
const NEIGHBOURS: usize = 6;

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SuggestBundlesRequest {
    /// Suggest bundles around one product...
    #[serde(default, deserialize_with = "crate::orders::opt_id_string")]
    pub product_id: Option<String>,
    /// ...or around a cart.
    #[serde(default)]
    pub cart: Option<Vec<CartLineInput>>,
    #[serde(default)]
    pub limit: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SuggestedBundle {
    pub product_ids: Vec<String>,
    /// Sum of list prices.
    pub regular_price: String,
    pub price: String,
    pub saving: String,
    pub percent_off: i64,
    /// Margin after the discount in percent with two decimals (floored); null when a cost is unknown.
    pub margin_percent: Option<String>,
    pub strength: f64,
    /// Orders that contained every pair of the set (the weakest pair's count).
    pub orders_together: u32,
    pub text: String,
    /// A definition the merchant can add to their bundles file as is.
    pub definition: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SuggestBundlesResponse {
    pub currency: String,
    pub bundles: Vec<SuggestedBundle>,
}

pub(crate) fn suggest_bundles(shop: &Shop, req: &SuggestBundlesRequest) -> Result<SuggestBundlesResponse> {
    let catalog = shop.catalog;
    let config = shop.config;
    let seeds = seeds(shop, req)?;
    let limit = req.limit.unwrap_or(config.default_limit).min(100);
    let sets = candidate_sets(shop, &seeds);
    let mut seen: Vec<Vec<ProductIdx>> = Vec::new();
    let existing = fixed_bundle_sets(shop);
    let floor_bp = (config.margin_floor * 10_000.0).round() as i64;
    let mut out = Vec::new();
    for set in sets {
        if out.len() >= limit {
            break;
        }
        if seen.contains(&set.products) || existing.contains(&set.products) {
            continue;
        }
        seen.push(set.products.clone());
        let regular: i64 = set.products.iter().map(|&i| catalog.price(i)).sum();
        if regular <= 0 {
            continue;
        }
        let cost: Option<i64> = set.products.iter().map(|&i| catalog.product(i).cost).sum();
        let Some(percent) = percent_off(regular, cost, floor_bp) else { continue };
        out.push(suggestion(catalog, set, regular, cost, percent));
    }
    Ok(SuggestBundlesResponse { currency: catalog.currency.code().to_string(), bundles: out })
}

/// The products to suggest around: one product, or the known products of a cart.
fn seeds(shop: &Shop, req: &SuggestBundlesRequest) -> Result<Vec<ProductIdx>> {
    let catalog = shop.catalog;
    match (&req.product_id, &req.cart) {
        (Some(id), None) => Ok(vec![catalog.require(id, "product_id")?]),
        (None, Some(cart)) => {
            let mut s: Vec<ProductIdx> =
                resolve_cart(cart, catalog, shop.config.max_cart_lines)?.iter().filter_map(|l| l.idx).collect();
            s.sort_unstable();
            s.dedup();
            Ok(s)
        }
        _ => Err(Error::invalid("product_id", "give either product_id or cart")),
    }
}

/// A set of products that could be a bundle.
struct CandidateSet {
    /// Sorted.
    products: Vec<ProductIdx>,
    /// The weakest pair score in the set.
    strength: f64,
    /// The weakest pair's orders together.
    together: u32,
}

/// Each seed with each strong neighbour, and with two neighbours that are neighbours of each other; strongest
/// first (ties by product ids), each set once.
fn candidate_sets(shop: &Shop, seeds: &[ProductIdx]) -> Vec<CandidateSet> {
    let (catalog, model) = (shop.catalog, shop.model);
    let ok = |i: ProductIdx| catalog.sellable(i);
    let pair = |a: ProductIdx, b: ProductIdx| model.neighbor(a, b).or_else(|| model.neighbor(b, a));
    let mut sets: Vec<CandidateSet> = Vec::new();
    for &s in seeds.iter().filter(|&&s| ok(s)) {
        let nbs: Vec<_> = model.neighbours(s).iter().filter(|n| ok(n.item) && n.item != s).take(NEIGHBOURS).collect();
        for n in &nbs {
            sets.push(CandidateSet { products: sorted(&[s, n.item]), strength: n.score as f64, together: n.together });
        }
        for (i, a) in nbs.iter().enumerate() {
            for b in &nbs[i + 1..] {
                if let Some(ab) = pair(a.item, b.item) {
                    sets.push(CandidateSet {
                        products: sorted(&[s, a.item, b.item]),
                        strength: (a.score.min(b.score).min(ab.score)) as f64,
                        together: a.together.min(b.together).min(ab.together),
                    });
                }
            }
        }
    }
    sets.sort_by(|a, b| {
        b.strength.total_cmp(&a.strength).then_with(|| {
            let ids = |s: &CandidateSet| s.products.iter().map(|&i| catalog.id_bytes(i)).collect::<Vec<_>>();
            ids(a).cmp(&ids(b))
        })
    });
    sets.dedup_by(|b, a| a.products == b.products);
    sets
}

/// The product sets of the merchant's fixed bundles: never suggested again.
fn fixed_bundle_sets(shop: &Shop) -> Vec<Vec<ProductIdx>> {
    shop.bundles
        .bundles
        .iter()
        .filter_map(|b| match &b.kind {
            super::defs::Kind::Fixed { items, .. } => Some(sorted(&items.iter().map(|i| i.0).collect::<Vec<_>>())),
            _ => None,
        })
        .collect()
}

/// The whole percent to offer off `regular`: `DEFAULT_PERCENT`, lowered to keep the margin floor (in basis
/// points) when the cost is known; None when not even 1% fits.
fn percent_off(regular: i64, cost: Option<i64>, floor_bp: i64) -> Option<i64> {
    let percent = match cost {
        None => DEFAULT_PERCENT,
        Some(c) => {
            // Lowest allowed price p: (p − c) / p ≥ floor  ⇔  p ≥ c / (1 − floor), rounded up.
            let den = (10_000 - floor_bp) as i128;
            let min_price = ((c as i128 * 10_000 + den - 1) / den) as i64;
            let max_off = regular - min_price;
            if max_off <= 0 {
                return None;
            }
            // Largest whole percent whose half-even rounded saving stays within max_off.
            let mut p = DEFAULT_PERCENT.min(max_off * 100 / regular);
            while p > 0 && mul_div_half_even(regular, p, 100) > max_off {
                p -= 1;
            }
            p
        }
    };
    (percent >= 1).then_some(percent)
}

/// The suggestion as answered: prices, margin, text and a definition the merchant can use as is.
fn suggestion(
    catalog: &crate::catalog::Catalog,
    set: CandidateSet,
    regular: i64,
    cost: Option<i64>,
    percent: i64,
) -> SuggestedBundle {
    let cur = catalog.currency;
    let saving = mul_div_half_even(regular, percent, 100);
    let price = regular - saving;
    let margin_percent = cost.map(|c| {
        let bp = ((price - c) as i128 * 10_000).div_euclid(price.max(1) as i128) as i64;
        format!("{}.{:02}", bp / 100, bp % 100)
    });
    let ids: Vec<String> = set.products.iter().map(|&i| catalog.id(i).to_string()).collect();
    let definition = serde_json::json!({
        "id": format!("suggested-{}", ids.join("-")),
        "kind": "fixed",
        "items": ids.iter().map(|id| serde_json::json!({"product_id": id, "quantity": 1})).collect::<Vec<_>>(),
        "percent_off": percent,
    });
    SuggestedBundle {
        text: format!("Save {} ({}%)", catalog.money(saving).display(), percent),
        product_ids: ids,
        regular_price: format_minor(regular, cur),
        price: format_minor(price, cur),
        saving: format_minor(saving, cur),
        percent_off: percent,
        margin_percent,
        strength: (set.strength * 1e6).round() / 1e6,
        orders_together: set.together,
        definition,
    }
}

fn sorted(v: &[ProductIdx]) -> Vec<ProductIdx> {
    let mut v = v.to_vec();
    v.sort_unstable();
    v
}
