//! Shopify's formats: product export CSV, order export CSV, Admin API / webhook JSON.
//!
//! A shop's *variant* is a cartlift product: it has its own price and is what a cart holds. Ids follow one
//! convention everywhere so order lines find their products:
//! - the variant SKU when set (a leading `'` Excel guard removed). Shopify does not enforce unique SKUs, so a
//!   SKU already used earlier in the same file or payload is not reused: that later variant falls back to
//!   the id below instead of silently replacing the first one;
//! - CSV without SKU: the `Handle` for a single-variant product, `handle/option1/option2/..` otherwise;
//! - API JSON without SKU: the variant id as a string (digit for digit; Shopify ids exceed 2^53).
//!
//! Order lines use the SKU too, so history links to the catalog whenever the shop sets SKUs. Without a
//! SKU a CSV line falls back to `Lineitem name` ("Title - Opt1 / Opt2"), which is also the title given
//! to multi-variant products here, and an API line to its `variant_id`.
//!
//! Orders that were never bought (cancelled or voided) teach nothing about baskets: the CSV reader leaves
//! them out and the API reader returns them with no lines. Refunds and discounts are ignored: a refunded
//! basket still shows what went together.

use super::csv_generic::{rows, Columns};
use crate::catalog::{AttributeInput, ProductRecord};
use crate::error::{Error, Result};
use crate::money::MoneyInput;
use crate::orders::{OrderLineRecord, OrderRecord};
use ahash::{AHashMap, AHashSet};
use serde_json::Value;
use std::collections::BTreeMap;

/// In the schema: the Shopify API products [`is_api_product`] recognizes, described down to the keys the reader
/// needs (the rest is Shopify's to define).
#[cfg(feature = "schema")]
pub(crate) struct ShopifyProduct;

#[cfg(feature = "schema")]
impl schemars::JsonSchema for ShopifyProduct {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ShopifyProduct".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let object = serde_json::json!({"type": "object", "additionalProperties": true});
        let product = serde_json::json!({
            "type": "object",
            "properties": {"variants": {"type": "array", "items": object}},
            "required": ["variants"],
            "additionalProperties": true,
        });
        schemars::json_schema!({
            "description": "A Shopify Admin API or webhook product, read as one product per variant: `{\"product\": {..}}`, `{\"products\": [..]}`, or a bare product with `variants`.",
            "anyOf": [
                {"type": "object", "properties": {"product": product}, "required": ["product"], "additionalProperties": true},
                {"type": "object", "properties": {"products": {"type": "array", "items": product}}, "required": ["products"], "additionalProperties": true},
                product,
            ]
        })
    }
}

/// In the schema: the Shopify API orders [`is_api_order`] recognizes, down to the keys the reader needs.
#[cfg(feature = "schema")]
pub(crate) struct ShopifyOrder;

#[cfg(feature = "schema")]
impl schemars::JsonSchema for ShopifyOrder {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ShopifyOrder".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let object = serde_json::json!({"type": "object", "additionalProperties": true});
        let order = serde_json::json!({
            "type": "object",
            "properties": {"created_at": {"type": "string"}, "line_items": {"type": "array", "items": object}},
            "required": ["created_at", "line_items"],
            "additionalProperties": true,
        });
        schemars::json_schema!({
            "description": "A Shopify Admin API order (`{\"order\": {..}}`) or an orders webhook body; cancelled and voided orders count no lines.",
            "anyOf": [
                {"type": "object", "properties": {"order": order}, "required": ["order"], "additionalProperties": true},
                order,
            ]
        })
    }
}

/// A Shopify API product (`{"product":{..}}`, `{"products":[..]}`, a bare product with `variants`,
/// or `{"variants":[..]}`).
pub fn is_api_product(v: &Value) -> bool {
    v.get("product").is_some() || v.get("variants").is_some() || v.get("products").is_some_and(Value::is_array)
}

/// A Shopify API order (`{"order":{..}}` or a bare order / webhook body with `line_items`).
pub fn is_api_order(v: &Value) -> bool {
    v.get("order").is_some() || v.get("line_items").is_some()
}

// ---------------------------------------------------------------------------------------------------------
// Shared cell helpers

/// Remove Shopify's leading-apostrophe guard (`'0850064060010`), which stops Excel dropping leading zeros.
fn strip_guard(s: &str) -> &str {
    let s = s.trim();
    s.strip_prefix('\'').map(str::trim).unwrap_or(s)
}

