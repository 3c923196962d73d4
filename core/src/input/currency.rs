//! The currency a trained catalog is in. Config decides; else the products that name one; else the one currency
//! the orders name: Shopify's product CSV has no currency column, so a shop exporting INR or ZAR orders would
//! otherwise fail against a USD default. Orders in several currencies are an error that says what to do.

use super::{chunks, detect, order_rows, order_values, Format, LoadOptions, LoadReport, RawRows, Source};
use crate::catalog::Catalog;
use crate::config::Config;
use crate::error::{Error, ErrorCode, Result};
use crate::money::Currency;
use crate::orders::OrderRecord;
use std::path::Path;

/// What decided the catalog's currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurrencyOrigin {
    /// `config.currency`.
    Config,
    /// A product record names it.
    Products,
    /// Neither config nor the products name one: the one currency the orders name.
    Orders,
    /// Nothing names one: USD.
    Default,
}

/// The catalog read for training, and what decided its currency.
pub struct CatalogRead {
    pub catalog: Catalog,
    pub report: LoadReport,
    pub origin: CurrencyOrigin,
}

/// Read the products into a catalog whose currency is config's, else the products', else the orders' one
/// currency (peeked at before the orders are read; not for orders from a pipe), else USD.
pub fn read_catalog(
    products: &Source,
    orders: Option<&Source>,
    config: &Config,
    skip_invalid: bool,
) -> Result<CatalogRead> {
    let configured = config.named_currency()?;
    let mut opts = LoadOptions { skip_invalid, currency: configured.unwrap_or(Currency::USD) };
    let mut loaded = super::load_products(products, &opts)?;
    let named = loaded.records.iter().find_map(|((_, c), _)| *c);
    let origin = match (configured, named, orders) {
        (Some(_), _, _) => CurrencyOrigin::Config,
        (None, Some(_), _) => CurrencyOrigin::Products,
        (None, None, Some(orders)) if can_peek(orders) => match the_orders_currency(orders)? {
            Some(c) => {
                // Prices were read with the default's decimals; JPY has none, KWD three.
                if c != opts.currency {
                    opts.currency = c;
                    loaded = super::load_products(products, &opts)?;
                }
                CurrencyOrigin::Orders
            }
            None => CurrencyOrigin::Default,
        },
        (None, None, _) => CurrencyOrigin::Default,
    };
    // config.currency, else the first product's currency; a product in another one is a mismatch naming its line.
    let currency = configured.or_else(|| loaded.records.first().and_then(|((_, c), _)| *c)).unwrap_or(opts.currency);
    let items = loaded.records.into_iter().map(|((p, c), line)| (p, c.unwrap_or(opts.currency), line)).collect();
    let catalog = Catalog::build(currency, items).map_err(|e| match products {
        Source::Path(p) => e.in_file(p.clone()),
        Source::Records(_) => {
            let at = format!("products[{}]", e.line.unwrap_or(1) - 1);
            e.under(at)
        }
    })?;
    Ok(CatalogRead { catalog, report: loaded.report, origin })
}

/// Whether the orders can be looked at before they are read: records in memory and regular files, not a pipe
/// (whose first read would consume what training then reads).
fn can_peek(orders: &Source) -> bool {
    match orders {
        Source::Records(_) => true,
        Source::Path(p) => std::fs::metadata(p).is_ok_and(|m| m.is_file()),
    }
}

/// The one currency the orders name (`None` when they name none), or a `currency_mismatch` error when they
/// name several.
fn the_orders_currency(orders: &Source) -> Result<Option<Currency>> {
    let named = order_currencies(orders)?;
    match named[..] {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        _ => {
            let list: Vec<&str> = named.iter().map(Currency::code).collect();
            let e = Error::new(
                ErrorCode::CurrencyMismatch,
                format!(
                    "the orders are in several currencies ({}) and neither the products nor config.currency name \
                     one: set config.currency to the shop's currency and train on that currency's orders",
                    list.join(", ")
                ),
            )
            .with_field("currency");
            Err(match orders {
                Source::Path(p) => e.in_file(p.clone()),
                Source::Records(_) => e,
            })
        }
    }
}

/// The currencies orders name, in order of first appearance: of every order of a file read whole or of records
/// in memory; of the first piece of a JSON Lines file, which is streamed (a later order in another currency
/// fails its validation, with [`CurrencyOrigin::hint`]). Rows that do not parse are left to the load, which
/// reports them.
fn order_currencies(orders: &Source) -> Result<Vec<Currency>> {
    let rows = match orders {
        Source::Records(values) => order_values(values),
        Source::Path(p) => {
            let mut chunks = chunks::LineChunks::open(Path::new(p))?;
            let first = chunks.next_chunk()?.map_or(String::new(), |c| c.text);
            let format = detect::detect(&first).map_err(|e| e.in_file(p.clone()))?;
            let text = match format {
                Format::JsonLines => first,
                _ => first + &chunks.rest()?.map_or(String::new(), |c| c.text),
            };
            let RawRows::Rows(rows) = order_rows(&text, format).map_err(|e| e.in_file(p.clone()))?;
            rows
        }
    };
    let mut named: Vec<Currency> = Vec::new();
    let codes = rows.iter().filter_map(|(_, r)| r.as_ref().ok().and_then(|o: &OrderRecord| o.currency.as_deref()));
    for c in codes.filter_map(|code| Currency::parse(code).ok()) {
        if !named.contains(&c) {
            named.push(c);
        }
    }
    Ok(named)
}

impl CurrencyOrigin {
    /// A `currency_mismatch` of an order, with where the catalog's currency came from and what to do.
    pub fn hint(self, e: Error) -> Error {
        if e.code != ErrorCode::CurrencyMismatch {
            return e;
        }
        let (why, fix) = match self {
            CurrencyOrigin::Config => {
                ("config.currency sets the catalog's currency", "set it to the orders' currency, or leave it out")
            }
            CurrencyOrigin::Products => {
                ("the products are priced in the catalog's currency", "train on products and orders in one currency")
            }
            CurrencyOrigin::Orders => (
                "the catalog's currency was taken from the first orders, as neither the products nor config.currency \
                 name one, but the orders are in several currencies",
                "set config.currency to the shop's currency and train on that currency's orders",
            ),
            CurrencyOrigin::Default => (
                "neither config.currency, the products nor the first orders name a currency, so the catalog is in USD",
                "set config.currency to the orders' currency",
            ),
        };
        let message = format!("{} ({why}): {fix}", e.message);
        Error { message, ..e }
    }
}
