//! Opportunities: bundles the cart nearly meets, each with the cheapest change that unlocks it and the exact
//! saving that change adds (the whole cart is re-priced with the change, so overlaps are accounted for).
//!
//! "Nearly" means at most `NEAR_UNITS` units missing, or for thresholds a subtotal at least half the minimum.
//! The change adds the missing units of the cheapest qualifying in-stock product (at equal price, one already
//! in the cart: "Add 1 more ..."). An opportunity is listed only when the re-priced cart applies the bundle and
//! saves more. Order: largest saving first, then bundle definition order.
//!
//! Speed: each change gets an upper bound on its saving before anything is solved, and changes are re-priced
//! largest bound first until no remaining bound can enter the list. Once a change is re-priced exactly, every
//! change that adds only some of its units is bounded by its unit-level discount (free disposal: a cart with
//! fewer units cannot do better, when no stackable bundle takes part there).

use super::defs::{Bundle, Collection, Kind};
use super::{
    choose_thresholds, total_with_thresholds, unit_level, with_thresholds, ChangedCart, Live, Outcome, PLine, Repricer,
};
use crate::catalog::{Catalog, ProductIdx};
use crate::request::CartLine;
use crate::shop::Shop;
use serde::{Deserialize, Serialize};

const NEAR_UNITS: u32 = 2;
const MAX_OPPORTUNITIES: usize = 5;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AddItem {
    pub product_id: String,
    pub quantity: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Opportunity {
    pub bundle_id: String,
    pub kind: String,
    /// Units to add (empty for a threshold: spend `spend_more` instead).
    pub add: Vec<AddItem>,
    /// What the change costs at list price (for a threshold, the spend still missing).
    pub spend_more: String,
    /// The exact extra saving on the whole cart once the change is made.
    pub saving: String,
    pub text: String,
}

/// A product that completes a bundle, for cross-sell boosts and reasons.
#[derive(Debug, Clone, PartialEq)]
pub struct CompletionOffer {
    pub product: ProductIdx,
    pub quantity: u32,
    pub bundle_id: String,
    pub saving_minor: i64,
    pub text: String,
}

/// Bundles the cart nearly completes with one product, for cross-sell (`now` in Unix seconds).
/// Unknown cart products without a price are skipped (cross-sell tolerates them).
pub(crate) fn completion_offers(shop: &Shop, cart: &[CartLine], now: i64) -> Vec<CompletionOffer> {
    let catalog = shop.catalog;
    let lines: Vec<PLine> = cart
        .iter()
        .filter_map(|l| {
            let price = l.unit_price.or(l.idx.map(|i| catalog.price(i)))?;
            Some(PLine { product_id: &l.product_id, idx: l.idx, qty: l.quantity, price })
        })
        .collect();
    let live = Live::new(shop, &[], now);
    let mut cache = super::optimizer::Cache::for_live(shop, &live);
    let (unit, base) = unit_level(catalog, &live, &lines, &mut cache);
    let unit_discount = unit.line_discount.iter().sum();
    let out = with_thresholds(&live, &lines, unit);
    candidates(catalog, &live, &lines, unit_discount, &out, base, &mut cache)
        .into_iter()
        .filter(|c| c.add.len() == 1)
        .map(|c| CompletionOffer {
            product: c.add[0].0,
            quantity: c.add[0].1,
            bundle_id: c.bundle.id.clone(),
            saving_minor: c.saving,
            text: c.text(catalog, &lines),
        })
        .collect()
}

struct Candidate<'a> {
    bundle: &'a Bundle,
    pos: usize,
    add: Vec<(ProductIdx, u32)>,
    spend: i64,
    saving: i64,
}

impl Candidate<'_> {
    /// Written only for the candidates kept: formatting is a real share of pricing time.
    fn text(&self, catalog: &Catalog, lines: &[PLine]) -> String {
        let mut t = String::with_capacity(64);
        if self.add.is_empty() {
            t.push_str("Spend ");
            catalog.money(self.spend).display_into(&mut t);
            t.push_str(" more to save ");
        } else {
            t.push_str("Add ");
            push_names(&mut t, catalog, lines, &self.add);
            t.push_str(" to save ");
        }
        catalog.money(self.saving).display_into(&mut t);
        t
    }
}

