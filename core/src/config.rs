//! Engine configuration: every knob a merchant or data team may turn, with documented defaults.
//! Sent as JSON (`config` in a train request, `--config FILE` on the CLI); unknown keys are rejected.

use crate::error::{Error, Result};
use crate::money::Currency;
use serde::{Deserialize, Serialize};

/// How a pair of co-bought products is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Chosen at training from held-out orders, together with every other unset setting (see `model::tune`).
    #[default]
    Auto,
    /// Cosine damped by support (`co / (co + shrinkage)`), with pairs below `min_support` orders dropped:
    /// does not reward pairs seen once or twice, does not just echo bestsellers.
    Default,
    /// P(b | a): favours popular products.
    Confidence,
    /// co·N / (n_a·n_b): favours rare pairs.
    Lift,
    /// co / (n_a + n_b - co): orders holding both among those holding either.
    Jaccard,
    /// co / √(n_a·n_b), undamped.
    Cosine,
    /// `co / (n_a^α · n_b^(1-α))` with α = `asymmetric_alpha`: 0.5 is cosine, 1 is confidence.
    AsymmetricCosine,
}

impl Measure {
    /// The measures a model can be finished with (every one but `Auto`).
    pub const ALL: [Measure; 6] = [
        Measure::Default,
        Measure::Confidence,
        Measure::Lift,
        Measure::Jaccard,
        Measure::Cosine,
        Measure::AsymmetricCosine,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Measure::Auto => "auto",
            Measure::Default => "default",
            Measure::Confidence => "confidence",
            Measure::Lift => "lift",
            Measure::Jaccard => "jaccard",
            Measure::Cosine => "cosine",
            Measure::AsymmetricCosine => "asymmetric_cosine",
        }
    }
}

/// How much one order counts towards its pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum BasketWeight {
    /// Every order counts once.
    Equal,
    /// An order of n distinct products counts `1/sqrt(n)`.
    InverseSqrt,
}

/// How a cart's lines share a suggestion's score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CartWeight {
    /// By each line's share of the cart's value.
    Value,
    /// Every line alike.
    Equal,
}

