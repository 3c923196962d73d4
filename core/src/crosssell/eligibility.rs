//! What rules a product out of one request's suggestions, decided once per request and checked per candidate
//! from the catalog's compact shelf rows; the full product record is read only when a filter or an exclusion
//! rule needs it.

use super::{cart::Cart, shopper::Shopper, CrossSellRequest};
use crate::catalog::{Catalog, ProductIdx, Shelf, NO_GROUP};
use crate::error::Result;
use crate::request::ResolvedFilters;
use crate::rules::{Placement, Rule, Rules};
use crate::selector::Selector;
use crate::shop::Shop;

pub(super) struct Eligibility<'a> {
    shelf: &'a Shelf,
    catalog: &'a Catalog,
    rules: &'a Rules,
    /// The cart's products, this request's declines and the learned substitutes of the cart's products,
    /// merged and sorted: one search per candidate instead of one per list.
    excluded: Vec<ProductIdx>,
    /// Families of the cart's products: another member of one is an alternative, not an addition.
    families: Vec<u32>,
    /// Trained declines and earlier purchases not to suggest again, sorted.
    blocked: &'a [ProductIdx],
    /// Exclusion rules whose condition the cart meets.
    excludes: Vec<&'a Selector>,
    filters: Option<ResolvedFilters>,
    max_price: Option<i64>,
    /// Whether any check needs the shelf row (most requests need none: a cache miss saved per candidate).
    reads_row: bool,
    /// Whether being sellable is the only check left besides the two lists (most requests).
    sellable_only: bool,
}

impl<'a> Eligibility<'a> {
    pub fn new(shop: &Shop<'a>, req: &CrossSellRequest, cart: &Cart, shopper: &'a Shopper) -> Result<Self> {
        let catalog = shop.catalog;
        let shelf = catalog.shelf();
        let config = shop.config;
        let families: Vec<u32> =
            cart.known.iter().map(|&(i, _)| shelf.row(i).family).filter(|&f| f != NO_GROUP).collect();
        let max_price = (req.placement == Placement::Checkout && cart.subtotal > 0)
            .then(|| (cart.subtotal as f64 * config.checkout_max_price_fraction).floor() as i64);
        let mut elig = Eligibility {
            shelf,
            catalog,
            rules: shop.rules,
            excluded: excluded(shop, req, cart),
            reads_row: !families.is_empty() || max_price.is_some() || shop.rules.limits_prices(),
            families,
            blocked: &shopper.blocked,
            excludes: exclusions_met(shop.rules, catalog, cart),
            filters: req.filters.as_ref().map(|f| f.resolve(catalog)).transpose()?,
            max_price,
            sellable_only: false,
        };
        elig.sellable_only = !elig.reads_row && elig.excludes.is_empty() && elig.filters.is_none();
        Ok(elig)
    }

    pub fn allows(&self, idx: ProductIdx) -> bool {
        self.excluded.binary_search(&idx).is_err()
            && self.blocked.binary_search(&idx).is_err()
            && self.allows_unlisted(idx)
    }

    /// The products this request rules out by name (the request's and the shopper's): a pool that enters them
    /// as ruled out first may check the others with [`Eligibility::allows_unlisted`].
    pub fn listed(&self) -> impl Iterator<Item = ProductIdx> + '_ {
        self.excluded.iter().chain(self.blocked).copied()
    }

    /// [`Eligibility::allows`] for a product known not to be [`Eligibility::listed`].
    #[inline]
    pub fn allows_unlisted(&self, idx: ProductIdx) -> bool {
        if self.sellable_only {
            return self.shelf.sellable(idx);
        }
        self.shelf.sellable(idx) && (!self.reads_row || self.row_allows(idx)) && self.record_allows(idx)
    }

    /// The checks that read the product's shelf row: families, the checkout price cap, price range rules.
    fn row_allows(&self, idx: ProductIdx) -> bool {
        let row = self.shelf.row(idx);
        (row.family == NO_GROUP || !self.families.contains(&row.family))
            && self.max_price.is_none_or(|m| row.price <= m)
            && self.rules.price_allowed(row.price)
    }

    /// The checks that read the product's record: exclusion rules and the request's filters.
    fn record_allows(&self, idx: ProductIdx) -> bool {
        if self.excludes.is_empty() && self.filters.is_none() {
            return true;
        }
        let p = self.catalog.product(idx);
        !self.excludes.iter().any(|s| s.matches(&p)) && self.filters.as_ref().is_none_or(|f| f.allows(&p))
    }
}

/// The products one request rules out by name: the cart's, the declined ones and the cart's learned
/// substitutes (sorted, without repeats).
fn excluded(shop: &Shop, req: &CrossSellRequest, cart: &Cart) -> Vec<ProductIdx> {
    let substitutes = &shop.behaviour.substitutes;
    let mut out: Vec<ProductIdx> = cart.known.iter().map(|k| k.0).collect();
    out.extend(crate::request::known_ids(&req.declined, shop.catalog));
    if !substitutes.is_empty() {
        for &(i, _) in &cart.known {
            out.extend_from_slice(substitutes.of(i));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The targets of the exclusion rules whose condition the cart meets.
fn exclusions_met<'r>(rules: &'r Rules, catalog: &Catalog, cart: &Cart) -> Vec<&'r Selector> {
    let met = |r: &'r Rule| match r {
        Rule::Exclude { when, target } if when.as_ref().is_none_or(|w| cart.matches(catalog, w)) => Some(target),
        _ => None,
    };
    rules.rules.iter().filter_map(met).collect()
}
