//! The one request/response surface every binding and the CLI use: an operation name plus JSON.
//! Bindings convert their native values to `serde_json::Value` (or pass JSON text) and back; nothing else.

use crate::engine::{Engine, ProductUpdate};
use crate::error::{Error, Result};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Query operations on a trained engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    CrossSell,
    Upsell,
    UpgradePath,
    SuggestDecoyPrice,
    PriceCart,
    SuggestBundles,
}

impl Operation {
    pub const ALL: [Operation; 6] = [
        Operation::CrossSell,
        Operation::Upsell,
        Operation::UpgradePath,
        Operation::SuggestDecoyPrice,
        Operation::PriceCart,
        Operation::SuggestBundles,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Operation::CrossSell => "cross_sell",
            Operation::Upsell => "upsell",
            Operation::UpgradePath => "upgrade_path",
            Operation::SuggestDecoyPrice => "suggest_decoy_price",
            Operation::PriceCart => "price_cart",
            Operation::SuggestBundles => "suggest_bundles",
        }
    }

    pub fn from_name(name: &str) -> Result<Operation> {
        Operation::ALL
            .into_iter()
            .find(|o| o.name() == name)
            .ok_or_else(|| Error::invalid("operation", format!("unknown operation {name:?}")))
    }
}

/// A query request: a JSON object only (serde would otherwise read a struct from an array, field by position).
fn parse_request<T: DeserializeOwned>(v: serde_json::Value) -> Result<T> {
    if !v.is_object() {
        return Err(Error::new(crate::error::ErrorCode::InvalidInput, "a request must be a JSON object"));
    }
    parse(v)
}

fn parse<T: DeserializeOwned>(v: serde_json::Value) -> Result<T> {
    serde_json::from_value(v).map_err(Error::from)
}

fn to_value<T: Serialize>(t: T) -> Result<serde_json::Value> {
    serde_json::to_value(t).map_err(|e| Error::new(crate::error::ErrorCode::Internal, e.to_string()))
}

impl Engine {
    /// Run a query operation on a JSON request value.
    pub fn query(&self, op: Operation, request: serde_json::Value) -> Result<serde_json::Value> {
        match op {
            Operation::CrossSell => to_value(crate::crosssell::cross_sell(self, &parse_request(request)?)?),
            Operation::Upsell => to_value(crate::upsell::upsell(self, &parse_request(request)?)?),
            Operation::UpgradePath => to_value(crate::upsell::upgrade_path(self, &parse_request(request)?)?),
            Operation::SuggestDecoyPrice => to_value(crate::upsell::suggest_decoy_price(self, &parse_request(request)?)?),
            Operation::PriceCart => to_value(crate::pricing::price_cart(self, &parse_request(request)?)?),
            Operation::SuggestBundles => to_value(crate::pricing::suggest_bundles(self, &parse_request(request)?)?),
        }
    }

    /// Run a query operation on JSON text, answering JSON text.
    pub fn query_json(&self, op: Operation, request: &str) -> Result<String> {
        let v: serde_json::Value = serde_json::from_str(request)?;
        let out = self.query(op, v)?;
        Ok(serde_json::to_string(&out).expect("a JSON value serializes"))
    }

    /// `update_products` with a JSON array of updates (`[{"id":..,"price":..,"available":..,"inventory":..}]`).
    pub fn update_products_value(&self, updates: serde_json::Value) -> Result<Engine> {
        let list: Vec<ProductUpdate> = match updates {
            serde_json::Value::Array(_) => parse(updates)?,
            other => vec![parse(other)?],
        };
        self.update_products(&list)
    }
}
