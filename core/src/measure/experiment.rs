//! Experiment definitions and sticky, stateless assignment of visitors to variants.
//!
//! Assignment hashes (experiment id, visitor id) with SipHash-1-3 under fixed keys (below; part of the stable
//! contract, identical on every platform and version), maps the 64-bit hash to a bucket in
//! `[0, total weight)` and picks the variant whose cumulative weight range, in declared order, holds it.
//! Because the hash is keyed by the experiment id, assignments in different experiments are independent.
//! Moving one boundary between adjacent variants moves exactly the visitors in the changed range: no more.

use crate::error::{Error, ErrorCode, Result};
use serde::{Deserialize, Serialize};

/// SipHash keys of assignment. Changing them would reshuffle every running experiment: never change.
pub const ASSIGN_KEY: (u64, u64) = (0x6361_7274_6c69_6674, 0x6173_7369_676e_7631); // "cartlift", "assignv1"

/// One experiment as written by the shop (a line of the experiments file, a record of the train request's
/// `experiments`): visitors split among `variants` by weight, within `starts_at`..`ends_at`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(rename = "ExperimentRecord"))]
#[serde(deny_unknown_fields)]
pub(crate) struct ExperimentInput {
    #[serde(deserialize_with = "crate::orders::id_string")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::orders::IdInput"))]
    id: String,
    variants: Vec<VariantInput>,
    /// Placements the experiment covers (`product_page`, `cart`, ...); unset or empty: all.
    #[serde(default)]
    placements: Option<Vec<String>>,
    #[serde(default)]
    starts_at: Option<String>,
    #[serde(default)]
    ends_at: Option<String>,
    #[serde(default)]
    description: Option<String>,
}

/// One arm of an experiment: a share of the visitors (`weight`, relative), and what it changes.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(rename = "ExperimentVariant"))]
#[serde(deny_unknown_fields)]
struct VariantInput {
    #[serde(deserialize_with = "crate::orders::id_string")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::orders::IdInput"))]
    id: String,
    weight: u64,
    /// The variant the others are compared with (at most one; default: the first).
    #[serde(default)]
    control: bool,
    /// Strategy/config override this variant applies (kept as JSON text).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<VariantConfig>"))]
    config: Option<serde_json::Value>,
    /// The bundle ids live for this variant (default: every trained bundle).
    #[serde(default)]
    bundles: Option<Vec<String>>,
}

/// In the schema: a variant's config override, the settings of [`QUERY_TIME_KEYS`] and [`MODEL_KEYS`] typed as
/// in `Config` (without its defaults: an override names only what it changes).
#[cfg(feature = "schema")]
struct VariantConfig;

#[cfg(feature = "schema")]
impl schemars::JsonSchema for VariantConfig {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "VariantConfig".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        generator.subschema_for::<crate::config::Config>();
        let config = generator.definitions().get("Config").and_then(|c| c.get("properties")).cloned();
        let mut properties = serde_json::Map::new();
        for key in QUERY_TIME_KEYS.iter().chain(MODEL_KEYS) {
            let mut property = config.as_ref().and_then(|c| c.get(*key)).cloned().expect("a Config setting");
            if let Some(p) = property.as_object_mut() {
                p.remove("default");
            }
            properties.insert(key.to_string(), property);
        }
        schemars::json_schema!({
            "description": concat!(
                "The settings a variant overrides; the others are the model's. Settings that change how orders ",
                "are counted (decay, windows, currency) cannot differ per variant, and `measure` names one (not ",
                "`auto`)."
            ),
            "type": "object",
            "properties": properties,
            "additionalProperties": false,
        })
    }
}

/// A validated experiment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Experiment {
    pub id: String,
    pub variants: Vec<Variant>,
    /// Placements the experiment covers; empty means all.
    pub placements: Vec<String>,
    /// Unix seconds; events before `starts_at` or at/after `ends_at` are outside the experiment.
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    /// Index of the control variant: the one marked `"control": true`, else the first.
    pub control: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    pub id: String,
    pub weight: u64,
    /// The variant's config override as JSON text ("" when none).
    pub config_json: String,
    /// Bundle ids live for this variant; `None`: all trained bundles.
    pub bundles: Option<Vec<String>>,
}

/// Config keys a variant may override per request.
pub const QUERY_TIME_KEYS: &[&str] = &[
    "cross_sell",
    "min_relative_score",
    "min_fill_score",
    "default_limit",
    "mobile_limit",
    "max_cart_lines",
    "max_per_category",
    "checkout_max_price_fraction",
    "personalization",
    "history_weight",
    "viewed_weight",
    "max_price_ratio",
    "decoy_min_ratio",
    "margin_floor",
    "decline_limit",
    "decline_window_days",
    "buy_again_weight",
    "cart_buy_again_weight",
    "use_affinity",
    "use_session",
    "use_buy_again",
    "use_seasonal",
];