/// The engine's settings (`config` of a train request, `--config FILE` on the CLI): every one optional, with
/// the defaults given here; unknown keys are rejected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Currency of records that do not name one (ISO 4217). Unset: the products' currency, else the one
    /// currency the orders name (Shopify's product CSV has no currency column), else USD.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    pub measure: Measure,
    /// Orders lose half their weight every `half_life_days` before the reference time; 0 turns decay off.
    /// Unset: 180, or tuned under `measure: "auto"` (so are the other `Option` settings below).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub half_life_days: Option<f64>,
    /// Reference time for decay and trending (RFC 3339). Default: the newest order. Models to be merged must share it.
    pub decay_reference: Option<String>,
    /// Pairs bought together in fewer orders than this are ignored by the default measure.
    pub min_support: u32,
    /// Support damping: a pair seen `co` times keeps `co / (co + shrinkage)` of its score. Unset: 5 for the
    /// default measure, none for the others.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shrinkage: Option<f64>,
    /// Neighbours kept per product (unset: 50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_k: Option<usize>,
    /// Only each product's this many most frequent companions are scored (unset: all; 2,000 under `auto`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_companions: Option<usize>,
    /// α of the asymmetric cosine (unset: 0.5).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asymmetric_alpha: Option<f64>,
    /// How much one order counts towards its pairs (unset: `equal`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basket_weight: Option<BasketWeight>,
    /// How cart lines share a suggestion's score (unset: `value`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cart_weight: Option<CartWeight>,
    /// A cart line's neighbour list is cut at `top_k`, and a suggestion missing from it counts 0 for that
    /// line, though it may go with it up to as well as the list's last entry. Summed over a long cart, those
    /// zeros favour products found in many lists (often merely popular ones) over one that goes strongly with
    /// a few lines. A suggestion found in some cart line's list is credited this share (0 to 1) of the last
    /// score of every cut list it is missing from (unset: 0; tuned under `auto`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cut_credit: Option<f64>,
    /// Where co-occurrence says little beyond what sells (a small range bought by everyone), the learned
    /// score of a suggestion is blended with its popularity: `(1 - p) · learned + p · popularity`, both in
    /// [0, 1]. Only suggestions the cart's learned lists hold are reordered (unset: 0; tuned under `auto`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub popularity_prior: Option<f64>,
    /// "Customers who bought this also bought": orders of one customer within this many days count as related.
    pub customer_window_days: u32,
    /// Each order is related to at most this many of the customer's previous orders (within the window); 0 = all.
    /// One keeps the "bought next" signal: on weekly grocery shoppers every earlier order made the build 4× slower
    /// and 2× larger for slightly worse suggestions (BENCHMARKS.md).
    pub customer_window_orders: u32,
    /// Weight of the customer-level association against the same-order one. Unset: 0.3, but 0 under
    /// `measure: "auto"` (customer pairs are not tuned, and on every set measured they did not help).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_weight: Option<f64>,
    /// Trending compares the last `trending_window_days` with the long-run rate.
    pub trending_window_days: u32,
    /// Learned candidates scoring below this fraction of the best one are noise, not suggestions.
    pub min_relative_score: f64,
    /// Fill suggestions (popular in a category bought with the cart's, trending, popular) scoring below this
    /// are not shown: a shorter list rather than an irrelevant one. Fill scores 0.025–0.09.
    pub min_fill_score: f64,
    /// `false` turns cross-sell off: every `cross_sell` answer is empty whatever the request's `limit` or
    /// device (the control arm of a "recommendations off" experiment).
    pub cross_sell: bool,
    /// Suggestions returned when a request gives no `limit`.
    pub default_limit: usize,
    /// Requests with more cart lines than this are refused (`invalid_input`, field `cart`).
    pub max_cart_lines: usize,
    /// Default limit for `device: "mobile"`.
    pub mobile_limit: usize,
    /// At most this many suggestions from one category (diversity); 0 = no cap (unset: 2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_per_category: Option<usize>,
    /// At checkout, only add-ons costing at most this fraction of the cart subtotal.
    pub checkout_max_price_fraction: f64,
    /// Use shoppers' history and session (off: answers ignore customer_id, customer_history and viewed).
    pub personalization: bool,
    /// Keep each customer's recent purchases in the model so `customer_id` alone personalizes.
    pub store_customer_history: bool,
    /// Weight of products the customer bought before, as extra seeds (unset: 0.3; tuned under `auto` on
    /// the held-out orders of returning customers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history_weight: Option<f64>,
    /// Weight of products viewed this session, as extra seeds.
    pub viewed_weight: f64,
    /// Upsell: never offer more than this multiple of the base price.
    pub max_price_ratio: f64,
    /// Upsell: a decoy costs at least this fraction of the target's price.
    pub decoy_min_ratio: f64,
    /// Bundle suggestions: keep the margin at least this fraction of the price when `cost` is known.
    pub margin_floor: f64,
    /// A product a shopper declined (trained `decline` events) this many times within `decline_window_days`
    /// is not offered to them again; 0 ignores trained declines.
    pub decline_limit: u32,
    /// Window of `decline_limit`, ending at the request's `now` (else the newest trained event).
    pub decline_window_days: u32,
    /// Same-category products viewed together in at least this many sessions (and rarely bought together) are
    /// substitutes; 0 learns none.
    pub substitute_min_coviews: u32,
    /// ... "rarely": bought together in fewer than this fraction of the sessions that viewed them together.
    pub substitute_max_cobuy_ratio: f64,
    /// A product needs this many repeat purchases (same customer, later day) before it has a repurchase cycle.
    pub repurchase_min_repeats: u32,
    /// Score of a due "buy it again" suggestion (the strongest learned complement scores 1.0) after a purchase
    /// and on product pages (unset: 0.5; tuned under `auto` on returning customers' next orders).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buy_again_weight: Option<f64>,
    /// `buy_again_weight` in the cart and at checkout, where a due restock competes with what goes with the
    /// cart (unset: `buy_again_weight`; tuned under `auto` on returning customers' held-out orders).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cart_buy_again_weight: Option<f64>,
    /// Seasonal boost when last year's sales around this date were at least this multiple of the usual rate.
    pub seasonal_min_lift: f64,
    /// Signal switches (all on by default; for ablation and merchants' choice): tag/vendor affinity and price
    /// band, this session's views, buy-again (and not re-suggesting one-time purchases), seasons.
    pub use_affinity: bool,
    pub use_session: bool,
    pub use_buy_again: bool,
    pub use_seasonal: bool,
}

