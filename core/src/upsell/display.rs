//! Human text for upsell answers: attribute values, comparisons against the base, and exact unit prices.
//!
//! Unit value rule (kept small on purpose): a numeric attribute is a quantity when its name ends with one
//! of the suffixes in [`UNITS`] (`storage_gb`, `volume_ml`, `pack_count`, ...). Only quantities get a unit
//! label ("256 GB") and a price per unit. Ratios in text ("2x storage") are floats for display only; prices
//! per unit are computed with integer math and rounded half to even.

use super::{AttributeComparison, UnitValue, Verdict};
use crate::catalog::{Attribute, Product};
use crate::money::{format_minor, Currency, Money};
use std::cmp::Ordering;

/// Quantity suffixes: (suffix, singular unit, plural unit).
pub const UNITS: &[(&str, &str, &str)] = &[
    ("_gb", "GB", "GB"),
    ("_tb", "TB", "TB"),
    ("_mb", "MB", "MB"),
    ("_ml", "ml", "ml"),
    ("_l", "l", "l"),
    ("_g", "g", "g"),
    ("_kg", "kg", "kg"),
    ("_oz", "oz", "oz"),
    ("_lb", "lb", "lb"),
    ("_count", "item", "items"),
    ("_pcs", "piece", "pieces"),
];

pub fn unit_of(name: &str) -> Option<(&'static str, &'static str, &'static str)> {
    UNITS.iter().copied().find(|(s, _, _)| name.len() > s.len() && name.ends_with(s))
}

/// "storage_gb" -> "storage", "screen_size" -> "screen size".
pub fn noun(name: &str) -> String {
    let stem = unit_of(name).map_or(name, |(s, _, _)| &name[..name.len() - s.len()]);
    stem.replace('_', " ")
}

/// Row label of the comparison table: "storage_gb" -> "Storage (GB)".
pub fn label(name: &str) -> String {
    let n = noun(name);
    let mut c = n.chars();
    let mut out: String = match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    };
    if let Some((_, _, plural)) = unit_of(name) {
        out.push_str(&format!(" ({plural})"));
    }
    out
}

pub fn fmt_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// "256 GB", "Yes", "red".
pub fn fmt_value(name: &str, a: &Attribute) -> String {
    match a {
        Attribute::Number(x) => match unit_of(name) {
            Some((_, one, many)) => format!("{} {}", fmt_number(*x), if *x == 1.0 { one } else { many }),
            None => fmt_number(*x),
        },
        Attribute::Bool(true) => "Yes".to_string(),
        Attribute::Bool(false) => "No".to_string(),
        Attribute::Text(t) => t.to_string(),
    }
}

pub const NOT_LISTED: &str = "not listed";
/// Table cell of an attribute a product does not list.
pub const MISSING_CELL: &str = "—";

fn ratio_text(r: f64) -> String {
    let tenth = (r * 10.0).round() / 10.0;
    if tenth.fract() == 0.0 {
        format!("{tenth:.0}x")
    } else {
        format!("{tenth:.1}x")
    }
}

/// What `a` gains over `b` on one attribute, as a short phrase ("2x storage", "web"); None when not better.
pub fn gain(name: &str, a: &Attribute, b: &Attribute) -> Option<String> {
    match (a, b) {
        (Attribute::Bool(true), Attribute::Bool(false)) => Some(noun(name)),
        (Attribute::Number(x), Attribute::Number(y)) if x > y => Some(if *y > 0.0 {
            format!("{} {}", ratio_text(x / y), noun(name))
        } else {
            format!("more {}", noun(name))
        }),
        _ => None,
    }
}

/// Everything `a` gains over `b`, joined: "print, 2x storage". Attributes in name order.
pub fn gains(a: &Product, b: &Product) -> String {
    let parts: Vec<String> =
        a.attributes.iter().filter_map(|(n, v)| b.attribute(n).and_then(|w| gain(n, &v, &w))).collect();
    parts.join(", ")
}