/// Config keys that change how the trained counts become neighbour lists: a variant overriding one gets its own
/// lists, built at training from the same counts. The remaining keys (decay, windows, currency) change the
/// counting itself and cannot differ per variant.
pub const MODEL_KEYS: &[&str] =
    &["measure", "min_support", "shrinkage", "top_k", "customer_weight", "asymmetric_alpha"];

impl Variant {
    /// The base config with this variant's override applied (validated), or the base when there is none.
    pub fn apply(&self, base: &crate::config::Config) -> Result<crate::config::Config> {
        if self.config_json.is_empty() {
            return Ok(base.clone());
        }
        let over: serde_json::Value = serde_json::from_str(&self.config_json)?;
        let Some(over) = over.as_object() else {
            return Err(Error::invalid("config", "a variant's config must be an object"));
        };
        let mut merged = serde_json::to_value(base).expect("config serializes");
        for (k, v) in over {
            if !QUERY_TIME_KEYS.contains(&k.as_str()) && !MODEL_KEYS.contains(&k.as_str()) {
                return Err(Error::invalid(
                    format!("config.{k}"),
                    format!("{k} changes how orders are counted and cannot differ per variant; train a model per arm and route with assign"),
                ));
            }
            if k == "measure" && v == "auto" {
                return Err(Error::invalid(
                    "config.measure",
                    "auto is tuned once per model; a variant names a measure (or train a model per arm)",
                ));
            }
            merged[k] = v.clone();
        }
        let config: crate::config::Config = crate::json::from_value(&merged).map_err(|e| e.under("config"))?;
        config.validate()?;
        Ok(config)
    }
}

impl Variant {
    /// Whether this variant needs its own neighbour lists (it overrides one of [`MODEL_KEYS`]).
    pub fn reshapes_model(&self) -> bool {
        serde_json::from_str::<serde_json::Value>(&self.config_json)
            .ok()
            .and_then(|v| v.as_object().map(|o| o.keys().any(|k| MODEL_KEYS.contains(&k.as_str()))))
            .unwrap_or(false)
    }
}

impl Experiment {
    /// Validate one definition. Weights are relative non-negative integers whose total must be positive.
    pub fn compile(value: &serde_json::Value) -> Result<Experiment> {
        let input: ExperimentInput = crate::json::from_value(value)?;
        if input.id.trim().is_empty() {
            return Err(Error::invalid("id", "experiment id is empty"));
        }
        if input.variants.is_empty() {
            return Err(Error::invalid("variants", "an experiment needs at least one variant"));
        }
        let mut total: u64 = 0;
        let mut control = None;
        let mut variants = Vec::with_capacity(input.variants.len());
        for (i, v) in input.variants.iter().enumerate() {
            let at = format!("variants[{i}]");
            if v.id.trim().is_empty() {
                return Err(Error::invalid("id", "variant id is empty").under(&at));
            }
            if input.variants[..i].iter().any(|w| w.id == v.id) {
                return Err(Error::invalid("id", format!("duplicate variant id {:?}", v.id)).under(&at));
            }
            total = total.checked_add(v.weight).filter(|t| *t <= u32::MAX as u64).ok_or_else(|| {
                Error::invalid("weight", "weights are too large (total must fit in 32 bits)").under(&at)
            })?;
            if v.control {
                if control.is_some() {
                    return Err(Error::invalid("control", "more than one variant is marked control").under(&at));
                }
                control = Some(i);
            }
            variants.push(Variant {
                id: v.id.clone(),
                weight: v.weight,
                config_json: v.config.as_ref().map(|c| c.to_string()).unwrap_or_default(),
                bundles: v.bundles.clone(),
            });
        }
        if total == 0 {
            return Err(Error::invalid(
                "variants",
                "variant weights sum to zero (weights are relative and need a positive total)",
            ));
        }
        let time = |t: &Option<String>, f: &str| t.as_deref().map(|s| crate::clock::parse_time(s, f)).transpose();
        let starts_at = time(&input.starts_at, "starts_at")?;
        let ends_at = time(&input.ends_at, "ends_at")?;
        if let (Some(s), Some(e)) = (starts_at, ends_at) {
            if e <= s {
                return Err(Error::invalid("ends_at", "ends_at is not after starts_at"));
            }
        }
        let _ = input.description;
        Ok(Experiment {
            id: input.id,
            variants,
            placements: input.placements.unwrap_or_default(),
            starts_at,
            ends_at,
            control: control.unwrap_or(0),
        })
    }