/// A decimal amount as written in Shopify files (`25`, `95.00`, `8000`); the currency's precision is
/// checked later, when the catalog currency is known.
fn money_text(cell: &str, field: &str) -> Result<MoneyInput> {
    let s = cell.trim();
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return Err(Error::invalid(field, format!("{cell:?} is not a decimal amount (expected e.g. \"19.99\")")));
    }
    Ok(MoneyInput::Text(s.to_string()))
}

fn is_true(cell: &str) -> bool {
    cell.trim().eq_ignore_ascii_case("true")
}

fn is_false(cell: &str) -> bool {
    cell.trim().eq_ignore_ascii_case("false")
}

/// Sellable on the storefront: `Status` active (or absent, in older layouts) and not unpublished.
/// Draft and archived products cannot be bought; unpublished ones are not on the online store.
fn sellable(status: &str, published: bool) -> bool {
    let s = status.trim();
    published && (s.is_empty() || s.eq_ignore_ascii_case("active"))
}

fn split_tags(cell: &str) -> Vec<String> {
    cell.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_string).collect()
}

/// The last segment of a taxonomy path (`Apparel & Accessories > Clothing > Pants > Jeans` -> `Jeans`).
/// Shopify writes `Uncategorized` for "no category".
fn taxonomy_leaf(path: &str) -> Option<String> {
    let leaf = path.rsplit('>').next().unwrap_or("").trim();
    (!leaf.is_empty() && !leaf.eq_ignore_ascii_case("uncategorized")).then(|| leaf.to_string())
}

/// Option values as attributes keyed by the lower-cased option name; Shopify's placeholder option
/// (`Title` = `Default Title`) is not an attribute.
fn option_attributes(options: &[(String, String)]) -> BTreeMap<String, AttributeInput> {
    options
        .iter()
        .filter(|(_, value)| !value.is_empty() && value != "Default Title")
        .map(|(name, value)| (name.trim().to_lowercase(), AttributeInput::Text(value.clone())))
        .collect()
}

/// Inventory counts only when Shopify tracks it and stops selling at zero: with policy `continue` the
/// variant stays sellable whatever the count (often 0 or negative), so it is treated as untracked.
fn tracked(management: &str, policy: &str) -> bool {
    management.trim().eq_ignore_ascii_case("shopify") && !policy.trim().eq_ignore_ascii_case("continue")
}

// ---------------------------------------------------------------------------------------------------------
// Product export CSV

/// Products from a Shopify product export/import CSV, one per variant row, each with the 1-based line its
/// row starts on. Rows repeating a Handle belong to that product and inherit its title, vendor, type, tags
/// and option names; rows with neither a price nor an option value only add an image and are skipped.
/// `available` is false for draft or archived products and for ones not published (`Published` false).
pub fn products_from_csv(text: &str) -> Result<RecordsByLine> {
    let (headers, rows) = rows(text)?;
    let cols = Columns::new(&headers);
    let (groups, mut out) = group_by_handle(&cols, rows);
    let mut used_ids: AHashSet<String> = AHashSet::new();
    for (handle, group) in &groups {
        let product = CsvProduct::read(&cols, handle, group);
        for (line, row) in product.variant_rows(group) {
            out.push((*line, product.variant(row, &mut used_ids)));
        }
    }
    out.sort_by_key(|(line, _)| *line);
    Ok(out)
}

type CsvRow = (u64, csv::StringRecord);

/// One cell as text ("" when the column is missing).
fn cell(cols: &Columns, rec: &csv::StringRecord, name: &str) -> String {
    cols.get(rec, name).unwrap_or("").to_string()
}

/// Product records by line, or why a line is not one.
type RecordsByLine = Vec<(u64, Result<ProductRecord>)>;

/// Rows grouped by Handle, in order of first appearance (Shopify's importer does the same), and an error for
/// each row without one.
fn group_by_handle(cols: &Columns, rows: Vec<CsvRow>) -> (Vec<(String, Vec<CsvRow>)>, RecordsByLine) {
    let mut errors = Vec::new();
    let mut groups: Vec<(String, Vec<CsvRow>)> = Vec::new();
    let mut by_handle: AHashMap<String, usize> = AHashMap::new();
    for (line, rec) in rows {
        let handle = cell(cols, &rec, "Handle");
        if handle.is_empty() {
            errors.push((line, Err(Error::invalid("Handle", "Handle is empty"))));
            continue;
        }
        match by_handle.get(&handle) {
            Some(&g) => groups[g].1.push((line, rec)),
            None => {
                by_handle.insert(handle.clone(), groups.len());
                groups.push((handle, vec![(line, rec)]));
            }
        }
    }
    (groups, errors)
}

