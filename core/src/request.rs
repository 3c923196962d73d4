//! Pieces every request shares: cart lines (as ids or objects), filters, devices.

use crate::catalog::{Catalog, Product, ProductIdx};
use crate::error::{Error, Result};
use crate::money::MoneyInput;
use crate::orders::id_string;
use crate::rules::Placement;
use serde::{Deserialize, Serialize};

/// The requests shown in a placement, each with the placement it is shown in when it names none. The request
/// types' defaults and the check of an experiment's `placements` both read it here, so they cannot disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shown {
    CrossSell,
    Upsell,
    /// A cart's prices: shown in the cart (the request has no `placement`).
    PriceCart,
}

impl Shown {
    pub(crate) const fn default_placement(self) -> Placement {
        match self {
            Shown::CrossSell | Shown::PriceCart => Placement::Cart,
            Shown::Upsell => Placement::ProductPage,
        }
    }
}

/// Serde defaults of the request types' `placement`.
pub(crate) fn cross_sell_placement() -> Placement {
    Shown::CrossSell.default_placement()
}

pub(crate) fn upsell_placement() -> Placement {
    Shown::Upsell.default_placement()
}

/// A cart line: either a bare product id or `{product_id, quantity, price?}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum CartLineInput {
    Id(String),
    Line(CartLineObject),
}

impl CartLineInput {
    /// The product the line names.
    pub fn product_id(&self) -> &str {
        match self {
            CartLineInput::Id(id) => id,
            CartLineInput::Line(o) => &o.product_id,
        }
    }
}

impl<'de> Deserialize<'de> for CartLineInput {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(CartLineVisitor)
    }
}

/// Reads a cart line without buffering it first and trying each form in turn (as a derived untagged enum
/// would, building and discarding an error for every bare id).
struct CartLineVisitor;

