//! Exact money: integer minor units plus an ISO 4217 currency. Decimal strings only at the edges.
//! No floating point ever touches an amount.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// An ISO 4217 currency code; its exponent (digits after the decimal point) comes from the standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Currency([u8; 3]);

/// Currencies whose minor unit is not 1/100 (ISO 4217). Everything else has two decimals.
const ZERO_DECIMAL: &[&[u8; 3]] = &[
    b"BIF", b"CLP", b"DJF", b"GNF", b"ISK", b"JPY", b"KMF", b"KRW", b"PYG", b"RWF", b"UGX", b"UYI", b"VND", b"VUV",
    b"XAF", b"XOF", b"XPF",
];
const THREE_DECIMAL: &[&[u8; 3]] = &[b"BHD", b"IQD", b"JOD", b"KWD", b"LYD", b"OMR", b"TND"];

impl Currency {
    pub const USD: Currency = Currency(*b"USD");

    /// Parse a three-letter code (case-insensitive).
    pub fn parse(code: &str) -> Result<Currency> {
        let up = code.trim().to_ascii_uppercase();
        let b = up.as_bytes();
        if b.len() != 3 || !b.iter().all(|c| c.is_ascii_uppercase()) {
            return Err(Error::invalid("currency", format!("{code:?} is not an ISO 4217 currency code")));
        }
        Ok(Currency([b[0], b[1], b[2]]))
    }

    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.0).expect("currency codes are ASCII")
    }

    /// Digits after the decimal point: JPY 0, USD 2, KWD 3.
    pub fn exponent(&self) -> u32 {
        let c = &self.0;
        if ZERO_DECIMAL.contains(&c) {
            0
        } else if THREE_DECIMAL.contains(&c) {
            3
        } else {
            2
        }
    }

    /// 10^exponent: minor units in one whole unit.
    pub fn scale(&self) -> i64 {
        10i64.pow(self.exponent())
    }

    /// The symbol used in human text ("Save $25.00"); the code itself where no common symbol exists.
    pub fn symbol(&self) -> &str {
        match self.code() {
            "USD" | "CAD" | "AUD" | "NZD" | "HKD" | "SGD" | "MXN" => "$",
            "EUR" => "€",
            "GBP" => "£",
            "JPY" => "¥",
            "INR" => "₹",
            "ZAR" => "R",
            _ => "",
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An amount: integer minor units of a currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }
    /// The decimal string of the edge schema: "19.99", "8000" (JPY), "1.250" (KWD).
    pub fn to_decimal(self) -> String {
        format_minor(self.minor, self.currency)
    }
    /// Human text: "$19.99", "¥8000", "1.250 KWD".
    pub fn display(&self) -> String {
        let mut out = String::with_capacity(16);
        self.display_into(&mut out);
        out
    }
    /// [`Money::display`] appended to `out` (texts that name several amounts are built in one buffer).
    pub fn display_into(&self, out: &mut String) {
        let s = self.currency.symbol();
        if s.is_empty() {
            push_minor(out, self.minor, self.currency);
            out.push(' ');
            out.push_str(self.currency.code());
        } else if self.minor < 0 {
            out.push('-');
            out.push_str(s);
            push_minor(out, -self.minor, self.currency);
        } else {
            out.push_str(s);
            push_minor(out, self.minor, self.currency);
        }
    }
}

/// Format minor units as a decimal string with exactly the currency's exponent.
/// Written by hand rather than with `format!`: a priced cart formats dozens of amounts, and the formatting
/// machinery was a quarter of `price_cart`'s time.
pub fn format_minor(minor: i64, currency: Currency) -> String {
    let mut out = String::with_capacity(12);
    push_minor(&mut out, minor, currency);
    out
}

/// [`format_minor`] appended to `out`: the digits are formatted once and split around the point.
pub fn push_minor(out: &mut String, minor: i64, currency: Currency) {
    let exp = currency.exponent() as usize;
    if minor < 0 {
        out.push('-');
    }
    let mut buf = itoa::Buffer::new();
    let digits = buf.format(minor.unsigned_abs());
    if exp == 0 {
        out.push_str(digits);
    } else if digits.len() > exp {
        let (int, frac) = digits.split_at(digits.len() - exp);
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    } else {
        // Below one whole unit: "0.05".
        out.push_str("0.");
        for _ in digits.len()..exp {
            out.push('0');
        }
        out.push_str(digits);
    }
}

/// The largest amount accepted anywhere, in minor units (10^14: a trillion dollars, a hundred trillion yen).
/// With at most [`crate::request::MAX_CART_UNITS`] units a cart's subtotal stays far inside `i64`.
pub const MAX_AMOUNT_MINOR: i64 = 100_000_000_000_000;

fn too_large(text: impl fmt::Display) -> Error {
    Error::invalid("", format!("{text} is too large (amounts are at most {MAX_AMOUNT_MINOR} minor units)"))
}