    pub fn total_weight(&self) -> u64 {
        self.variants.iter().map(|v| v.weight).sum()
    }

    /// The variant index of a visitor: deterministic, sticky, stateless.
    pub fn assign_index(&self, visitor_id: &str) -> usize {
        let total = self.total_weight();
        let bucket = ((assign_hash(&self.id, visitor_id) as u128 * total as u128) >> 64) as u64;
        let mut acc = 0;
        for (i, v) in self.variants.iter().enumerate() {
            acc += v.weight;
            if bucket < acc {
                return i;
            }
        }
        unreachable!("bucket < total weight")
    }

    pub fn assign(&self, visitor_id: &str) -> &Variant {
        &self.variants[self.assign_index(visitor_id)]
    }

    /// Whether an event at `at` (Unix seconds) falls in the experiment's window.
    pub fn active_at(&self, at: i64) -> bool {
        self.starts_at.is_none_or(|s| at >= s) && self.ends_at.is_none_or(|e| at < e)
    }

    /// Whether the experiment covers a placement.
    pub fn covers(&self, placement: &str) -> bool {
        self.placements.is_empty() || self.placements.iter().any(|p| p == placement)
    }
}

/// A set of experiments by id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Experiments {
    pub list: Vec<Experiment>,
}

impl Experiments {
    /// Compile definitions; an error names the definition (`experiments[i]`).
    pub fn compile(values: &[serde_json::Value]) -> Result<Experiments> {
        let mut list: Vec<Experiment> = Vec::with_capacity(values.len());
        for (i, v) in values.iter().enumerate() {
            let e = Experiment::compile(v).map_err(|e| e.under(format!("experiments[{i}]")))?;
            if list.iter().any(|x| x.id == e.id) {
                return Err(Error::invalid(
                    format!("experiments[{i}].id"),
                    format!("duplicate experiment id {:?}", e.id),
                ));
            }
            list.push(e);
        }
        Ok(Experiments { list })
    }

    /// Variant overrides may only change what applies at query time; a different measure or decay needs a model
    /// trained with it (train one model per arm and route with `assign`).
    /// Whether any variant overrides config key `key`.
    pub fn override_key(&self, key: &str) -> bool {
        self.list.iter().flat_map(|e| &e.variants).any(|v| {
            serde_json::from_str::<serde_json::Value>(&v.config_json)
                .ok()
                .is_some_and(|c| c.as_object().is_some_and(|o| o.contains_key(key)))
        })
    }

    pub fn check_overrides(&self, base: &crate::config::Config) -> Result<()> {
        for (i, e) in self.list.iter().enumerate() {
            for (j, v) in e.variants.iter().enumerate() {
                v.apply(base).map_err(|err| err.under(format!("experiments[{i}].variants[{j}]")))?;
            }
        }
        Ok(())
    }

