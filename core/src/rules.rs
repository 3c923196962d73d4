//! Merchandising rules a merchant writes by hand (JSON Lines or a JSON array), applied on top of what was learned.
//!
//! Order of a cross-sell answer: pinned products first (in rule order), then learned and rule-based candidates
//! mixed by score (a complement rule adds `weight` to its targets' score), then cold-start fallbacks.
//! Excludes, price ranges and filters remove candidates; boost/bury multiply their score.

use crate::catalog::Product;
use crate::error::{Error, Result};
use crate::money::{Currency, MoneyInput};
use crate::selector::Selector;
use serde::{Deserialize, Serialize};

// A request that names no placement gets its kind's default: `request::Shown::default_placement`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    ProductPage,
    Cart,
    Checkout,
    PostPurchase,
}

impl Placement {
    pub fn name(self) -> &'static str {
        match self {
            Placement::ProductPage => "product_page",
            Placement::Cart => "cart",
            Placement::Checkout => "checkout",
            Placement::PostPurchase => "post_purchase",
        }
    }
}

/// One rule as written by the merchant (a line of the rules file, a record of the train request's `rules`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(rename = "RuleRecord"))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Rule {
    /// Always show `products` first when the cart matches `when` (any cart when absent).
    #[cfg_attr(feature = "schema", schemars(title = "PinRule"))]
    Pin {
        #[serde(default)]
        when: Option<Selector>,
        #[serde(deserialize_with = "crate::orders::id_strings")]
        #[cfg_attr(feature = "schema", schemars(with = "Vec<crate::orders::IdInput>"))]
        products: Vec<String>,
        #[serde(default)]
        placements: Vec<Placement>,
    },
    /// Never suggest `target` (when the cart matches `when`, or always).
    #[cfg_attr(feature = "schema", schemars(title = "ExcludeRule"))]
    Exclude {
        #[serde(default)]
        when: Option<Selector>,
        target: Selector,
    },
    /// Products matching `to` complete products matching `from` ("Complete your setup").
    #[cfg_attr(feature = "schema", schemars(title = "ComplementRule"))]
    Complement {
        from: Selector,
        to: Selector,
        #[serde(default)]
        heading: Option<String>,
        #[serde(default = "default_complement_weight")]
        weight: f64,
    },
    /// Multiply the score of matching products (factor above 1).
    #[cfg_attr(feature = "schema", schemars(title = "BoostRule"))]
    Boost { target: Selector, factor: f64 },
    /// Multiply the score of matching products (factor below 1; default 0.5).
    #[cfg_attr(feature = "schema", schemars(title = "BuryRule"))]
    Bury {
        target: Selector,
        #[serde(default = "default_bury")]
        factor: f64,
    },
    /// Only suggest products priced within [min, max].
    #[cfg_attr(feature = "schema", schemars(title = "PriceRangeRule"))]
    PriceRange {
        #[serde(default)]
        min: Option<MoneyInput>,
        #[serde(default)]
        max: Option<MoneyInput>,
    },
}

fn default_complement_weight() -> f64 {
    0.5
}
fn default_bury() -> f64 {
    0.5
}

/// Rules ready to apply: money resolved to minor units.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    pub rules: Vec<Rule>,
    /// Resolved price ranges (min, max) in minor units, one per `PriceRange` rule.
    pub price_ranges: Vec<(Option<i64>, Option<i64>)>,
    /// The JSON each rule came from, kept so a saved model reproduces them exactly.
    pub sources: Vec<String>,
}

impl Rules {
    /// Parse and check rules. `values` are JSON objects; errors name the rule's 1-based line.
    pub fn compile(values: &[serde_json::Value], currency: Currency) -> Result<Rules> {
        let mut out = Rules::default();
        for (i, v) in values.iter().enumerate() {
            let line = i as u64 + 1;
            let rule: Rule = crate::json::from_value(v).map_err(|e| e.at_line(line))?;
            match &rule {
                Rule::Pin { products, .. } if products.is_empty() => {
                    return Err(Error::invalid("products", "a pin rule needs at least one product").at_line(line))
                }
                Rule::Exclude { target, .. } | Rule::Boost { target, .. } | Rule::Bury { target, .. } => {
                    target.validate("target").map_err(|e| e.at_line(line))?
                }
                Rule::Complement { from, to, weight, .. } => {
                    from.validate("from").map_err(|e| e.at_line(line))?;
                    to.validate("to").map_err(|e| e.at_line(line))?;
                    if !weight.is_finite() || *weight < 0.0 {
                        return Err(Error::invalid("weight", "must be a non-negative number").at_line(line));
                    }
                }
                Rule::PriceRange { min, max } => {
                    let res = |m: &Option<MoneyInput>, f: &str| -> Result<Option<i64>> {
                        m.as_ref().map(|m| m.to_minor(currency, f)).transpose()
                    };
                    let (lo, hi) =
                        (res(min, "min").map_err(|e| e.at_line(line))?, res(max, "max").map_err(|e| e.at_line(line))?);
                    if let (Some(a), Some(b)) = (lo, hi) {
                        if a > b {
                            return Err(Error::invalid("min", "min is above max").at_line(line));
                        }
                    }
                    out.price_ranges.push((lo, hi));
                }
                _ => {}
            }
            if let Rule::Boost { factor, .. } | Rule::Bury { factor, .. } = &rule {
                if !factor.is_finite() || *factor < 0.0 {
                    return Err(Error::invalid("factor", "must be a non-negative number").at_line(line));
                }
            }
            out.sources.push(serde_json::to_string(v).expect("a JSON value serializes"));
            out.rules.push(rule);
        }
        Ok(out)
    }

    /// Rebuild from the stored sources (used when loading a saved model).
    pub fn from_sources(sources: &[String], currency: Currency) -> Result<Rules> {
        let values = sources
            .iter()
            .map(|s| serde_json::from_str(s).map_err(|e| Error::corrupt(format!("stored rule does not parse: {e}"))))
            .collect::<Result<Vec<serde_json::Value>>>()?;
        Rules::compile(&values, currency)
    }

    /// Combined boost/bury factor for a product.
    pub fn score_factor(&self, p: &Product) -> f64 {
        self.rules
            .iter()
            .map(|r| match r {
                Rule::Boost { target, factor } | Rule::Bury { target, factor } if target.matches(p) => *factor,
                _ => 1.0,
            })
            .product()
    }

    /// Inside every price range rule.
    /// Whether any price range rule applies (else every price is allowed).
    pub fn limits_prices(&self) -> bool {
        !self.price_ranges.is_empty()
    }

    pub fn price_allowed(&self, price: i64) -> bool {
        self.price_ranges.iter().all(|(lo, hi)| lo.is_none_or(|l| price >= l) && hi.is_none_or(|h| price <= h))
    }
}
