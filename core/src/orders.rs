//! Order history: the documented orders JSON Lines schema and its validated form.

use crate::clock::parse_time;
use crate::error::{Error, Result};
use crate::money::{Currency, MoneyInput, MoneyRef};
use serde::{Deserialize, Deserializer, Serialize};
use std::borrow::Cow;

/// Ids are the shop's strings; JSON numbers (Shopify's 64-bit ids) are accepted and kept digit for digit.
pub fn id_string<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    IdText::deserialize(d).map(|id| id.0.into_owned())
}

/// An id read in place: borrowed from the input unless it had escapes or was a number.
struct IdText<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for IdText<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(IdVisitor(std::marker::PhantomData))
    }
}

/// Reads an id without buffering the value first (as an untagged enum would): ids are on every hot path.
struct IdVisitor<'a>(std::marker::PhantomData<&'a ()>);

impl<'de: 'a, 'a> serde::de::Visitor<'de> for IdVisitor<'a> {
    type Value = IdText<'a>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an id (a string or an integer)")
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> std::result::Result<IdText<'a>, E> {
        Ok(IdText(Cow::Borrowed(v)))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<IdText<'a>, E> {
        Ok(IdText(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> std::result::Result<IdText<'a>, E> {
        Ok(IdText(Cow::Owned(v)))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<IdText<'a>, E> {
        Ok(IdText(Cow::Owned(v.to_string())))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<IdText<'a>, E> {
        Ok(IdText(Cow::Owned(v.to_string())))
    }

    /// `42.0` is the integer 42 to JSON Schema (and to a writer that keeps numbers as floats); a fraction, or a
    /// float too large to hold an integer exactly, is no id.
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<IdText<'a>, E> {
        const EXACT: f64 = (1u64 << 53) as f64;
        if v.fract() == 0.0 && v.abs() <= EXACT {
            Ok(IdText(Cow::Owned((v as i64).to_string())))
        } else {
            Err(E::invalid_value(serde::de::Unexpected::Float(v), &self))
        }
    }
}

/// One id as [`id_string`] reads it, for the containers below.
#[derive(Deserialize)]
struct Id(#[serde(deserialize_with = "id_string")] String);

pub fn opt_id_string<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    Ok(Option::<Id>::deserialize(d)?.map(|id| id.0))
}

/// A list of ids, each as [`id_string`] reads it.
pub fn id_strings<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Vec<String>, D::Error> {
    Ok(Vec::<Id>::deserialize(d)?.into_iter().map(|id| id.0).collect())
}

/// In the schema: an id as [`id_string`] reads it.
#[cfg(feature = "schema")]
pub(crate) struct IdInput;

#[cfg(feature = "schema")]
impl schemars::JsonSchema for IdInput {
    fn schema_name() -> Cow<'static, str> {
        "IdInput".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An id: the shop's string, or an integer (Shopify's 64-bit ids), kept digit for digit.",
            "anyOf": [{"type": "string"}, {"type": "integer"}]
        })
    }
}

/// One line of the orders JSON Lines input.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OrderRecord {
    #[serde(deserialize_with = "id_string")]
    #[cfg_attr(feature = "schema", schemars(with = "IdInput"))]
    pub id: String,
    #[serde(default, deserialize_with = "opt_id_string", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<IdInput>"))]
    pub customer_id: Option<String>,
    pub created_at: String,
    /// ISO 4217 code of the order's money; when given it must be the catalog's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    pub lines: Vec<OrderLineRecord>,
}

/// One line of an order: a product, how many, and optionally the price paid for one.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OrderLineRecord {
    #[serde(deserialize_with = "id_string")]
    #[cfg_attr(feature = "schema", schemars(with = "IdInput"))]
    pub product_id: String,
    #[serde(default = "one")]
    pub quantity: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<MoneyInput>,
}

fn one() -> i64 {
    1
}

/// [`OrderRecord`] read in place, its texts borrowed from the line: the fast path of a JSON Lines history,
/// which allocates only what the validated [`Order`] keeps.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OrderText<'a> {
    #[serde(borrow)]
    id: IdText<'a>,
    #[serde(default, borrow)]
    customer_id: Option<IdText<'a>>,
    #[serde(borrow)]
    created_at: Cow<'a, str>,
    #[serde(default, borrow)]
    currency: Option<Cow<'a, str>>,
    #[serde(borrow)]
    lines: Vec<OrderLineText<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrderLineText<'a> {
    #[serde(borrow)]
    product_id: IdText<'a>,
    #[serde(default = "one")]
    quantity: i64,
    #[serde(default, borrow)]
    price: Option<MoneyRef<'a>>,
}

