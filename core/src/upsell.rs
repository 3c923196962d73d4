//! Upsell tiers with honest decoy pricing (stub: filled in by the upsell work).

use crate::engine::Engine;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct UpsellRequest {}

pub fn upsell(_engine: &Engine, _req: &UpsellRequest) -> Result<serde_json::Value> {
    Err(Error::invalid("", "upsell is not implemented yet"))
}
