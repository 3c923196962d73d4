//! Bundle definitions (the JSON contract) and their compiled, query-ready form.
//!
//! Compilation checks every field and resolves collections to sorted product indexes once, so a query only
//! does binary searches. Ids the catalog does not know do not fail training: the bundle is kept but marked
//! inapplicable (never applied, never suggested), because catalogs change under standing promotions.
//! Stock is checked at query time (`update_products` changes it without recompiling).

use crate::catalog::{Catalog, ProductIdx};
use crate::clock::parse_time;
use crate::error::{Error, Result};
use crate::money::{parse_percent, Currency, MoneyInput, PERCENT_SCALE};
use crate::selector::Selector;
use serde::Deserialize;

/// One discount. Percent is in 1/10000 of a percent (`money::PERCENT_SCALE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discount {
    /// The application costs this much in total (for volume tiers: per unit).
    Price(i64),
    /// This much off the application (for volume tiers: per unit), never below zero.
    AmountOff(i64),
    PercentOff(i64),
}

impl Discount {
    /// Saving on goods worth `value` (`units` of them, for per-unit discounts). Percent rounds half-even.
    pub fn saving(self, value: i64) -> i64 {
        match self {
            Discount::Price(p) => (value - p).max(0),
            Discount::AmountOff(a) => a.min(value),
            Discount::PercentOff(p) => crate::money::mul_div_half_even(value, p, 100 * PERCENT_SCALE),
        }
    }
    /// Per-unit saving for volume tiers (percent is handled on the sum, see `optimizer`).
    pub fn unit_saving(self, price: i64) -> i64 {
        match self {
            Discount::Price(p) => (price - p).max(0),
            Discount::AmountOff(a) => a.min(price),
            Discount::PercentOff(_) => 0,
        }
    }
    pub fn percent(self) -> Option<i64> {
        match self {
            Discount::PercentOff(p) => Some(p),
            _ => None,
        }
    }
}

/// A collection resolved against the catalog: the matching products, sorted.
#[derive(Debug, Clone)]
pub struct Collection {
    pub selector: Selector,
    pub members: Vec<ProductIdx>,
    /// The members by catalog price, then id: finding the cheapest in-stock one (an opportunity's "add one
    /// more") stops at the first price that has one instead of reading a whole category. Kept in step with
    /// price updates (`Bundles::repriced`).
    pub by_price: Vec<ProductIdx>,
}

