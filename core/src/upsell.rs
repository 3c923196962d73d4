//! Upsell tiers with honest decoy pricing (stub: filled in by the upsell work).

use crate::engine::Engine;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct UpsellRequest {}

pub fn upsell(_engine: &Engine, _req: &UpsellRequest) -> Result<serde_json::Value> {
    Err(Error::invalid("", "upsell is not implemented yet"))
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct UpgradePathRequest {}

pub fn upgrade_path(_engine: &Engine, _req: &UpgradePathRequest) -> Result<serde_json::Value> {
    Err(Error::invalid("", "upgrade_path is not implemented yet"))
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct DecoyPriceRequest {}

pub fn suggest_decoy_price(_engine: &Engine, _req: &DecoyPriceRequest) -> Result<serde_json::Value> {
    Err(Error::invalid("", "suggest_decoy_price is not implemented yet"))
}
