//! Reading products and orders from files or in-memory JSON, in every format a shop hands us.
//! The format is detected from the content, never configured: documented JSON Lines, Shopify's product and
//! order export CSVs, Shopify Admin API / webhook JSON, and a generic line-per-row orders CSV.

mod chunks;
mod csv_generic;
mod currency;
mod detect;
pub mod shopify;

pub use currency::{read_catalog, CatalogRead, CurrencyOrigin};
pub use detect::Format;

use crate::catalog::{ProductData, ProductRecord};
use crate::error::{Error, Result};
use crate::money::Currency;
use crate::orders::{Order, OrderOf, OrderRecord, OrderText};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// How strict a load is. By default the first bad row fails the whole load (nothing half-applied).
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    /// Skip bad rows instead of failing; they are counted in the report with their reasons.
    pub skip_invalid: bool,
    /// Currency for records that do not name one.
    pub currency: Currency,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions { skip_invalid: false, currency: Currency::USD }
    }
}

/// Where records come from: a file path, or records already in memory (from a binding or a JSON request).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Source {
    Path(String),
    Records(Vec<serde_json::Value>),
}

// A [`Source`] as the schema describes it: a path, or records of the input's kind `T` (in memory the core keeps
// them as JSON values until the input's loader reads them, so each input names its own record type). Described
// by the field that holds it.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[schemars(inline, untagged)]
#[allow(dead_code)] // described, never built
pub(crate) enum SourceOf<T> {
    Path(String),
    Records(Vec<T>),
}

/// One in-memory product: cartlift's record, or a Shopify Admin API / webhook product (read as its variants).
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[schemars(inline, untagged)]
#[allow(dead_code, clippy::large_enum_variant)] // described, never built
pub(crate) enum ProductInput {
    Record(ProductRecord),
    Shopify(shopify::ShopifyProduct),
}

/// One in-memory order: cartlift's record, or a Shopify Admin API order / webhook body.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[schemars(inline, untagged)]
#[allow(dead_code)] // described, never built
pub(crate) enum OrderInput {
    Record(OrderRecord),
    Shopify(shopify::ShopifyOrder),
}

/// A row that `skip_invalid` left out, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Skipped {
    pub line: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub message: String,
}

/// What a load read: counts, the detected format and the skipped rows (the first 20 reasons are kept).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LoadReport {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The detected format (`json_lines`, `shopify_orders_csv`, ...).
    pub format: String,
    /// Rows read, and rows `skip_invalid` left out.
    pub loaded: usize,
    pub skipped: usize,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped_reasons: Vec<Skipped>,
}

const KEPT_REASONS: usize = 20;

/// Validated records plus the report of their load. Each record keeps its 1-based source line.
#[derive(Debug)]
pub struct Loaded<T> {
    pub records: Vec<(T, u64)>,
    pub report: LoadReport,
}

/// Keeps what rows read so far: the report, and the first error unless skipping is on.
struct Collector<'a> {
    report: LoadReport,
    file: Option<&'a str>,
    opts: &'a LoadOptions,
}

impl<'a> Collector<'a> {
    fn new(file: Option<&'a str>, format: Format, opts: &'a LoadOptions) -> Self {
        let report =
            LoadReport { file: file.map(str::to_string), format: format.name().to_string(), ..Default::default() };
        Collector { report, file, opts }
    }

    /// The good rows of `rows`: fail on the first error (naming file and line) unless skipping is on.
    fn take<T>(&mut self, rows: Vec<(u64, Result<T>)>) -> Result<Vec<(T, u64)>> {
        let mut records = Vec::with_capacity(rows.len());
        for (line, row) in rows {
            match row {
                Ok(r) => records.push((r, line)),
                Err(e) if self.opts.skip_invalid => {
                    self.report.skipped += 1;
                    if self.report.skipped_reasons.len() < KEPT_REASONS {
                        self.report.skipped_reasons.push(Skipped { line, field: e.field, message: e.message });
                    }
                }
                Err(e) => {
                    let e = e.at_line(line);
                    return Err(match self.file {
                        Some(f) => e.in_file(f),
                        None => e,
                    });
                }
            }
        }
        self.report.loaded += records.len();
        Ok(records)
    }
}

/// Parsed rows with their 1-based source line (or array position).
type Rows<R> = Vec<(u64, Result<R>)>;

/// Raw records of one kind, before validation against the catalog currency.
pub(crate) enum RawRows<T> {
    Rows(Vec<(u64, Result<T>)>),
}

fn read_file(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    String::from_utf8(bytes).map_err(|e| {
        Error::invalid("", format!("file is not UTF-8 text (byte {})", e.utf8_error().valid_up_to()))
            .in_file(path.display().to_string())
    })
}