/// A validated order: time as Unix seconds, quantities positive. `P` names each line's product: the shop's id
/// (an [`Order`]), or what the reader turned that id into as the line was read (training keeps a catalog index
/// and no text).
#[derive(Debug, Clone, PartialEq)]
pub struct OrderOf<P> {
    pub id: String,
    pub customer_id: Option<String>,
    pub created_at: i64,
    pub lines: Vec<OrderLineOf<P>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrderLineOf<P> {
    pub product_id: P,
    pub quantity: u32,
    pub price: Option<i64>,
}

/// An order whose lines name their products by the shop's ids.
pub type Order = OrderOf<String>;
pub type OrderLine = OrderLineOf<String>;

impl Order {
    /// The same order with each line's product id turned into `P` by `product`.
    pub fn map_products<P>(self, product: impl Fn(&str) -> P) -> OrderOf<P> {
        let lines = self.lines.into_iter();
        let lines =
            lines.map(|l| OrderLineOf { product_id: product(&l.product_id), quantity: l.quantity, price: l.price });
        OrderOf { id: self.id, customer_id: self.customer_id, created_at: self.created_at, lines: lines.collect() }
    }
}

impl OrderRecord {
    pub fn validate(&self, currency: Currency) -> Result<Order> {
        let created_at = validate_head(&self.id, &self.created_at, self.currency.as_deref(), currency)?;
        let lines = self.lines.iter().enumerate().map(|(i, l)| {
            let price = l.price.as_ref().map(MoneyInput::as_ref);
            validate_line(l.product_id.clone(), l.quantity, price, currency, i)
        });
        let lines = lines.collect::<Result<Vec<_>>>()?;
        Ok(Order { id: self.id.clone(), customer_id: self.customer_id.clone(), created_at, lines })
    }
}

impl OrderText<'_> {
    /// The same checks and errors as [`OrderRecord::validate`], each line's product id turned into `P` by
    /// `product` (no copy of the id is made unless `product` makes one).
    pub(crate) fn validate<P>(self, currency: Currency, product: impl Fn(&str) -> P) -> Result<OrderOf<P>> {
        let created_at = validate_head(&self.id.0, &self.created_at, self.currency.as_deref(), currency)?;
        let lines = self
            .lines
            .into_iter()
            .enumerate()
            .map(|(i, l)| validate_line(product(&l.product_id.0), l.quantity, l.price, currency, i));
        let lines = lines.collect::<Result<Vec<_>>>()?;
        let customer_id = self.customer_id.map(|c| c.0.into_owned());
        Ok(OrderOf { id: self.id.0.into_owned(), customer_id, created_at, lines })
    }
}

/// An order's id and currency checked, its time parsed.
fn validate_head(id: &str, created_at: &str, code: Option<&str>, currency: Currency) -> Result<i64> {
    if id.trim().is_empty() {
        return Err(Error::invalid("id", "order id is empty"));
    }
    let created_at = parse_time(created_at, "created_at")?;
    if let Some(code) = code {
        let c = Currency::parse(code)?;
        if c != currency {
            return Err(Error::new(
                crate::error::ErrorCode::CurrencyMismatch,
                format!("order {id:?} is in {c} but the catalog is in {currency}"),
            )
            .with_field("currency"));
        }
    }
    Ok(created_at)
}

/// Line `i` of an order: quantity positive and in range, price in minor units.
fn validate_line<P>(
    product_id: P,
    quantity: i64,
    price: Option<MoneyRef>,
    currency: Currency,
    i: usize,
) -> Result<OrderLineOf<P>> {
    let line = || -> Result<(u32, Option<i64>)> {
        if quantity <= 0 {
            return Err(Error::invalid("quantity", format!("quantity must be positive, got {quantity}")));
        }
        let quantity = u32::try_from(quantity).map_err(|_| Error::invalid("quantity", "quantity is too large"))?;
        Ok((quantity, price.map(|p| p.to_minor(currency, "price")).transpose()?))
    };
    let (quantity, price) = line().map_err(|e| e.under(format!("lines[{i}]")))?;
    Ok(OrderLineOf { product_id, quantity, price })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_numeric_ids_and_validates_quantity() {
        let r: OrderRecord = serde_json::from_str(
            r#"{"id":788032119674292922,"customer_id":7,"created_at":"2017-01-01T11:53:26Z","lines":[{"product_id":"A","quantity":2,"price":"0.50"}]}"#,
        )
        .unwrap();
        assert_eq!(r.id, "788032119674292922");
        let o = r.validate(Currency::USD).unwrap();
        assert_eq!(o.created_at, 1483271606);
        assert_eq!(o.lines[0].price, Some(50));
        let bad: OrderRecord = serde_json::from_str(
            r#"{"id":"1","created_at":"2017-01-01T00:00:00Z","lines":[{"product_id":"A","quantity":-1}]}"#,
        )
        .unwrap();
        let e = bad.validate(Currency::USD).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("lines[0].quantity"));
    }

    #[test]
    fn an_integral_float_is_an_id_and_a_fraction_is_not() {
        assert_eq!(serde_json::from_str::<Id>("42.0").unwrap().0, "42");
        assert_eq!(serde_json::from_str::<Id>("-7e0").unwrap().0, "-7");
        for bad in ["4.5", "1e300"] {
            let e = serde_json::from_str::<Id>(bad).err().expect(bad).to_string();
            assert!(e.contains("expected an id"), "{bad}: {e}");
        }
    }
}
