//! How the catalog stores a product (fixed-size [`Row`]s, [`AttrRow`]s, string positions) and [`Product`], the
//! borrowed view of one product that queries read.

use crate::catalog::{Attribute, AttributeInput, ProductData};
use crate::flat::{Texts, TextsBuilder};
use bytemuck::{Pod, Zeroable};

/// "No amount" in a row's optional money and inventory fields.
pub const NONE: i64 = i64::MIN;
/// "No string" in a row's optional text fields.
pub(crate) const NO_TEXT: u32 = u32::MAX;

/// One product as stored: amounts, then strings by position in the catalog's texts. 64 bytes, one cache line.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Pod, Zeroable)]
pub struct Row {
    pub price: i64,
    pub compare_at: i64,
    pub cost: i64,
    pub inventory: i64,
    pub id: u32,
    pub title: u32,
    pub category: u32,
    pub family: u32,
    pub vendor: u32,
    pub kind: u32,
    pub available: u32,
    _pad: u32,
}

fn some(v: i64) -> Option<i64> {
    (v != NONE).then_some(v)
}

impl Row {
    pub fn new(p: &ProductData, texts: &mut TextsBuilder) -> Row {
        let mut text = |s: &Option<String>| s.as_deref().map_or(NO_TEXT, |s| texts.intern(s));
        Row {
            price: p.price,
            compare_at: p.compare_at_price.unwrap_or(NONE),
            cost: p.cost.unwrap_or(NONE),
            inventory: p.inventory.unwrap_or(NONE),
            category: text(&p.category),
            family: text(&p.family),
            vendor: text(&p.vendor),
            kind: text(&p.kind),
            id: texts.intern(&p.id),
            title: texts.intern(&p.title),
            available: p.available as u32,
            _pad: 0,
        }
    }

    /// What [`Product::in_stock`] and [`Product::is_gift_card`] say, read from the row alone (the shelf
    /// decides this for every product at once).
    pub fn sellable(&self, texts: &Texts) -> bool {
        self.in_stock() && texts.get_bytes(self.kind as usize) != b"gift_card"
    }

    /// What [`Product::in_stock`] says, read from the row alone.
    pub fn in_stock(&self) -> bool {
        self.available != 0 && (self.inventory == NONE || self.inventory > 0)
    }

    pub fn set_compare_at(&mut self, v: Option<i64>) {
        self.compare_at = v.unwrap_or(NONE);
    }

    pub fn set_inventory(&mut self, v: Option<i64>) {
        self.inventory = v.unwrap_or(NONE);
    }
}

/// One attribute as stored: its name's position, then a bool, a number (its bits) or a text position.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Pod, Zeroable)]
pub struct AttrRow {
    name: u32,
    kind: u32,
    value: u64,
}

impl AttrRow {
    pub fn new(name: &str, v: &AttributeInput, texts: &mut TextsBuilder) -> AttrRow {
        let (kind, value) = match v {
            AttributeInput::Bool(b) => (0, *b as u64),
            AttributeInput::Number(x) => (1, x.to_bits()),
            AttributeInput::Text(t) => (2, texts.intern(t) as u64),
        };
        AttrRow { name: texts.intern(name), kind, value }
    }

    fn read<'a>(&self, texts: &'a Texts) -> (&'a str, Attribute<'a>) {
        let value = match self.kind {
            0 => Attribute::Bool(self.value != 0),
            1 => Attribute::Number(f64::from_bits(self.value)),
            _ => Attribute::Text(texts.get(self.value.min(u32::MAX as u64) as usize)),
        };
        (texts.get(self.name as usize), value)
    }
}