pub(crate) fn find(
    catalog: &Catalog,
    live: &Live,
    lines: &[PLine],
    unit_discount: i64,
    out: &Outcome,
    base: super::optimizer::BaseSplit,
    cache: &mut super::optimizer::Cache,
) -> Vec<Opportunity> {
    candidates(catalog, live, lines, unit_discount, out, base, cache)
        .into_iter()
        .map(|c| Opportunity {
            bundle_id: c.bundle.id.clone(),
            kind: c.bundle.kind.name().to_string(),
            add: c.add.iter().map(|&(p, q)| AddItem { product_id: catalog.id(p).to_string(), quantity: q }).collect(),
            spend_more: crate::money::format_minor(c.spend, catalog.currency),
            saving: crate::money::format_minor(c.saving, catalog.currency),
            text: c.text(catalog, lines),
        })
        .collect()
}

/// The cheapest in-stock product of a collection; ties prefer one already in the cart, then the id.
fn cheapest(catalog: &Catalog, lines: &[PLine], c: &Collection) -> Option<ProductIdx> {
    let in_cart = |i: ProductIdx| lines.iter().any(|l| l.idx == Some(i));
    let mut first: Option<(i64, ProductIdx)> = None;
    // Members come by price then id: the answer is in the first price that has an in-stock member.
    for &i in &c.by_price {
        if !catalog.sellable(i) {
            continue;
        }
        let price = catalog.price(i);
        match first {
            Some((first_price, _)) if price != first_price => break,
            Some(_) => {}
            None => first = Some((price, i)),
        }
        if in_cart(i) {
            return Some(i);
        }
    }
    first.map(|f| f.1)
}

/// The change that would unlock `b`, if the cart nearly meets it. `units`: the cart's eligible units in
/// `b`'s first role (collection, buy or trigger set) and second role (get or target set).
fn change(catalog: &Catalog, lines: &[PLine], b: &Bundle, units: (u32, u32)) -> Option<Vec<(ProductIdx, u32)>> {
    let near = |n: u32| (1..=NEAR_UNITS).contains(&n);
    let one = |c: &Collection, n: u32| -> Option<Vec<(ProductIdx, u32)>> {
        near(n).then(|| cheapest(catalog, lines, c).map(|p| vec![(p, n)]))?
    };
    match &b.kind {
        Kind::Fixed { items, .. } => {
            let have = |p: ProductIdx| lines.iter().filter(|l| l.idx == Some(p)).map(|l| l.qty).sum::<u32>();
            let missing: Vec<(ProductIdx, u32)> =
                items.iter().filter(|&&(p, q)| have(p) < q).map(|&(p, q)| (p, q - have(p))).collect();
            let n: u32 = missing.iter().map(|m| m.1).sum();
            // At least one component already in the cart: otherwise it is not "nearly met".
            (near(n) && missing.len() < items.len()).then_some(missing)
        }
        Kind::MixAndMatch { collection, quantity, .. } => {
            let have = units.0;
            (have > 0 && have < *quantity).then(|| one(collection, quantity - have))?
        }
        Kind::Volume { collection, tiers } => {
            let have = units.0;
            let next = tiers.iter().find(|t| t.min_quantity > have)?;
            (have > 0).then(|| one(collection, next.min_quantity - have))?
        }
        Kind::BuyXGetY { buy, buy_quantity, get, get_quantity, .. } => {
            let (hb, hg) = units;
            if hb < *buy_quantity {
                (hb > 0).then(|| one(buy, buy_quantity - hb))?
            } else {
                // Get units that are also buy units may be counted twice here; the re-pricing decides.
                let free_for_get = hg.saturating_sub(if buy.selector == get.selector { *buy_quantity } else { 0 });
                (free_for_get < *get_quantity).then(|| one(get, get_quantity - free_for_get))?
            }
        }
        Kind::Addon { trigger, target, quantity, .. } => {
            let (ht, hg) = units;
            if ht > 0 && hg < *quantity {
                one(target, quantity - hg)
            } else if ht == 0 && hg >= *quantity {
                one(trigger, 1)
            } else {
                None
            }
        }
        Kind::Threshold { .. } => None,
    }
}

