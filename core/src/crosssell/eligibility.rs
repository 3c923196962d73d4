//! What rules a product out of one request's suggestions, decided once per request and checked per candidate
//! from the catalog's compact shelf rows; the full product record is read only when a filter or an exclusion
//! rule needs it.

use super::{cart::Cart, shopper::Shopper, CrossSellRequest};
use crate::catalog::{Catalog, ProductIdx, Shelf, NO_GROUP};
use crate::engine::Engine;
use crate::error::Result;
use crate::request::ResolvedFilters;
use crate::rules::{Placement, Rule, Rules};
use crate::selector::Selector;

pub(super) struct Eligibility<'a> {
    shelf: &'a Shelf,
    catalog: &'a Catalog,
    rules: &'a Rules,
    /// Small lists, not sets: carts and declines are a handful of products, and a scan beats hashing.
    in_cart: Vec<ProductIdx>,
    /// Families of the cart's products: another member of one is an alternative, not an addition.
    families: Vec<u32>,
    declined: Vec<ProductIdx>,
    /// Trained declines and earlier purchases not to suggest again, sorted.
    blocked: &'a [ProductIdx],
    /// Learned substitutes of the cart's products (sorted lists).
    substitutes: Vec<&'a [ProductIdx]>,
    /// Exclusion rules whose condition the cart meets.
    excludes: Vec<&'a Selector>,
    filters: Option<ResolvedFilters>,
    max_price: Option<i64>,
}

impl<'a> Eligibility<'a> {
    pub fn new(engine: &'a Engine, req: &CrossSellRequest, cart: &Cart, shopper: &'a Shopper) -> Result<Self> {
        let catalog = engine.catalog();
        let shelf = catalog.shelf();
        let substitutes = &engine.behaviour().substitutes;
        let config = engine.config();
        Ok(Eligibility {
            shelf,
            catalog,
            rules: engine.rules(),
            in_cart: cart.known.iter().map(|k| k.0).collect(),
            families: cart.known.iter().map(|&(i, _)| shelf.row(i).family).filter(|&f| f != NO_GROUP).collect(),
            declined: crate::request::known_ids(&req.declined, catalog),
            blocked: &shopper.blocked,
            substitutes: if substitutes.is_empty() {
                Vec::new()
            } else {
                cart.known.iter().map(|&(i, _)| substitutes.of(i)).filter(|s| !s.is_empty()).collect()
            },
            excludes: engine
                .rules()
                .rules
                .iter()
                .filter_map(|r| match r {
                    Rule::Exclude { when, target } if when.as_ref().is_none_or(|w| cart.matches(catalog, w)) => {
                        Some(target)
                    }
                    _ => None,
                })
                .collect(),
            filters: req.filters.as_ref().map(|f| f.resolve(catalog)).transpose()?,
            max_price: (req.placement == Placement::Checkout && cart.subtotal > 0)
                .then(|| (cart.subtotal as f64 * config.checkout_max_price_fraction).floor() as i64),
        })
    }

    pub fn allows(&self, idx: ProductIdx) -> bool {
        let row = self.shelf.row(idx);
        row.sellable
            && !self.in_cart.contains(&idx)
            && !self.declined.contains(&idx)
            && self.blocked.binary_search(&idx).is_err()
            && !self.substitutes.iter().any(|s| s.binary_search(&idx).is_ok())
            && (row.family == NO_GROUP || !self.families.contains(&row.family))
            && self.max_price.is_none_or(|m| row.price <= m)
            && self.rules.price_allowed(row.price)
            && self.record_allows(idx)
    }

    /// The checks that read the product's record: exclusion rules and the request's filters.
    fn record_allows(&self, idx: ProductIdx) -> bool {
        if self.excludes.is_empty() && self.filters.is_none() {
            return true;
        }
        let p = self.catalog.product(idx);
        !self.excludes.iter().any(|s| s.matches(p)) && self.filters.as_ref().is_none_or(|f| f.allows(p))
    }
}