impl Collection {
    fn compile(selector: Selector, catalog: &Catalog, field: &str, unknown: &mut Vec<String>) -> Result<Collection> {
        selector.validate(field)?;
        for id in &selector.product_ids {
            if catalog.get(id).is_none() {
                unknown.push(id.clone());
            }
        }
        let members = if selector.category.is_none() && selector.tag.is_none() && selector.vendor.is_none() {
            let mut m: Vec<ProductIdx> = selector.product_ids.iter().filter_map(|id| catalog.get(id)).collect();
            m.sort_unstable();
            m.dedup();
            m
        } else {
            (0..catalog.len() as ProductIdx).filter(|&i| selector.matches(&catalog.product(i))).collect()
        };
        let mut c = Collection { selector, by_price: members.clone(), members };
        c.order_by_price(catalog);
        Ok(c)
    }
    pub fn contains(&self, idx: ProductIdx) -> bool {
        self.members.binary_search(&idx).is_ok()
    }
    pub(crate) fn order_by_price(&mut self, catalog: &Catalog) {
        self.by_price.sort_by(|&a, &b| {
            catalog.price(a).cmp(&catalog.price(b)).then_with(|| catalog.id_bytes(a).cmp(catalog.id_bytes(b)))
        });
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tier {
    pub min_quantity: u32,
    pub discount: Discount,
}

#[derive(Debug, Clone)]
pub enum Kind {
    Fixed {
        items: Vec<(ProductIdx, u32)>,
        discount: Discount,
    },
    MixAndMatch {
        collection: Collection,
        quantity: u32,
        discount: Discount,
    },
    /// Tiers sorted by `min_quantity` ascending; the highest reached tier prices every unit of the application.
    Volume {
        collection: Collection,
        tiers: Vec<Tier>,
    },
    BuyXGetY {
        buy: Collection,
        buy_quantity: u32,
        get: Collection,
        get_quantity: u32,
        percent: i64,
    },
    Addon {
        trigger: Collection,
        target: Collection,
        quantity: u32,
        discount: Discount,
    },
    Threshold {
        min_subtotal: i64,
        discount: Discount,
    },
}

impl Kind {
    /// The collections a bundle of this kind selects products with.
    pub(crate) fn collections_mut(&mut self) -> Vec<&mut Collection> {
        match self {
            Kind::MixAndMatch { collection, .. } | Kind::Volume { collection, .. } => vec![collection],
            Kind::BuyXGetY { buy, get, .. } => vec![buy, get],
            Kind::Addon { trigger, target, .. } => vec![trigger, target],
            Kind::Fixed { .. } | Kind::Threshold { .. } => Vec::new(),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Kind::Fixed { .. } => "fixed",
            Kind::MixAndMatch { .. } => "mix_and_match",
            Kind::Volume { .. } => "volume",
            Kind::BuyXGetY { .. } => "buy_x_get_y",
            Kind::Addon { .. } => "addon",
            Kind::Threshold { .. } => "threshold",
        }
    }
}

/// A compiled bundle.
#[derive(Debug, Clone)]
pub struct Bundle {
    pub id: String,
    pub title: Option<String>,
    /// 1-based position in its source (the "line" of error messages).
    pub line: u64,
    pub kind: Kind,
    pub priority: i64,
    pub exclusive: bool,
    pub stackable: bool,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub max_applications: Option<u32>,
    /// Product ids the catalog does not know: the bundle is neither applied nor suggested.
    pub unknown_products: Vec<String>,
}

impl Bundle {
    /// Live at `now` (Unix seconds): `starts_at <= now < ends_at`.
    pub fn active_at(&self, now: i64) -> bool {
        self.starts_at.is_none_or(|s| now >= s) && self.ends_at.is_none_or(|e| now < e)
    }
    /// Known and, for fixed bundles, every component in stock.
    pub fn applicable(&self, catalog: &Catalog) -> bool {
        self.unknown_products.is_empty()
            && match &self.kind {
                Kind::Fixed { items, .. } => items.iter().all(|&(p, _)| eligible(catalog, p)),
                _ => true,
            }
    }
    pub fn is_threshold(&self) -> bool {
        matches!(self.kind, Kind::Threshold { .. })
    }
}

/// A unit of a cart product may take part in bundles only when the product is in stock.
pub fn eligible(catalog: &Catalog, p: ProductIdx) -> bool {
    catalog.in_stock(p)
}

const COMMON: &[&str] =
    &["id", "kind", "title", "priority", "exclusive", "stackable", "starts_at", "ends_at", "max_applications"];

fn allowed(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "fixed" => &["items", "price", "amount_off", "percent_off"],
        "mix_and_match" => &["collection", "quantity", "price", "amount_off", "percent_off"],
        "volume" => &["collection", "tiers"],
        "buy_x_get_y" => &["buy", "get", "percent_off"],
        "addon" => &["trigger", "target", "quantity", "price", "amount_off", "percent_off"],
        "threshold" => &["min_subtotal", "amount_off", "percent_off"],
        _ => return None,
    })
}

#[derive(Deserialize)]
struct ItemDef {
    #[serde(deserialize_with = "crate::orders::id_string")]
    product_id: String,
    #[serde(default = "one")]
    quantity: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SideDef {
    collection: Selector,
    #[serde(default = "one")]
    quantity: i64,
}

fn one() -> i64 {
    1
}

fn field<T: serde::de::DeserializeOwned>(
    obj: &serde_json::Map<String, serde_json::Value>,
    name: &str,
) -> Result<Option<T>> {
    match obj.get(name) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(v) => crate::json::from_value(v).map(Some).map_err(|e| e.under(name)),
    }
}

fn required<T: serde::de::DeserializeOwned>(
    obj: &serde_json::Map<String, serde_json::Value>,
    name: &str,
    kind: &str,
) -> Result<T> {
    field(obj, name)?.ok_or_else(|| Error::invalid(name, format!("a {kind} bundle needs {name}")))
}

