//! Attribution: which order lines a recommendation earned.
//!
//! An order line is attributed to a recommendation when the same visitor clicked or added that product from a
//! recommendation list showing it (a `click`/`add_to_cart` with a `list_id` of an `impression` that listed the
//! product) at most `window` seconds before the order (default 24 hours). The first such click wins: the line is
//! credited to that click's list, and the click is then used up, so one click earns one order line and no
//! revenue is counted twice. A later click, after the window of the first has passed, starts a new claim.

use super::events::{Event, EventLog, Kind, Line};
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
    let mut a = Attribution { lists: lists_shown(log), ..Attribution::default() };
    let mut claims = Claims { window, open: HashMap::new() };
    // Per visitor, positions of their orders in `a.orders` (for bundle takes).
    let mut orders_of: HashMap<String, Vec<usize>> = HashMap::new();
    for e in &log.events {
        a.visitor_times.entry(e.visitor_id.clone()).or_default().push(e.at);
        match &e.kind {
            Kind::Click { product_id, list_id } | Kind::AddToCart { product_id, list_id } => {
                let added = matches!(e.kind, Kind::AddToCart { .. });
                match list_id.as_ref().map(|id| (id, a.lists.get_mut(id))) {
                    None => {}
                    Some((id, Some(l))) if l.visitor == e.visitor_id && l.product_ids.contains(product_id) => {
                        l.clicked = true;
                        l.added |= added;
                        claims.click(e, product_id, id);
                    }
                    Some(_) => a.unmatched_clicks += 1,
                }
            }
            Kind::Order { lines, total, .. } => {
                let attributed = claims.settle(e, lines);
                orders_of.entry(e.visitor_id.clone()).or_default().push(a.orders.len());
                a.orders.push(AttributedOrder { visitor: e.visitor_id.clone(), at: e.at, total: *total, attributed });
            }
            Kind::Decline { .. } => a.declines += 1,
            Kind::Impression { .. } | Kind::View { .. } | Kind::RemoveFromCart { .. } => {}
        }
    }
    mark_taken(&mut a, log, &orders_of, window);
    a
}

/// Every list shown, by id: the first impression with an id defines it.
fn lists_shown(log: &EventLog) -> BTreeMap<String, List> {
    let mut lists = BTreeMap::new();
    for e in &log.events {
        if let Kind::Impression { list_id, placement, experiment, variant, product_ids } = &e.kind {
            lists.entry(list_id.clone()).or_insert_with(|| List {
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
    lists
}

/// The open claims: per (visitor, product), the click that will earn the next order line of it, and its list.
struct Claims {
    window: i64,
    open: HashMap<(String, String), (i64, String)>,
}

impl Claims {
    /// A click from `list` on `product`: it claims the product unless an earlier click's window is still open
    /// (the first click wins).
    fn click(&mut self, e: &Event, product: &str, list: &str) {
        let key = (e.visitor_id.clone(), product.to_string());
        match self.open.get(&key) {
            Some((t, _)) if e.at - t <= self.window => {}
            _ => {
                self.open.insert(key, (e.at, list.to_string()));
            }
        }
    }

    /// The lines of an order that open claims earn, (list id, line revenue); each claim is used up.
    fn settle(&mut self, e: &Event, lines: &[Line]) -> Vec<(String, i64)> {
        let mut attributed = Vec::new();
        for line in lines {
            let key = (e.visitor_id.clone(), line.product_id.clone());
            if let Some((t, list)) = self.open.get(&key) {
                if e.at - t <= self.window {
                    attributed.push((list.clone(), line.price * line.quantity as i64));
                    self.open.remove(&key);
                }
            }
        }
        attributed
    }
}

/// Bundle take: a later order of the list's visitor, within the window, holding every product of the list.
fn mark_taken(a: &mut Attribution, log: &EventLog, orders_of: &HashMap<String, Vec<usize>>, window: i64) {
    let order_events: Vec<&Event> = log.events.iter().filter(|e| matches!(e.kind, Kind::Order { .. })).collect();
    let holds_all = |l: &List, o: &Event| match &o.kind {
        Kind::Order { lines, .. } => l.product_ids.iter().all(|p| lines.iter().any(|x| &x.product_id == p)),
        _ => false,
    };
    for l in a.lists.values_mut().filter(|l| !l.product_ids.is_empty()) {
        if let Some(positions) = orders_of.get(&l.visitor) {
            l.taken = positions
                .iter()
                .map(|&i| order_events[i])
                .any(|o| o.at >= l.at && o.at - l.at <= window && holds_all(l, o));
        }
    }
}
