//! The one request/response surface every binding and the CLI use: an operation name plus JSON.
//! Bindings convert their native values to `serde_json::Value` (or pass JSON text) and back; nothing else.

use crate::crosssell::{CrossSellRequest, CrossSellResponse};
use crate::engine::{Engine, ProductUpdate};
use crate::error::{Error, Result};
use crate::pricing::{PriceCartRequest, PriceCartResponse, SuggestBundlesRequest, SuggestBundlesResponse};
use crate::request::Shown;
use crate::upsell::{
    DecoyPriceRequest, DecoyPriceResponse, UpgradePathRequest, UpgradePathResponse, UpsellRequest, UpsellResponse,
};
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
    /// The variant of an experiment a visitor sees.
    Assign,
    /// The experiment report from definitions and events.
    Report,
}

impl Operation {
    pub const ALL: [Operation; 8] = [
        Operation::CrossSell,
        Operation::Upsell,
        Operation::UpgradePath,
        Operation::SuggestDecoyPrice,
        Operation::PriceCart,
        Operation::SuggestBundles,
        Operation::Assign,
        Operation::Report,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Operation::CrossSell => "cross_sell",
            Operation::Upsell => "upsell",
            Operation::UpgradePath => "upgrade_path",
            Operation::SuggestDecoyPrice => "suggest_decoy_price",
            Operation::PriceCart => "price_cart",
            Operation::SuggestBundles => "suggest_bundles",
            Operation::Assign => "assign",
            Operation::Report => "report",
        }
    }

    /// The kind of request an operation answers, when it is shown in a placement.
    fn shown(self) -> Option<Shown> {
        match self {
            Operation::CrossSell => Some(Shown::CrossSell),
            Operation::Upsell => Some(Shown::Upsell),
            Operation::PriceCart => Some(Shown::PriceCart),
            _ => None,
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

/// A query's answer as a typed value that any serde serializer can write: `query` turns it into JSON, and a
/// binding that builds native objects (Python dicts) serializes it directly, skipping the JSON tree.
#[derive(Debug, Clone)]
pub enum Answer {
    CrossSell(crate::crosssell::CrossSellResponse),
    Upsell(crate::upsell::UpsellResponse),
    UpgradePath(crate::upsell::UpgradePathResponse),
    SuggestDecoyPrice(crate::upsell::DecoyPriceResponse),
    PriceCart(crate::pricing::PriceCartResponse),
    /// Answers that are or embed JSON values (assignment, reports, suggested bundle definitions, answers tagged
    /// with an experiment). A JSON null is a unit to serde, which some serializers do not write as null.
    Json(serde_json::Value),
}

impl Serialize for Answer {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Answer::CrossSell(a) => a.serialize(s),
            Answer::Upsell(a) => a.serialize(s),
            Answer::UpgradePath(a) => a.serialize(s),
            Answer::SuggestDecoyPrice(a) => a.serialize(s),
            Answer::PriceCart(a) => a.serialize(s),
            Answer::Json(v) => v.serialize(s),
        }
    }
}

/// The typed operations: the same answers as [`Engine::query`] without JSON, for Rust callers.
impl Engine {
    /// Suggestions for a cart (cross-sell).
    pub fn cross_sell(&self, req: &CrossSellRequest) -> Result<CrossSellResponse> {
        crate::crosssell::cross_sell(&self.shop(), req)
    }
    /// Good / better / best options for a product, with an honest decoy where one exists.
    pub fn upsell(&self, req: &UpsellRequest) -> Result<UpsellResponse> {
        crate::upsell::upsell(&self.shop(), req)
    }
    /// The steps up from a product, one tier at a time.
    pub fn upgrade_path(&self, req: &UpgradePathRequest) -> Result<UpgradePathResponse> {
        crate::upsell::upgrade_path(&self.shop(), req)
    }
    /// A price at which a product would be an honest decoy for another.
    pub fn suggest_decoy_price(&self, req: &DecoyPriceRequest) -> Result<DecoyPriceResponse> {
        crate::upsell::suggest_decoy_price(&self.shop(), req)
    }
    /// A cart priced with the best combination of bundle discounts.
    pub fn price_cart(&self, req: &PriceCartRequest) -> Result<PriceCartResponse> {
        crate::pricing::price_cart(&self.shop(), req)
    }
    /// Bundles worth offering, learned from what is bought together.
    pub fn suggest_bundles(&self, req: &SuggestBundlesRequest) -> Result<SuggestBundlesResponse> {
        crate::pricing::suggest_bundles(&self.shop(), req)
    }
}

impl Engine {
    /// Run a query operation on a JSON request value.
    pub fn query(&self, op: Operation, request: serde_json::Value) -> Result<serde_json::Value> {
        match self.query_answer(op, request)? {
            Answer::Json(v) => Ok(v),
            typed => to_value(typed),
        }
    }