    /// Every bundle a variant names must be one the model was trained with.
    pub fn check_bundles(&self, bundles: &crate::pricing::Bundles) -> Result<()> {
        for (i, e) in self.list.iter().enumerate() {
            for (j, v) in e.variants.iter().enumerate() {
                for (k, id) in v.bundles.iter().flatten().enumerate() {
                    if bundles.get(id).is_none() {
                        return Err(Error::invalid(
                            format!("experiments[{i}].variants[{j}].bundles[{k}]"),
                            format!("unknown bundle {id:?} (not among the trained bundles)"),
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    pub fn get(&self, id: &str) -> Result<&Experiment> {
        self.list.iter().find(|e| e.id == id).ok_or_else(|| {
            Error::new(ErrorCode::UnknownExperiment, format!("unknown experiment {id:?}")).with_field("experiment")
        })
    }
}

/// The assignment hash: SipHash-1-3 with [`ASSIGN_KEY`] over len(experiment) as u64 LE, experiment, visitor.
/// `siphasher` implements the specification itself (unlike std's `DefaultHasher`, whose algorithm may change);
/// `assignment_is_pinned` below holds it to the values every running experiment was assigned with.
pub fn assign_hash(experiment: &str, visitor: &str) -> u64 {
    use std::hash::Hasher;
    let mut hasher = siphasher::sip::SipHasher13::new_with_keys(ASSIGN_KEY.0, ASSIGN_KEY.1);
    hasher.write(&(experiment.len() as u64).to_le_bytes());
    hasher.write(experiment.as_bytes());
    hasher.write(visitor.as_bytes());
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn siphash24_reference_vector() {
        // The SipHash paper's test vector: key 00..0f, message 00..0e.
        let k0 = u64::from_le_bytes([0, 1, 2, 3, 4, 5, 6, 7]);
        let k1 = u64::from_le_bytes([8, 9, 10, 11, 12, 13, 14, 15]);
        let msg: Vec<u8> = (0u8..15).collect();
        let mut hasher = siphasher::sip::SipHasher24::new_with_keys(k0, k1);
        std::hash::Hasher::write(&mut hasher, &msg);
        assert_eq!(std::hash::Hasher::finish(&hasher), 0xa129ca6149be45e5);
    }

    #[test]
    fn assignment_is_pinned() {
        // Stable across versions and platforms: these exact values must never change.
        assert_eq!(assign_hash("e1", "v1"), 0x8e75889c84113825);
        assert_eq!(assign_hash("checkout", "visitor-42"), 0x043c9c8357dc9cbc);
        assert_eq!(exp(&[50, 50]).assign_index("visitor-42"), 1);
        assert_ne!(assign_hash("e1", "v1"), assign_hash("e2", "v1"));
        assert_ne!(assign_hash("e1", "v1"), assign_hash("e1v", "1"));
    }

    fn exp(weights: &[u64]) -> Experiment {
        let variants: Vec<_> =
            weights.iter().enumerate().map(|(i, w)| json!({"id": format!("v{i}"), "weight": w})).collect();
        Experiment::compile(&json!({"id": "e", "variants": variants})).unwrap()
    }

    #[test]
    fn bad_definitions() {
        assert!(Experiment::compile(&json!({"id": "e", "variants": [{"id": "a", "weight": 0}]})).is_err());
        assert!(Experiment::compile(&json!({"id": "e", "variants": []})).is_err());
        assert!(Experiment::compile(&json!({"id": "e", "variants": [{"id": "a", "weight": -1}]})).is_err());
        assert!(Experiment::compile(
            &json!({"id": "e", "variants": [{"id": "a", "weight": 1}, {"id": "a", "weight": 1}]})
        )
        .is_err());
        assert!(Experiment::compile(&json!({"id": "e", "variants": [{"id": "a", "weight": 1, "control": true}, {"id": "b", "weight": 1, "control": true}]})).is_err());
        let e = Experiments::compile(&[json!({"id": "e", "variants": [{"id": "a", "weight": 1}]})]).unwrap();
        assert_eq!(e.get("nope").unwrap_err().code, ErrorCode::UnknownExperiment);
    }

    #[test]
    fn changing_a_boundary_moves_only_the_difference() {
        let before = exp(&[50, 50]);
        let after = exp(&[60, 40]);
        let n = 100_000;
        let moved = (0..n).filter(|i| {
            let v = format!("visitor-{i}");
            before.assign_index(&v) != after.assign_index(&v)
        });
        let moved: Vec<_> = moved.collect();
        // Exactly the visitors whose bucket lies in [50, 60): all move from v1 to v0, about 10%.
        assert!(moved.iter().all(|i| before.assign_index(&format!("visitor-{i}")) == 1));
        let share = moved.len() as f64 / n as f64;
        assert!((share - 0.10).abs() < 0.005, "{share}");
    }

    #[test]
    fn uniform_over_a_million_visitors() {
        let e = exp(&[1; 10]);
        let n = 1_000_000u64;
        let mut counts = [0u64; 10];
        for i in 0..n {
            counts[e.assign_index(&format!("visitor-{i}"))] += 1;
        }
        let expected = n as f64 / 10.0;
        let chi2: f64 = counts.iter().map(|&c| (c as f64 - expected).powi(2) / expected).sum();
        // Chi-square with 9 df: 27.88 is the 0.999 quantile.
        assert!(chi2 < 27.88, "chi2 {chi2} counts {counts:?}");
        for c in counts {
            assert!(((c as f64 - expected) / expected).abs() < 0.01, "{counts:?}");
        }
    }

    #[test]
    fn independent_across_experiments() {
        let a =
            Experiment::compile(&json!({"id": "a", "variants": [{"id": "x", "weight": 1}, {"id": "y", "weight": 1}]}))
                .unwrap();
        let b =
            Experiment::compile(&json!({"id": "b", "variants": [{"id": "x", "weight": 1}, {"id": "y", "weight": 1}]}))
                .unwrap();
        let n = 200_000;
        let mut table = [[0f64; 2]; 2];
        for i in 0..n {
            let v = format!("visitor-{i}");
            table[a.assign_index(&v)][b.assign_index(&v)] += 1.0;
        }
        let expected = n as f64 / 4.0;
        let chi2: f64 = table.iter().flatten().map(|c| (c - expected).powi(2) / expected).sum();
        // Chi-square with 3 df (cells against the independent uniform): 16.27 is the 0.999 quantile.
        assert!(chi2 < 16.27, "chi2 {chi2} {table:?}");
    }
}
