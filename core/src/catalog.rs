//! The catalog: products as the shop describes them, interned to dense `u32` indexes for the model.

use crate::catalog_groups::Groups;
use crate::catalog_ids::IdIndex;
use crate::catalog_view::{AttrRow, Row, NONE};
use crate::error::{Error, ErrorCode, Result};
use crate::flat::{Column, Csr, Texts, TextsBuilder};
use crate::money::{Currency, Money, MoneyInput};
use ahash::AHashMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Dense index of a product inside one engine (position in `Catalog::products`).
pub type ProductIdx = u32;

/// A product attribute value as the shop sends it (`"storage_gb": 256`, `"print": true`, `"color": "red"`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum AttributeInput {
    Bool(bool),
    Number(f64),
    Text(String),
}

/// A stored attribute value, as a product reads it (text borrowed from the catalog).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Attribute<'a> {
    Bool(bool),
    Number(f64),
    Text(&'a str),
}

impl Attribute<'_> {
    /// Back to the edge JSON form.
    pub fn to_json(self) -> serde_json::Value {
        match self {
            Attribute::Bool(b) => serde_json::Value::Bool(b),
            Attribute::Number(n) => serde_json::json!(n),
            Attribute::Text(t) => serde_json::Value::String(t.to_string()),
        }
    }
}

/// One product line of the products JSON Lines input (the documented schema).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ProductRecord {
    #[serde(deserialize_with = "crate::orders::id_string")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::orders::IdInput"))]
    pub id: String,
    #[serde(default)]
    pub title: String,
    pub price: MoneyInput,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare_at_price: Option<MoneyInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inventory: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, AttributeInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<MoneyInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// A validated product, before it joins a catalog. Money in minor units of the catalog currency.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductData {
    pub id: String,
    pub title: String,
    pub price: i64,
    pub compare_at_price: Option<i64>,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub vendor: Option<String>,
    pub available: bool,
    pub inventory: Option<i64>,
    pub family: Option<String>,
    /// Sorted by name (a BTreeMap turned into pairs) so comparisons come out in a stable order.
    pub attributes: Vec<(String, AttributeInput)>,
    pub cost: Option<i64>,
    pub kind: Option<String>,
}

impl ProductData {
    pub fn in_stock(&self) -> bool {
        self.available && self.inventory.is_none_or(|n| n > 0)
    }
    pub fn attribute(&self, name: &str) -> Option<&AttributeInput> {
        self.attributes.iter().find(|(n, _)| n == name).map(|(_, a)| a)
    }
}

pub use crate::catalog_view::{Product, Tags};

impl ProductRecord {
    /// Validate one record against the catalog currency. `default_currency` applies when the record names none.
    pub fn validate(&self, default_currency: Currency) -> Result<(ProductData, Currency)> {
        if self.id.trim().is_empty() {
            return Err(Error::invalid("id", "product id is empty"));
        }
        let currency = match &self.currency {
            Some(c) => Currency::parse(c)?,
            None => default_currency,
        };
        let price = self.price.to_minor(currency, "price")?;
        if price < 0 {
            return Err(Error::invalid("price", "price is negative"));
        }
        let money = |m: &Option<MoneyInput>, field: &str| -> Result<Option<i64>> {
            match m {
                None => Ok(None),
                Some(m) => {
                    let v = m.to_minor(currency, field)?;
                    if v < 0 {
                        return Err(Error::invalid(field, format!("{field} is negative")));
                    }
                    Ok(Some(v))
                }
            }
        };
        let product = ProductData {
            id: self.id.clone(),
            title: self.title.clone(),
            price,
            compare_at_price: money(&self.compare_at_price, "compare_at_price")?,
            category: self.category.clone().filter(|c| !c.is_empty()),
            tags: self.tags.clone(),
            vendor: self.vendor.clone().filter(|v| !v.is_empty()),
            available: self.available.unwrap_or(true),
            inventory: self.inventory,
            family: self.family.clone().filter(|f| !f.is_empty()),
            attributes: self.attributes.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            cost: money(&self.cost, "cost")?,
            kind: self.kind.clone().filter(|k| !k.is_empty()),
        };
        Ok((product, currency))
    }
}