fn quantity(v: i64, name: &str) -> Result<u32> {
    if v <= 0 {
        return Err(Error::invalid(name, format!("quantity must be positive, got {v}")));
    }
    u32::try_from(v)
        .ok()
        .filter(|&q| q <= 1000)
        .ok_or_else(|| Error::invalid(name, "quantity is too large (at most 1000)"))
}

fn money(m: &MoneyInput, currency: Currency, name: &str) -> Result<i64> {
    let v = m.to_minor(currency, name)?;
    if v <= 0 {
        return Err(Error::invalid(
            name,
            format!("{name} must be positive (a zero or negative {name} is almost surely a mistake)"),
        ));
    }
    Ok(v)
}

/// Exactly one of `price` / `amount_off` / `percent_off` (those in `allowed`).
fn discount(
    obj: &serde_json::Map<String, serde_json::Value>,
    currency: Currency,
    allowed: &[&str],
) -> Result<Discount> {
    let given: Vec<&str> = ["price", "amount_off", "percent_off"]
        .into_iter()
        .filter(|k| obj.get(*k).is_some_and(|v| !v.is_null()))
        .collect();
    match given.as_slice() {
        [] => Err(Error::invalid(allowed[0], format!("needs one of {}", allowed.join(", ")))),
        [one] if !allowed.contains(one) => Err(Error::invalid(*one, format!("use one of {}", allowed.join(", ")))),
        [k] => {
            let k = *k;
            if k == "percent_off" {
                let p = parse_percent(&obj[k], k)?;
                if p == 0 {
                    return Err(Error::invalid(k, "percent_off must be above 0"));
                }
                Ok(Discount::PercentOff(p))
            } else {
                let m: MoneyInput = field(obj, k)?.expect("present");
                let v = money(&m, currency, k)?;
                Ok(if k == "price" { Discount::Price(v) } else { Discount::AmountOff(v) })
            }
        }
        [a, b, ..] => Err(Error::invalid(*b, format!("give only one of {a} and {b}"))),
    }
}

type Object = serde_json::Map<String, serde_json::Value>;

/// Compile one definition. Errors carry the field; the caller adds the line.
pub fn compile_one(value: &serde_json::Value, line: u64, catalog: &Catalog) -> Result<Bundle> {
    let obj = value.as_object().ok_or_else(|| Error::invalid("", "a bundle must be a JSON object"))?;
    let id = bundle_id(obj)?;
    let kind_name = kind_name(obj)?;
    let mut unknown = Vec::new();
    let kind = compile_kind(&kind_name, obj, catalog, &mut unknown)?;
    let common = Common::compile(obj)?;
    unknown.sort();
    unknown.dedup();
    Ok(Bundle {
        id,
        title: field(obj, "title")?,
        line,
        kind,
        priority: common.priority,
        exclusive: common.exclusive,
        stackable: common.stackable,
        starts_at: common.starts_at,
        ends_at: common.ends_at,
        max_applications: common.max_applications,
        unknown_products: unknown,
    })
}

/// A non-empty string id; an integer is accepted as its decimal text (ids from spreadsheets).
fn bundle_id(obj: &Object) -> Result<String> {
    match obj.get("id") {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
        Some(serde_json::Value::Number(n)) if n.is_u64() || n.is_i64() => Ok(n.to_string()),
        Some(_) => Err(Error::invalid("id", "id must be a non-empty string")),
        None => Err(Error::invalid("id", "a bundle needs an id")),
    }
}

/// The kind, checked to be known and to allow every field the definition gives.
fn kind_name(obj: &Object) -> Result<String> {
    let kind_name: String = field(obj, "kind")?.ok_or_else(|| Error::invalid("kind", "a bundle needs a kind"))?;
    let extra = allowed(&kind_name).ok_or_else(|| {
        Error::invalid(
            "kind",
            format!("unknown kind {kind_name:?} (fixed, mix_and_match, volume, buy_x_get_y, addon, threshold)"),
        )
    })?;
    if let Some(k) = obj.keys().find(|k| !COMMON.contains(&k.as_str()) && !extra.contains(&k.as_str())) {
        return Err(Error::invalid(k.as_str(), format!("unknown field for a {kind_name} bundle")));
    }
    Ok(kind_name)
}