/// What one Handle's product-level row says, shared by its variants.
struct CsvProduct<'a> {
    cols: &'a Columns,
    handle: &'a str,
    head: &'a csv::StringRecord,
    option_names: Vec<String>,
    /// More than one variant: each gets its own id and title, and the handle is their family.
    multi: bool,
    title: String,
    category: Option<String>,
    available: bool,
    kind: Option<String>,
}

impl<'a> CsvProduct<'a> {
    fn read(cols: &'a Columns, handle: &'a str, group: &'a [CsvRow]) -> CsvProduct<'a> {
        let cell = |r: &csv::StringRecord, name: &str| cell(cols, r, name);
        // The product-level row is the one with the Title (normally the first).
        let head = &group.iter().find(|(_, r)| !cell(r, "Title").is_empty()).unwrap_or(&group[0]).1;
        let category =
            ["Type", "Custom Product Type"].iter().map(|c| cell(head, c)).find(|c| !c.is_empty()).or_else(|| {
                ["Product Category", "Standardized Product Type"].iter().find_map(|c| taxonomy_leaf(&cell(head, c)))
            });
        let mut product = CsvProduct {
            cols,
            handle,
            head,
            option_names: (1..=3).map(|i| cell(head, &format!("Option{i} Name"))).collect(),
            multi: false,
            title: cell(head, "Title"),
            category,
            available: sellable(&cell(head, "Status"), !is_false(&cell(head, "Published"))),
            kind: is_true(&cell(head, "Gift Card")).then(|| "gift_card".to_string()),
        };
        product.multi = product.variant_rows(group).count() > 1;
        product
    }

    fn cell(&self, row: &csv::StringRecord, name: &str) -> String {
        cell(self.cols, row, name)
    }

    /// The rows that are variants: priced, or with option values, or the product row itself.
    fn variant_rows<'g>(&'g self, group: &'g [CsvRow]) -> impl Iterator<Item = &'g CsvRow> + 'g {
        let has_options =
            |r: &csv::StringRecord| (1..=3).any(|i| !self.cell(r, &format!("Option{i} Value")).is_empty());
        group.iter().filter(move |(_, r)| {
            !self.cell(r, "Variant Price").is_empty()
                || has_options(r)
                || (std::ptr::eq(r, self.head) && !self.title.is_empty())
        })
    }

    fn variant(&self, row: &csv::StringRecord, used_ids: &mut AHashSet<String>) -> Result<ProductRecord> {
        let price = self.cell(row, "Variant Price");
        if price.is_empty() {
            return Err(Error::invalid("Variant Price", "Variant Price is empty"));
        }
        let options = self.options(row);
        let values: Vec<&str> = options.iter().map(|(_, v)| v.as_str()).filter(|v| !v.is_empty()).collect();
        let named = self.multi && !values.is_empty();
        let fallback_id = if named { format!("{}/{}", self.handle, values.join("/")) } else { self.handle.to_string() };
        let sku = strip_guard(&self.cell(row, "Variant SKU")).to_string();
        let id = if !sku.is_empty() && !used_ids.contains(&sku) { sku } else { fallback_id };
        used_ids.insert(id.clone());
        let title = if named && !self.title.is_empty() {
            format!("{} - {}", self.title, values.join(" / "))
        } else {
            self.title.clone()
        };
        Ok(ProductRecord {
            id,
            title,
            price: money_text(&price, "Variant Price")?,
            currency: None,
            compare_at_price: self.optional_money(row, "Variant Compare At Price")?,
            category: self.category.clone(),
            tags: split_tags(&self.cell(self.head, "Tags")),
            vendor: Some(self.cell(self.head, "Vendor")).filter(|v| !v.is_empty()),
            available: Some(self.available),
            inventory: self.inventory(row)?,
            family: self.multi.then(|| self.handle.to_string()),
            attributes: option_attributes(&options),
            cost: self.optional_money(row, "Cost per item")?,
            kind: self.kind.clone(),
        })
    }

    fn optional_money(&self, row: &csv::StringRecord, name: &str) -> Result<Option<MoneyInput>> {
        let c = self.cell(row, name);
        if c.is_empty() {
            Ok(None)
        } else {
            money_text(&c, name).map(Some)
        }
    }