/// Products as (validated product, the currency its record names: `None` when it names none and its money was
/// read in `LoadOptions::currency`).
pub type ProductRow = (ProductData, Option<Currency>);

/// Load products from a source in any supported format.
pub fn load_products(source: &Source, opts: &LoadOptions) -> Result<Loaded<ProductRow>> {
    let validate = |rec: ProductRecord| {
        let named = rec.currency.is_some();
        rec.validate(opts.currency).map(|(p, c)| (p, named.then_some(c)))
    };
    load(source, opts, "products", product_rows, product_values, validate)
}

/// Load orders from a source in any supported format, validating money in `currency`.
pub fn load_orders(source: &Source, currency: Currency, opts: &LoadOptions) -> Result<Loaded<Order>> {
    let mut records = Vec::new();
    let report = stream_orders(source, currency, opts, &mut |chunk| records.extend(chunk))?;
    Ok(Loaded { records, report })
}

/// [`load_orders`] a piece at a time: `take` receives each piece's orders in source order and may drop them,
/// so a JSON Lines history is never held whole. Fails on the first bad row unless skipping is on; pieces
/// before it have been handed out (the caller applies nothing until this returns).
pub fn stream_orders(
    source: &Source,
    currency: Currency,
    opts: &LoadOptions,
    take: &mut (dyn FnMut(Vec<(Order, u64)>) + Send),
) -> Result<LoadReport> {
    stream_orders_of(source, currency, opts, &str::to_owned, take)
}

/// [`stream_orders`] with each line's product id turned into `P` by `product` while the line is read: a
/// JSON Lines history is then read without a copy of any product id.
pub fn stream_orders_of<P: Send>(
    source: &Source,
    currency: Currency,
    opts: &LoadOptions,
    product: &(dyn Fn(&str) -> P + Sync),
    take: &mut (dyn FnMut(Vec<(OrderOf<P>, u64)>) + Send),
) -> Result<LoadReport> {
    let validate = |rec: OrderRecord| rec.validate(currency).map(|o| o.map_products(product));
    let Source::Path(p) = source else {
        let loaded = load(source, opts, "orders", order_rows, order_values, validate)?;
        take(loaded.records);
        return Ok(loaded.report);
    };
    let path = Path::new(p);
    let mut chunks = chunks::LineChunks::open(path)?;
    let first = chunks.next_chunk()?.map_or(String::new(), |c| c.text);
    let format = detect::detect(&first).map_err(|e| e.in_file(p.clone()))?;
    let mut collector = Collector::new(Some(p), format, opts);
    if format != Format::JsonLines {
        let text = first + &chunks.rest()?.map_or(String::new(), |c| c.text);
        let RawRows::Rows(rows) = order_rows(&text, format).map_err(|e| e.in_file(p.clone()))?;
        take(collector.take(rows.into_par_iter().map(|(n, r)| (n, r.and_then(validate))).collect())?);
        return Ok(collector.report);
    }
    // A pipeline: while one piece is parsed, the orders of the one before are taken and the next piece is read
    // (both sequential work that would leave a core idle). A piece's errors are reported before the next
    // piece's, as without the pipeline.
    let mut chunk = Some(chunks::Chunk { first_line: 1, text: first });
    let mut parsed: Option<Vec<(OrderOf<P>, u64)>> = None;
    while let Some(c) = chunk {
        let (next, rows) = rayon::join(
            || {
                if let Some(orders) = parsed.take() {
                    take(orders);
                }
                chunks.next_chunk()
            },
            || json_lines_orders(&c, currency, product),
        );
        parsed = Some(collector.take(rows)?);
        chunk = next?;
    }
    if let Some(orders) = parsed {
        take(orders);
    }
    Ok(collector.report)
}

/// The orders of one piece of a JSON Lines file, parsed in parallel, with their file line numbers.
fn json_lines_orders<P: Send>(
    c: &chunks::Chunk,
    currency: Currency,
    product: &(dyn Fn(&str) -> P + Sync),
) -> Rows<OrderOf<P>> {
    json_lines(&c.text)
        .into_par_iter()
        .map(|(n, l)| (n + c.first_line - 1, order_from_json_line(l, currency, product)))
        .collect()
}

