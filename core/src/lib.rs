//! cartlift: an embeddable engine that makes online shops sell more per order, helpfully.
//!
//! Cart-aware cross-sell, upsell tiers with honest decoy pricing, bundle discounts with exact money, and the
//! measurement that proves it. Everything a binding needs is [`Engine`] plus the JSON surface in [`api`].

pub mod api;
pub mod behaviour;
pub mod catalog;
mod catalog_groups;
mod catalog_ids;
mod catalog_view;
pub mod config;
pub mod crosssell;
pub mod dense;
pub mod engine;
pub mod error;
pub mod flat;
pub(crate) mod frame;
pub mod input;
pub mod measure;
pub mod model;
pub mod money;
pub mod orders;
pub mod partial;
pub mod personal;
pub mod pricing;
pub mod progress;
pub mod request;
pub mod rules;
#[cfg(feature = "schema")]
pub mod schema;
pub mod selector;
mod shop;
pub mod snapshot;
pub mod upsell;

pub use api::{Answer, Operation};
pub use config::Config;
pub use engine::{Engine, ProductUpdate, TrainRequest};
pub use error::{Error, ErrorCode, Result};

/// The library version (also `cartlift_version()` in C).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
