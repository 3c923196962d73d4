//! Attribution: which order lines a recommendation earned.
//!
//! An order line is attributed to a recommendation when the same visitor clicked or added that product from a
//! recommendation list showing it (a `click`/`add_to_cart` with a `list_id` of an `impression` that listed the
//! product) at most `window` seconds before the order (default 24 hours). The first such click wins: the line is
//! credited to that click's list, and the click is then used up, so one click earns one order line and no
//! revenue is counted twice. A later click, after the window of the first has passed, starts a new claim.

use super::events::{Event, EventLog, Kind};
use std::collections::{BTreeMap, HashMap};

/// Default attribution window: 24 hours.
pub const DEFAULT_WINDOW_SECS: i64 = 24 * 3600;

/// A recommendation list shown once (one `impression`).
#[derive(Debug, Clone)]
pub struct List {
    pub visitor: String,
    pub at: i64,
    pub placement: String,
    pub experiment: Option<String>,
    pub variant: Option<String>,
    pub product_ids: Vec<String>,
    /// A click or add to cart came from this list.
    pub clicked: bool,
    /// An add to cart came from this list (upsell acceptance).
    pub added: bool,
    /// A later order within the window held every product of the list (bundle take).
    pub taken: bool,
}

/// An order with its attributed lines.
#[derive(Debug, Clone)]
pub struct AttributedOrder {
    pub visitor: String,
    pub at: i64,
    pub total: i64,
    /// (list id, line revenue in minor units) for each attributed line.
    pub attributed: Vec<(String, i64)>,
}

#[derive(Debug, Clone, Default)]
pub struct Attribution {
    /// By list id (the first impression with an id defines it; repeats are counted as duplicate lists).
    pub lists: BTreeMap<String, List>,
    pub orders: Vec<AttributedOrder>,
    /// Every visitor's event times (for exposure windows), sorted.
    pub visitor_times: BTreeMap<String, Vec<i64>>,
    /// Clicks/adds naming a list that was never shown, or a product the list did not show.
    pub unmatched_clicks: u64,
    pub declines: u64,
}

pub fn attribute(log: &EventLog, window: i64) -> Attribution {
    let mut a = Attribution::default();
    for e in &log.events {
        if let Kind::Impression { list_id, placement, experiment, variant, product_ids } = &e.kind {
            a.lists.entry(list_id.clone()).or_insert_with(|| List {
                visitor: e.visitor_id.clone(),
                at: e.at,
                placement: placement.clone(),
                experiment: experiment.clone(),
                variant: variant.clone(),
                product_ids: product_ids.clone(),
                clicked: false,
                added: false,
                taken: false,
            });
        }
    }
    // (visitor, product) -> (click time, list id): the open claim.
    let mut claims: HashMap<(String, String), (i64, String)> = HashMap::new();
    let mut by_visitor_orders: HashMap<String, Vec<usize>> = HashMap::new();
    for e in &log.events {
        a.visitor_times.entry(e.visitor_id.clone()).or_default().push(e.at);
        match &e.kind {
            Kind::Click { product_id, list_id } | Kind::AddToCart { product_id, list_id } => {
                let Some(list_id) = list_id else { continue };
                let valid = a
                    .lists
                    .get(list_id)
                    .is_some_and(|l| l.visitor == e.visitor_id && l.product_ids.contains(product_id));
                if !valid {
                    a.unmatched_clicks += 1;
                    continue;
                }
                let l = a.lists.get_mut(list_id).expect("checked");
                l.clicked = true;
                if matches!(e.kind, Kind::AddToCart { .. }) {
                    l.added = true;
                }
                let key = (e.visitor_id.clone(), product_id.clone());
                match claims.get(&key) {
                    Some((t, _)) if e.at - t <= window => {} // first click wins
                    _ => {
                        claims.insert(key, (e.at, list_id.clone()));
                    }
                }
            }
            Kind::Order { lines, total, .. } => {
                let mut attributed = Vec::new();
                for line in lines {
                    let key = (e.visitor_id.clone(), line.product_id.clone());
                    if let Some((t, list)) = claims.get(&key) {
                        if e.at - t <= window {
                            attributed.push((list.clone(), line.price * line.quantity as i64));
                            claims.remove(&key);
                        }
                    }
                }
                by_visitor_orders.entry(e.visitor_id.clone()).or_default().push(a.orders.len());
                a.orders.push(AttributedOrder { visitor: e.visitor_id.clone(), at: e.at, total: *total, attributed });
            }
            Kind::Decline { .. } => a.declines += 1,
            Kind::Impression { .. } | Kind::View { .. } | Kind::RemoveFromCart { .. } => {}
        }
    }
    // Bundle take: a later order of the same visitor, within the window, holding every product of the list.
    let order_events: Vec<&Event> = log.events.iter().filter(|e| matches!(e.kind, Kind::Order { .. })).collect();
    for l in a.lists.values_mut() {
        if l.product_ids.is_empty() {
            continue;
        }
        if let Some(idx) = by_visitor_orders.get(&l.visitor) {
            l.taken = idx.iter().any(|&i| {
                let o = order_events[i];
                o.at >= l.at
                    && o.at - l.at <= window
                    && match &o.kind {
                        Kind::Order { lines, .. } => {
                            l.product_ids.iter().all(|p| lines.iter().any(|x| &x.product_id == p))
                        }
                        _ => false,
                    }
            });
        }
    }
    a
}