/// `price × quantity` in minor units; an overflow is an error naming `field`, never a wrapped number.
pub fn line_value(price: i64, quantity: u32, field: &str) -> Result<i64> {
    price
        .checked_mul(quantity as i64)
        .ok_or_else(|| Error::invalid(field, "the line's value overflows the money range"))
}

/// The sum of amounts; an overflow is an error naming `field`.
pub fn checked_total(values: impl IntoIterator<Item = i64>, field: &str) -> Result<i64> {
    values
        .into_iter()
        .try_fold(0i64, i64::checked_add)
        .ok_or_else(|| Error::invalid(field, "the total overflows the money range"))
}

/// Parse a decimal string ("19.99", "25", "-3.5", "8000") into minor units of `currency`.
/// More decimals than the currency has are accepted only when they are zeros ("25.000" USD).
pub fn parse_decimal(text: &str, currency: Currency) -> Result<i64> {
    let s = text.trim();
    let bad = || Error::invalid("", format!("{text:?} is not a decimal amount (expected e.g. \"19.99\")"));
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (int_part, frac_part) = match body.split_once('.') {
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return Err(bad());
    }
    if !int_part.bytes().all(|b| b.is_ascii_digit()) || !frac_part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let exp = currency.exponent() as usize;
    let (kept, extra) = if frac_part.len() > exp { frac_part.split_at(exp) } else { (frac_part, "") };
    if extra.bytes().any(|b| b != b'0') {
        return Err(Error::invalid("", format!("{text:?} has more decimal places than {currency} allows ({exp})")));
    }
    let mut value: i128 = 0;
    for b in int_part.bytes().chain(kept.bytes()).chain(std::iter::repeat_n(b'0', exp - kept.len())) {
        value = value * 10 + (b - b'0') as i128;
        if value > MAX_AMOUNT_MINOR as i128 {
            return Err(too_large(format_args!("{text:?}")));
        }
    }
    Ok(if neg { -(value as i64) } else { value as i64 })
}

/// Money as callers send it: a decimal string, or an integer meaning whole units (`20` is "20.00").
/// A number with a fraction is rejected: binary floats cannot hold cents exactly.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum MoneyInput {
    Text(String),
    Whole(i64),
    Float(f64),
}

/// In the schema: what a caller may send (a fraction is read only to be rejected with a clear error).
#[cfg(feature = "schema")]
impl schemars::JsonSchema for MoneyInput {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "MoneyInput".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Money: a decimal string (\"19.99\"), or an integer number of whole units (20 means \"20.00\"). Never a fraction.",
            "anyOf": [{"type": "string"}, {"type": "integer"}]
        })
    }
}

/// In the schema: a percentage as [`parse_percent`] reads it.
#[cfg(feature = "schema")]
pub(crate) struct Percent;

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Percent {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Percent".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": concat!(
                "A percentage from 0 to 100 with at most four decimals: a number (12.5) or a decimal string ",
                "(\"12.5\")."
            ),
            "anyOf": [
                {"type": "string", "pattern": "^\\s*[0-9]+(\\.[0-9]{0,4})?\\s*$"},
                {"type": "number", "minimum": 0, "maximum": 100}
            ]
        })
    }
}

impl<'de> Deserialize<'de> for MoneyInput {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        MoneyRef::deserialize(d).map(MoneyRef::into_owned)
    }
}

/// [`MoneyInput`] read in place: its text borrowed from the input unless it had escapes (the orders fast path).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum MoneyRef<'a> {
    Text(Cow<'a, str>),
    Whole(i64),
    Float(f64),
}

impl<'de: 'a, 'a> Deserialize<'de> for MoneyRef<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(MoneyVisitor(std::marker::PhantomData))
    }
}

/// Reads money without buffering the value first (as a derived untagged enum would): every order line has some.
struct MoneyVisitor<'a>(std::marker::PhantomData<&'a ()>);

impl<'de: 'a, 'a> serde::de::Visitor<'de> for MoneyVisitor<'a> {
    type Value = MoneyRef<'a>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("money as a decimal string such as \"19.99\" or an integer")
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> std::result::Result<MoneyRef<'a>, E> {
        Ok(MoneyRef::Text(Cow::Borrowed(v)))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<MoneyRef<'a>, E> {
        Ok(MoneyRef::Text(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> std::result::Result<MoneyRef<'a>, E> {
        Ok(MoneyRef::Text(Cow::Owned(v)))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<MoneyRef<'a>, E> {
        Ok(MoneyRef::Whole(v))
    }

    /// Past `i64::MAX` only as text, which the amount check then rejects as too large.
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<MoneyRef<'a>, E> {
        Ok(i64::try_from(v).map_or_else(|_| MoneyRef::Text(Cow::Owned(v.to_string())), MoneyRef::Whole))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<MoneyRef<'a>, E> {
        Ok(MoneyRef::Float(v))
    }
}

