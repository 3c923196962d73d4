//! Shopper events (JSON Lines or in memory) and their validation. A malformed event is counted and reported
//! with its position and reason, never silently dropped; an exact duplicate (or a repeated `order_id`) counts once.

use crate::error::{Error, Result};
use crate::money::{Currency, MoneyInput};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A validated event. Times are Unix seconds; money is minor units of the report currency.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub at: i64,
    pub visitor_id: String,
    pub customer_id: Option<String>,
    pub session_id: Option<String>,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Impression {
        list_id: String,
        placement: String,
        experiment: Option<String>,
        variant: Option<String>,
        product_ids: Vec<String>,
    },
    Click {
        product_id: String,
        list_id: Option<String>,
    },
    AddToCart {
        product_id: String,
        list_id: Option<String>,
    },
    /// The shopper took a product out of the cart (a weak "not this one"; attribution ignores it).
    RemoveFromCart {
        product_id: String,
        list_id: Option<String>,
    },
    Decline {
        product_id: String,
        list_id: String,
    },
    View {
        product_id: String,
    },
    Order {
        order_id: String,
        lines: Vec<Line>,
        total: i64,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub product_id: String,
    pub quantity: u32,
    /// Unit price, minor units.
    pub price: i64,
}

/// The fields of every event (`type` is the tag of [`EventRecord`]).
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub(crate) struct Common {
    #[serde(rename = "type")]
    #[cfg_attr(feature = "schema", schemars(skip))]
    kind: String,
    /// When it happened (RFC 3339).
    at: String,
    /// The shopper's browser or device (not empty).
    #[serde(deserialize_with = "crate::orders::id_string")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::orders::IdInput"))]
    visitor_id: String,
    #[serde(default, deserialize_with = "crate::orders::opt_id_string")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::orders::IdInput>"))]
    customer_id: Option<String>,
    #[serde(default, deserialize_with = "crate::orders::opt_id_string")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::orders::IdInput>"))]
    session_id: Option<String>,
}

/// A list of recommendations shown.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub(crate) struct ImpressionIn {
    /// The list's id, echoed by the clicks and add-to-carts it leads to.
    #[serde(deserialize_with = "crate::orders::id_string")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::orders::IdInput"))]
    list_id: String,
    placement: String,
    #[serde(default)]
    experiment: Option<String>,
    #[serde(default)]
    variant: Option<String>,
    #[serde(deserialize_with = "crate::orders::id_strings")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<crate::orders::IdInput>"))]
    product_ids: Vec<String>,
}

/// A product acted on, and the list it was shown in if any.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub(crate) struct ProductIn {
    #[serde(deserialize_with = "crate::orders::id_string")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::orders::IdInput"))]
    product_id: String,
    #[serde(default, deserialize_with = "crate::orders::opt_id_string")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::orders::IdInput>"))]
    list_id: Option<String>,
}

/// In the schema: a decline, which must name its list (read as [`ProductIn`], then checked).
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[allow(dead_code)] // described, never built
pub(crate) struct DeclineIn {
    product_id: crate::orders::IdInput,
    /// The list the product was declined from.
    list_id: crate::orders::IdInput,
}

/// An order placed (one per `order_id`).
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub(crate) struct OrderIn {
    #[serde(deserialize_with = "crate::orders::id_string")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::orders::IdInput"))]
    order_id: String,
    lines: Vec<LineIn>,
    total: MoneyInput,
    #[serde(default)]
    currency: Option<String>,
}

/// A line of an order event: a product, how many, and the price paid for one.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(rename = "EventOrderLine"))]
pub(crate) struct LineIn {
    #[serde(deserialize_with = "crate::orders::id_string")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::orders::IdInput"))]
    product_id: String,
    #[serde(default = "one")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 4_294_967_295i64)))]
    quantity: i64,
    price: MoneyInput,
}

fn one() -> i64 {
    1
}