    /// Units on hand when Shopify tracks them (see `tracked`), else none.
    fn inventory(&self, row: &csv::StringRecord) -> Result<Option<i64>> {
        if !tracked(&self.cell(row, "Variant Inventory Tracker"), &self.cell(row, "Variant Inventory Policy")) {
            return Ok(None);
        }
        let q = self.cell(row, "Variant Inventory Qty");
        if q.is_empty() {
            return Ok(None);
        }
        q.parse::<i64>()
            .map(Some)
            .map_err(|_| Error::invalid("Variant Inventory Qty", format!("{q:?} is not a whole number")))
    }

    /// (option name, value) of the three option columns; a variant row without names takes the product row's.
    fn options(&self, row: &csv::StringRecord) -> Vec<(String, String)> {
        (1..=3)
            .map(|i| {
                let name = match self.cell(row, &format!("Option{i} Name")) {
                    n if n.is_empty() && self.option_names[i - 1].is_empty() => format!("option{i}"),
                    n if n.is_empty() => self.option_names[i - 1].clone(),
                    n => n,
                };
                (name, self.cell(row, &format!("Option{i} Value")))
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------------------
// Order export CSV

/// Convert Shopify's export timestamp (`2021-12-20 06:31:08 -0500`) to RFC 3339
/// (`2021-12-20T06:31:08-05:00`). RFC 3339 input passes through.
pub(crate) fn shopify_time(text: &str) -> Option<String> {
    use time::format_description::well_known::Rfc3339;
    use time::macros::format_description;
    let s = text.trim();
    if time::OffsetDateTime::parse(s, &Rfc3339).is_ok() {
        return Some(s.to_string());
    }
    let (date_time, zone) = s.rsplit_once(' ')?;
    let local = time::PrimitiveDateTime::parse(
        date_time.trim(),
        format_description!("[year]-[month]-[day] [hour]:[minute]:[second]"),
    )
    .ok()?;
    let offset = if zone.eq_ignore_ascii_case("utc") || zone.eq_ignore_ascii_case("z") {
        time::UtcOffset::UTC
    } else {
        time::UtcOffset::parse(zone, format_description!("[offset_hour sign:mandatory][offset_minute]"))
            .or_else(|_| {
                time::UtcOffset::parse(zone, format_description!("[offset_hour sign:mandatory]:[offset_minute]"))
            })
            .ok()?
    };
    local.assume_offset(offset).format(&Rfc3339).ok()
}

/// Orders from a Shopify order export CSV: one row per line item, grouped by `Name`, each order with the
/// line its first row starts on (a bad row reports its own line). The order id is `Name` (`#1054`), which
/// every row carries; the customer is the `Email`. Cancelled orders (`Cancelled at` set) and voided ones
/// are left out: nothing was bought. A line's product is its `Lineitem sku`, else its `Lineitem name`.
pub fn orders_from_csv(text: &str) -> Result<Vec<(u64, Result<OrderRecord>)>> {
    let (headers, rows) = rows(text)?;
    let cols = Columns::new(&headers);
    let mut groups: Vec<(String, Vec<CsvRow>)> = Vec::new();
    let mut by_name: AHashMap<String, usize> = AHashMap::new();
    let mut out: Vec<(u64, Result<OrderRecord>)> = Vec::new();
    for (line, rec) in rows {
        let name = cell(&cols, &rec, "Name");
        if name.is_empty() {
            out.push((line, Err(Error::invalid("Name", "order Name is empty"))));
            continue;
        }
        match by_name.get(&name) {
            Some(&g) => groups[g].1.push((line, rec)),
            None => {
                by_name.insert(name.clone(), groups.len());
                groups.push((name, vec![(line, rec)]));
            }
        }
    }
    out.extend(groups.into_iter().filter_map(|(name, group)| csv_order(&cols, name, &group)));
    out.sort_by_key(|(line, _)| *line);
    Ok(out)
}

/// The order of one `Name`'s rows, at the line of its first row (a bad row: at its own line); `None` for a
/// cancelled or voided order.
fn csv_order(cols: &Columns, name: String, group: &[CsvRow]) -> Option<(u64, Result<OrderRecord>)> {
    let first_line = group[0].0;
    // Order-level columns are only on the first row in some layouts: take the first non-empty value.
    let any = |col: &str| group.iter().map(|(_, r)| cell(cols, r, col)).find(|c| !c.is_empty());
    let cancelled = any("Cancelled at").is_some();
    let voided = any("Financial Status").is_some_and(|s| s.eq_ignore_ascii_case("voided"));
    if cancelled || voided {
        return None;
    }
    let order = (|| -> std::result::Result<OrderRecord, (u64, Error)> {
        let created = any("Created at").ok_or((first_line, Error::invalid("Created at", "Created at is empty")))?;
        let created_at = shopify_time(&created).ok_or_else(|| {
            (first_line, Error::invalid("Created at", format!("{created:?} is not a Shopify timestamp")))
        })?;
        let mut lines = Vec::with_capacity(group.len());
        for (line, r) in group {
            if let Some(l) = csv_line(cols, r).map_err(|e| (*line, e))? {
                lines.push(l);
            }
        }
        // Email addresses are case-insensitive in practice; one spelling per customer.
        let customer_id = any("Email").map(|e| e.to_lowercase());
        Ok(OrderRecord { id: name, customer_id, created_at, currency: any("Currency"), lines })
    })();
    Some(match order {
        Ok(o) => (first_line, Ok(o)),
        Err((line, e)) => (line, Err(e)),
    })
}

/// One row's line item; `None` for a quantity of 0 (removed from the order by an edit).
fn csv_line(cols: &Columns, r: &csv::StringRecord) -> Result<Option<OrderLineRecord>> {
    let q = cell(cols, r, "Lineitem quantity");
    let quantity =
        q.parse::<i64>().map_err(|_| Error::invalid("Lineitem quantity", format!("{q:?} is not a whole number")))?;
    if quantity == 0 {
        return Ok(None);
    }
    let sku = strip_guard(&cell(cols, r, "Lineitem sku")).to_string();
    let product_id = if sku.is_empty() { cell(cols, r, "Lineitem name") } else { sku };
    if product_id.is_empty() {
        return Err(Error::invalid("Lineitem name", "line item has neither a sku nor a name"));
    }
    let p = cell(cols, r, "Lineitem price");
    let price = if p.is_empty() { None } else { Some(money_text(&p, "Lineitem price")?) };
    Ok(Some(OrderLineRecord { product_id, quantity, price }))
}

// ---------------------------------------------------------------------------------------------------------
// Admin API / webhook JSON

/// A JSON id as text: numbers keep every digit (serde_json reads 64-bit integers exactly).
fn json_id(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn json_str<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// Money in API JSON is a string (`"199.00"`); `null` or `""` means none. Numbers go through the core's
/// rules (whole units accepted, fractions rejected with a hint).
fn json_money(v: Option<&Value>, field: &str) -> Result<Option<MoneyInput>> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => money_text(s, field).map(Some),
        Some(n @ Value::Number(_)) => {
            Ok(Some(serde_json::from_value::<MoneyInput>(n.clone()).map_err(|e| Error::invalid(field, e.to_string()))?))
        }
        Some(other) => Err(Error::invalid(field, format!("expected a decimal string, got {other}"))),
    }
}

/// Products from an Admin API product (`{"product":..}`, `{"products":[..]}`, a bare product) or a
/// variants list (`{"variants":[..]}`, where the product's own fields are unknown).
pub fn products_from_api(v: &Value) -> Result<Vec<ProductRecord>> {
    let mut used_ids = AHashSet::new();
    if let Some(list) = v.get("products").and_then(Value::as_array) {
        let mut out = Vec::new();
        for (i, p) in list.iter().enumerate() {
            out.extend(product_variants(Some(p), p, &mut used_ids).map_err(|e| e.under(format!("products[{i}]")))?);
        }
        return Ok(out);
    }
    if let Some(p) = v.get("product") {
        return product_variants(Some(p), p, &mut used_ids).map_err(|e| e.under("product"));
    }
    let bare_product = ["title", "handle", "product_type"].iter().any(|k| v.get(k).is_some());
    product_variants(bare_product.then_some(v), v, &mut used_ids)
}

fn product_variants(
    product: Option<&Value>,
    holder: &Value,
    used_ids: &mut AHashSet<String>,
) -> Result<Vec<ProductRecord>> {
    let variants = holder
        .get("variants")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::invalid("variants", "expected an array of variants"))?;
    let p = product.unwrap_or(&Value::Null);
    let published = !matches!(p.get("published_at"), Some(Value::Null));
    let shared = ProductFields {
        p,
        multi: variants.len() > 1,
        title: json_str(p, "title"),
        option_names: option_names(p),
        tags: json_tags(p),
        category: Some(json_str(p, "product_type").trim().to_string()).filter(|c| !c.is_empty()),
        vendor: Some(json_str(p, "vendor").trim().to_string()).filter(|c| !c.is_empty()),
        available: sellable(json_str(p, "status"), published),
    };
    let record = |(i, var)| shared.variant(var, used_ids).map_err(|e| e.under(format!("variants[{i}]")));
    variants.iter().enumerate().map(record).collect()
}

/// Option names by position (`option1`.. when the payload does not name them: a variants-only payload).
fn option_names(p: &Value) -> Vec<String> {
    let mut names: Vec<String> = (1..=3).map(|i| format!("option{i}")).collect();
    for (i, o) in p.get("options").and_then(Value::as_array).into_iter().flatten().enumerate() {
        let pos = o.get("position").and_then(Value::as_u64).map(|n| n as usize).unwrap_or(i + 1);
        if let (Some(name), Some(slot)) = (o.get("name").and_then(Value::as_str), names.get_mut(pos.wrapping_sub(1))) {
            *slot = name.to_string();
        }
    }
    names
}

/// Tags as one comma-separated string (REST) or an array (GraphQL).
fn json_tags(p: &Value) -> Vec<String> {
    match p.get("tags") {
        Some(Value::String(s)) => split_tags(s),
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

/// What every variant of one API product shares.
struct ProductFields<'a> {
    p: &'a Value,
    multi: bool,
    title: &'a str,
    option_names: Vec<String>,
    tags: Vec<String>,
    category: Option<String>,
    vendor: Option<String>,
    available: bool,
}

impl ProductFields<'_> {
    /// One variant as a product: its sku as the id (its numeric id when the sku is empty or taken).
    fn variant(&self, var: &Value, used_ids: &mut AHashSet<String>) -> Result<ProductRecord> {
        let price = json_money(var.get("price"), "price")
            .and_then(|p| p.ok_or_else(|| Error::invalid("price", "variant has no price")))?;
        let compare_at_price = json_money(var.get("compare_at_price"), "compare_at_price")?;
        let sku = var.get("sku").and_then(Value::as_str).map(strip_guard).unwrap_or("").to_string();
        let id = if !sku.is_empty() && !used_ids.contains(&sku) {
            sku
        } else {
            json_id(var.get("id")).ok_or_else(|| Error::invalid("id", "variant has neither a sku nor an id"))?
        };
        used_ids.insert(id.clone());
        let inventory = if tracked(json_str(var, "inventory_management"), json_str(var, "inventory_policy")) {
            var.get("inventory_quantity").and_then(Value::as_i64)
        } else {
            None
        };
        let options: Vec<(String, String)> = (1..=3)
            .map(|k| (self.option_names[k - 1].clone(), json_str(var, &format!("option{k}")).to_string()))
            .collect();
        Ok(ProductRecord {
            id,
            title: self.variant_title(json_str(var, "title")),
            price,
            currency: None,
            compare_at_price,
            category: self.category.clone(),
            tags: self.tags.clone(),
            vendor: self.vendor.clone(),
            available: Some(self.available),
            inventory,
            family: self.family(var),
            attributes: option_attributes(&options),
            cost: None,
            kind: None,
        })
    }

    /// "Product - Variant" for one of several variants; the product's title alone for a single one.
    fn variant_title(&self, variant_title: &str) -> String {
        let named = self.multi && !variant_title.is_empty() && variant_title != "Default Title";
        match (self.title.is_empty(), named) {
            (true, _) => variant_title.to_string(),
            (false, true) => format!("{} - {variant_title}", self.title),
            (false, false) => self.title.to_string(),
        }
    }

    /// Variants of one product are a family (its handle, else its id); a single variant is none.
    fn family(&self, variant: &Value) -> Option<String> {
        if !self.multi {
            return None;
        }
        Some(json_str(self.p, "handle").to_string())
            .filter(|h| !h.is_empty())
            .or_else(|| json_id(self.p.get("id")))
            .or_else(|| json_id(variant.get("product_id")))
    }
}

/// An order from an Admin API response (`{"order":..}`) or an `orders/create` webhook body. The id is the
/// numeric `id` as text, the customer `customer.id`. Quantities are as ordered (refunds ignored). A
/// cancelled order comes back with no lines: it was not bought, but it is not an error either.
pub fn order_from_api(v: &Value) -> Result<OrderRecord> {
    let (o, wrapped) = match v.get("order") {
        Some(o) => (o, true),
        None => (v, false),
    };
    let under = |e: Error| if wrapped { e.under("order") } else { e };
    let id = json_id(o.get("id"))
        .or_else(|| Some(json_str(o, "name").to_string()).filter(|n| !n.is_empty()))
        .ok_or_else(|| under(Error::invalid("id", "order has no id")))?;
    let created_at = Some(json_str(o, "created_at").to_string())
        .filter(|c| !c.is_empty())
        .ok_or_else(|| under(Error::invalid("created_at", "order has no created_at")))?;
    let customer_id = o.get("customer").and_then(|c| json_id(c.get("id")));
    let currency = Some(json_str(o, "currency").to_string()).filter(|c| !c.is_empty());
    let items = o
        .get("line_items")
        .and_then(Value::as_array)
        .ok_or_else(|| under(Error::invalid("line_items", "expected an array of line items")))?;
    let cancelled = !matches!(o.get("cancelled_at"), None | Some(Value::Null));
    let voided = json_str(o, "financial_status").eq_ignore_ascii_case("voided");
    let mut lines = Vec::with_capacity(items.len());
    if !(cancelled || voided) {
        for (i, li) in items.iter().enumerate() {
            let at = |e: Error| under(e.under(format!("line_items[{i}]")));
            let sku = li.get("sku").and_then(Value::as_str).map(strip_guard).unwrap_or("");
            let product_id = Some(sku.to_string())
                .filter(|s| !s.is_empty())
                .or_else(|| json_id(li.get("variant_id")))
                .or_else(|| json_id(li.get("product_id")))
                .ok_or_else(|| at(Error::invalid("sku", "line item has no sku, variant_id or product_id")))?;
            let quantity = match li.get("quantity") {
                None => 1,
                Some(q) => {
                    q.as_i64().ok_or_else(|| at(Error::invalid("quantity", format!("{q} is not a whole number"))))?
                }
            };
            if quantity == 0 {
                continue;
            }
            let price = json_money(li.get("price"), "price").map_err(at)?;
            lines.push(OrderLineRecord { product_id, quantity, price });
        }
    }
    Ok(OrderRecord { id, customer_id, created_at, currency, lines })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn converts_export_timestamps() {
        assert_eq!(shopify_time("2021-12-20 06:31:08 -0500").as_deref(), Some("2021-12-20T06:31:08-05:00"));
        assert_eq!(shopify_time("2021-05-13 11:01:12 +0200").as_deref(), Some("2021-05-13T11:01:12+02:00"));
        assert_eq!(shopify_time("2021-05-13 11:01:12 +05:30").as_deref(), Some("2021-05-13T11:01:12+05:30"));
        assert_eq!(shopify_time("2021-05-13 11:01:12 UTC").as_deref(), Some("2021-05-13T11:01:12Z"));
        assert_eq!(shopify_time("2025-01-23T01:59:37-05:00").as_deref(), Some("2025-01-23T01:59:37-05:00"));
        let unix = crate::clock::parse_time(&shopify_time("2021-12-20 06:31:08 -0500").unwrap(), "t").unwrap();
        assert_eq!(unix, crate::clock::parse_time("2021-12-20T11:31:08Z", "t").unwrap());
        assert_eq!(shopify_time("2021-12-20 06:31:08"), None);
        assert_eq!(shopify_time("2021-13-20 06:31:08 -0500"), None);
        assert_eq!(shopify_time("yesterday"), None);
    }

    #[test]
    fn strips_apostrophe_guards() {
        assert_eq!(strip_guard("'0850064060010"), "0850064060010");
        assert_eq!(strip_guard(" 'ABC "), "ABC");
        assert_eq!(strip_guard("AB'C"), "AB'C");
        assert_eq!(strip_guard("'"), "");
        assert_eq!(strip_guard("SKU-1"), "SKU-1");
    }

    #[test]
    fn money_cells() {
        assert_eq!(money_text("25", "p").unwrap(), MoneyInput::Text("25".into()));
        assert_eq!(money_text(" 64.95 ", "p").unwrap(), MoneyInput::Text("64.95".into()));
        for bad in ["", ".", "1e5", "12,50", "$5", "-3", "abc"] {
            assert_eq!(money_text(bad, "Variant Price").unwrap_err().field.as_deref(), Some("Variant Price"), "{bad}");
        }
    }

    #[test]
    fn variants_with_options_get_family_ids_and_attributes() {
        let csv = "Handle,Title,Vendor,Tags,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Variant SKU,Variant Price,Status,Published,Image Src\n\
                   tee,Tee,Acme,\"a, b\",Color,Red,Size,S,,10,active,true,x.jpg\n\
                   tee,,,,,Red,,M,'007,10.50,,,\n\
                   tee,,,,,,,,,,,,y.jpg\n\
                   hat,Hat,,,Title,Default Title,,,,5,draft,true,\n";
        let rows = products_from_csv(csv).unwrap();
        assert_eq!(rows.len(), 3);
        let a = rows[0].1.as_ref().unwrap();
        assert_eq!((rows[0].0, a.id.as_str(), a.title.as_str()), (2, "tee/Red/S", "Tee - Red / S"));
        assert_eq!(a.family.as_deref(), Some("tee"));
        assert_eq!(a.tags, vec!["a", "b"]);
        assert_eq!(a.attributes.get("size"), Some(&AttributeInput::Text("S".into())));
        let b = rows[1].1.as_ref().unwrap();
        assert_eq!((rows[1].0, b.id.as_str(), b.vendor.as_deref()), (3, "007", Some("Acme")));
        let hat = rows[2].1.as_ref().unwrap();
        assert_eq!((rows[2].0, hat.id.as_str(), hat.available, hat.family.as_deref()), (5, "hat", Some(false), None));
        assert!(hat.attributes.is_empty());
    }

    #[test]
    fn gift_cards_and_errors_on_their_lines() {
        let csv = "Handle,Title,Variant Price,Gift Card,Variant Inventory Tracker,Variant Inventory Qty,Variant Inventory Policy\n\
                   card,Gift Card,10,TRUE,shopify,5,deny\n\
                   mug,Mug,4.5,FALSE,shopify,x,deny\n\
                   cup,Cup,,FALSE,,,\n\
                   bowl,Bowl,3,false,shopify,-2,continue\n";
        let rows = products_from_csv(csv).unwrap();
        let card = rows[0].1.as_ref().unwrap();
        assert_eq!((card.kind.as_deref(), card.inventory), (Some("gift_card"), Some(5)));
        let e = rows[1].1.as_ref().unwrap_err();
        assert_eq!((rows[1].0, e.field.as_deref()), (3, Some("Variant Inventory Qty")));
        let e = rows[2].1.as_ref().unwrap_err();
        assert_eq!((rows[2].0, e.field.as_deref()), (4, Some("Variant Price")));
        let bowl = rows[3].1.as_ref().unwrap();
        assert_eq!((bowl.inventory, bowl.kind.as_deref()), (None, None), "oversold with policy continue: untracked");
    }

    #[test]
    fn order_rows_group_by_name_and_skip_what_was_not_bought() {
        let csv = "Name,Email,Financial Status,Currency,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Cancelled at\n\
                   #3,A@Example.com,paid,USD,2024-01-02 10:00:00 +0000,1,Mug - Red,4.50,'0042,\n\
                   #3,A@Example.com,,,2024-01-02 10:00:00 +0000,0,Removed,1.00,,\n\
                   #3,A@Example.com,,,2024-01-02 10:00:00 +0000,2,Cup,3,,\n\
                   #2,b@example.com,refunded,USD,2024-01-01 09:00:00 -0100,1,Cup,3,,2024-01-01 10:00:00 -0100\n\
                   #1,,voided,USD,2024-01-01 08:00:00 +0000,1,Cup,3,,\n\
                   #0,,paid,USD,2024-01-01 07:00:00 +0000,1,Cup,3,,\n\
                   #0,,,,2024-01-01 07:00:00 +0000,two,Mug,3,,\n";
        let rows = orders_from_csv(csv).unwrap();
        assert_eq!(rows.len(), 2, "cancelled #2 and voided #1 are left out");
        let (line, o) = (&rows[0].0, rows[0].1.as_ref().unwrap());
        assert_eq!((*line, o.id.as_str(), o.customer_id.as_deref()), (2, "#3", Some("a@example.com")));
        assert_eq!(o.created_at, "2024-01-02T10:00:00Z");
        assert_eq!(o.currency.as_deref(), Some("USD"));
        let lines: Vec<_> = o.lines.iter().map(|l| (l.product_id.as_str(), l.quantity)).collect();
        assert_eq!(lines, [("0042", 1), ("Cup", 2)], "the apostrophe guard goes, the zero-quantity line too");
        let (line, e) = (&rows[1].0, rows[1].1.as_ref().unwrap_err());
        assert_eq!((*line, e.field.as_deref()), (8, Some("Lineitem quantity")), "the bad row's own line");
    }

    #[test]
    fn cancelled_api_order_has_no_lines() {
        let v = json!({"id": 788032119674292922u64, "created_at": "2025-01-01T00:00:00Z", "cancelled_at": "2025-01-02T00:00:00Z",
                       "line_items": [{"sku": "A", "quantity": 1, "price": "1.00"}]});
        let o = order_from_api(&v).unwrap();
        assert_eq!(o.id, "788032119674292922");
        assert!(o.lines.is_empty());
    }
}
