//! The JSON Schema of the JSON surface ([`crate::api`]), generated from the Rust request and answer types: the
//! one source of the Python and TypeScript types (`include/cartlift.schema.json`, written by `cartlift schema`;
//! scripts/gen-schema.sh regenerates every file made from it). Only with the `schema` feature.

use schemars::generate::{Contract, SchemaSettings};
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{json, Map, Value};

use crate::api::described::{
    CrossSellAnswer, CrossSellQuery, PriceCartAnswer, PriceCartQuery, UpsellAnswer, UpsellQuery,
};
use crate::engine::{ProductUpdate, TrainRequest, TrainStats};
use crate::measure::{AssignRequest, AssignResponse, ReportRequest, ReportResponse};
use crate::pricing::{SuggestBundlesRequest, SuggestBundlesResponse};
use crate::upsell::{DecoyPriceRequest, DecoyPriceResponse, UpgradePathRequest, UpgradePathResponse};

/// Requests are described as the core reads them (fields with defaults are optional), answers as it writes
/// them (fields it may leave out are optional): one generator per direction, their definitions merged.
struct Generators {
    requests: SchemaGenerator,
    answers: SchemaGenerator,
}

impl Generators {
    fn new() -> Generators {
        let settings = |contract| {
            let mut s = SchemaSettings::draft07();
            s.contract = contract;
            s
        };
        Generators {
            requests: settings(Contract::Deserialize).into_generator(),
            answers: settings(Contract::Serialize).into_generator(),
        }
    }

    fn request<T: JsonSchema>(&mut self) -> Schema {
        self.requests.subschema_for::<T>()
    }

    fn answer<T: JsonSchema>(&mut self) -> Schema {
        self.answers.subschema_for::<T>()
    }

    /// Every definition once. A type both read and written must be described alike both ways.
    fn definitions(mut self) -> Map<String, Value> {
        let mut all = self.requests.take_definitions(true);
        for (name, schema) in self.answers.take_definitions(true) {
            match all.get(&name) {
                Some(existing) if *existing != schema => {
                    panic!("{name} differs as a request and as an answer: give the two shapes two types")
                }
                _ => {
                    all.insert(name, schema);
                }
            }
        }
        all
    }
}

/// The schema document: one property per operation holding its `request` and `answer`, every type under
/// `definitions`. Keys are sorted (serde_json's map), so the text is stable.
pub fn document() -> Value {
    let mut g = Generators::new();
    let mut operations = Map::new();
    let mut op = |name: &str, request: Schema, answer: Schema| {
        let entry = json!({
            "type": "object",
            "properties": {"request": request, "answer": answer},
            "required": ["request", "answer"],
            "additionalProperties": false,
        });
        operations.insert(name.to_string(), entry);
    };
    // cross_sell, upsell and price_cart as the JSON surface reads them: with `experiment` and `visitor_id`.
    op("cross_sell", g.request::<CrossSellQuery>(), g.answer::<CrossSellAnswer>());
    op("upsell", g.request::<UpsellQuery>(), g.answer::<UpsellAnswer>());
    op("upgrade_path", g.request::<UpgradePathRequest>(), g.answer::<UpgradePathResponse>());
    op("suggest_decoy_price", g.request::<DecoyPriceRequest>(), g.answer::<DecoyPriceResponse>());
    op("price_cart", g.request::<PriceCartQuery>(), g.answer::<PriceCartAnswer>());
    op("suggest_bundles", g.request::<SuggestBundlesRequest>(), g.answer::<SuggestBundlesResponse>());
    op("assign", g.request::<AssignRequest>(), g.answer::<AssignResponse>());
    op("report", g.request::<ReportRequest>(), g.answer::<ReportResponse>());
    // Not query operations, but typed in every binding too: the input of `Engine::train` (its config and
    // records), of `Engine::update_products`, and what `Engine::stats` returns.
    g.request::<TrainRequest>();
    g.request::<ProductUpdate>();
    g.answer::<TrainStats>();
    let required: Vec<String> = operations.keys().cloned().collect();
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "Operations",
        "description": "Every query operation of cartlift's JSON surface (Engine::query, the bindings, `cartlift query`): its request and its answer. A cross_sell, upsell or price_cart request may name an `experiment` (with a `visitor_id`); its answer then carries `experiment: {id, variant}`.",
        "type": "object",
        "properties": operations,
        "required": required,
        "additionalProperties": false,
        "definitions": g.definitions(),
    })
}

/// [`document`] as the committed file holds it: pretty-printed, with a final newline.
pub fn document_text() -> String {
    let mut text = serde_json::to_string_pretty(&document()).expect("a JSON value serializes");
    text.push('\n');
    text
}
