//! cartlift: an embeddable engine that makes online shops sell more per order, helpfully.
//!
//! Cart-aware cross-sell, upsell tiers with honest decoy pricing, bundle discounts with exact money, and the
//! measurement that proves it. Everything a binding needs is [`Engine`] plus the JSON surface in [`api`].

pub mod api;
pub(crate) mod behaviour;
pub(crate) mod catalog;
mod catalog_groups;
mod catalog_ids;
mod catalog_view;
pub(crate) mod clock;
pub mod config;
pub(crate) mod crosssell;
pub(crate) mod dense;
pub mod engine;
pub mod error;
pub(crate) mod flat;
pub(crate) mod frame;
pub mod input;
pub mod measure;
pub(crate) mod model;
pub mod money;
pub mod orders;
pub mod partial;
pub(crate) mod personal;
pub(crate) mod pricing;
pub mod progress;
pub mod request;
pub(crate) mod rules;
#[cfg(feature = "schema")]
pub mod schema;
pub(crate) mod selector;
mod shop;
pub(crate) mod snapshot;
pub(crate) mod upsell;

pub use api::{Answer, Operation};
pub use catalog::{AttributeInput, ProductData, ProductRecord};
pub use config::Config;
pub use crosssell::{CrossSellRequest, CrossSellResponse, Recommendation};
pub use engine::{Engine, ProductUpdate, TrainRequest};
pub use error::{Error, ErrorCode, Result};
pub use model::Counts;
pub use pricing::{
    AddItem, AppliedBundle, Opportunity, PriceCartRequest, PriceCartResponse, PricedLine, SuggestBundlesRequest,
    SuggestBundlesResponse, SuggestedBundle, UnitsUsed,
};
pub use request::{CartLineInput, CartLineObject, Device, Filters, Reason};
pub use rules::Placement;
pub use snapshot::{FORMAT_VERSION as MODEL_FORMAT_VERSION, HEADER as MODEL_HEADER_LEN};
pub use upsell::{
    AttributeComparison, Badge, ComparisonRow, ComparisonTable, DecoyPriceRequest, DecoyPriceResponse, DecoySuggestion,
    Role, UnitValue, UpgradePathRequest, UpgradePathResponse, UpgradeTier, UpsellOption, UpsellRequest, UpsellResponse,
    Verdict,
};

/// Internals the workspace's `lab` crate (generator and offline evaluation) builds on. Not a stable API.
#[doc(hidden)]
pub mod lab {
    pub use crate::behaviour::{Behaviour, Repurchase, Season};
    pub use crate::catalog::{Catalog, ProductIdx};
    pub use crate::engine::baskets_with_customers;
    pub use crate::model::tune;
    pub use crate::personal::CustomerHistories;
    pub use crate::pricing::Bundles;
    pub use crate::rules::Rules;
}

/// The library version (also `cartlift_version()` in C).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
