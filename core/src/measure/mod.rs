//! Measurement: A/B experiments with sticky assignment, shopper events, attribution of order lines to
//! recommendations, and a report with real statistics (see docs/measurement.md).

pub mod attribution;
pub mod events;
pub mod experiment;
pub mod render;
pub mod report;
pub mod stats;

pub use events::EventLog;
pub use experiment::{Experiment, Experiments};
pub use report::{report, ReportOptions, ReportRequest, ReportResponse};

use crate::error::Result;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The `assign` request of the JSON API. `experiments` are definitions; without them the engine's stored
/// experiments are used.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<Vec<experiment::ExperimentInput>>"))]
    pub experiments: Option<Vec<Value>>,
    /// The experiment's id (an integer is read as its decimal text).
    #[serde(deserialize_with = "crate::orders::id_string")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::orders::IdInput"))]
    pub experiment: String,
    /// The visitor's id (an integer is read as its decimal text).
    #[serde(deserialize_with = "crate::orders::id_string")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::orders::IdInput"))]
    pub visitor_id: String,
}

/// The `assign` answer: the variant of the experiment this visitor sees.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AssignResponse {
    pub experiment: String,
    pub variant: String,
}

impl AssignRequest {
    pub fn run(&self, stored: &Experiments) -> Result<Value> {
        let compiled;
        let exps = match &self.experiments {
            Some(defs) => {
                compiled = Experiments::compile(defs)?;
                &compiled
            }
            None => stored,
        };
        let e = exps.get(&self.experiment)?;
        let answer = AssignResponse { experiment: e.id.clone(), variant: e.assign(&self.visitor_id).id.clone() };
        serde_json::to_value(answer)
            .map_err(|e| crate::error::Error::new(crate::error::ErrorCode::Internal, e.to_string()))
    }
}