/// One shopper event (a line of the events file, a record of the train request's and the report's `events`),
/// tagged by `type`: the fields every event has, and those of its type. Fields beyond those listed are ignored.
// Described for the schema, never built: `Event::parse` reads events, through the structs flattened here.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[schemars(tag = "type", rename_all = "snake_case")]
#[allow(dead_code)] // described, never built
pub(crate) enum EventRecord {
    /// A list of recommendations was shown.
    #[schemars(title = "ImpressionEvent")]
    Impression {
        #[schemars(flatten)]
        common: Common,
        #[schemars(flatten)]
        event: ImpressionIn,
    },
    /// The shopper clicked a product (of a list, when `list_id` is given).
    #[schemars(title = "ClickEvent")]
    Click {
        #[schemars(flatten)]
        common: Common,
        #[schemars(flatten)]
        event: ProductIn,
    },
    /// The shopper added a product to the cart (from a list, when `list_id` is given).
    #[schemars(title = "AddToCartEvent")]
    AddToCart {
        #[schemars(flatten)]
        common: Common,
        #[schemars(flatten)]
        event: ProductIn,
    },
    /// The shopper took a product out of the cart (a weak "not this one").
    #[schemars(title = "RemoveFromCartEvent")]
    RemoveFromCart {
        #[schemars(flatten)]
        common: Common,
        #[schemars(flatten)]
        event: ProductIn,
    },
    /// The shopper dismissed a suggested product: kept away from them (`decline_limit`).
    #[schemars(title = "DeclineEvent")]
    Decline {
        #[schemars(flatten)]
        common: Common,
        #[schemars(flatten)]
        event: DeclineIn,
    },
    /// The shopper viewed a product's page.
    #[schemars(title = "ViewEvent")]
    View {
        #[schemars(flatten)]
        common: Common,
        #[schemars(flatten)]
        event: ProductIn,
    },
    /// The shopper placed an order (counted once per `order_id`).
    #[schemars(title = "OrderEvent")]
    Order {
        #[schemars(flatten)]
        common: Common,
        #[schemars(flatten)]
        event: OrderIn,
    },
}

fn parse<T: serde::de::DeserializeOwned>(v: &Value) -> Result<T> {
    crate::json::from_value(v)
}

impl Event {
    /// Validate one event.
    pub fn parse(v: &Value, currency: Currency) -> Result<Event> {
        if !v.is_object() {
            return Err(Error::invalid("", "an event is a JSON object"));
        }
        let c: Common = parse(v)?;
        let at = crate::clock::parse_time(&c.at, "at")?;
        if c.visitor_id.is_empty() {
            return Err(Error::invalid("visitor_id", "visitor_id is empty"));
        }
        let kind = match c.kind.as_str() {
            "impression" => {
                let i: ImpressionIn = parse(v)?;
                Kind::Impression {
                    list_id: i.list_id,
                    placement: i.placement,
                    experiment: i.experiment,
                    variant: i.variant,
                    product_ids: i.product_ids,
                }
            }
            "click" | "add_to_cart" | "remove_from_cart" => {
                let p: ProductIn = parse(v)?;
                match c.kind.as_str() {
                    "click" => Kind::Click { product_id: p.product_id, list_id: p.list_id },
                    "add_to_cart" => Kind::AddToCart { product_id: p.product_id, list_id: p.list_id },
                    _ => Kind::RemoveFromCart { product_id: p.product_id, list_id: p.list_id },
                }
            }
            "decline" => {
                let p: ProductIn = parse(v)?;
                let list_id =
                    p.list_id.ok_or_else(|| Error::invalid("list_id", "a decline names the list it declined"))?;
                Kind::Decline { product_id: p.product_id, list_id }
            }
            "view" => Kind::View { product_id: parse::<ProductIn>(v)?.product_id },
            "order" => order_kind(parse(v)?, currency)?,
            other => return Err(Error::invalid("type", format!("unknown event type {other:?}"))),
        };
        Ok(Event { at, visitor_id: c.visitor_id, customer_id: c.customer_id, session_id: c.session_id, kind })
    }
}

