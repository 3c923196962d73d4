//! The catalog: products as the shop describes them, interned to dense `u32` indexes for the model.

use crate::error::{Error, ErrorCode, Result};
use crate::money::{Currency, Money, MoneyInput};
use ahash::AHashMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Dense index of a product inside one engine (position in `Catalog::products`).
pub type ProductIdx = u32;

/// A product attribute value as the shop sends it (`"storage_gb": 256`, `"print": true`, `"color": "red"`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum AttributeInput {
    Bool(bool),
    Number(f64),
    Text(String),
}

/// A stored attribute value (externally tagged so the binary snapshot can hold it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Attribute {
    Bool(bool),
    Number(f64),
    Text(String),
}

impl From<&AttributeInput> for Attribute {
    fn from(a: &AttributeInput) -> Self {
        match a {
            AttributeInput::Bool(b) => Attribute::Bool(*b),
            AttributeInput::Number(n) => Attribute::Number(*n),
            AttributeInput::Text(t) => Attribute::Text(t.clone()),
        }
    }
}

impl Attribute {
    /// Back to the edge JSON form.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Attribute::Bool(b) => serde_json::Value::Bool(*b),
            Attribute::Number(n) => serde_json::json!(n),
            Attribute::Text(t) => serde_json::Value::String(t.clone()),
        }
    }
}

/// One product line of the products JSON Lines input (the documented schema).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProductRecord {
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

/// A validated product. Money in minor units of the catalog currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
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
    pub attributes: Vec<(String, Attribute)>,
    pub cost: Option<i64>,
    pub kind: Option<String>,
}

impl Product {
    /// Sellable now: marked available and not out of stock (no inventory figure means untracked, so in stock).
    pub fn in_stock(&self) -> bool {
        self.available && self.inventory.is_none_or(|n| n > 0)
    }
    pub fn is_gift_card(&self) -> bool {
        self.kind.as_deref() == Some("gift_card")
    }
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t.eq_ignore_ascii_case(tag))
    }
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|(n, _)| n == name).map(|(_, a)| a)
    }
    /// Display name for reasons: the title, or the id when the shop gave no title.
    pub fn name(&self) -> &str {
        if self.title.is_empty() {
            &self.id
        } else {
            &self.title
        }
    }
}

impl ProductRecord {
    /// Validate one record against the catalog currency. `default_currency` applies when the record names none.
    pub fn validate(&self, default_currency: Currency) -> Result<(Product, Currency)> {
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
        let product = Product {
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
            attributes: self.attributes.iter().map(|(k, v)| (k.clone(), v.into())).collect(),
            cost: money(&self.cost, "cost")?,
            kind: self.kind.clone().filter(|k| !k.is_empty()),
        };
        Ok((product, currency))
    }
}

/// All products of one shop in one currency, with their ids interned.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Catalog {
    pub currency: Currency,
    products: Vec<Product>,
    index: AHashMap<String, ProductIdx>,
    /// Derived from `products` on first use (never stored); reset whenever a product changes.
    #[serde(skip)]
    shelf: std::sync::OnceLock<Shelf>,
}

/// "No category" or "no family" in a [`ShelfRow`].
pub const NO_GROUP: u32 = u32::MAX;

/// What a query's hot checks read of one product, packed small: a query looks at hundreds of candidates among
/// many thousands of products, and reading each one's full record was a cache miss per candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShelfRow {
    pub price: i64,
    /// The category and the family as small ids (equal names, equal ids), or [`NO_GROUP`].
    pub category: u32,
    pub family: u32,
}

/// One [`ShelfRow`] per product, by product index, and which products can be suggested at all (in stock and
/// not a gift card) as one bit each: the first check of every candidate, on a set small enough to stay cached.
#[derive(Debug, Clone, Default)]
pub struct Shelf {
    rows: Vec<ShelfRow>,
    sellable: fixedbitset::FixedBitSet,
}

