//! Reasons true to the data behind each suggestion, and the heading of the answer.

use super::candidates::{Candidate, Evidence, Source};
use super::fill::Kind;
use crate::catalog::ProductIdx;
use crate::request::Reason;
use crate::rules::{Placement, Rule};
use crate::shop::Shop;

pub(super) fn heading_for(placement: Placement, top: Option<Source>, complement: Option<&str>) -> String {
    match (placement, top) {
        (_, Some(Source::Complement)) => complement.unwrap_or("Complete your setup").to_string(),
        (_, Some(Source::Bundle)) => "Save when bought together".to_string(),
        (Placement::Checkout, _) => "Add to your order".to_string(),
        (Placement::PostPurchase, Some(Source::Learned)) => "Goes well with your purchase".to_string(),
        (_, Some(Source::Learned)) => "Frequently bought together".to_string(),
        (_, Some(Source::History)) => "Picked for you".to_string(),
        (_, Some(Source::BuyAgain)) => "Buy it again".to_string(),
        _ => "You might also like".to_string(),
    }
}

/// The reasons of the candidate's strongest contribution.
pub(super) fn reasons(shop: &Shop, idx: ProductIdx, c: &Candidate, cart: &[(ProductIdx, i64)]) -> Vec<Reason> {
    let catalog = shop.catalog;
    let name = |i: ProductIdx| catalog.name(i);
    let mut out = Vec::with_capacity(2);
    match (c.source, c.evidence) {
        (Source::Pinned, _) => out.push(Reason::new("pinned", "Recommended by the store")),
        (Source::BuyAgain, Evidence::Interval(days)) => out.push(Reason::new(
            "buy_again",
            format!("Time to restock: you buy this about every {days} day{}", if days == 1 { "" } else { "s" }),
        )),
        (Source::Learned | Source::History | Source::Viewed, Evidence::Seed(seed)) => {
            match c.source {
                Source::History => {
                    out.push(Reason::new("purchase_history", format!("Because you bought {}", name(seed))))
                }
                Source::Viewed => out.push(Reason::new("viewed", format!("Because you viewed {}", name(seed)))),
                _ => {}
            }
            out.push(evidence(shop, seed, idx));
        }
        (Source::Complement, Evidence::Rule(rule)) => {
            let text = match &shop.rules.rules[rule as usize] {
                Rule::Complement { from, .. } => match cart.iter().find(|&&(i, _)| from.matches(&catalog.product(i))) {
                    Some(&(i, _)) => format!("Completes your {}", name(i)),
                    None => format!("Completes your {}", from.describe()),
                },
                _ => "Goes with your cart".to_string(),
            };
            out.push(Reason::new("complement_rule", text));
        }
        (Source::Fill, Evidence::Fill(kind)) => out.push(match kind {
            Kind::Category => {
                let category = catalog.product(idx).category.unwrap_or("this category");
                Reason::new("popular_in_category", format!("Popular in {category}"))
            }
            Kind::Linked { from } => {
                let text = format!("Often bought with {}", shop.model.category_name(from));
                Reason::new("bought_with_category", text)
            }
            Kind::Trending => Reason::new("trending", "Trending now"),
            Kind::Popular => Reason::new("popular", "Popular in our store"),
        }),
        _ => {}
    }
    out
}

/// The learned evidence linking `seed` to `idx`: orders together, or customers who bought both.
fn evidence(shop: &Shop, seed: ProductIdx, idx: ProductIdx) -> Reason {
    let seed_name = shop.catalog.name(seed);
    let nb = shop.model.neighbor(seed, idx);
    let (together, customers) = nb.map(|n| (n.together, n.customers)).unwrap_or((0, 0));
    let plural = |n: u32| if n == 1 { "" } else { "s" };
    // Joined, not formatted: one of these is written for most suggestions of every answer.
    let mut number = itoa::Buffer::new();
    if together >= shop.config.min_support.max(1) || customers == 0 {
        let parts = ["Bought together with ", seed_name, " in ", number.format(together), " order", plural(together)];
        Reason::new("bought_together", parts.concat())
    } else {
        let parts =
            [number.format(customers), " customer", plural(customers), " who bought ", seed_name, " also bought this"];
        Reason::new("customers_also_bought", parts.concat())
    }
}
