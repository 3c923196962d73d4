//! [`Groups`]: the catalog's products by family and by category, sorted by price: the tiers upsell offers and
//! the peers it compares. Built on first use per catalog, so snapshots that share a catalog (experiment
//! variants, new histories) share it too.

use crate::catalog::{Attribute, Catalog, ProductIdx};
use crate::error::{Error, Result};
use ahash::AHashMap;

/// Family and category members, each list sorted by (price, id), with each family's attribute-type check
/// done once.
#[derive(Debug, Clone, Default)]
pub struct Groups {
    families: AHashMap<String, Vec<ProductIdx>>,
    /// Families mixing attribute types: the error every query on them answers.
    family_errors: AHashMap<String, Error>,
    categories: AHashMap<String, Vec<ProductIdx>>,
}

impl Groups {
    pub fn build(catalog: &Catalog) -> Groups {
        let mut ix = Groups::default();
        for (i, p) in catalog.products().enumerate() {
            if let Some(f) = p.family {
                ix.families.entry(f.to_string()).or_default().push(i as ProductIdx);
            }
            if let Some(c) = p.category {
                ix.categories.entry(c.to_string()).or_default().push(i as ProductIdx);
            }
        }
        let by_price = |a: &ProductIdx, b: &ProductIdx| {
            let (pa, pb) = (catalog.product(*a), catalog.product(*b));
            pa.price.cmp(&pb.price).then_with(|| pa.id.cmp(pb.id))
        };
        ix.families.values_mut().for_each(|v| v.sort_by(by_price));
        ix.categories.values_mut().for_each(|v| v.sort_by(by_price));
        for (name, members) in &ix.families {
            if let Err(e) = check_family_types(catalog, name, members) {
                ix.family_errors.insert(name.clone(), e);
            }
        }
        ix
    }

    /// A family's members, or the error of a family that mixes attribute types.
    pub fn family(&self, name: &str) -> Result<&[ProductIdx]> {
        match self.family_errors.get(name) {
            Some(e) => Err(e.clone()),
            None => Ok(self.families.get(name).map(Vec::as_slice).unwrap_or(&[])),
        }
    }

    /// A category's members.
    pub fn category(&self, name: &str) -> &[ProductIdx] {
        self.categories.get(name).map(Vec::as_slice).unwrap_or(&[])
    }
}

fn type_name(a: &Attribute) -> &'static str {
    match a {
        Attribute::Bool(_) => "boolean",
        Attribute::Number(_) => "number",
        Attribute::Text(_) => "text",
    }
}

/// One family, one type per attribute: otherwise "256 GB vs \"large\"" would be meaningless.
fn check_family_types(catalog: &Catalog, family: &str, members: &[ProductIdx]) -> Result<()> {
    for (k, &i) in members.iter().enumerate() {
        let p = catalog.product(i);
        for (name, value) in &p.attributes {
            for &j in &members[..k] {
                let q = catalog.product(j);
                if let Some(other) = q.attribute(name) {
                    if std::mem::discriminant(&other) != std::mem::discriminant(&value) {
                        return Err(Error::invalid(
                            format!("attributes.{name}"),
                            format!(
                                "product {:?} has attribute {name:?} as a {}, but product {:?} of the same family {family:?} has it as a {}; one family needs one type per attribute",
                                p.id,
                                type_name(&value),
                                q.id,
                                type_name(&other)
                            ),
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}
