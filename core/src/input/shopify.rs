//! Shopify's formats: product export CSV, order export CSV, Admin API / webhook JSON.
//! (Stub: filled in by the Shopify import work.)

use crate::catalog::ProductRecord;
use crate::error::{Error, Result};
use crate::orders::OrderRecord;
use serde_json::Value;

/// A Shopify API product (`{"product":{..}}`, a bare product with `variants`, or `{"variants":[..]}`).
pub fn is_api_product(v: &Value) -> bool {
    v.get("product").is_some() || v.get("variants").is_some()
}

/// A Shopify API order (`{"order":{..}}` or a bare order / webhook body with `line_items`).
pub fn is_api_order(v: &Value) -> bool {
    v.get("order").is_some() || v.get("line_items").is_some()
}

pub fn products_from_api(_v: &Value) -> Result<Vec<ProductRecord>> {
    Err(Error::invalid("", "Shopify API products are not supported yet"))
}

pub fn order_from_api(_v: &Value) -> Result<OrderRecord> {
    Err(Error::invalid("", "Shopify API orders are not supported yet"))
}

pub fn products_from_csv(_text: &str) -> Result<Vec<(u64, Result<ProductRecord>)>> {
    Err(Error::invalid("", "Shopify product CSV is not supported yet"))
}

pub fn orders_from_csv(_text: &str) -> Result<Vec<(u64, Result<OrderRecord>)>> {
    Err(Error::invalid("", "Shopify order CSV is not supported yet"))
}