    /// Run a query operation on a JSON request value; the answer typed (see [`Answer`]).
    pub fn query_answer(&self, op: Operation, mut request: serde_json::Value) -> Result<Answer> {
        // A request naming an experiment and a visitor is answered with the visitor's variant applied.
        if let Some(shown) = op.shown() {
            if let Some(obj) = request.as_object_mut() {
                // `visitor_id` alone is a shopper id for cross-sell and upsell (trained declines); price_cart
                // has no use for it without an experiment.
                if obj.contains_key("experiment") || (op == Operation::PriceCart && obj.contains_key("visitor_id")) {
                    let experiment = obj.remove("experiment");
                    let visitor = if op == Operation::PriceCart {
                        obj.remove("visitor_id")
                    } else {
                        obj.get("visitor_id").cloned()
                    };
                    let (engine, tag) =
                        self.variant_for(experiment, visitor, shown, obj.get("placement"), obj.get("now"))?;
                    let mut answer = engine.query(op, request)?;
                    if let Some(a) = answer.as_object_mut() {
                        a.insert("experiment".to_string(), tag);
                    }
                    return Ok(Answer::Json(answer));
                }
            }
        }
        Ok(match op {
            Operation::CrossSell => Answer::CrossSell(self.cross_sell(&parse_request(request)?)?),
            Operation::Upsell => Answer::Upsell(self.upsell(&parse_request(request)?)?),
            Operation::UpgradePath => Answer::UpgradePath(self.upgrade_path(&parse_request(request)?)?),
            Operation::SuggestDecoyPrice => {
                Answer::SuggestDecoyPrice(self.suggest_decoy_price(&parse_request(request)?)?)
            }
            Operation::PriceCart => Answer::PriceCart(self.price_cart(&parse_request(request)?)?),
            Operation::SuggestBundles => Answer::Json(to_value(self.suggest_bundles(&parse_request(request)?)?)?),
            Operation::Assign => {
                Answer::Json(parse_request::<crate::measure::AssignRequest>(request)?.run(self.experiments())?)
            }
            Operation::Report => Answer::Json(parse_request::<crate::measure::ReportRequest>(request)?.run()?),
        })
    }

    /// The engine to answer a visitor in an experiment with, and the `experiment` tag for the answer
    /// (`{"id", "variant"}`; `variant` is null outside the experiment's window or placements).
    fn variant_for(
        &self,
        experiment: Option<serde_json::Value>,
        visitor: Option<serde_json::Value>,
        shown: Shown,
        placement: Option<&serde_json::Value>,
        now: Option<&serde_json::Value>,
    ) -> Result<(Engine, serde_json::Value)> {
        let text = |v: Option<serde_json::Value>, field: &str| -> Result<String> {
            match v {
                Some(serde_json::Value::String(s)) if !s.is_empty() => Ok(s),
                Some(serde_json::Value::Number(n)) => Ok(n.to_string()),
                _ => Err(Error::invalid(field, "experiment and visitor_id go together, as non-empty strings")),
            }
        };
        let (id, visitor) = (text(experiment, "experiment")?, text(visitor, "visitor_id")?);
        let e = self.experiments().get(&id)?;
        let placement = placement.and_then(|p| p.as_str()).unwrap_or(shown.default_placement().name());
        // A `now` that is not a string fails when the request itself is read.
        let at = crate::clock::Now::resolve(now.and_then(|n| n.as_str()))?.at();
        if !e.active_at(at) || !e.covers(placement) {
            return Ok((self.clone(), serde_json::json!({"id": id, "variant": null})));
        }
        let variant = e.assign(&visitor);
        Ok((self.for_variant(&id, variant)?, serde_json::json!({"id": id, "variant": variant.id})))
    }

    /// Run a query operation on JSON text, answering JSON text.
    pub fn query_json(&self, op: Operation, request: &str) -> Result<String> {
        let answer = match self.query_typed(op, request) {
            Some(answer) => answer?,
            None => self.query_answer(op, serde_json::from_str(request)?)?,
        };
        serde_json::to_string(&answer).map_err(|e| Error::new(crate::error::ErrorCode::Internal, e.to_string()))
    }

    /// The common case without a JSON tree in between: a request object that parses straight into its
    /// operation's request type. `None` sends it the general way: the other operations, a request naming an
    /// experiment (an unknown field here), and every request that does not parse, whose error that way words.
    fn query_typed(&self, op: Operation, request: &str) -> Option<Result<Answer>> {
        fn typed<T: DeserializeOwned>(text: &str) -> Option<T> {
            // serde reads a struct from an array too (field by position); requests are objects only.
            text.trim_start().starts_with('{').then(|| serde_json::from_str(text).ok()).flatten()
        }
        Some(match op {
            Operation::CrossSell => self.cross_sell(&typed(request)?).map(Answer::CrossSell),
            Operation::Upsell => self.upsell(&typed(request)?).map(Answer::Upsell),
            Operation::UpgradePath => self.upgrade_path(&typed(request)?).map(Answer::UpgradePath),
            Operation::SuggestDecoyPrice => self.suggest_decoy_price(&typed(request)?).map(Answer::SuggestDecoyPrice),
            Operation::PriceCart => self.price_cart(&typed(request)?).map(Answer::PriceCart),
            _ => return None,
        })
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