impl MoneyRef<'_> {
    /// Resolve to minor units of `currency`; `field` names the input for the error message.
    pub fn to_minor(&self, currency: Currency, field: &str) -> Result<i64> {
        match self {
            MoneyRef::Text(t) => parse_decimal(t, currency).map_err(|e| e.with_field(field)),
            MoneyRef::Whole(n) => n
                .checked_mul(currency.scale())
                .filter(|m| m.abs() <= MAX_AMOUNT_MINOR)
                .ok_or_else(|| too_large(n).with_field(field)),
            MoneyRef::Float(x) => Err(Error::invalid(
                field,
                format!("{x} is a floating-point number; pass money as a decimal string such as \"{x:.2}\" (or a Decimal in Python)"),
            )),
        }
    }

    fn into_owned(self) -> MoneyInput {
        match self {
            MoneyRef::Text(t) => MoneyInput::Text(t.into_owned()),
            MoneyRef::Whole(n) => MoneyInput::Whole(n),
            MoneyRef::Float(x) => MoneyInput::Float(x),
        }
    }
}

impl MoneyInput {
    /// Resolve to minor units of `currency`; `field` names the input for the error message.
    pub fn to_minor(&self, currency: Currency, field: &str) -> Result<i64> {
        self.as_ref().to_minor(currency, field)
    }

    pub(crate) fn as_ref(&self) -> MoneyRef<'_> {
        match self {
            MoneyInput::Text(t) => MoneyRef::Text(Cow::Borrowed(t)),
            MoneyInput::Whole(n) => MoneyRef::Whole(*n),
            MoneyInput::Float(x) => MoneyRef::Float(*x),
        }
    }
}

/// Multiply minor units by a rational factor and round half to even: the one rounding rule for percentages.
pub fn mul_div_half_even(value: i64, num: i64, den: i64) -> i64 {
    assert!(den > 0, "denominator must be positive");
    // The common case (a price times a percentage) fits in 64 bits, whose division is several times faster.
    if let Some(n) = value.checked_mul(num) {
        let (q, r) = (n.div_euclid(den), n.rem_euclid(den));
        // `r < den`, so `2 * r` overflows only for a denominator above i64::MAX / 2: then take the wide path.
        if let Some(twice) = r.checked_mul(2) {
            return if twice > den || (twice == den && q % 2 != 0) { q + 1 } else { q };
        }
    }
    let n = value as i128 * num as i128;
    let d = den as i128;
    let q = n.div_euclid(d);
    let r = n.rem_euclid(d);
    let twice = 2 * r;
    let rounded = if twice > d || (twice == d && q % 2 != 0) { q + 1 } else { q };
    rounded as i64
}

/// A percentage held exactly as basis points of a percent (1/10000 of a percent): "12.5" is 125000.
pub const PERCENT_SCALE: i64 = 10_000;