/// A change not yet re-priced, with an upper bound on the unit-level discount of the changed cart (`None`:
/// none known) and on the saving it brings.
struct Pending<'a> {
    candidate: Option<Candidate<'a>>,
    changed: ChangedCart,
    unit: Option<i64>,
    bound: i64,
}

/// Whether every unit `small` adds is among those `large` adds.
fn adds_no_more(small: &[(ProductIdx, u32)], large: &[(ProductIdx, u32)]) -> bool {
    small.iter().all(|&(p, q)| large.iter().filter(|l| l.0 == p).map(|l| l.1).sum::<u32>() >= q)
}

/// "A, 2 × B and 1 more C": each product to add, with its quantity when more than one or already in the cart.
fn push_names(out: &mut String, catalog: &Catalog, lines: &[PLine], add: &[(ProductIdx, u32)]) {
    for (k, &(p, q)) in add.iter().enumerate() {
        if k > 0 {
            out.push_str(if k + 1 == add.len() { " and " } else { ", " });
        }
        let name = catalog.name(p);
        let in_cart = lines.iter().any(|l| l.idx == Some(p));
        // Pushed piece by piece: `write!` goes through the formatting machinery for each part.
        if in_cart || q > 1 {
            out.push_str(itoa::Buffer::new().format(q));
            out.push_str(if in_cart { " more " } else { " × " });
        }
        out.push_str(name);
    }
}

/// The opportunities of a cart, best first (at most `MAX_OPPORTUNITIES`). Changes are re-priced in order
/// of an upper bound on what they could save, and re-pricing stops once the list is full of savings that
/// no remaining change can beat: the answer is the one re-pricing every change would give.
fn candidates<'a>(
    catalog: &Catalog,
    live: &Live<'a>,
    lines: &[PLine],
    unit_discount: i64,
    out: &Outcome,
    base: super::optimizer::BaseSplit,
    cache: &mut super::optimizer::Cache,
) -> Vec<Candidate<'a>> {
    let mut found: Vec<Candidate> = Vec::with_capacity(live.bundles.len());
    // Changes of unit-level bundles, re-priced below, largest bound on the saving first.
    let mut pending: Vec<Pending> = Vec::with_capacity(live.unit.len());
    let cart = Cart { catalog, lines, repricer: Repricer::new(live, lines, base), out };
    // Position of `b` among the unit-level bundles (the live ones without thresholds, in the same order).
    let mut unit_index = 0;
    for (pos, &b) in live.bundles.iter().enumerate() {
        if let Kind::Threshold { min_subtotal, .. } = b.kind {
            found.extend(threshold_candidate(live, out, unit_discount, b, pos, min_subtotal));
            continue;
        }
        debug_assert!(std::ptr::eq(live.unit[unit_index], b));
        let units = cart.repricer.units_in_roles(unit_index);
        unit_index += 1;
        pending.extend(cart.pending(b, pos, units, cache));
    }
    cart.reprice_best_first(pending, &mut found, cache);
    found.sort_by(|a, b| b.saving.cmp(&a.saving).then(a.pos.cmp(&b.pos)));
    found.truncate(MAX_OPPORTUNITIES);
    found
}

/// A threshold the cart's subtotal is at least half of: spend the gap more on goods in no bundle. That
/// leaves the unit-level choice as it is, so only the thresholds change (as `with_thresholds` would apply
/// them).
fn threshold_candidate<'a>(
    live: &Live,
    out: &Outcome,
    unit_discount: i64,
    b: &'a Bundle,
    pos: usize,
    min_subtotal: i64,
) -> Option<Candidate<'a>> {
    let gap = min_subtotal - out.subtotal;
    if gap <= 0 || out.subtotal * 2 < min_subtotal {
        return None;
    }
    let (discount, _) = total_with_thresholds(live, out.subtotal + gap, unit_discount);
    let saving = discount - out.discount;
    let takes_part =
        || choose_thresholds(live, out.subtotal + gap, unit_discount).0.iter().any(|c| std::ptr::eq(c.0, b) && c.1 > 0);
    (saving > 0 && takes_part()).then(|| Candidate { bundle: b, pos, add: Vec::new(), spend: gap, saving })
}