impl Shelf {
    fn build(products: &[Product]) -> Shelf {
        let mut categories: AHashMap<&str, u32> = AHashMap::new();
        let mut families: AHashMap<&str, u32> = AHashMap::new();
        let rows = products
            .iter()
            .map(|p| ShelfRow {
                price: p.price,
                category: intern(&mut categories, p.category.as_deref()),
                family: intern(&mut families, p.family.as_deref()),
            })
            .collect();
        let mut sellable = fixedbitset::FixedBitSet::with_capacity(products.len());
        sellable.extend(products.iter().enumerate().filter(|(_, p)| p.in_stock() && !p.is_gift_card()).map(|(i, _)| i));
        Shelf { rows, sellable }
    }

    pub fn row(&self, idx: ProductIdx) -> ShelfRow {
        self.rows[idx as usize]
    }

    pub fn sellable(&self, idx: ProductIdx) -> bool {
        self.sellable.contains(idx as usize)
    }
}

fn intern<'a>(ids: &mut AHashMap<&'a str, u32>, name: Option<&'a str>) -> u32 {
    match name {
        None => NO_GROUP,
        Some(n) => {
            let next = ids.len() as u32;
            *ids.entry(n).or_insert(next)
        }
    }
}

impl Catalog {
    /// Check a decoded catalog: its id index maps each id to the product of that id, and every amount is in
    /// the money range (what `build` guarantees for a catalog made from records).
    pub fn check(&self) -> Result<()> {
        let indexed = self.index.len() == self.products.len()
            && self.index.iter().all(|(id, &i)| self.products.get(i as usize).is_some_and(|p| &p.id == id));
        if !indexed {
            return Err(Error::corrupt("catalog index does not match its products"));
        }
        let in_range = |a: i64| (0..=crate::money::MAX_AMOUNT_MINOR).contains(&a);
        match self
            .products
            .iter()
            .find(|p| !in_range(p.price) || !p.compare_at_price.is_none_or(in_range) || !p.cost.is_none_or(in_range))
        {
            Some(p) => Err(Error::corrupt(format!("catalog product {:?} has an amount out of range", p.id))),
            None => Ok(()),
        }
    }

    /// Build from validated products. A later duplicate id replaces the earlier one (a re-export wins).
    /// `lines` gives each product's source line for error messages.
    pub fn build(currency: Currency, items: Vec<(Product, Currency, u64)>) -> Result<Catalog> {
        let mut products: Vec<Product> = Vec::with_capacity(items.len());
        let mut index = AHashMap::with_capacity(items.len());
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
                Some(&i) => products[i as usize] = p,
                None => {
                    index.insert(p.id.clone(), products.len() as ProductIdx);
                    products.push(p);
                }
            }
        }
        Ok(Catalog { currency, products, index, shelf: Default::default() })
    }

    pub fn len(&self) -> usize {
        self.products.len()
    }
    pub fn is_empty(&self) -> bool {
        self.products.is_empty()
    }
    pub fn get(&self, id: &str) -> Option<ProductIdx> {
        self.index.get(id).copied()
    }
    pub fn product(&self, idx: ProductIdx) -> &Product {
        &self.products[idx as usize]
    }
    pub fn products(&self) -> &[Product] {
        &self.products
    }
    /// The compact per-product rows of the hot checks (built on first use).
    pub fn shelf(&self) -> &Shelf {
        self.shelf.get_or_init(|| Shelf::build(&self.products))
    }
    pub fn money(&self, minor: i64) -> Money {
        Money::new(minor, self.currency)
    }
    /// Look up a product a request needs to know, or fail with `unknown_product` naming the field.
    pub fn require(&self, id: &str, field: &str) -> Result<ProductIdx> {
        self.get(id).ok_or_else(|| Error::unknown_product(field, id))
    }
    /// Replace products in place (used by `Engine::update_products` on a private copy).
    pub(crate) fn product_mut(&mut self, idx: ProductIdx) -> &mut Product {
        self.shelf = Default::default();
        &mut self.products[idx as usize]
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
        assert_eq!(p.attribute("mp"), Some(&Attribute::Number(24.0)));
        assert_eq!(p.attribute("wifi"), Some(&Attribute::Bool(true)));
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
}