/// A product as queries read it: borrowed from its catalog, cheap to copy.
#[derive(Debug, Clone, Copy)]
pub struct Product<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub price: i64,
    pub compare_at_price: Option<i64>,
    pub category: Option<&'a str>,
    pub tags: Tags<'a>,
    pub vendor: Option<&'a str>,
    pub available: bool,
    pub inventory: Option<i64>,
    pub family: Option<&'a str>,
    /// Sorted by name, so comparisons come out in a stable order.
    pub attributes: Attributes<'a>,
    pub cost: Option<i64>,
    pub kind: Option<&'a str>,
}

impl<'a> Product<'a> {
    pub(crate) fn new(r: &Row, texts: &'a Texts, tags: &'a [u32], attributes: &'a [AttrRow]) -> Product<'a> {
        let text = |i: u32| (i != NO_TEXT).then(|| texts.get(i as usize));
        Product {
            id: texts.get(r.id as usize),
            title: texts.get(r.title as usize),
            price: r.price,
            compare_at_price: some(r.compare_at),
            category: text(r.category),
            tags: Tags { texts, ids: tags },
            vendor: text(r.vendor),
            available: r.available != 0,
            inventory: some(r.inventory),
            family: text(r.family),
            attributes: Attributes { texts, rows: attributes },
            cost: some(r.cost),
            kind: text(r.kind),
        }
    }

    /// Sellable now: marked available and not out of stock (no inventory figure means untracked, so in stock).
    pub fn in_stock(&self) -> bool {
        self.available && self.inventory.is_none_or(|n| n > 0)
    }
    pub fn is_gift_card(&self) -> bool {
        self.kind == Some("gift_card")
    }
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.contains_ignore_ascii_case(tag)
    }
    pub fn attribute(&self, name: &str) -> Option<Attribute<'a>> {
        self.attributes.iter().find(|(n, _)| *n == name).map(|(_, a)| a)
    }
    /// Display name for reasons: the title, or the id when the shop gave no title.
    pub fn name(&self) -> &'a str {
        if self.title.is_empty() {
            self.id
        } else {
            self.title
        }
    }
}

/// A product's tags.
#[derive(Debug, Clone, Copy)]
pub struct Tags<'a> {
    texts: &'a Texts,
    ids: &'a [u32],
}

impl<'a> Tags<'a> {
    pub(crate) fn new(texts: &'a Texts, ids: &'a [u32]) -> Tags<'a> {
        Tags { texts, ids }
    }
    /// Whether one of the tags is `tag`, ASCII case ignored (compared as bytes: no UTF-8 check per tag).
    pub fn contains_ignore_ascii_case(&self, tag: &str) -> bool {
        self.ids.iter().any(|&i| self.texts.get_bytes(i as usize).eq_ignore_ascii_case(tag.as_bytes()))
    }
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + 'a {
        let texts = self.texts;
        self.ids.iter().map(move |&i| texts.get(i as usize))
    }
    pub fn len(&self) -> usize {
        self.ids.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// A product's attributes, sorted by name.
#[derive(Debug, Clone, Copy)]
pub struct Attributes<'a> {
    texts: &'a Texts,
    rows: &'a [AttrRow],
}

impl<'a> Attributes<'a> {
    pub fn iter(&self) -> impl Iterator<Item = (&'a str, Attribute<'a>)> + 'a {
        let texts = self.texts;
        self.rows.iter().map(move |r| r.read(texts))
    }
    pub fn len(&self) -> usize {
        self.rows.len()
    }
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

impl<'a> Attributes<'a> {
    /// The attribute at position `i` (by name order).
    pub fn get(&self, i: usize) -> Option<(&'a str, Attribute<'a>)> {
        self.rows.get(i).map(|r| r.read(self.texts))
    }
}

impl<'a> IntoIterator for &Attributes<'a> {
    type Item = (&'a str, Attribute<'a>);
    type IntoIter = Box<dyn Iterator<Item = (&'a str, Attribute<'a>)> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl<'a> IntoIterator for &Tags<'a> {
    type Item = &'a str;
    type IntoIter = Box<dyn Iterator<Item = &'a str> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}
