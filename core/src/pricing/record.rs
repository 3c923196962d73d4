//! In the schema: a bundle definition as [`super::defs`] reads it (by hand, field by field), one variant per kind
//! with the fields its `allowed` list names. Described, never built: the parser stays the authority, and
//! tests/python/test_schema.py probes that both accept and refuse the same definitions.
//!
//! How the parser reads, and so the schema: a field given as `null` counts as absent (so every optional field is
//! nullable and a required one is not); a field a kind does not allow is refused even when `null`; a discount is
//! exactly one of the kind's `price` / `amount_off` / `percent_off` given non-null. Checks across fields or
//! definitions (ends after starts, not both exclusive and stackable, a non-empty selector, increasing tiers,
//! positive money, unique ids, at most 1000 units in a fixed bundle) are the engine's alone.
#![allow(dead_code)] // described, never built

use crate::money::{MoneyInput, Percent};
use crate::orders::IdInput;
use crate::selector::Selector;
use schemars::{JsonSchema, Schema};
use serde_json::{json, Value};

/// One bundle definition (a line of the bundles file, a record of the train request's `bundles`).
#[derive(JsonSchema)]
#[schemars(rename = "BundleRecord", tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub(crate) enum BundleRecord {
    /// These products together (`items`) at a discount.
    #[schemars(title = "FixedBundle", transform = any_discount)]
    Fixed {
        #[schemars(flatten)]
        common: Common,
        #[schemars(length(min = 1))]
        items: Vec<BundleItem>,
        #[schemars(flatten)]
        discount: Discount,
    },
    /// Any `quantity` products of a collection at a discount.
    #[schemars(title = "MixAndMatchBundle", transform = any_discount)]
    MixAndMatch {
        #[schemars(flatten)]
        common: Common,
        collection: Selector,
        #[schemars(range(min = 1, max = 1000))]
        quantity: i64,
        #[schemars(flatten)]
        discount: Discount,
    },
    /// Per-unit discounts by how many products of a collection the cart holds.
    #[schemars(title = "VolumeBundle")]
    Volume {
        #[schemars(flatten)]
        common: Common,
        collection: Selector,
        #[schemars(length(min = 1))]
        tiers: Vec<VolumeTier>,
    },
    /// Buy `buy.quantity` of one collection, get `get.quantity` of another `percent_off`.
    #[schemars(title = "BuyXGetYBundle")]
    BuyXGetY {
        #[schemars(flatten)]
        common: Common,
        buy: BundleSide,
        get: BundleSide,
        percent_off: Percent,
    },
    /// A discount on `target` products bought with a `trigger` product.
    #[schemars(title = "AddonBundle", transform = any_discount)]
    Addon {
        #[schemars(flatten)]
        common: Common,
        trigger: Selector,
        target: Selector,
        /// How many target units one application discounts (default 1).
        #[schemars(range(min = 1, max = 1000))]
        quantity: Option<i64>,
        #[schemars(flatten)]
        discount: Discount,
    },
    /// Money off an order whose subtotal reaches `min_subtotal`.
    #[schemars(title = "ThresholdBundle", transform = threshold_discount)]
    Threshold {
        #[schemars(flatten)]
        common: Common,
        min_subtotal: MoneyInput,
        amount_off: Option<MoneyInput>,
        percent_off: Option<Percent>,
    },
}

/// The fields every kind takes (`COMMON` of the parser).
#[derive(JsonSchema)]
pub(crate) struct Common {
    /// Unique among the bundles; an integer is read as its decimal text.
    id: IdInput,
    title: Option<String>,
    /// Higher first when bundles compete for the same units (default 0).
    priority: Option<i64>,
    /// Applies alone: replaces every other bundle when it saves more (default false).
    exclusive: Option<bool>,
    /// Applies on top of other bundles (default false; not with `exclusive`).
    stackable: Option<bool>,
    /// RFC 3339; live from then on.
    starts_at: Option<String>,
    /// RFC 3339; live until then (after `starts_at`).
    ends_at: Option<String>,
    /// At most this many applications in one cart.
    #[schemars(range(min = 1, max = 1000))]
    max_applications: Option<i64>,
}

/// A discount: exactly one of these, given non-null (the kinds that take it say which).
#[derive(JsonSchema)]
pub(crate) struct Discount {
    /// What the application costs in total (a volume tier: per unit).
    price: Option<MoneyInput>,
    /// This much off the application (a volume tier: per unit).
    amount_off: Option<MoneyInput>,
    percent_off: Option<Percent>,
}

/// A product of a fixed bundle and how many of it.
#[derive(JsonSchema)]
#[schemars(rename = "BundleItem")]
pub(crate) struct BundleItem {
    product_id: IdInput,
    #[schemars(default = "one", range(min = 1, max = 1000))]
    quantity: i64,
}

/// The `buy` or `get` side of a buy-x-get-y bundle.
#[derive(JsonSchema)]
#[schemars(rename = "BundleSide", deny_unknown_fields)]
pub(crate) struct BundleSide {
    collection: Selector,
    #[schemars(default = "one", range(min = 1, max = 1000))]
    quantity: i64,
}

/// A tier of a volume bundle: from `min_quantity` units (increasing from tier to tier), this discount per unit.
#[derive(JsonSchema)]
#[schemars(rename = "VolumeTier", deny_unknown_fields, transform = any_discount)]
pub(crate) struct VolumeTier {
    #[schemars(range(min = 1, max = 1000))]
    min_quantity: i64,
    #[schemars(flatten)]
    discount: Discount,
}

fn one() -> i64 {
    1
}

fn any_discount(schema: &mut Schema) {
    exactly_one(schema, &["price", "amount_off", "percent_off"]);
}

fn threshold_discount(schema: &mut Schema) {
    exactly_one(schema, &["amount_off", "percent_off"]);
}

/// Exactly one of `keys` given non-null, written as a `not` (what the type generators leave alone, so the
/// fields stay plain optional ones in Python and TypeScript).
fn exactly_one(schema: &mut Schema, keys: &[&str]) {
    let given = |k: &str| json!({"required": [k], "properties": {k: {"not": {"type": "null"}}}});
    let mut wrong: Vec<Value> = Vec::new();
    for (i, a) in keys.iter().enumerate() {
        for b in &keys[i + 1..] {
            wrong.push(json!({"allOf": [given(a), given(b)]}));
        }
    }
    wrong.push(json!({"not": {"anyOf": keys.iter().map(|k| given(k)).collect::<Vec<_>>()}}));
    schema.insert("$comment".into(), format!("exactly one of {} given non-null", keys.join(", ")).into());
    schema.insert("not".into(), json!({"anyOf": wrong}));
}