/// The order records of one orders file's `text`, in any format [`load_orders`] reads (detected from the
/// content: JSON Lines, a JSON document, Shopify's order export CSV, the generic orders CSV), parsed and grouped
/// into orders but not yet validated: what a sharded run reads a CSV export with, a whole file at a time, before
/// it moves the orders on as records. Fails on the first row that does not parse, naming `file` and its line,
/// unless `skip_invalid` leaves such rows out (orders are validated where they are counted).
pub fn order_records(text: &str, file: &str, skip_invalid: bool) -> Result<Vec<OrderRecord>> {
    let format = detect::detect(text).map_err(|e| e.in_file(file))?;
    let RawRows::Rows(rows) = order_rows(text, format).map_err(|e| e.in_file(file))?;
    let opts = LoadOptions { skip_invalid, ..LoadOptions::default() };
    let records = Collector::new(Some(file), format, &opts).take(rows)?;
    Ok(records.into_iter().map(|(r, _)| r).collect())
}

/// The one loading path: read and detect (files) or take records (memory), parse rows, validate in parallel,
/// then fail on the first bad row or skip and report.
fn load<R: Send, T: Send>(
    source: &Source,
    opts: &LoadOptions,
    array: &str,
    rows_of: fn(&str, Format) -> Result<RawRows<R>>,
    values_of: fn(&[serde_json::Value]) -> Rows<R>,
    validate: impl Fn(R) -> Result<T> + Sync,
) -> Result<Loaded<T>> {
    let (rows, file, format) = match source {
        Source::Path(p) => {
            let text = read_file(Path::new(p))?;
            let format = detect::detect(&text).map_err(|e| e.in_file(p.clone()))?;
            let RawRows::Rows(rows) = rows_of(&text, format).map_err(|e| e.in_file(p.clone()))?;
            (rows, Some(p.as_str()), format)
        }
        Source::Records(values) => (values_of(values), None, Format::InMemory),
    };
    let validated = rows
        .into_par_iter()
        .map(|(line, r)| (line, in_memory_field(r.and_then(&validate), format, array, line)))
        .collect();
    let mut collector = Collector::new(file, format, opts);
    let records = collector.take(validated)?;
    Ok(Loaded { records, report: collector.report })
}

/// In memory there are no lines to point at: name the array element instead (`products[3].price`).
fn in_memory_field<T>(r: Result<T>, format: Format, array: &str, line: u64) -> Result<T> {
    match format {
        Format::InMemory => r.map_err(|e| e.under(format!("{array}[{}]", line - 1))),
        _ => r,
    }
}

/// Split JSON Lines text into (line number, line) pairs, skipping blank lines.
fn json_lines(text: &str) -> Vec<(u64, &str)> {
    text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).map(|(i, l)| (i as u64 + 1, l)).collect()
}

/// A single JSON document: an array of records, or one record (a pretty-printed webhook body).
fn json_document(text: &str) -> Result<Vec<serde_json::Value>> {
    Ok(match serde_json::from_str(text)? {
        serde_json::Value::Array(a) => a,
        other => vec![other],
    })
}

fn product_rows(text: &str, format: Format) -> Result<RawRows<ProductRecord>> {
    let rows = match format {
        Format::JsonLines => json_lines(text)
            .into_par_iter()
            .map(|(n, l)| (n, product_from_json_text(l)))
            .flat_map_iter(|(n, r)| explode(n, r))
            .collect(),
        Format::JsonDocument => product_values(&json_document(text)?),
        Format::ShopifyProductsCsv => shopify::products_from_csv(text)?,
        Format::GenericProductsCsv => csv_generic::products_from_csv(text)?,
        Format::ShopifyOrdersCsv | Format::GenericOrdersCsv => {
            return Err(Error::invalid("", format!("this is an orders file ({}), not products", format.name())))
        }
        Format::InMemory => unreachable!("in-memory sources are not text"),
    };
    Ok(RawRows::Rows(rows))
}

fn order_rows(text: &str, format: Format) -> Result<RawRows<OrderRecord>> {
    let rows = match format {
        Format::JsonLines => json_lines(text).into_par_iter().map(|(n, l)| (n, order_from_json_text(l))).collect(),
        Format::JsonDocument => order_values(&json_document(text)?),
        Format::ShopifyOrdersCsv => shopify::orders_from_csv(text)?,
        Format::GenericOrdersCsv => csv_generic::orders_from_csv(text)?,
        Format::ShopifyProductsCsv | Format::GenericProductsCsv => {
            return Err(Error::invalid("", format!("this is a products file ({}), not orders", format.name())))
        }
        Format::InMemory => unreachable!("in-memory sources are not text"),
    };
    Ok(RawRows::Rows(rows))
}

/// One JSON value may hold several products (a Shopify product with variants); spread them over the same line.
fn explode(line: u64, r: Result<Vec<ProductRecord>>) -> Vec<(u64, Result<ProductRecord>)> {
    match r {
        Ok(v) => v.into_iter().map(|p| (line, Ok(p))).collect(),
        Err(e) => vec![(line, Err(e))],
    }
}

