//! Where upsell tiers come from, and the dominance test behind decoys.
//!
//! Tiers are the products of the base's `family`. A product without a family is compared with substitutes:
//! products of the same category: those shoppers compare (viewed together, rarely bought together, learned
//! from trained `view` events), and same-category products with no learned co-purchase association with the
//! base (in either direction) that share at least one numeric attribute name with it (so the comparison says
//! something).

use crate::catalog::{Attribute, Product, ProductIdx};
use crate::error::{Error, Result};
use crate::shop::Shop;
use std::cmp::Ordering;

/// Where the tiers of an offer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    Family,
    Substitutes,
}

/// The base's peers (base excluded), sorted by (price, id). Fails when a family mixes attribute types.
pub(crate) fn peers(shop: &Shop, base: ProductIdx) -> Result<(Source, Vec<ProductIdx>)> {
    let catalog = shop.catalog;
    let bp = catalog.product(base);
    let groups = catalog.groups();
    if let Some(family) = bp.family {
        let members = groups.family(family)?;
        return Ok((Source::Family, members.iter().copied().filter(|&i| i != base).collect()));
    }
    let Some(category) = bp.category else {
        return Ok((Source::Substitutes, Vec::new()));
    };
    let model = shop.model;
    let members = groups.category(category);
    let learned = shop.behaviour.substitutes.of(base);
    let subs = members
        .iter()
        .copied()
        .filter(|&i| {
            i != base
                && (learned.binary_search(&i).is_ok()
                    || (model.neighbor(base, i).is_none()
                        && model.neighbor(i, base).is_none()
                        && shares_numeric_attribute(&bp, &catalog.product(i))))
        })
        .collect();
    Ok((Source::Substitutes, subs))
}

fn shares_numeric_attribute(a: &Product, b: &Product) -> bool {
    a.attributes
        .iter()
        .any(|(n, v)| matches!(v, Attribute::Number(_)) && matches!(b.attribute(n), Some(Attribute::Number(_))))
}

/// Attribute-by-attribute comparison of `a` against `b`. Numbers: higher is better; booleans: true is better.
/// Text attributes are not ordered and do not count. A comparable attribute only one side lists is counted
/// apart: we never claim a product is better or worse on something the shop did not state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Comparison {
    pub better: u32,
    pub worse: u32,
    pub only_a: u32,
    pub only_b: u32,
}

pub(crate) fn order(a: &Attribute, b: &Attribute) -> Option<Ordering> {
    match (a, b) {
        (Attribute::Number(x), Attribute::Number(y)) => x.partial_cmp(y),
        (Attribute::Bool(x), Attribute::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

pub(crate) fn comparable(a: &Attribute) -> bool {
    matches!(a, Attribute::Number(_) | Attribute::Bool(_))
}

pub(crate) fn compare(a: &Product, b: &Product) -> Comparison {
    let mut c = Comparison::default();
    let (xs, ys) = (&a.attributes, &b.attributes);
    let (mut i, mut j) = (0, 0);
    loop {
        let (x, y) = (xs.get(i), ys.get(j));
        let step = match (x, y) {
            (Some(x), Some(y)) => x.0.cmp(y.0),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => break,
        };
        match (step, x, y) {
            (Ordering::Less, Some(x), _) => {
                c.only_a += comparable(&x.1) as u32;
                i += 1;
            }
            (Ordering::Greater, _, Some(y)) => {
                c.only_b += comparable(&y.1) as u32;
                j += 1;
            }
            (_, Some(x), Some(y)) => {
                match order(&x.1, &y.1) {
                    Some(Ordering::Greater) => c.better += 1,
                    Some(Ordering::Less) => c.worse += 1,
                    _ => {}
                }
                i += 1;
                j += 1;
            }
            _ => break,
        }
    }
    c
}

/// `t` asymmetrically dominates `d`: at least as good on everything `d` lists, better on at least one.
pub(crate) fn dominates(t: &Product, d: &Product) -> bool {
    let c = compare(t, d);
    c.better >= 1 && c.worse == 0 && c.only_b == 0
}

/// A ratio as thousandths (ratios are honoured to 1/1000), validated to be at least `min`.
pub(crate) fn milli(ratio: f64, min: f64, field: &str) -> Result<i64> {
    if !ratio.is_finite() || ratio < min || ratio > 1000.0 {
        return Err(Error::invalid(field, format!("must be a number between {min} and 1000, got {ratio}")));
    }
    Ok((ratio * 1000.0).round() as i64)
}

/// `price × milli / 1000`, rounded down (a ceiling never rounds up past what the ratio allows).
pub(crate) fn scale_down(price: i64, milli: i64) -> i64 {
    ((price as i128 * milli as i128).div_euclid(1000)) as i64
}

/// `d` is priced close enough to `t` to be its decoy: `r × price(t) <= price(d) <= price(t)`.
pub(crate) fn priced_as_decoy(d: i64, t: i64, decoy_milli: i64) -> bool {
    d <= t && d as i128 * 1000 >= t as i128 * decoy_milli as i128
}