/// One row of an option's comparison against the base; None for text attributes.
pub fn compare_attribute(
    name: &str,
    option: Option<&Attribute>,
    base: Option<&Attribute>,
) -> Option<AttributeComparison> {
    if option.is_some_and(|a| !super::tiers::comparable(a)) || base.is_some_and(|a| !super::tiers::comparable(a)) {
        return None;
    }
    let show = |a: Option<&Attribute>| a.map_or_else(|| NOT_LISTED.to_string(), |a| fmt_value(name, a));
    let (value, base_value) = (show(option), show(base));
    let (verdict, text) = match (option, base) {
        (Some(o), Some(b)) => {
            let verdict = match super::tiers::order(o, b) {
                Some(Ordering::Greater) => Verdict::Better,
                Some(Ordering::Less) => Verdict::Worse,
                Some(Ordering::Equal) => Verdict::Same,
                None => Verdict::Unknown,
            };
            let text = match (o, b) {
                (Attribute::Bool(x), Attribute::Bool(y)) => match (x, y) {
                    (true, false) => format!("adds {}", noun(name)),
                    (false, true) => format!("no {}", noun(name)),
                    (true, true) => format!("{} on both", noun(name)),
                    (false, false) => format!("no {} on either", noun(name)),
                },
                (Attribute::Number(x), Attribute::Number(y)) => {
                    let summary = if x == y {
                        format!("same {}", noun(name))
                    } else if *x > 0.0 && *y > 0.0 {
                        format!("{} {}", ratio_text(x / y), noun(name))
                    } else if x > y {
                        format!("more {}", noun(name))
                    } else {
                        format!("less {}", noun(name))
                    };
                    format!("{value} vs {base_value}: {summary}")
                }
                _ => format!("{value} vs {base_value}"),
            };
            (verdict, text)
        }
        _ => (Verdict::Unknown, format!("{value} vs {base_value}")),
    };
    Some(AttributeComparison { attribute: name.to_string(), value, base_value, verdict, text })
}

/// Comparisons of `option` against `base` over the numeric and boolean attributes either lists, by name.
pub fn comparisons(option: &Product, base: &Product) -> Vec<AttributeComparison> {
    let mut names: Vec<&str> = option.attributes.iter().chain(base.attributes.iter()).map(|(n, _)| n).collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .filter_map(|n| compare_attribute(n, option.attribute(n).as_ref(), base.attribute(n).as_ref()))
        .collect()
}

/// A positive quantity as an exact decimal fraction `n / 10^k` (k <= 6); None for other values.
pub fn quantity(a: &Attribute) -> Option<(i128, u32)> {
    let Attribute::Number(x) = a else { return None };
    if !(x.is_finite() && *x > 0.0) {
        return None;
    }
    if x.fract() == 0.0 && *x < 1e15 {
        return Some((*x as i128, 0));
    }
    let s = format!("{x}");
    if s.contains(['e', 'E']) {
        return None;
    }
    let (i, f) = s.split_once('.').unwrap_or((&s, ""));
    if f.len() > 6 || i.len() + f.len() > 30 {
        return None;
    }
    let n: i128 = format!("{i}{f}").parse().ok()?;
    (n > 0).then_some((n, f.len() as u32))
}

/// `num / den` rounded half to even (den > 0).
fn div_half_even(num: i128, den: i128) -> i128 {
    let (q, r) = (num.div_euclid(den), num.rem_euclid(den));
    if 2 * r > den || (2 * r == den && q % 2 != 0) {
        q + 1
    } else {
        q
    }
}

/// Price per unit, exact: `price / (n / 10^k)` in minor units, with extra decimals (up to 4) until at
/// least two significant digits show. Returns (scaled value, extra decimals).
pub fn per_unit(price: i64, (n, k): (i128, u32)) -> (i128, u32) {
    let mut extra = 0;
    loop {
        let v = div_half_even(price as i128 * 10i128.pow(k + extra), n);
        if v >= 10 || extra == 4 || price == 0 {
            return (v, extra);
        }
        extra += 1;
    }
}

/// Compare prices per unit exactly: `pa / qa` vs `pb / qb`.
pub fn cmp_per_unit(pa: i64, qa: (i128, u32), pb: i64, qb: (i128, u32)) -> Ordering {
    // pa * 10^ka / na  vs  pb * 10^kb / nb
    let l = pa as i128 * 10i128.pow(qa.1) * qb.0;
    let r = pb as i128 * 10i128.pow(qb.1) * qa.0;
    l.cmp(&r)
}