/// The kind-specific fields; product ids the catalog does not know go to `unknown`.
fn compile_kind(kind_name: &str, obj: &Object, catalog: &Catalog, unknown: &mut Vec<String>) -> Result<Kind> {
    let cur = catalog.currency;
    Ok(match kind_name {
        "fixed" => fixed(obj, catalog, unknown)?,
        "mix_and_match" => {
            let sel: Selector = required(obj, "collection", kind_name)?;
            let q: i64 = required(obj, "quantity", kind_name)?;
            Kind::MixAndMatch {
                collection: Collection::compile(sel, catalog, "collection", unknown)?,
                quantity: quantity(q, "quantity")?,
                discount: discount(obj, cur, &["price", "percent_off", "amount_off"])?,
            }
        }
        "volume" => {
            let sel: Selector = required(obj, "collection", kind_name)?;
            let tiers_v: Vec<serde_json::Value> = required(obj, "tiers", kind_name)?;
            let tiers = volume_tiers(&tiers_v, cur)?;
            Kind::Volume { collection: Collection::compile(sel, catalog, "collection", unknown)?, tiers }
        }
        "buy_x_get_y" => {
            let buy: SideDef = required(obj, "buy", kind_name)?;
            let get: SideDef = required(obj, "get", kind_name)?;
            let d = discount(obj, cur, &["percent_off"])?;
            Kind::BuyXGetY {
                buy_quantity: quantity(buy.quantity, "quantity").map_err(|e| e.under("buy"))?,
                get_quantity: quantity(get.quantity, "quantity").map_err(|e| e.under("get"))?,
                buy: Collection::compile(buy.collection, catalog, "collection", unknown).map_err(|e| e.under("buy"))?,
                get: Collection::compile(get.collection, catalog, "collection", unknown).map_err(|e| e.under("get"))?,
                percent: d.percent().expect("percent only"),
            }
        }
        "addon" => {
            let trigger: Selector = required(obj, "trigger", kind_name)?;
            let target: Selector = required(obj, "target", kind_name)?;
            let q: Option<i64> = field(obj, "quantity")?;
            Kind::Addon {
                trigger: Collection::compile(trigger, catalog, "trigger", unknown)?,
                target: Collection::compile(target, catalog, "target", unknown)?,
                quantity: quantity(q.unwrap_or(1), "quantity")?,
                discount: discount(obj, cur, &["percent_off", "amount_off", "price"])?,
            }
        }
        "threshold" => {
            let m: MoneyInput = required(obj, "min_subtotal", kind_name)?;
            Kind::Threshold {
                min_subtotal: money(&m, cur, "min_subtotal")?,
                discount: discount(obj, cur, &["amount_off", "percent_off"])?,
            }
        }
        _ => unreachable!("kind checked above"),
    })
}

/// A fixed bundle's items: repeated products merge their quantities; unknown ones go to `unknown`.
fn fixed(obj: &Object, catalog: &Catalog, unknown: &mut Vec<String>) -> Result<Kind> {
    let items: Vec<ItemDef> = required(obj, "items", "fixed")?;
    if items.is_empty() {
        return Err(Error::invalid("items", "a fixed bundle needs at least one item"));
    }
    let mut out: Vec<(ProductIdx, u32)> = Vec::new();
    for (i, it) in items.iter().enumerate() {
        let q = quantity(it.quantity, "quantity").map_err(|e| e.under(format!("items[{i}]")))?;
        match catalog.get(&it.product_id) {
            None => unknown.push(it.product_id.clone()),
            Some(p) => match out.iter_mut().find(|(x, _)| *x == p) {
                Some(e) => e.1 += q,
                None => out.push((p, q)),
            },
        }
    }
    if out.iter().map(|i| i.1).sum::<u32>() > 1000 {
        return Err(Error::invalid("items", "a fixed bundle may hold at most 1000 units"));
    }
    Ok(Kind::Fixed { items: out, discount: discount(obj, catalog.currency, &["price", "amount_off", "percent_off"])? })
}

