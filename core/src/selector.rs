//! A selector picks products by id, category, tag or vendor: the "collection" of bundles and the target of rules.

use crate::catalog::Product;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// Matches a product when any given criterion matches (ids, category, tag, vendor; case-insensitive names).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Selector {
    #[serde(default, deserialize_with = "crate::orders::id_strings", skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<crate::orders::IdInput>"))]
    pub product_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
}

impl Selector {
    pub fn is_empty(&self) -> bool {
        self.product_ids.is_empty() && self.category.is_none() && self.tag.is_none() && self.vendor.is_none()
    }

    /// Reject a selector that would match nothing by construction.
    pub fn validate(&self, field: &str) -> Result<()> {
        if self.is_empty() {
            return Err(Error::invalid(field, "needs product_ids, category, tag or vendor"));
        }
        Ok(())
    }

    pub fn matches(&self, p: &Product) -> bool {
        self.product_ids.iter().any(|id| id == p.id)
            || self.category.as_deref().is_some_and(|c| p.category.is_some_and(|pc| pc.eq_ignore_ascii_case(c)))
            || self.tag.as_deref().is_some_and(|t| p.has_tag(t))
            || self.vendor.as_deref().is_some_and(|v| p.vendor.is_some_and(|pv| pv.eq_ignore_ascii_case(v)))
    }

    /// Short human description for reasons and opportunities ("socks", "Lens 50mm").
    pub fn describe(&self) -> String {
        if let Some(c) = &self.category {
            c.clone()
        } else if let Some(t) = &self.tag {
            t.clone()
        } else if let Some(v) = &self.vendor {
            v.clone()
        } else {
            self.product_ids.join(", ")
        }
    }
}