/// The cart the opportunities are for, and what re-prices it with a change.
struct Cart<'c, 'l, 'a> {
    catalog: &'c Catalog,
    lines: &'l [PLine<'l>],
    repricer: Repricer<'l, 'a>,
    /// The cart's own outcome: a change saves what it adds to this discount.
    out: &'c Outcome<'c>,
}

impl<'a> Cart<'_, '_, 'a> {
    /// The change that would unlock unit-level bundle `b` at `pos`, with a bound on its saving, when the cart
    /// nearly meets it and the change's cost stays in the money range.
    fn pending(
        &self,
        b: &'a Bundle,
        pos: usize,
        units: (u32, u32),
        cache: &mut super::optimizer::Cache,
    ) -> Option<Pending<'a>> {
        let catalog = self.catalog;
        let add = change(catalog, self.lines, b, units).filter(|add| !add.is_empty())?;
        // A change whose cost leaves the money range is not an opportunity anyone can take.
        let spend = crate::money::checked_total(add.iter().map(|&(p, q)| catalog.price(p) * q as i64), "").ok()?;
        let changed = self.repricer.change(catalog, &add, spend, cache)?;
        let unit = self.repricer.unit_bound(&changed, cache);
        let bound = unit.map_or(i64::MAX, |u| self.repricer.discount_bound(&changed, u) - self.out.discount);
        Some(Pending { candidate: Some(Candidate { bundle: b, pos, add, spend, saving: 0 }), changed, unit, bound })
    }

    /// Re-prices the pending changes, largest bound first, into `found` (those that apply their bundle and
    /// save), until no remaining bound can enter the list.
    fn reprice_best_first(
        &self,
        mut pending: Vec<Pending<'a>>,
        found: &mut Vec<Candidate<'a>>,
        cache: &mut super::optimizer::Cache,
    ) {
        let mut savings: Vec<i64> = Vec::with_capacity(found.len() + pending.len());
        savings.extend(found.iter().map(|c| c.saving));
        // Largest bound first, then definition order (`pending` is in definition order); bounds tighten as
        // changes are re-priced, so the next one is picked each time.
        let next = |pending: &[Pending]| {
            (0..pending.len())
                .filter(|&k| pending[k].candidate.is_some())
                .max_by(|&a, &b| pending[a].bound.cmp(&pending[b].bound).then(b.cmp(&a)))
        };
        while let Some(k) = next(&pending) {
            let bound = pending[k].bound;
            // The list is full and this change (and every later one) cannot reach its last saving.
            if savings.len() >= MAX_OPPORTUNITIES {
                savings.sort_unstable_by(|a, b| b.cmp(a));
                if savings[MAX_OPPORTUNITIES - 1] > bound {
                    break;
                }
            }
            let mut c = pending[k].candidate.take().expect("picked among the pending");
            let repriced = self.repricer.total_discount(self.catalog, &pending[k].changed, &c.add, c.bundle, cache);
            c.saving = repriced.discount - self.out.discount;
            debug_assert!(c.saving <= bound, "bound {bound} below the saving {} of {}", c.saving, c.bundle.id);
            // Free disposal: a cart with fewer of the same units added has no larger best unit-level discount.
            if let Some(unit) = repriced.unit {
                self.tighten(&mut pending, &c.add, unit);
            }
            if c.saving > 0 && repriced.applies {
                savings.push(c.saving);
                found.push(c);
            }
        }
    }

    /// Bounds the changes that add no more than `add` by `unit`, the unit-level discount found with `add`.
    fn tighten(&self, pending: &mut [Pending<'a>], add: &[(ProductIdx, u32)], unit: i64) {
        for p in pending.iter_mut().filter(|p| p.candidate.as_ref().is_some_and(|o| adds_no_more(&o.add, add))) {
            if p.unit.is_none_or(|u| unit < u) {
                p.unit = Some(unit);
                p.bound = self.repricer.discount_bound(&p.changed, unit) - self.out.discount;
            }
        }
    }
}