/// Volume tiers: at least one, `min_quantity` strictly increasing, errors under `tiers[i]`.
fn volume_tiers(tiers_v: &[serde_json::Value], cur: Currency) -> Result<Vec<Tier>> {
    if tiers_v.is_empty() {
        return Err(Error::invalid("tiers", "a volume bundle needs at least one tier"));
    }
    let mut tiers = Vec::new();
    for (i, t) in tiers_v.iter().enumerate() {
        let at = format!("tiers[{i}]");
        let o = t.as_object().ok_or_else(|| Error::invalid(at.clone(), "a tier must be an object"))?;
        if let Some(k) =
            o.keys().find(|k| !["min_quantity", "percent_off", "amount_off", "price"].contains(&k.as_str()))
        {
            return Err(Error::invalid(k.as_str(), "unknown field for a tier").under(&at));
        }
        let mq: i64 = required(o, "min_quantity", "tier").map_err(|e| e.under(&at))?;
        let min_quantity = quantity(mq, "min_quantity").map_err(|e| e.under(&at))?;
        if tiers.last().is_some_and(|l: &Tier| l.min_quantity >= min_quantity) {
            return Err(Error::invalid("min_quantity", "tiers must have increasing min_quantity").under(&at));
        }
        let d = discount(o, cur, &["percent_off", "amount_off", "price"]).map_err(|e| e.under(&at))?;
        tiers.push(Tier { min_quantity, discount: d });
    }
    Ok(tiers)
}

/// The fields every kind shares: how the bundle combines with others, when it is live, how often it applies.
struct Common {
    priority: i64,
    exclusive: bool,
    stackable: bool,
    starts_at: Option<i64>,
    ends_at: Option<i64>,
    max_applications: Option<u32>,
}

impl Common {
    fn compile(obj: &Object) -> Result<Common> {
        let priority: i64 = field(obj, "priority")?.unwrap_or(0);
        let exclusive: bool = field(obj, "exclusive")?.unwrap_or(false);
        let stackable: bool = field(obj, "stackable")?.unwrap_or(false);
        if exclusive && stackable {
            return Err(Error::invalid("stackable", "a bundle cannot be both exclusive and stackable"));
        }
        let time = |name: &str| -> Result<Option<i64>> {
            let t: Option<String> = field(obj, name)?;
            t.map(|t| parse_time(&t, name)).transpose()
        };
        let (starts_at, ends_at) = (time("starts_at")?, time("ends_at")?);
        if let (Some(s), Some(e)) = (starts_at, ends_at) {
            if e <= s {
                return Err(Error::invalid("ends_at", "ends_at must be after starts_at"));
            }
        }
        let max_applications = match field::<i64>(obj, "max_applications")? {
            None => None,
            Some(n) => Some(quantity(n, "max_applications")?),
        };
        Ok(Common { priority, exclusive, stackable, starts_at, ends_at, max_applications })
    }
}

/// Compile a list; errors carry the 1-based line, and fields are prefixed with `prefix` when given.
pub fn compile_all(values: &[serde_json::Value], catalog: &Catalog, prefix: Option<&str>) -> Result<Vec<Bundle>> {
    let mut out: Vec<Bundle> = Vec::with_capacity(values.len());
    for (i, v) in values.iter().enumerate() {
        let line = i as u64 + 1;
        let wrap = |e: Error| {
            let e = if e.field.as_deref() == Some("") { Error { field: None, ..e } } else { e };
            let e = match prefix {
                Some(p) => e.under(format!("{p}[{i}]")),
                None => e,
            };
            e.at_line(line)
        };
        let b = compile_one(v, line, catalog).map_err(wrap)?;
        if let Some(first) = out.iter().find(|o| o.id == b.id) {
            return Err(wrap(Error::invalid(
                "id",
                format!("duplicate bundle id {:?} (first defined on line {})", b.id, first.line),
            )));
        }
        out.push(b);
    }
    Ok(out)
}