/// `history_weight` when unset (and where `auto` starts from).
pub const HISTORY_WEIGHT_UNSET: f64 = 0.3;
/// `buy_again_weight` when unset.
pub const BUY_AGAIN_WEIGHT_UNSET: f64 = 0.5;

impl Default for Config {
    fn default() -> Self {
        Config {
            currency: None,
            measure: Measure::Auto,
            half_life_days: None,
            decay_reference: None,
            min_support: 3,
            shrinkage: None,
            top_k: None,
            max_companions: None,
            asymmetric_alpha: None,
            basket_weight: None,
            cart_weight: None,
            cut_credit: None,
            popularity_prior: None,
            customer_window_days: 30,
            customer_window_orders: 1,
            customer_weight: None,
            trending_window_days: 14,
            min_relative_score: 0.05,
            min_fill_score: 0.03,
            cross_sell: true,
            default_limit: 6,
            mobile_limit: 3,
            max_cart_lines: 1_000,
            max_per_category: None,
            checkout_max_price_fraction: 0.25,
            personalization: true,
            store_customer_history: true,
            history_weight: None,
            viewed_weight: 0.2,
            max_price_ratio: 1.5,
            decoy_min_ratio: 0.8,
            margin_floor: 0.2,
            decline_limit: 1,
            decline_window_days: 30,
            substitute_min_coviews: 3,
            substitute_max_cobuy_ratio: 0.1,
            repurchase_min_repeats: 3,
            buy_again_weight: None,
            cart_buy_again_weight: None,
            seasonal_min_lift: 2.0,
            use_affinity: true,
            use_session: true,
            use_buy_again: true,
            use_seasonal: true,
        }
    }
}

impl Config {
    pub fn half_life_days(&self) -> f64 {
        self.half_life_days.unwrap_or(180.0)
    }
    pub fn customer_weight(&self) -> f64 {
        match (self.customer_weight, self.measure) {
            (Some(w), _) => w,
            (None, Measure::Auto) => 0.0,
            (None, _) => 0.3,
        }
    }
    pub fn top_k(&self) -> usize {
        self.top_k.unwrap_or(50)
    }
    pub fn alpha(&self) -> f64 {
        self.asymmetric_alpha.unwrap_or(0.5)
    }
    /// Support damping of `measure`: the default measure's 5 unless set.
    pub fn shrinkage_for(&self, measure: Measure) -> f64 {
        match (self.shrinkage, measure) {
            (Some(s), _) => s,
            (None, Measure::Default) => 5.0,
            (None, _) => 0.0,
        }
    }
    pub fn basket_weight(&self) -> BasketWeight {
        self.basket_weight.unwrap_or(BasketWeight::Equal)
    }
    pub fn cart_weight(&self) -> CartWeight {
        self.cart_weight.unwrap_or(CartWeight::Value)
    }
    pub fn max_per_category(&self) -> usize {
        self.max_per_category.unwrap_or(2)
    }
    pub fn cut_credit(&self) -> f64 {
        self.cut_credit.unwrap_or(0.0)
    }
    pub fn popularity_prior(&self) -> f64 {
        self.popularity_prior.unwrap_or(0.0)
    }
    pub fn buy_again_weight(&self) -> f64 {
        self.buy_again_weight.unwrap_or(BUY_AGAIN_WEIGHT_UNSET)
    }
    pub fn cart_buy_again_weight(&self) -> f64 {
        self.cart_buy_again_weight.unwrap_or(self.buy_again_weight())
    }
    pub fn history_weight(&self) -> f64 {
        self.history_weight.unwrap_or(HISTORY_WEIGHT_UNSET)
    }

