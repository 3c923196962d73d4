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
        Operation::ALL.into_iter().find(|o| o.name() == name).ok_or_else(|| {
            let names: Vec<&str> = Operation::ALL.iter().map(|o| o.name()).collect();
            Error::invalid("operation", format!("unknown operation {name:?}; one of {}", names.join(", ")))
        })
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
    crate::json::from_value(&v)
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
        // A request naming an experiment and a visitor is answered with the visitor's variant applied (the schema
        // describes these fields in `described` below: keep the two alike).
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

/// The request and answer of `cross_sell`, `upsell` and `price_cart` as the JSON surface reads and writes them,
/// for the schema (described, never built): the operation's own type, plus what [`Engine::query_answer`] takes
/// out before the request is read and puts into the answer. A request naming an `experiment` (and its
/// `visitor_id`) is answered by that visitor's variant and its answer carries `experiment: {id, variant}`. Each
/// keeps its operation's type name: the JSON surface's `PriceCartRequest` is this one.
#[cfg(feature = "schema")]
pub(crate) mod described {
    #![allow(dead_code)] // described, never built

    use super::{
        CrossSellRequest, CrossSellResponse, PriceCartRequest, PriceCartResponse, UpsellRequest, UpsellResponse,
    };
    use schemars::JsonSchema;

    /// An experiment id, or price_cart's visitor id, as a request naming an experiment gives it: a non-empty
    /// string, or a number (read as its decimal text).
    #[derive(JsonSchema)]
    #[schemars(untagged)]
    pub(crate) enum AssignmentId {
        Text(#[schemars(length(min = 1))] String),
        Number(f64),
    }

    /// For `#[schemars(default)]`, which marks a field optional without allowing `null` (`query_answer` refuses
    /// a null `experiment` or `visitor_id`); no `default` is written, as this type is not `Serialize`.
    impl Default for AssignmentId {
        fn default() -> AssignmentId {
            AssignmentId::Text(String::new())
        }
    }

    /// Which variant of the request's experiment answered: `variant` is null outside the experiment's window or
    /// placements (a request without `placement` is in its kind's default).
    #[derive(JsonSchema)]
    pub(crate) struct VariantTag {
        /// The request's `experiment`, as text.
        id: String,
        variant: Option<String>,
    }

    // The hand-written part, JSON Schema draft 7 `dependencies` (which schemars does not derive): `experiment`
    // and `visitor_id` go together. price_cart has no use for a visitor alone, and takes it as an experiment's: a
    // non-empty string or a number.

    /// cross_sell and upsell read their `visitor_id` as a shopper id too, so it may come alone; beside an
    /// `experiment` it must be a non-empty string or an integer.
    fn visitor_beside_experiment(schema: &mut schemars::Schema) {
        let visitor = serde_json::json!({"anyOf": [{"type": "string", "minLength": 1}, {"type": "integer"}]});
        let rule =
            serde_json::json!({"experiment": {"required": ["visitor_id"], "properties": {"visitor_id": visitor}}});
        schema.insert("dependencies".into(), rule);
    }

    #[derive(JsonSchema)]
    #[schemars(rename = "CrossSellRequest", deny_unknown_fields)]
    #[schemars(transform = visitor_beside_experiment)]
    pub(crate) struct CrossSellQuery {
        #[schemars(flatten)]
        request: CrossSellRequest,
        /// An experiment trained into the model: the answer is `visitor_id`'s variant's (and says which).
        #[schemars(default)]
        experiment: AssignmentId,
    }

    #[derive(JsonSchema)]
    #[schemars(rename = "UpsellRequest", deny_unknown_fields)]
    #[schemars(transform = visitor_beside_experiment)]
    pub(crate) struct UpsellQuery {
        #[schemars(flatten)]
        request: UpsellRequest,
        /// An experiment trained into the model: the answer is `visitor_id`'s variant's (and says which).
        #[schemars(default)]
        experiment: AssignmentId,
    }

    #[derive(JsonSchema)]
    #[schemars(rename = "PriceCartRequest", deny_unknown_fields)]
    #[schemars(extend("dependencies" = {"experiment": ["visitor_id"], "visitor_id": ["experiment"]}))]
    pub(crate) struct PriceCartQuery {
        #[schemars(flatten)]
        request: PriceCartRequest,
        /// An experiment trained into the model: the cart is priced as `visitor_id`'s variant prices it (and the
        /// answer says which).
        #[schemars(default)]
        experiment: AssignmentId,
        /// The visitor whose variant of `experiment` prices the cart (only with `experiment`).
        #[schemars(default)]
        visitor_id: AssignmentId,
    }

    /// An answer that says, when the request named an experiment, which variant answered.
    macro_rules! tagged {
        ($answer:ident, $of:ident, $name:literal) => {
            #[derive(JsonSchema)]
            #[schemars(rename = $name)]
            pub(crate) struct $answer {
                #[schemars(flatten)]
                answer: $of,
                /// Only when the request named an `experiment`.
                #[schemars(skip_serializing_if = "Option::is_none", with = "VariantTag")]
                experiment: Option<VariantTag>,
            }
        };
    }
    tagged!(CrossSellAnswer, CrossSellResponse, "CrossSellResponse");
    tagged!(UpsellAnswer, UpsellResponse, "UpsellResponse");
    tagged!(PriceCartAnswer, PriceCartResponse, "PriceCartResponse");
}