/// An order event checked: its currency the report's, its total and lines' prices not negative, quantities
/// positive.
fn order_kind(o: OrderIn, currency: Currency) -> Result<Kind> {
    if let Some(cur) = &o.currency {
        if Currency::parse(cur)? != currency {
            return Err(Error::new(
                crate::error::ErrorCode::CurrencyMismatch,
                format!("order in {cur}, report in {currency}"),
            )
            .with_field("currency"));
        }
    }
    let total = o.total.to_minor(currency, "total")?;
    if total < 0 {
        return Err(Error::invalid("total", "order total is negative"));
    }
    let mut lines = Vec::with_capacity(o.lines.len());
    for (i, l) in o.lines.iter().enumerate() {
        let at = format!("lines[{i}]");
        if l.quantity <= 0 || l.quantity > u32::MAX as i64 {
            return Err(Error::invalid("quantity", "quantity must be a positive integer").under(&at));
        }
        let price = l.price.to_minor(currency, "price").map_err(|e| e.under(&at))?;
        if price < 0 {
            return Err(Error::invalid("price", "price is negative").under(&at));
        }
        lines.push(Line { product_id: l.product_id.clone(), quantity: l.quantity as u32, price });
    }
    Ok(Kind::Order { order_id: o.order_id, lines, total })
}

/// A malformed event: where it was and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(rename = "MalformedEvent"))]
pub struct Malformed {
    /// 0-based position in the input.
    pub index: u64,
    /// The error code, as an error of the same input would have (`invalid_input`, `currency_mismatch`).
    pub code: String,
    /// The offending field, when one is.
    pub field: Option<String>,
    pub message: String,
}

/// Events ready for attribution: valid, deduplicated, sorted by time (stable).
#[derive(Debug, Clone, Default)]
pub struct EventLog {
    pub(crate) events: Vec<Event>,
    pub read: u64,
    pub malformed: u64,
    /// The first malformed events (at most 100), so the report stays small.
    pub(crate) malformed_examples: Vec<Malformed>,
    pub duplicates: u64,
    /// Events whose time is earlier than the event before them in the input (they are sorted, not dropped).
    pub out_of_order: u64,
}

/// How many malformed events the report lists one by one.
pub const MALFORMED_EXAMPLES: usize = 100;

impl EventLog {
    pub fn from_values(values: &[Value], currency: Currency) -> EventLog {
        let mut log = EventLog::default();
        let mut seen_exact = std::collections::HashSet::new();
        let mut seen_orders = std::collections::HashSet::new();
        let mut last_at = i64::MIN;
        for (i, v) in values.iter().enumerate() {
            log.read += 1;
            match Event::parse(v, currency) {
                Ok(e) => {
                    // serde_json maps keep keys sorted, so equal events print equally.
                    if !seen_exact.insert(v.to_string()) {
                        log.duplicates += 1;
                        continue;
                    }
                    if let Kind::Order { order_id, .. } = &e.kind {
                        if !seen_orders.insert(order_id.clone()) {
                            log.duplicates += 1;
                            continue;
                        }
                    }
                    if e.at < last_at {
                        log.out_of_order += 1;
                    }
                    last_at = last_at.max(e.at);
                    log.events.push(e);
                }
                Err(err) => {
                    log.malformed += 1;
                    if log.malformed_examples.len() < MALFORMED_EXAMPLES {
                        log.malformed_examples.push(Malformed {
                            index: i as u64,
                            code: err.code.as_str().to_string(),
                            field: err.field.clone(),
                            message: err.message.clone(),
                        });
                    }
                }
            }
        }
        log.events.sort_by_key(|e| e.at);
        log
    }

    /// Read events from a JSON Lines file (or a JSON array). A line that is not JSON is a malformed event.
    pub fn read_path(path: &str, currency: Currency) -> Result<EventLog> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(std::path::Path::new(path), e))?;
        let t = text.trim_start();
        if t.starts_with('[') {
            let values: Vec<Value> = serde_json::from_str(t).map_err(|e| Error::from(e).in_file(path.to_string()))?;
            return Ok(EventLog::from_values(&values, currency));
        }
        // Unparseable lines become a marker value that fails validation with the JSON error as its reason.
        let mut values = Vec::new();
        let mut bad: Vec<(usize, String)> = Vec::new();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            match serde_json::from_str::<Value>(line) {
                Ok(v) => values.push(v),
                Err(e) => {
                    bad.push((values.len() + bad.len(), e.to_string()));
                    values.push(Value::Null);
                }
            }
        }
        let mut log = EventLog::from_values(&values, currency);
        for ex in log.malformed_examples.iter_mut() {
            if let Some((_, msg)) = bad.iter().find(|(i, _)| *i as u64 == ex.index) {
                ex.message = format!("not JSON: {msg}");
            }
        }
        Ok(log)
    }
}
