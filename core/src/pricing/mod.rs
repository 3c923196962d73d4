//! Bundle discounts and cart pricing (stub: filled in by the bundles work).

use crate::catalog::Catalog;
use crate::engine::Engine;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// The shop's bundle definitions, compiled against a catalog.
#[derive(Debug, Clone, Default)]
pub struct Bundles {
    /// The JSON each bundle came from, kept so a saved model reproduces them exactly.
    pub sources: Vec<String>,
}

impl Bundles {
    pub fn compile(values: &[serde_json::Value], _catalog: &Catalog) -> Result<Bundles> {
        Ok(Bundles { sources: values.iter().map(|v| v.to_string()).collect() })
    }
    pub fn from_sources(sources: &[String], catalog: &Catalog) -> Result<Bundles> {
        let values = sources
            .iter()
            .map(|s| serde_json::from_str(s).map_err(|e| Error::corrupt(format!("stored bundle does not parse: {e}"))))
            .collect::<Result<Vec<serde_json::Value>>>()?;
        Bundles::compile(&values, catalog)
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct PriceCartRequest {}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct SuggestBundlesRequest {}

pub fn price_cart(_engine: &Engine, _req: &PriceCartRequest) -> Result<serde_json::Value> {
    Err(Error::invalid("", "price_cart is not implemented yet"))
}

pub fn suggest_bundles(_engine: &Engine, _req: &SuggestBundlesRequest) -> Result<serde_json::Value> {
    Err(Error::invalid("", "suggest_bundles is not implemented yet"))
}