impl<'de> serde::de::Visitor<'de> for CartLineVisitor {
    type Value = CartLineInput;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a product id or a cart line {product_id, quantity, price}")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<CartLineInput, E> {
        Ok(CartLineInput::Id(v.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> std::result::Result<CartLineInput, E> {
        Ok(CartLineInput::Id(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<CartLineInput, E> {
        Ok(CartLineInput::Id(v.to_string()))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<CartLineInput, E> {
        Ok(CartLineInput::Id(v.to_string()))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> std::result::Result<CartLineInput, A::Error> {
        CartLineObject::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(CartLineInput::Line)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CartLineObject {
    #[serde(deserialize_with = "id_string")]
    pub product_id: String,
    #[serde(default = "one")]
    pub quantity: i64,
    /// Unit price override (a negotiated or sale price); the catalog price otherwise.
    #[serde(default)]
    pub price: Option<MoneyInput>,
}

fn one() -> i64 {
    1
}

/// A validated cart line. `idx` is None for products the engine has not seen (not an error for recommendations).
#[derive(Debug, Clone, PartialEq)]
pub struct CartLine {
    pub product_id: String,
    pub idx: Option<ProductIdx>,
    pub quantity: u32,
    pub unit_price: Option<i64>,
}

/// The most units one cart line may hold.
pub const MAX_LINE_QUANTITY: i64 = 10_000;
/// The most units a whole cart may hold (the bundle search counts units in 16 bits).
pub const MAX_CART_UNITS: u64 = u16::MAX as u64;
/// The deepest page a request may ask for (`offset`).
pub const MAX_OFFSET: usize = 1_000;

/// Reject an `offset` past [`MAX_OFFSET`] (it sizes the candidate list).
pub fn check_offset(offset: usize) -> Result<()> {
    if offset > MAX_OFFSET {
        return Err(Error::invalid("offset", format!("offset must be at most {MAX_OFFSET}, got {offset}")));
    }
    Ok(())
}

/// Validate cart lines: at most `max_lines` of them, quantities positive and bounded, override prices exact.
/// Errors name `cart[i].field` (or `cart` for the whole cart).
pub fn resolve_cart(lines: &[CartLineInput], catalog: &Catalog, max_lines: usize) -> Result<Vec<CartLine>> {
    if lines.len() > max_lines {
        let text =
            format!("the cart has {} lines; at most {max_lines} are accepted (config max_cart_lines)", lines.len());
        return Err(Error::invalid("cart", text));
    }
    let ids: Vec<&str> = lines.iter().map(CartLineInput::product_id).collect();
    let found = catalog.get_many(&ids);
    let cart = lines
        .iter()
        .zip(found)
        .enumerate()
        .map(|(i, (l, idx))| {
            // Written only for an error: formatting it for every line was a visible share of pricing a cart.
            let at = || format!("cart[{i}]");
            let (id, qty, price) = match l {
                CartLineInput::Id(id) => (id.clone(), 1, None),
                CartLineInput::Line(o) => (o.product_id.clone(), o.quantity, o.price.clone()),
            };
            if qty <= 0 {
                return Err(Error::invalid("quantity", format!("quantity must be positive, got {qty}")).under(at()));
            }
            if qty > MAX_LINE_QUANTITY {
                let text = format!("quantity must be at most {MAX_LINE_QUANTITY}, got {qty}");
                return Err(Error::invalid("quantity", text).under(at()));
            }
            let quantity = qty as u32;
            let unit_price = match price {
                None => None,
                Some(p) => {
                    let v = p.to_minor(catalog.currency, "price").map_err(|e| e.under(at()))?;
                    if v < 0 {
                        return Err(Error::invalid("price", "price is negative").under(at()));
                    }
                    Some(v)
                }
            };
            Ok(CartLine { idx, product_id: id, quantity, unit_price })
        })
        .collect::<Result<Vec<CartLine>>>()?;
    let units: u64 = cart.iter().map(|l| l.quantity as u64).sum();
    if units > MAX_CART_UNITS {
        return Err(Error::invalid(
            "cart",
            format!("the cart holds {units} units; at most {MAX_CART_UNITS} are accepted"),
        ));
    }
    Ok(cart)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Device {
    Mobile,
    Desktop,
}

/// Storefront filters on suggestions.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Filters {
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub vendor: Option<String>,
    #[serde(default)]
    pub min_price: Option<MoneyInput>,
    #[serde(default)]
    pub max_price: Option<MoneyInput>,
    /// Only products in stock (default true: cartlift never suggests what cannot be bought).
    #[serde(default)]
    pub in_stock: Option<bool>,
}

/// Filters with money resolved.
#[derive(Debug, Clone, Default)]
pub struct ResolvedFilters {
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub vendor: Option<String>,
    pub min_price: Option<i64>,
    pub max_price: Option<i64>,
}

impl Filters {
    pub(crate) fn resolve(&self, catalog: &Catalog) -> Result<ResolvedFilters> {
        let m = |v: &Option<MoneyInput>, f: &str| -> Result<Option<i64>> {
            v.as_ref().map(|m| m.to_minor(catalog.currency, f)).transpose().map_err(|e| e.under("filters"))
        };
        if self.in_stock == Some(false) {
            // Accepted for symmetry, but out-of-stock products are never suggested.
        }
        Ok(ResolvedFilters {
            category: self.category.clone(),
            tags: self.tags.clone(),
            vendor: self.vendor.clone(),
            min_price: m(&self.min_price, "min_price")?,
            max_price: m(&self.max_price, "max_price")?,
        })
    }
}

impl ResolvedFilters {
    pub fn allows(&self, p: &Product) -> bool {
        self.category.as_deref().is_none_or(|c| p.category.is_some_and(|pc| pc.eq_ignore_ascii_case(c)))
            && self.tags.iter().all(|t| p.has_tag(t))
            && self.vendor.as_deref().is_none_or(|v| p.vendor.is_some_and(|pv| pv.eq_ignore_ascii_case(v)))
            && self.min_price.is_none_or(|m| p.price >= m)
            && self.max_price.is_none_or(|m| p.price <= m)
    }
}

/// A machine code and a human sentence saying why something was suggested.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Reason {
    pub code: String,
    pub text: String,
}

impl Reason {
    pub fn new(code: &str, text: impl Into<String>) -> Reason {
        Reason { code: code.to_string(), text: text.into() }
    }
}

/// Resolve a list of product ids, silently dropping ids the engine does not know.
pub fn known_ids(ids: &[String], catalog: &Catalog) -> Vec<ProductIdx> {
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    catalog.get_many(&ids).into_iter().flatten().collect()
}
