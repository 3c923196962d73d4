//! cartlift: an embeddable engine that makes online shops sell more per order, helpfully.
//!
//! Cart-aware cross-sell, upsell tiers with honest decoy pricing, bundle discounts with exact money, and the
//! measurement that proves it. Everything a binding needs is [`Engine`] plus the JSON surface ([`Operation`],
//! [`Answer`]).

pub(crate) mod api;
pub(crate) mod behaviour;
pub(crate) mod catalog;
mod catalog_groups;
mod catalog_ids;
mod catalog_view;
pub(crate) mod clock;
pub(crate) mod config;
pub(crate) mod crosssell;
pub(crate) mod dense;
pub(crate) mod engine;
pub(crate) mod error;
pub(crate) mod flat;
pub(crate) mod frame;
pub(crate) mod input;
mod json;
pub(crate) mod measure;
pub(crate) mod model;
pub(crate) mod money;
pub(crate) mod orders;
pub(crate) mod partial;
pub(crate) mod personal;
pub(crate) mod pricing;
pub(crate) mod progress;
pub(crate) mod request;
pub(crate) mod rules;
#[cfg(feature = "schema")]
pub(crate) mod schema;
pub(crate) mod selector;
mod shop;
pub(crate) mod snapshot;
mod tuning;
pub(crate) mod upsell;

pub use api::{Answer, Operation};
pub use catalog::{AttributeInput, ProductData, ProductRecord};
pub use clock::{format_time, parse_time};
/// Training settings (`config` of a train request, `--config FILE`) and the choices they take.
pub use config::{BasketWeight, CartWeight, Config, Measure};
pub use crosssell::{CrossSellRequest, CrossSellResponse, Recommendation};
pub use engine::{read_json_values, Engine, ProductUpdate, Summary, TrainRequest, TrainStats};
/// The one error type every operation returns; bindings translate its [`ErrorCode`] and fields.
pub use error::{Error, ErrorCode, Result};
pub use input::{
    load_orders, load_products, order_records, LoadOptions, LoadReport, Loaded, ProductRow, Skipped, Source,
};
pub use measure::experiment::Variant;
pub use measure::render::{html as report_html, table as report_table};
pub use measure::{report, EventLog, Experiment, Experiments, ReportOptions, ReportResponse};
pub use model::{Counts, PersonalTuneReport, TuneReport};
/// Exact money: currencies, amounts as records and requests give them (decimal text or integer minor units),
/// and the largest amount any field accepts.
pub use money::{format_minor, Currency, MoneyInput, MAX_AMOUNT_MINOR};
pub use orders::{Order, OrderLine, OrderLineOf, OrderLineRecord, OrderOf, OrderRecord};
/// Training split over machines: count each shard of the orders (split by customer, one decay reference)
/// into [`Counts`], merge them (`Counts::merge`), finish with `Engine::from_merged_counts`; under
/// `measure: "auto"`, [`tune_orders`] first fixes the config every shard counts with.
pub use partial::{count_orders, newest_order_at, tune_orders};
pub use pricing::{
    AddItem, AppliedBundle, Opportunity, PriceCartRequest, PriceCartResponse, PricedLine, SuggestBundlesRequest,
    SuggestBundlesResponse, SuggestedBundle, UnitsUsed,
};
/// Progress of long work (training, loading): the core announces phases, a caller may draw them.
pub use progress::{Progress, Silent};
pub use request::{
    CartLineInput, CartLineObject, Device, Filters, Reason, MAX_CART_UNITS, MAX_LINE_QUANTITY, MAX_OFFSET,
};
pub use rules::Placement;
/// The JSON Schema of the request and answer types, as `include/cartlift.schema.json` holds it (`cartlift
/// schema`, scripts/gen-schema.sh). Only with the `schema` feature.
#[cfg(feature = "schema")]
pub use schema::document_text as schema_text;
pub use snapshot::{FORMAT_VERSION as MODEL_FORMAT_VERSION, HEADER as MODEL_HEADER_LEN};
pub use upsell::{
    AttributeComparison, Badge, ComparisonRow, ComparisonTable, DecoyPriceRequest, DecoyPriceResponse, DecoySuggestion,
    Role, UnitValue, UpgradePathRequest, UpgradePathResponse, UpgradeTier, UpsellOption, UpsellRequest, UpsellResponse,
    Verdict,
};

/// Internals the workspace's `lab` crate (generator and offline evaluation), the engine's own tests and benches
/// and the CLI's bench build on. Not a stable API.
#[doc(hidden)]
pub mod lab {
    pub use crate::behaviour::{Behaviour, Repurchase, Season};
    pub use crate::catalog::{Catalog, ProductIdx};
    pub use crate::engine::{baskets_with_customers, Counted};
    pub use crate::input::{read_catalog, shopify, CatalogRead};
    pub use crate::measure::stats;
    pub use crate::model::{tune, Model};
    pub use crate::personal::CustomerHistories;
    pub use crate::pricing::Bundles;
    pub use crate::rules::Rules;
    pub use crate::tuning::tune_settings;
    use crate::{Config, Counts, Engine, TrainStats};

    /// An engine's internal parts and the constructors that take them.
    pub trait Internals {
        fn catalog(&self) -> &Catalog;
        fn model(&self) -> &Model;
        fn histories(&self) -> &CustomerHistories;
        fn behaviour(&self) -> &Behaviour;
        fn with_behaviour(&self, behaviour: Behaviour) -> Engine;
        fn with_histories(&self, histories: CustomerHistories) -> Engine;
        /// Finish an engine from (possibly merged) counts.
        fn from_counts(
            config: Config,
            catalog: Catalog,
            counts: &Counts,
            rules: Rules,
            bundles: Bundles,
            stats: TrainStats,
            progress: &dyn crate::Progress,
        ) -> Engine;
    }

    impl Internals for Engine {
        fn catalog(&self) -> &Catalog {
            Engine::catalog(self)
        }
        fn model(&self) -> &Model {
            Engine::model(self)
        }
        fn histories(&self) -> &CustomerHistories {
            Engine::histories(self)
        }
        fn behaviour(&self) -> &Behaviour {
            Engine::behaviour(self)
        }
        fn with_behaviour(&self, behaviour: Behaviour) -> Engine {
            Engine::with_behaviour(self, behaviour)
        }
        fn with_histories(&self, histories: CustomerHistories) -> Engine {
            Engine::with_histories(self, histories)
        }
        fn from_counts(
            config: Config,
            catalog: Catalog,
            counts: &Counts,
            rules: Rules,
            bundles: Bundles,
            stats: TrainStats,
            progress: &dyn crate::Progress,
        ) -> Engine {
            Engine::from_counts(config, catalog, counts, rules, bundles, stats, progress)
        }
    }
}

/// The library version (also `cartlift_version()` in C).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
