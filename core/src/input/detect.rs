//! Format detection from content: the first bytes and the CSV header decide, never a flag.

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line (cartlift records or Shopify API objects).
    JsonLines,
    /// A single JSON document (a pretty-printed webhook body, or an array of records).
    JsonDocument,
    ShopifyProductsCsv,
    ShopifyOrdersCsv,
    /// `order_id,customer_id,created_at,product_id,quantity,price`.
    GenericOrdersCsv,
    /// `id,title,price,...` with the JSON Lines field names as columns.
    GenericProductsCsv,
    /// Records passed in memory by a binding.
    InMemory,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::JsonLines => "json_lines",
            Format::JsonDocument => "json",
            Format::ShopifyProductsCsv => "shopify_products_csv",
            Format::ShopifyOrdersCsv => "shopify_orders_csv",
            Format::GenericOrdersCsv => "orders_csv",
            Format::GenericProductsCsv => "products_csv",
            Format::InMemory => "in_memory",
        }
    }
}

/// Decide the format of a text file.
pub fn detect(text: &str) -> Result<Format> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.is_empty() {
        return Ok(Format::JsonLines);
    }
    if trimmed.starts_with('[') {
        return Ok(Format::JsonDocument);
    }
    if trimmed.starts_with('{') {
        // JSON Lines when the first line is a complete JSON value; otherwise one pretty-printed document.
        let first = trimmed.lines().next().unwrap_or("");
        return Ok(if serde_json::from_str::<serde_json::Value>(first).is_ok() {
            Format::JsonLines
        } else {
            Format::JsonDocument
        });
    }
    let header_line = trimmed.lines().next().unwrap_or("");
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(header_line.as_bytes());
    let header: Vec<String> = match reader.records().next() {
        Some(Ok(r)) => r.iter().map(|s| s.trim().to_ascii_lowercase()).collect(),
        _ => Vec::new(),
    };
    let has = |name: &str| header.iter().any(|h| h == name);
    if has("handle") && (has("variant price") || has("title")) {
        Ok(Format::ShopifyProductsCsv)
    } else if has("name") && has("lineitem quantity") {
        Ok(Format::ShopifyOrdersCsv)
    } else if has("order_id") && has("product_id") {
        Ok(Format::GenericOrdersCsv)
    } else if has("id") && has("price") {
        Ok(Format::GenericProductsCsv)
    } else {
        Err(Error::invalid(
            "",
            "unrecognised file format: expected JSON Lines, a Shopify product or order export CSV, \
             or a CSV with order_id,customer_id,created_at,product_id,quantity,price",
        )
        .at_line(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_format() {
        assert_eq!(detect("{\"id\":\"a\"}\n{\"id\":\"b\"}\n").unwrap(), Format::JsonLines);
        assert_eq!(detect("{\n  \"id\": 1\n}\n").unwrap(), Format::JsonDocument);
        assert_eq!(detect("[{\"id\":1}]").unwrap(), Format::JsonDocument);
        assert_eq!(detect("Handle,Title,Variant Price\r\n").unwrap(), Format::ShopifyProductsCsv);
        assert_eq!(detect("Name,Email,Lineitem quantity\n").unwrap(), Format::ShopifyOrdersCsv);
        assert_eq!(
            detect("order_id,customer_id,created_at,product_id,quantity,price\n").unwrap(),
            Format::GenericOrdersCsv
        );
        assert!(detect("foo,bar\n").is_err());
    }
}