/// Parse a percentage (number or decimal string, 0 to 100) into units of 1/10000 percent.
pub fn parse_percent(value: &serde_json::Value, field: &str) -> Result<i64> {
    let text = match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        other => return Err(Error::invalid(field, format!("expected a percentage, got {other}"))),
    };
    // Four decimals of a percent, as if a currency with exponent 4.
    let s = text.trim();
    let (i, f) = s.split_once('.').unwrap_or((s, ""));
    if i.is_empty() || !i.bytes().all(|b| b.is_ascii_digit()) || !f.bytes().all(|b| b.is_ascii_digit()) || f.len() > 4 {
        return Err(Error::invalid(field, format!("{text:?} is not a percentage between 0 and 100")));
    }
    let units: i64 = format!("{i}{f:0<4}").parse().map_err(|_| Error::invalid(field, "percentage too large"))?;
    if units > 100 * PERCENT_SCALE {
        return Err(Error::invalid(field, format!("{text} is over 100 percent")));
    }
    Ok(units)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(code: &str) -> Currency {
        Currency::parse(code).unwrap()
    }

    #[test]
    fn exponents() {
        assert_eq!(c("JPY").exponent(), 0);
        assert_eq!(c("usd").exponent(), 2);
        assert_eq!(c("KWD").exponent(), 3);
        assert!(Currency::parse("US").is_err());
    }

    #[test]
    fn parse_and_format_round_trip() {
        assert_eq!(parse_decimal("19.99", c("USD")).unwrap(), 1999);
        assert_eq!(parse_decimal("25", c("USD")).unwrap(), 2500);
        assert_eq!(parse_decimal("25.5", c("USD")).unwrap(), 2550);
        assert_eq!(parse_decimal("8000", c("JPY")).unwrap(), 8000);
        assert_eq!(parse_decimal("1.250", c("KWD")).unwrap(), 1250);
        assert_eq!(parse_decimal("-0.01", c("USD")).unwrap(), -1);
        assert_eq!(parse_decimal("10.000", c("USD")).unwrap(), 1000);
        assert!(parse_decimal("10.001", c("USD")).is_err());
        assert!(parse_decimal("1e5", c("USD")).is_err());
        assert!(parse_decimal("", c("USD")).is_err());
        assert!(parse_decimal("99999999999999999999", c("USD")).is_err());
        assert_eq!(format_minor(1999, c("USD")), "19.99");
        assert_eq!(format_minor(-5, c("USD")), "-0.05");
        assert_eq!(format_minor(8000, c("JPY")), "8000");
        assert_eq!(format_minor(1250, c("KWD")), "1.250");
        assert_eq!(Money::new(2500, c("USD")).display(), "$25.00");
    }

    /// The hand-written formatter against the obvious `format!` one, edges included, and round trips.
    #[test]
    fn format_minor_matches_the_plain_formatter() {
        fn plain(minor: i64, exp: u32) -> String {
            let scale = 10u64.pow(exp);
            let sign = if minor < 0 { "-" } else { "" };
            let a = minor.unsigned_abs();
            match exp {
                0 => format!("{sign}{a}"),
                _ => format!("{sign}{}.{:0w$}", a / scale, a % scale, w = exp as usize),
            }
        }
        let mut values = vec![0, 1, -1, 9, 10, 99, 100, 101, 999, 1000, -1000, 12345, i64::MAX, i64::MIN, i64::MIN + 1];
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..2000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push((x as i64) >> (x % 60));
        }
        for code in ["USD", "JPY", "KWD"] {
            let cur = c(code);
            for &v in &values {
                let s = format_minor(v, cur);
                assert_eq!(s, plain(v, cur.exponent()), "{v} {code}");
                if v.unsigned_abs() <= MAX_AMOUNT_MINOR as u64 {
                    assert_eq!(parse_decimal(&s, cur).unwrap(), v, "{s} {code}");
                } else {
                    assert!(parse_decimal(&s, cur).is_err(), "{s} {code} is over the bound");
                }
            }
        }
        assert_eq!(format_minor(0, c("USD")), "0.00");
        assert_eq!(format_minor(0, c("JPY")), "0");
        assert_eq!(format_minor(-1, c("KWD")), "-0.001");
    }

    #[test]
    fn floats_are_rejected_integers_are_whole_units() {
        assert_eq!(MoneyInput::Whole(20).to_minor(c("USD"), "price").unwrap(), 2000);
        assert_eq!(MoneyInput::Whole(20).to_minor(c("JPY"), "price").unwrap(), 20);
        let e = MoneyInput::Float(19.99).to_minor(c("USD"), "price").unwrap_err();
        assert!(e.message.contains("decimal string"), "{e}");
        assert_eq!(e.field.as_deref(), Some("price"));
    }

    #[test]
    fn half_even() {
        assert_eq!(mul_div_half_even(25, 1, 10), 2); // 2.5 -> 2
        assert_eq!(mul_div_half_even(35, 1, 10), 4); // 3.5 -> 4
        assert_eq!(mul_div_half_even(3333, 10, 100), 333); // 333.3
        assert_eq!(mul_div_half_even(-25, 1, 10), -2);
    }

    #[test]
    fn half_even_64_bit_path_matches_the_wide_one() {
        fn wide(value: i64, num: i64, den: i64) -> i64 {
            let (n, d) = (value as i128 * num as i128, den as i128);
            let (q, r) = (n.div_euclid(d), n.rem_euclid(d));
            (if 2 * r > d || (2 * r == d && q % 2 != 0) { q + 1 } else { q }) as i64
        }
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let edges = [0, 1, -1, 5, -5, 999_999, i64::MAX / 3, i64::MIN / 3, i64::MAX, i64::MIN + 1];
        for k in 0..20_000 {
            let value = if k < 100 { edges[k % edges.len()] } else { next() as i64 >> (next() % 63) };
            let num = [1, 7, 125_000, 1_000_000, i64::MAX / 2][k % 5];
            let den = [1, 2, 10, 1_000_000, i64::MAX][(k / 5) % 5];
            if (value as i128 * num as i128 / den as i128).abs() >= i64::MAX as i128 {
                continue;
            }
            assert_eq!(mul_div_half_even(value, num, den), wide(value, num, den), "{value} * {num} / {den}");
        }
    }

    #[test]
    fn percents() {
        use serde_json::json;
        assert_eq!(parse_percent(&json!(20), "p").unwrap(), 200_000);
        assert_eq!(parse_percent(&json!("12.5"), "p").unwrap(), 125_000);
        assert!(parse_percent(&json!(101), "p").is_err());
        assert!(parse_percent(&json!(-1), "p").is_err());
    }
}