/// All products of one shop in one currency, stored as flat tables (read in place from a mapped model file):
/// one fixed-size row per product, strings in one table, tags and attributes as lists per product, and a hash
/// table of the ids for lookups.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Catalog {
    pub currency: Currency,
    rows: Column<Row>,
    texts: Texts,
    tags: Csr<u32>,
    attributes: Csr<AttrRow>,
    ids: IdIndex,
    /// Derived from the rows on first use (never stored); reset whenever a product changes.
    #[serde(skip)]
    shelf: std::sync::OnceLock<Shelf>,
    /// Derived on first use (never stored); reset whenever a product changes.
    #[serde(skip)]
    groups: std::sync::OnceLock<Groups>,
}

/// "No category" or "no family" in a [`ShelfRow`].
pub const NO_GROUP: u32 = u32::MAX;

/// What a query's hot checks read of one product, packed small: a query looks at hundreds of candidates among
/// many thousands of products, and reading each one's full record was a cache miss per candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShelfRow {
    pub price: i64,
    /// The category and the family as ids (equal names, equal ids), or [`NO_GROUP`].
    pub category: u32,
    pub family: u32,
}

/// The product rows, and which products can be suggested at all (in stock and not a gift card) as one bit
/// each: the first check of every candidate, on a set small enough to stay cached.
#[derive(Debug, Clone, Default)]
pub struct Shelf {
    rows: Column<Row>,
    sellable: fixedbitset::FixedBitSet,
}

impl Shelf {
    fn build(catalog: &Catalog) -> Shelf {
        let mut sellable = fixedbitset::FixedBitSet::with_capacity(catalog.len());
        sellable.extend(catalog.rows.iter().enumerate().filter(|(_, r)| r.sellable(&catalog.texts)).map(|(i, _)| i));
        Shelf { rows: catalog.rows.clone(), sellable }
    }

    pub fn row(&self, idx: ProductIdx) -> ShelfRow {
        let r = &self.rows[idx as usize];
        ShelfRow { price: r.price, category: r.category, family: r.family }
    }

    pub fn sellable(&self, idx: ProductIdx) -> bool {
        self.sellable.contains(idx as usize)
    }
}

impl Catalog {
    /// Check a read catalog: every product index in range, every amount in the money range (what `build`
    /// guarantees for a catalog made from records). Strings and lists out of range read as empty.
    pub fn check(&self) -> Result<()> {
        let n = self.rows.len();
        if self.tags.len() != n || self.attributes.len() != n {
            return Err(Error::corrupt("catalog tables do not match its products"));
        }
        self.ids.check(n)?;
        let in_range = |a: i64| a == NONE || (0..=crate::money::MAX_AMOUNT_MINOR).contains(&a);
        match self
            .rows
            .iter()
            .position(|r| !in_range(r.price) || r.price == NONE || !in_range(r.compare_at) || !in_range(r.cost))
        {
            Some(i) => Err(Error::corrupt(format!(
                "catalog product {:?} has an amount out of range",
                self.product(i as u32).id
            ))),
            None => Ok(()),
        }
    }

    /// Build from validated products. A later duplicate id replaces the earlier one (a re-export wins).
    /// `lines` gives each product's source line for error messages.
    pub fn build(currency: Currency, items: Vec<(ProductData, Currency, u64)>) -> Result<Catalog> {
        let mut products: Vec<ProductData> = Vec::with_capacity(items.len());
        let mut index: AHashMap<String, usize> = AHashMap::with_capacity(items.len());
        for (p, cur, line) in items {
            if cur != currency {
                return Err(Error::new(
                    ErrorCode::CurrencyMismatch,
                    format!("product {:?} is priced in {cur} but the catalog is in {currency}", p.id),
                )
                .with_field("currency")
                .at_line(line));
            }
            match index.get(&p.id) {
                Some(&i) => products[i] = p,
                None => {
                    index.insert(p.id.clone(), products.len());
                    products.push(p);
                }
            }
        }
        Ok(Catalog::from_products(currency, &products))
    }

