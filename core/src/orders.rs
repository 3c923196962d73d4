//! Order history: the documented orders JSON Lines schema and its validated form.

use crate::error::{Error, Result};
use crate::money::{Currency, MoneyInput};
use serde::{Deserialize, Deserializer, Serialize};

/// Ids are the shop's strings; JSON numbers (Shopify's 64-bit ids) are accepted and kept digit for digit.
pub fn id_string<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    d.deserialize_any(IdVisitor)
}

/// Reads an id without buffering the value first (as an untagged enum would): ids are on every hot path.
struct IdVisitor;

impl serde::de::Visitor<'_> for IdVisitor {
    type Value = String;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an id (a string or an integer)")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> std::result::Result<String, E> {
        Ok(v)
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<String, E> {
        Ok(v.to_string())
    }
}

pub fn opt_id_string<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    struct W(#[serde(deserialize_with = "id_string")] String);
    Ok(Option::<W>::deserialize(d)?.map(|w| w.0))
}

/// One line of the orders JSON Lines input.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OrderRecord {
    #[serde(deserialize_with = "id_string")]
    pub id: String,
    #[serde(default, deserialize_with = "opt_id_string", skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    pub created_at: String,
    /// ISO 4217 code of the order's money; when given it must be the catalog's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    pub lines: Vec<OrderLineRecord>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OrderLineRecord {
    #[serde(deserialize_with = "id_string")]
    pub product_id: String,
    #[serde(default = "one")]
    pub quantity: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<MoneyInput>,
}

fn one() -> i64 {
    1
}

/// A validated order: time as Unix seconds, quantities positive.
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    pub id: String,
    pub customer_id: Option<String>,
    pub created_at: i64,
    pub lines: Vec<OrderLine>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrderLine {
    pub product_id: String,
    pub quantity: u32,
    pub price: Option<i64>,
}

/// Parse an RFC 3339 timestamp into Unix seconds.
pub fn parse_time(text: &str, field: &str) -> Result<i64> {
    time::OffsetDateTime::parse(text.trim(), &time::format_description::well_known::Rfc3339)
        .map(|t| t.unix_timestamp())
        .map_err(|e| Error::invalid(field, format!("{text:?} is not an RFC 3339 timestamp ({e})")))
}

/// Format Unix seconds as RFC 3339 (UTC).
pub fn format_time(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_else(|| unix.to_string())
}

impl OrderRecord {
    pub fn validate(&self, currency: Currency) -> Result<Order> {
        if self.id.trim().is_empty() {
            return Err(Error::invalid("id", "order id is empty"));
        }
        let created_at = parse_time(&self.created_at, "created_at")?;
        if let Some(code) = &self.currency {
            let c = Currency::parse(code)?;
            if c != currency {
                return Err(Error::new(
                    crate::error::ErrorCode::CurrencyMismatch,
                    format!("order {:?} is in {c} but the catalog is in {currency}", self.id),
                )
                .with_field("currency"));
            }
        }
        let mut lines = Vec::with_capacity(self.lines.len());
        for (i, l) in self.lines.iter().enumerate() {
            let at = format!("lines[{i}]");
            if l.quantity <= 0 {
                return Err(
                    Error::invalid("quantity", format!("quantity must be positive, got {}", l.quantity)).under(&at)
                );
            }
            let quantity = u32::try_from(l.quantity)
                .map_err(|_| Error::invalid("quantity", "quantity is too large").under(&at))?;
            let price = match &l.price {
                None => None,
                Some(p) => Some(p.to_minor(currency, "price").map_err(|e| e.under(&at))?),
            };
            lines.push(OrderLine { product_id: l.product_id.clone(), quantity, price });
        }
        Ok(Order { id: self.id.clone(), customer_id: self.customer_id.clone(), created_at, lines })
    }
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
    fn bad_time() {
        assert!(parse_time("yesterday", "created_at").is_err());
        assert_eq!(format_time(1483271606), "2017-01-01T11:53:26Z");
    }
}