/// Fast path first: a documented record parses straight from text; only when that fails is the line looked at
/// as a generic value (a Shopify payload, or an error worth reporting precisely).
fn product_from_json_text(line: &str) -> Result<Vec<ProductRecord>> {
    if let Ok(rec) = serde_json::from_str::<ProductRecord>(line) {
        return Ok(vec![rec]);
    }
    let v: serde_json::Value = serde_json::from_str(line)?;
    products_from_value(&v)
}

/// A validated order from one JSON Lines line: read in place when it is a documented record, else as
/// [`order_from_json_text`] reads it (with the same errors).
fn order_from_json_line<P>(line: &str, currency: Currency, product: impl Fn(&str) -> P) -> Result<OrderOf<P>> {
    match serde_json::from_str::<OrderText>(line) {
        Ok(order) => order.validate(currency, product),
        Err(_) => order_from_json_text(line).and_then(|rec| rec.validate(currency)).map(|o| o.map_products(product)),
    }
}

fn order_from_json_text(line: &str) -> Result<OrderRecord> {
    if let Ok(rec) = serde_json::from_str::<OrderRecord>(line) {
        return Ok(rec);
    }
    let v: serde_json::Value = serde_json::from_str(line)?;
    order_from_value(&v)
}

/// A product value is either cartlift's documented record or a Shopify Admin API product / variants payload.
fn products_from_value(v: &serde_json::Value) -> Result<Vec<ProductRecord>> {
    if shopify::is_api_product(v) {
        shopify::products_from_api(v)
    } else {
        Ok(vec![crate::json::from_value::<ProductRecord>(v)?])
    }
}

/// An order value is either cartlift's documented record or a Shopify Admin API order / webhook body.
fn order_from_value(v: &serde_json::Value) -> Result<OrderRecord> {
    if shopify::is_api_order(v) {
        shopify::order_from_api(v)
    } else {
        crate::json::from_value::<OrderRecord>(v)
    }
}

fn product_values(values: &[serde_json::Value]) -> Vec<(u64, Result<ProductRecord>)> {
    values.iter().enumerate().flat_map(|(i, v)| explode(i as u64 + 1, products_from_value(v))).collect()
}

fn order_values(values: &[serde_json::Value]) -> Vec<(u64, Result<OrderRecord>)> {
    values.par_iter().enumerate().map(|(i, v)| (i as u64 + 1, order_from_value(v))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The in-place reader of a JSON Lines order and the owned record agree on every order and every error.
    #[test]
    fn a_json_line_reads_as_its_record_does() {
        let lines = [
            r#"{"id":"1","customer_id":"c\u0031","created_at":"2024-01-01T00:00:00Z","lines":[{"product_id":"A\u0042"}]}"#,
            r#"{"id":7,"customer_id":9,"created_at":"2024-01-01T00:00:00Z","lines":[{"product_id":12,"price":3}]}"#,
            r#"{"id":"2","created_at":"2024-01-01T00:00:00Z","currency":"USD","lines":[{"product_id":"A","price":"1.5"}]}"#,
            r#"{"id":"3","customer_id":null,"created_at":"2024-01-01T00:00:00Z","lines":[{"product_id":"A","quantity":2}]}"#,
            r#"{"id":"4","created_at":"2024-01-01T00:00:00Z","lines":[{"product_id":"A"},{"product_id":"B","quantity":0}]}"#,
            r#"{"id":"5","created_at":"2024-01-01T00:00:00Z","lines":[{"product_id":"A","price":1.25}]}"#,
            r#"{"id":"6","created_at":"2024-01-01T00:00:00Z","currency":"EUR","lines":[]}"#,
            r#"{"id":" ","created_at":"2024-01-01T00:00:00Z","lines":[]}"#,
            r#"{"id":"8","created_at":"yesterday","lines":[]}"#,
            r#"{"id":"9","created_at":"2024-01-01T00:00:00Z","lines":[{"product_id":"A","price":"1.234"}]}"#,
        ];
        for line in lines {
            let fast = order_from_json_line(line, Currency::USD, str::to_owned);
            let slow = order_from_json_text(line).and_then(|r| r.validate(Currency::USD));
            match (fast, slow) {
                (Ok(f), Ok(s)) => assert_eq!(f, s, "{line}"),
                (Err(f), Err(s)) => assert_eq!((f.code, f.field, f.message), (s.code, s.field, s.message), "{line}"),
                (f, s) => panic!("{line}: {f:?} against {s:?}"),
            }
            assert!(serde_json::from_str::<OrderText>(line).is_ok(), "{line} takes the in-place path");
        }
    }
}