    /// The flat tables of products with distinct ids.
    fn from_products(currency: Currency, products: &[ProductData]) -> Catalog {
        let mut texts = TextsBuilder::default();
        let rows: Column<Row> = products.iter().map(|p| Row::new(p, &mut texts)).collect();
        let tags = Csr::from_rows(products.iter().map(|p| p.tags.iter().map(|t| texts.intern(t)).collect::<Vec<_>>()));
        let attributes = Csr::from_rows(
            products
                .iter()
                .map(|p| p.attributes.iter().map(|(n, v)| AttrRow::new(n, v, &mut texts)).collect::<Vec<_>>()),
        );
        let ids = IdIndex::build(products.iter().map(|p| p.id.as_str()));
        let texts = texts.finish();
        Catalog { currency, rows, texts, tags, attributes, ids, shelf: Default::default(), groups: Default::default() }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
    pub fn get(&self, id: &str) -> Option<ProductIdx> {
        self.ids.get(id, |i| self.id_bytes(i))
    }
    /// [`Catalog::get`] of each of `ids`, faster than one at a time (see [`IdIndex::get_many`]).
    pub fn get_many(&self, ids: &[&str]) -> Vec<Option<ProductIdx>> {
        self.ids.get_many(ids, |i| self.id_bytes(i))
    }
    /// The id of the product at `idx` as bytes ("" out of range): for lookups and id order, without the
    /// UTF-8 check of [`Catalog::id`].
    pub fn id_bytes(&self, idx: ProductIdx) -> &[u8] {
        self.rows.get(idx as usize).map_or(&[], |r| self.texts.get_bytes(r.id as usize))
    }
    /// The id of the product at `idx`, read alone (a [`Product`] view reads every field).
    pub fn id(&self, idx: ProductIdx) -> &str {
        self.texts.get(self.rows[idx as usize].id as usize)
    }
    /// The title of the product at `idx`, read alone.
    pub fn title(&self, idx: ProductIdx) -> &str {
        self.texts.get(self.rows[idx as usize].title as usize)
    }
    /// The category of the product at `idx`, read alone.
    pub fn category(&self, idx: ProductIdx) -> Option<&str> {
        self.optional_text(self.rows[idx as usize].category)
    }
    /// The vendor of the product at `idx`, read alone.
    pub fn vendor(&self, idx: ProductIdx) -> Option<&str> {
        self.optional_text(self.rows[idx as usize].vendor)
    }
    fn optional_text(&self, at: u32) -> Option<&str> {
        (at != crate::catalog_view::NO_TEXT).then(|| self.texts.get(at as usize))
    }
    /// The product's tags and vendor as positions in the catalog's interned texts (equal strings, equal
    /// positions): what tallies them without reading a string. [`Catalog::text`] reads one.
    pub(crate) fn tag_and_vendor_texts(&self, idx: ProductIdx) -> (&[u32], Option<u32>) {
        let vendor = self.rows[idx as usize].vendor;
        (self.tags.row(idx as usize), (vendor != crate::catalog_view::NO_TEXT).then_some(vendor))
    }
    /// The interned text at `at` (a position [`Catalog::tag_and_vendor_texts`] gave).
    pub(crate) fn text(&self, at: u32) -> &str {
        self.texts.get(at as usize)
    }
    /// The tags of the product at `idx`, read alone.
    pub fn tags(&self, idx: ProductIdx) -> Tags<'_> {
        Tags::new(&self.texts, self.tags.row(idx as usize))
    }
    /// The title of the product at `idx`, or its id when it has none, read alone.
    pub fn name(&self, idx: ProductIdx) -> &str {
        match self.title(idx) {
            "" => self.id(idx),
            title => title,
        }
    }
    /// The price of the product at `idx`, read alone.
    pub fn price(&self, idx: ProductIdx) -> i64 {
        self.rows[idx as usize].price
    }
    /// Whether the product at `idx` is in stock ([`Product::in_stock`]), read alone.
    pub fn in_stock(&self, idx: ProductIdx) -> bool {
        self.rows[idx as usize].in_stock()
    }
    /// In stock and not a gift card ([`Shelf::sellable`]), read alone.
    pub fn sellable(&self, idx: ProductIdx) -> bool {
        self.rows[idx as usize].sellable(&self.texts)
    }
    /// The product at `idx` (an index this catalog gave out).
    pub fn product(&self, idx: ProductIdx) -> Product<'_> {
        let i = idx as usize;
        Product::new(&self.rows[i], &self.texts, self.tags.row(i), self.attributes.row(i))
    }
    /// Every product in index order.
    pub fn products(&self) -> impl ExactSizeIterator<Item = Product<'_>> + '_ {
        (0..self.len() as ProductIdx).map(|i| self.product(i))
    }
    /// The compact per-product rows of the hot checks (built on first use).
    pub fn shelf(&self) -> &Shelf {
        self.shelf.get_or_init(|| Shelf::build(self))
    }
    /// The products by family and by category (built on first use).
    pub fn groups(&self) -> &Groups {
        self.groups.get_or_init(|| Groups::build(self))
    }
    pub fn money(&self, minor: i64) -> Money {
        Money::new(minor, self.currency)
    }
    /// Look up a product a request needs to know, or fail with `unknown_product` naming the field.
    pub fn require(&self, id: &str, field: &str) -> Result<ProductIdx> {
        self.get(id).ok_or_else(|| Error::unknown_product(field, id))
    }
    /// A product's row to change in place (used by `Engine::update_products` on a private copy).
    pub(crate) fn row_mut(&mut self, idx: ProductIdx) -> &mut Row {
        self.shelf = Default::default();
        self.groups = Default::default();
        &mut self.rows.make_mut()[idx as usize]
    }
    /// Whether the product rows are read from a model's bytes (not decoded).
    pub fn is_mapped(&self) -> bool {
        self.rows.is_mapped()
    }
    /// Whether the product rows are read from a map of a model file.
    pub fn is_mapped_file(&self) -> bool {
        self.rows.is_mapped_file()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(json: &str) -> ProductRecord {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn validates_money_and_defaults() {
        let (p, c) = rec(r#"{"id":"A","title":"Cam","price":"19.99","tags":["x"],"attributes":{"mp":24,"wifi":true}}"#)
            .validate(Currency::USD)
            .unwrap();
        assert_eq!(c, Currency::USD);
        assert_eq!(p.price, 1999);
        assert!(p.available && p.in_stock());
        assert_eq!(p.attribute("mp"), Some(&AttributeInput::Number(24.0)));
        assert_eq!(p.attribute("wifi"), Some(&AttributeInput::Bool(true)));
    }

    #[test]
    fn rejects_float_and_negative_prices_and_unknown_fields() {
        let e = rec(r#"{"id":"A","price":19.99}"#).validate(Currency::USD).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("price"));
        assert!(rec(r#"{"id":"A","price":"-1"}"#).validate(Currency::USD).is_err());
        assert!(serde_json::from_str::<ProductRecord>(r#"{"id":"A","price":"1","colour":"x"}"#).is_err());
    }

    #[test]
    fn out_of_stock_and_mixed_currency() {
        let (p, _) = rec(r#"{"id":"A","price":"1","inventory":0}"#).validate(Currency::USD).unwrap();
        assert!(!p.in_stock());
        let (q, eur) = rec(r#"{"id":"B","price":"1","currency":"EUR"}"#).validate(Currency::USD).unwrap();
        let err = Catalog::build(Currency::USD, vec![(p, Currency::USD, 1), (q, eur, 2)]).unwrap_err();
        assert_eq!(err.code, ErrorCode::CurrencyMismatch);
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn the_shelf_sells_what_the_product_views_call_sellable() {
        let lines = [
            r#"{"id":"plain","price":"1"}"#,
            r#"{"id":"gone","price":"1","inventory":0}"#,
            r#"{"id":"untracked","price":"1","inventory":3,"kind":"digital"}"#,
            r#"{"id":"hidden","price":"1","available":false}"#,
            r#"{"id":"card","price":"1","kind":"gift_card"}"#,
        ];
        let items = lines.iter().map(|l| rec(l).validate(Currency::USD).unwrap()).map(|(p, c)| (p, c, 1)).collect();
        let catalog = Catalog::build(Currency::USD, items).unwrap();
        let shelf = catalog.shelf();
        let sellable: Vec<&str> =
            (0..catalog.len() as ProductIdx).filter(|&i| shelf.sellable(i)).map(|i| catalog.id(i)).collect();
        assert_eq!(sellable, ["plain", "untracked"]);
        for p in catalog.products() {
            let idx = catalog.get(p.id).unwrap();
            assert_eq!(shelf.sellable(idx), p.in_stock() && !p.is_gift_card(), "{}", p.id);
        }
    }
}