fn decimal(v: i128, digits: u32) -> String {
    if digits == 0 {
        return v.to_string();
    }
    let scale = 10i128.pow(digits);
    format!("{}.{:0width$}", v / scale, v % scale, width = digits as usize)
}

pub fn unit_value(name: &str, price: i64, q: (i128, u32), currency: Currency) -> UnitValue {
    let (one, _) = unit_of(name).map_or(("unit", "units"), |(_, one, many)| (one, many));
    let (v, extra) = per_unit(price, q);
    let amount = decimal(v, currency.exponent() + extra);
    let symbol = currency.symbol();
    let shown = if symbol.is_empty() { format!("{amount} {currency}") } else { format!("{symbol}{amount}") };
    UnitValue {
        attribute: name.to_string(),
        unit: one.to_string(),
        price_per_unit: amount,
        text: format!("{shown} per {one}"),
    }
}

/// "+$20.00" (or "-$5.00").
pub fn delta(minor: i64, currency: Currency) -> String {
    let m = Money::new(minor, currency).display();
    if minor >= 0 {
        format!("+{m}")
    } else {
        m
    }
}

pub fn price(minor: i64, currency: Currency) -> String {
    format_minor(minor, currency)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_labels_and_values() {
        assert_eq!(noun("storage_gb"), "storage");
        assert_eq!(label("storage_gb"), "Storage (GB)");
        assert_eq!(label("print"), "Print");
        assert_eq!(fmt_value("storage_gb", &Attribute::Number(256.0)), "256 GB");
        assert_eq!(fmt_value("pack_count", &Attribute::Number(1.0)), "1 item");
        assert_eq!(fmt_value("volume_l", &Attribute::Number(1.5)), "1.5 l");
        assert!(unit_of("gb").is_none());
        assert!(unit_of("weight_kg").unwrap().1 == "kg");
    }

    #[test]
    fn exact_unit_prices() {
        let usd = Currency::USD;
        // $99.00 for 256 GB = $0.38671875 per GB -> 0.39
        let q = quantity(&Attribute::Number(256.0)).unwrap();
        assert_eq!(unit_value("storage_gb", 9900, q, usd).text, "$0.39 per GB");
        // $1.00 for 500 ml = $0.002 -> two significant digits: 0.0020
        let q = quantity(&Attribute::Number(500.0)).unwrap();
        assert_eq!(unit_value("volume_ml", 100, q, usd).price_per_unit, "0.0020");
        // $3.00 for 1.5 l = $2.00
        let q = quantity(&Attribute::Number(1.5)).unwrap();
        assert_eq!(q, (15, 1));
        assert_eq!(unit_value("volume_l", 300, q, usd).price_per_unit, "2.00");
        // half to even: $0.25 for 10 = 2.5 cents -> 2 cents? more digits are shown instead: 0.025
        let q = quantity(&Attribute::Number(10.0)).unwrap();
        assert_eq!(unit_value("pack_count", 25, q, usd).price_per_unit, "0.025");
        assert_eq!(cmp_per_unit(100, (2, 0), 150, (3, 0)), Ordering::Equal);
        assert!(quantity(&Attribute::Number(0.0)).is_none());
        assert!(quantity(&Attribute::Number(1e300)).is_none());
    }

    #[test]
    fn comparison_text() {
        let c =
            compare_attribute("storage_gb", Some(&Attribute::Number(256.0)), Some(&Attribute::Number(128.0))).unwrap();
        assert_eq!(c.text, "256 GB vs 128 GB: 2x storage");
        assert_eq!(c.verdict, Verdict::Better);
        let c = compare_attribute("print", Some(&Attribute::Bool(true)), Some(&Attribute::Bool(false))).unwrap();
        assert_eq!(c.text, "adds print");
        let c = compare_attribute("ram_gb", Some(&Attribute::Number(8.0)), None).unwrap();
        assert_eq!((c.verdict, c.text.as_str()), (Verdict::Unknown, "8 GB vs not listed"));
        assert!(compare_attribute("color", Some(&Attribute::Text("red")), None).is_none());
        assert_eq!(delta(2000, Currency::USD), "+$20.00");
        assert_eq!(delta(-500, Currency::USD), "-$5.00");
    }
}