    /// The currency config names, if it names one.
    pub fn named_currency(&self) -> Result<Option<Currency>> {
        self.currency.as_deref().map(Currency::parse).transpose().map_err(|e| e.under("config"))
    }

    /// The currency of records that name none when nothing else decides it: config's, else USD.
    pub fn currency(&self) -> Result<Currency> {
        Ok(self.named_currency()?.unwrap_or(Currency::USD))
    }

    /// Check ranges; every error names the `config.<field>`.
    pub fn validate(&self) -> Result<()> {
        self.currency()?;
        let positive = |v: f64, name: &str| -> Result<()> {
            if !v.is_finite() || v < 0.0 {
                return Err(Error::invalid(
                    format!("config.{name}"),
                    format!("must be a non-negative number, got {v}"),
                ));
            }
            Ok(())
        };
        positive(self.half_life_days(), "half_life_days")?;
        positive(self.shrinkage.unwrap_or(0.0), "shrinkage")?;
        if !(0.0..=1.0).contains(&self.alpha()) {
            return Err(Error::invalid("config.asymmetric_alpha", "must be between 0 and 1"));
        }
        positive(self.customer_weight(), "customer_weight")?;
        positive(self.history_weight(), "history_weight")?;
        positive(self.viewed_weight, "viewed_weight")?;
        positive(self.checkout_max_price_fraction, "checkout_max_price_fraction")?;
        positive(self.min_relative_score, "min_relative_score")?;
        // A credit above 1 would debit a listed suggestion below zero (see `Pool::seed`).
        if !(0.0..=1.0).contains(&self.cut_credit()) {
            return Err(Error::invalid("config.cut_credit", "must be between 0 and 1"));
        }
        if !(0.0..=1.0).contains(&self.popularity_prior()) {
            return Err(Error::invalid("config.popularity_prior", "must be between 0 and 1"));
        }
        if !(0.0..=1.0).contains(&self.min_fill_score) {
            return Err(Error::invalid("config.min_fill_score", "must be between 0 and 1"));
        }
        positive(self.buy_again_weight(), "buy_again_weight")?;
        positive(self.cart_buy_again_weight.unwrap_or(0.0), "cart_buy_again_weight")?;
        positive(self.seasonal_min_lift, "seasonal_min_lift")?;
        if !(0.0..=1.0).contains(&self.substitute_max_cobuy_ratio) {
            return Err(Error::invalid("config.substitute_max_cobuy_ratio", "must be between 0 and 1"));
        }
        if self.max_price_ratio.is_nan() || self.max_price_ratio < 1.0 {
            return Err(Error::invalid("config.max_price_ratio", "must be at least 1"));
        }
        if !(0.0..=1.0).contains(&self.decoy_min_ratio) {
            return Err(Error::invalid("config.decoy_min_ratio", "must be between 0 and 1"));
        }
        if !(0.0..1.0).contains(&self.margin_floor) {
            return Err(Error::invalid("config.margin_floor", "must be between 0 and 1"));
        }
        if self.max_cart_lines == 0 || self.max_cart_lines > 10_000 {
            return Err(Error::invalid("config.max_cart_lines", "must be between 1 and 10000"));
        }
        if self.max_companions == Some(0) {
            return Err(Error::invalid("config.max_companions", "must be at least 1"));
        }
        if self.top_k == Some(0) {
            return Err(Error::invalid("config.top_k", "must be at least 1"));
        }
        if let Some(r) = &self.decay_reference {
            crate::clock::parse_time(r, "config.decay_reference")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_and_bad_ranges_are_errors() {
        assert!(serde_json::from_str::<Config>(r#"{"top_kk":3}"#).is_err());
        let c: Config = serde_json::from_str(r#"{"max_price_ratio":0.5}"#).unwrap();
        assert_eq!(c.validate().unwrap_err().field.as_deref(), Some("config.max_price_ratio"));
        let c: Config = serde_json::from_str(r#"{"measure":"lift","currency":"jpy"}"#).unwrap();
        c.validate().unwrap();
        assert_eq!(c.currency().unwrap().exponent(), 0);
    }
}
