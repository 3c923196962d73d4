//! The request's cart, validated: its lines, the products the engine knows with their line values, and the
//! subtotal the checkout price cap and value weighting read.

use crate::catalog::{Catalog, ProductIdx};
use crate::error::Result;
use crate::money::{checked_total, line_value};
use crate::request::{resolve_cart, CartLine, CartLineInput};

pub(super) struct Cart {
    pub lines: Vec<CartLine>,
    /// Known products with their line values (unit price × quantity), in cart order.
    pub known: Vec<(ProductIdx, i64)>,
    pub subtotal: i64,
    /// Cart products the engine has not seen (answered from what is known, and listed in the answer).
    pub unknown: Vec<String>,
}

impl Cart {
    pub fn resolve(catalog: &Catalog, input: &[CartLineInput], max_lines: usize) -> Result<Cart> {
        let lines = resolve_cart(input, catalog, max_lines)?;
        let known = lines
            .iter()
            .enumerate()
            .filter_map(|(n, l)| {
                let idx = l.idx?;
                let price = l.unit_price.unwrap_or(catalog.shelf().row(idx).price);
                // The field is named only for the error: formatting it for every line costs a visible share.
                let value = match price.checked_mul(l.quantity as i64) {
                    Some(v) => Ok(v),
                    None => line_value(price, l.quantity, &format!("cart[{n}]")),
                };
                Some(value.map(|v| (idx, v)))
            })
            .collect::<Result<Vec<_>>>()?;
        let unknown = lines.iter().filter(|l| l.idx.is_none()).map(|l| l.product_id.clone()).collect();
        let subtotal = checked_total(known.iter().map(|k| k.1), "cart")?;
        Ok(Cart { lines, known, subtotal, unknown })
    }

    /// Whether any known cart product matches a rule's selector.
    pub fn matches(&self, catalog: &Catalog, sel: &crate::selector::Selector) -> bool {
        self.known.iter().any(|&(i, _)| sel.matches(&catalog.product(i)))
    }
}
