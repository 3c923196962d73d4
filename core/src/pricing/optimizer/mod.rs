//! Choosing which bundle applications a cart gets: the largest total saving for the customer.
//!
//! Model. Cart lines of in-stock catalog products become unit *classes* (a line's units are interchangeable).
//! An application of a bundle takes a multiset of units (a *pattern*) and saves a fixed amount on it:
//! `fixed` the listed items; `mix_and_match` any N units of the collection; `buy_x_get_y` N buy units plus M get
//! units, where the discounted units are the cheapest M of the application that can be get units (the
//! merchant's rule), so the customer's best is to group expensive units together; `addon` one trigger unit
//! plus `quantity` target units, discount on the targets; `volume` one application per bundle over any k units
//! reaching a tier, every unit at that tier. Percentages round half-even once per application.
//!
//! Constraints. Each unit is in at most one non-stackable application; units of an `exclusive` application
//! take part in nothing else; a `stackable` bundle chooses its own applications over every unit not held by an
//! exclusive one (it may share units with any non-exclusive application); `max_applications` caps each bundle.
//!
//! Search. Units that no bundle can use are dropped, and classes that no bundle links are solved apart
//! (independent components). Each component is a memoised depth-first search over (remaining units per class,
//! bundle position, applications so far): at each bundle apply one more pattern or move on. Exclusive bundles
//! come first; at the boundary the stackable bundles are solved, each alone, on what is left. A component's
//! last non-exclusive `volume` bundle is searched last, in closed form (the k most expensive eligible units
//! are best for a given k). The search is exact whenever it finishes within its node budget (generous for carts up to 40
//! units); otherwise the greedy answer (repeatedly take the best single application) is used, so the answer
//! is never worse than greedy. `optimal` in the response says which.
//!
//! Ties. Among equal savings: the larger sum of `priority` over applications, then fewer units used, then
//! the first found in the fixed search order (bundles by priority descending then definition order; at each
//! bundle "move on" before "apply one more", a choice replacing an earlier one only when strictly better;
//! patterns in enumeration order). The answer is a pure function of the request.
//!
//! This module holds the search of one component; `components` splits a cart into components, sums their
//! answers and re-prices a cart with a few units added, and `cache` keeps what one request reuses.

use super::defs::{Bundle, Discount, Kind};
use crate::catalog::ProductIdx;
use crate::money::{mul_div_half_even, PERCENT_SCALE};
use ahash::AHashMap;
use smallvec::{smallvec, SmallVec};

mod cache;
mod components;
mod memo;

pub use cache::{Cache, RoleIndex};
use cache::{ClassRoles, Roles, Scratch, FIRST, SECOND};
pub use components::{change_bound, solve, summarize_change, BaseSplit, Change};
use components::{Answer, ComponentKey, Plan};
use memo::Memo;

/// A unit class: one cart line's in-stock units.
#[derive(Debug, Clone, Copy)]
pub struct Class {
    pub line: usize,
    pub product: ProductIdx,
    pub price: i64,
    pub qty: u32,
}

/// Units per class, sorted by class (inline: patterns rarely span more than a few classes).
pub type Take = SmallVec<[(u16, u16); 4]>;

#[derive(Debug, Clone)]
struct Pattern {
    take: Take,
    /// The units the discount lands on (allocation weights).
    disc: Take,
    saving: i64,
    units: u32,
}

impl Pattern {
    fn new(take: Take, disc: Take, saving: i64) -> Pattern {
        let units = take.iter().map(|t| t.1 as u32).sum();
        Pattern { take, disc, saving, units }
    }
    /// One application of this pattern of `bundle`.
    fn application(&self, bundle: usize) -> Application {
        Application {
            bundle,
            take: Take::from_slice(&self.take),
            disc: Take::from_slice(&self.disc),
            saving: self.saving,
        }
    }
}

/// One chosen application.
#[derive(Debug)]
pub struct Application {
    /// Index into the bundle list given to `solve`.
    pub bundle: usize,
    pub take: Take,
    pub disc: Take,
    pub saving: i64,
}

/// Copies the unit lists as slices (`SmallVec`'s own `clone` goes element by element through an iterator,
/// a visible cost on the hot path).
impl Clone for Application {
    fn clone(&self) -> Application {
        Application {
            bundle: self.bundle,
            take: Take::from_slice(&self.take),
            disc: Take::from_slice(&self.disc),
            saving: self.saving,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Solution {
    pub applications: Vec<Application>,
    pub saving: i64,
    pub optimal: bool,
}

/// (saving, priority sum, −units): compared lexicographically, added component-wise.
type Val = (i64, i64, i64);
const ZERO: Val = (0, 0, 0);
fn add(a: Val, b: Val) -> Val {
    (a.0 + b.0, a.1 + b.1, a.2 + b.2)
}

const PATTERN_LIMIT: usize = 20_000;
/// Memo entries allowed per search: exact carts (≤ 40 units) get far more room than bounded ones.
const EXACT_UNITS: u32 = 40;
const EXACT_BUDGET: usize = 60_000;
const BOUNDED_BUDGET: usize = 8_000;

fn value_of(classes: &[Class], take: &Take) -> i64 {
    take.iter().map(|&(c, n)| classes[c as usize].price * n as i64).sum()
}

fn merge(a: &Take, b: &Take) -> Take {
    let mut out: Take = Take::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if j == b.len() || (i < a.len() && a[i].0 < b[j].0) {
            out.push(a[i]);
            i += 1;
        } else if i == a.len() || b[j].0 < a[i].0 {
            out.push(b[j]);
            j += 1;
        } else {
            out.push((a[i].0, a[i].1 + b[j].1));
            i += 1;
            j += 1;
        }
    }
    out
}

fn fits(take: &Take, counts: &[u16]) -> bool {
    take.iter().all(|&(c, n)| counts[c as usize] >= n)
}

/// Every way to take `n` units from `elig` (class, available); false when cut at `limit`.
fn compositions(elig: &[(u16, u16)], n: u32, limit: usize, out: &mut Vec<Take>) -> bool {
    // One allocation up front instead of regrowing from one: most carts have a handful of ways.
    out.reserve(8);
    each_composition(elig, n, limit, &mut |t| out.push(Take::from_slice(t)))
}

/// [`compositions`] handed to `visit` one by one (no list), at most `limit` of them; false when cut.
///
/// Order: the first class takes as many units as it can first, then the second, and so on (decreasing
/// lexicographic order of the units per class), which is the pattern order the tie rules rely on. Each
/// composition is found from the one before: the last class that can give up a unit to the classes after it
/// does, and those classes are filled again greedily.
fn each_composition(elig: &[(u16, u16)], n: u32, limit: usize, visit: &mut impl FnMut(&Take)) -> bool {
    let mut units: SmallVec<[u32; 8]> = SmallVec::with_capacity(elig.len());
    let mut left = n;
    for &(_, avail) in elig {
        let t = (avail as u32).min(left);
        units.push(t);
        left -= t;
    }
    if left > 0 {
        return true;
    }
    let mut budget = limit;
    let mut cur = Take::new();
    loop {
        if budget == 0 {
            return false;
        }
        budget -= 1;
        cur.clear();
        cur.extend(elig.iter().zip(&units).filter(|(_, &t)| t > 0).map(|(&(c, _), &t)| (c, t as u16)));
        visit(&cur);
        // The last class that can give a unit to the classes after it (they have room for it).
        let (mut after, mut room) = (0u32, 0u32);
        let mut give = None;
        for i in (0..units.len()).rev() {
            if units[i] > 0 && room > 0 {
                give = Some(i);
                break;
            }
            after += units[i];
            room += elig[i].1 as u32 - units[i];
        }
        let Some(i) = give else { return true };
        units[i] -= 1;
        let mut left = after + 1;
        for (t, &(_, avail)) in units[i + 1..].iter_mut().zip(&elig[i + 1..]) {
            *t = (avail as u32).min(left);
            left -= *t;
        }
    }
}

fn pct(value: i64, p: i64) -> i64 {
    mul_div_half_even(value, p, 100 * PERCENT_SCALE)
}

/// Saving of a volume application of `k` units worth `value` with per-unit savings `unit_sum` under `d`.
fn volume_saving(d: Discount, value: i64, unit_sum: i64) -> i64 {
    match d {
        Discount::PercentOff(p) => pct(value, p),
        _ => unit_sum,
    }
}

fn tier_for(tiers: &[super::defs::Tier], k: u32) -> Option<Discount> {
    tiers.iter().rev().find(|t| t.min_quantity <= k).map(|t| t.discount)
}

/// Finds a pattern already listed by its units: a scan while the list is short, a hash index past that.
#[derive(Default)]
struct Seen {
    index: Option<AHashMap<Take, usize>>,
}

const SCAN_PATTERNS: usize = 32;

impl Seen {
    fn find(&self, out: &[Pattern], take: &Take) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(take).copied(),
            None => out.iter().position(|p| p.take == *take),
        }
    }
    /// Note that `take` is about to be listed at `at` (after `out`).
    fn add(&mut self, out: &[Pattern], take: &Take, at: usize) {
        if self.index.is_none() && at >= SCAN_PATTERNS {
            self.index = Some(out.iter().enumerate().map(|(i, p)| (Take::from_slice(&p.take), i)).collect());
        }
        if let Some(index) = &mut self.index {
            index.insert(Take::from_slice(take), at);
        }
    }
}

fn q_fits_u16(items: &[(ProductIdx, u32)]) -> bool {
    items.iter().all(|&(_, q)| q <= u16::MAX as u32)
}

/// All patterns of bundle `bi` against the cart; false when cut at the limit.
fn patterns(
    bi: usize,
    b: &Bundle,
    classes: &[Class],
    roles: &ClassRoles,
    closed_volume: bool,
    scratch: &mut Scratch,
) -> (Vec<Pattern>, bool) {
    let cart = BundleCart { bi, classes, roles };
    let mut out: Vec<Pattern> = scratch.patterns.pop().unwrap_or_default();
    let complete = match &b.kind {
        Kind::Fixed { items, discount } => fixed_patterns(&cart, items, *discount, scratch, &mut out),
        Kind::MixAndMatch { quantity, discount, .. } => {
            each_composition(&cart.elig(FIRST), *quantity, PATTERN_LIMIT, &mut |t| {
                let s = discount.saving(value_of(classes, t));
                push_saving(Take::from_slice(t), Take::from_slice(t), s, &mut out);
            })
        }
        Kind::BuyXGetY { buy_quantity, get_quantity, percent, .. } => {
            buy_get_patterns(&cart, (*buy_quantity, *get_quantity), *percent, scratch, &mut out)
        }
        Kind::Addon { quantity, discount, .. } => addon_patterns(&cart, *quantity, *discount, scratch, &mut out),
        // A closed-form volume bundle needs no patterns: the search takes the most expensive units.
        Kind::Volume { tiers, .. } if !closed_volume => volume_patterns(&cart, tiers, scratch, &mut out),
        Kind::Volume { .. } | Kind::Threshold { .. } => true,
    };
    (out, complete)
}

/// The cart's classes as one bundle sees them.
struct BundleCart<'a> {
    bi: usize,
    classes: &'a [Class],
    roles: &'a ClassRoles<'a>,
}

impl BundleCart<'_> {
    /// The classes in one role of the bundle (its collection, buy or trigger set: `FIRST`; get or target:
    /// `SECOND`), with their units.
    fn elig(&self, role: u8) -> SmallVec<[(u16, u16); 8]> {
        self.classes
            .iter()
            .enumerate()
            .filter(|&(i, _)| self.roles.get(i, self.bi) & role != 0)
            .map(|(i, c)| (i as u16, c.qty.min(u16::MAX as u32) as u16))
            .collect()
    }
    /// The classes (cart lines) of product `p`, with their units.
    fn product(&self, p: ProductIdx) -> SmallVec<[(u16, u16); 8]> {
        self.classes
            .iter()
            .enumerate()
            .filter(|(_, c)| c.product == p)
            .map(|(i, c)| (i as u16, c.qty.min(u16::MAX as u32) as u16))
            .collect()
    }
    /// A multiset of units the cart does not hold (one class counted twice over two roles).
    fn overdraws(&self, take: &Take) -> bool {
        take.iter().any(|&(c, n)| n as u32 > self.classes[c as usize].qty)
    }
}

/// Lists a pattern only when it saves something.
fn push_saving(take: Take, disc: Take, saving: i64, out: &mut Vec<Pattern>) {
    if saving > 0 {
        out.push(Pattern::new(take, disc, saving));
    }
}

/// A fixed bundle: every way to take each item's quantity from the lines of its product.
fn fixed_patterns(
    cart: &BundleCart,
    items: &[(ProductIdx, u32)],
    discount: Discount,
    scratch: &mut Scratch,
    out: &mut Vec<Pattern>,
) -> bool {
    let classes = cart.classes;
    // Usually each item is one cart line: then the only pattern takes those lines' units.
    let mut single: Take = Take::new();
    let one_line_each = items.iter().all(|&(p, q)| {
        let mut lines = classes.iter().enumerate().filter(|(_, c)| c.product == p);
        match (lines.next(), lines.next()) {
            (Some((c, cl)), None) if cl.qty >= q => {
                single.push((c as u16, q as u16));
                true
            }
            _ => false,
        }
    });
    if one_line_each && q_fits_u16(items) {
        single.sort_unstable();
        let s = discount.saving(value_of(classes, &single));
        push_saving(Take::from_slice(&single), single, s, out);
        return true;
    }
    let mut complete = true;
    let (mut partial, mut comps, mut next) = (scratch.takes(), scratch.takes(), scratch.takes());
    partial.push(Take::new());
    for &(p, q) in items {
        comps.clear();
        complete &= compositions(&cart.product(p), q, PATTERN_LIMIT, &mut comps);
        next.clear();
        for a in &partial {
            for c in &comps {
                if next.len() < PATTERN_LIMIT {
                    next.push(merge(a, c));
                } else {
                    complete = false;
                }
            }
        }
        std::mem::swap(&mut partial, &mut next);
    }
    for t in partial.drain(..) {
        let s = discount.saving(value_of(classes, &t));
        push_saving(Take::from_slice(&t), t, s, out);
    }
    scratch.give(partial);
    scratch.give(comps);
    scratch.give(next);
    complete
}

/// Buy X get Y: each multiset of buy and get units once. Same units, different split: the merchant's rule
/// discounts the cheapest feasible get units, so each pattern's discount sits on its cheapest get part.
fn buy_get_patterns(
    cart: &BundleCart,
    (buy_quantity, get_quantity): (u32, u32),
    percent: i64,
    scratch: &mut Scratch,
    out: &mut Vec<Pattern>,
) -> bool {
    let classes = cart.classes;
    let mut complete = true;
    let (mut bc, mut gc) = (scratch.takes(), scratch.takes());
    complete &= compositions(&cart.elig(FIRST), buy_quantity, PATTERN_LIMIT, &mut bc);
    complete &= compositions(&cart.elig(SECOND), get_quantity, PATTERN_LIMIT, &mut gc);
    let mut seen = Seen::default();
    'outer: for bt in &bc {
        for gt in &gc {
            let m = merge(bt, gt);
            if cart.overdraws(&m) {
                continue;
            }
            let gv = value_of(classes, gt);
            match seen.find(out, &m) {
                Some(i) => {
                    if gv < value_of(classes, &out[i].disc) {
                        out[i].disc = Take::from_slice(gt);
                    }
                }
                None => {
                    if out.len() >= PATTERN_LIMIT {
                        complete = false;
                        break 'outer;
                    }
                    seen.add(out, &m, out.len());
                    out.push(Pattern::new(m, Take::from_slice(gt), 0));
                }
            }
        }
    }
    for p in out.iter_mut() {
        p.saving = pct(value_of(classes, &p.disc), percent);
    }
    out.retain(|p| p.saving > 0);
    scratch.give(bc);
    scratch.give(gc);
    complete
}

/// Add-on: one trigger unit with `quantity` target units; among splits of the same units, the largest saving.
fn addon_patterns(
    cart: &BundleCart,
    quantity: u32,
    discount: Discount,
    scratch: &mut Scratch,
    out: &mut Vec<Pattern>,
) -> bool {
    let classes = cart.classes;
    let mut tc = scratch.takes();
    let complete = compositions(&cart.elig(SECOND), quantity, PATTERN_LIMIT, &mut tc);
    let mut seen = Seen::default();
    for (c, _) in cart.elig(FIRST) {
        for t in &tc {
            let m = merge(&smallvec![(c, 1)], t);
            if cart.overdraws(&m) {
                continue;
            }
            let s = discount.saving(value_of(classes, t));
            if s <= 0 {
                continue;
            }
            match seen.find(out, &m) {
                Some(i) if out[i].saving >= s => {}
                Some(i) => {
                    out[i].saving = s;
                    out[i].disc = Take::from_slice(t);
                }
                None => {
                    seen.add(out, &m, out.len());
                    push_saving(m, Take::from_slice(t), s, out);
                }
            }
        }
    }
    scratch.give(tc);
    complete
}

/// Volume searched by patterns (not in closed form): every way to take k eligible units, for every k from
/// the first tier up, priced at the tier k reaches.
fn volume_patterns(
    cart: &BundleCart,
    tiers: &[super::defs::Tier],
    scratch: &mut Scratch,
    out: &mut Vec<Pattern>,
) -> bool {
    let classes = cart.classes;
    let mut complete = true;
    let e = cart.elig(FIRST);
    let total: u32 = e.iter().map(|x| x.1 as u32).sum();
    for k in tiers[0].min_quantity..=total {
        let d = tier_for(tiers, k).expect("k reaches the first tier");
        let mut comps = scratch.takes();
        complete &= compositions(&e, k, PATTERN_LIMIT.saturating_sub(out.len()).max(1), &mut comps);
        for t in comps.drain(..) {
            let v = value_of(classes, &t);
            let us: i64 = t.iter().map(|&(c, n)| d.unit_saving(classes[c as usize].price) * n as i64).sum();
            push_saving(Take::from_slice(&t), t, volume_saving(d, v, us), out);
        }
        scratch.give(comps);
        if out.len() >= PATTERN_LIMIT {
            complete = false;
            break;
        }
    }
    complete
}

/// One bundle inside a component search.
struct Step {
    bundle: usize,
    prio: i64,
    max: Option<u32>,
    patterns: Vec<Pattern>,
    /// Closed-form volume: eligible local classes, most expensive first.
    closed: Option<SmallVec<[u16; 8]>>,
}

enum Node {
    Bundle(Step),
    /// Exclusive bundles are done: solve the stackable ones on what is left.
    Boundary,
}

#[derive(Debug, Clone, Copy)]
enum Choice {
    Skip,
    Pattern(u32),
    Closed(u32),
}

/// A memo entry: the node's value, the choice that reaches it, and whether the value is exact (not a bound).
type Entry = (Val, Choice, bool);

/// Units left per class during a search (inline for carts of up to 16 lines).
type Units = SmallVec<[u16; 16]>;

struct Search<'a> {
    nodes: &'a [Node],
    classes: &'a [Class],
    bundles: &'a [&'a Bundle],
    stackable: Vec<Search<'a>>,
    memo: Memo,
    budget: usize,
    aborted: bool,
    /// Per position, a row per class: the most a unit can still save (see [`rates`]), for bounds; empty for a
    /// stackable bundle's own search (searched in full).
    rates: Vec<f64>,
    /// Rounding headroom for closed-form percentages (half a minor unit per application, rounded up).
    slack: i64,
}

fn bundle_tiers(b: &Bundle) -> &[super::defs::Tier] {
    match &b.kind {
        Kind::Volume { tiers, .. } => tiers,
        _ => &[],
    }
}

/// Best closed-form volume application of `step` on `counts`: (value, k).
fn closed_best(
    classes: &[Class],
    step: &Step,
    bundles: &[&Bundle],
    order: &[u16],
    counts: &[u16],
) -> Option<(Val, u32)> {
    let tiers = bundle_tiers(bundles[step.bundle]);
    let avail: u32 = order.iter().map(|&c| counts[c as usize] as u32).sum();
    let mut best: Option<(Val, u32)> = None;
    for (ti, t) in tiers.iter().enumerate() {
        let hi = tiers.get(ti + 1).map(|n| n.min_quantity - 1).unwrap_or(u32::MAX).min(avail);
        if t.min_quantity > hi {
            continue;
        }
        let (mut k, mut value, mut unit_sum) = (0u32, 0i64, 0i64);
        'units: for &c in order {
            let price = classes[c as usize].price;
            for _ in 0..counts[c as usize] {
                k += 1;
                value += price;
                unit_sum += t.discount.unit_saving(price);
                if k > hi {
                    break 'units;
                }
                if k >= t.min_quantity {
                    let s = volume_saving(t.discount, value, unit_sum);
                    let v = (s, step.prio, -(k as i64));
                    if s > 0 && best.is_none_or(|b| v > b.0) {
                        best = Some((v, k));
                    }
                }
            }
        }
    }
    best
}

impl<'a> Search<'a> {
    fn new(
        nodes: &'a [Node],
        classes: &'a [Class],
        bundles: &'a [&'a Bundle],
        memo: Memo,
        budget: usize,
    ) -> Search<'a> {
        Search {
            nodes,
            classes,
            bundles,
            stackable: Vec::new(),
            memo,
            budget,
            aborted: false,
            rates: Vec::new(),
            slack: 0,
        }
    }

    /// The first node from `pos` with a choice to make: a bundle with nothing left that fits only moves on,
    /// so it gets no memo entry of its own (most nodes of a many-bundle component are such).
    fn next_live(&self, mut pos: usize, mut used: u32, counts: &[u16]) -> (usize, u32) {
        while let Some(Node::Bundle(step)) = self.nodes.get(pos) {
            let capped = step.max.is_some_and(|m| used >= m);
            if step.closed.is_some() || (!capped && step.patterns.iter().any(|p| fits(&p.take, counts))) {
                break;
            }
            pos += 1;
            used = 0;
        }
        (pos, used)
    }

    /// An upper bound on the saving still reachable from `pos` with `counts` (see `rates`) when it is below
    /// `need`, so the node can be cut.
    fn cut(&self, pos: usize, counts: &[u16], need: i64) -> Option<i64> {
        let n = self.classes.len();
        let r = &self.rates[pos * n..(pos + 1) * n];
        let f: f64 = counts.iter().zip(r).map(|(&n, &r)| n as f64 * r).sum();
        // `ceil(f) + slack < need` for an integer `need`, without rounding at every node.
        let limit = need.saturating_sub(self.slack).saturating_sub(1);
        (f <= limit as f64).then(|| f.ceil() as i64 + self.slack)
    }

    /// Best value from `pos`, and whether it is exact. Subtrees that cannot reach `need` (saving) are cut and
    /// answered with an upper bound below `need` (flagged inexact), so the memo keeps bounds and exact values.
    fn best(&mut self, pos: usize, used: u32, counts: &mut [u16], need: i64) -> (Val, bool) {
        let (pos, used) = self.next_live(pos, used, counts);
        if pos == self.nodes.len() || self.aborted {
            return (ZERO, true);
        }
        // A bound costs less than a memo look-up, so it comes first (and a cut node is not memoised).
        if !self.rates.is_empty() {
            if let Some(ub) = self.cut(pos, counts, need) {
                return ((ub, 0, 0), false);
            }
        }
        let nodes: &'a [Node] = self.nodes;
        let bounded = matches!(&nodes[pos], Node::Bundle(s) if s.max.is_some());
        let key = self.memo.key(counts, pos, if bounded { used } else { 0 });
        let stored = self.memo.find(key, counts);
        if let Some(&(v, _, exact)) = stored.map(|i| self.memo.entry(i)) {
            if exact || v.0 < need {
                return (v, exact);
            }
        }
        if self.memo.len() >= self.budget {
            self.aborted = true;
            return (ZERO, true);
        }
        let (val, choice, exact) = match &nodes[pos] {
            Node::Boundary => {
                let mut v = ZERO;
                for s in 0..self.stackable.len() {
                    let (sv, _) = self.stackable[s].best(0, 0, counts, i64::MIN);
                    self.aborted |= self.stackable[s].aborted;
                    v = add(v, sv);
                }
                let (rest, exact) = self.best(pos + 1, 0, counts, need.saturating_sub(v.0));
                (add(v, rest), Choice::Skip, exact)
            }
            Node::Bundle(step) => self.best_at(step, pos, used, counts, need),
        };
        if self.aborted {
            return (ZERO, true);
        }
        match stored {
            // Stored as a bound too low for this visit's `need`: searched again, replaced.
            Some(i) => self.memo.replace(i, (val, choice, exact)),
            None => self.memo.insert(key, counts, (val, choice, exact)),
        }
        (val, exact)
    }

    /// [`Search::best`] at a bundle: "move on" first, then the closed form or one more application of each
    /// pattern that fits, keeping the first strictly better choice (the tie rules).
    fn best_at(&mut self, step: &Step, pos: usize, used: u32, counts: &mut [u16], need: i64) -> Entry {
        let (skip, skip_exact) = self.best(pos + 1, 0, counts, need);
        let mut best = (skip, Choice::Skip, skip_exact);
        if let Some(order) = &step.closed {
            if let Some((v, k)) = closed_best(self.classes, step, self.bundles, order, counts) {
                let total = add(v, skip);
                if total > best.0 {
                    best = (total, Choice::Closed(k), skip_exact);
                }
            }
            return best;
        }
        if step.max.is_some_and(|m| used >= m) {
            return best;
        }
        for (i, p) in step.patterns.iter().enumerate() {
            if !fits(&p.take, counts) {
                continue;
            }
            for &(c, n) in &p.take {
                counts[c as usize] -= n;
            }
            let child_need = need.max(best.0 .0).saturating_sub(p.saving);
            let (rest, rest_exact) = self.best(pos, used + 1, counts, child_need);
            for &(c, n) in &p.take {
                counts[c as usize] += n;
            }
            let v = add((p.saving, step.prio, -(p.units as i64)), rest);
            if v > best.0 {
                best = (v, Choice::Pattern(i as u32), rest_exact);
            }
        }
        best
    }

    /// Walk the memo from the root and list the chosen applications.
    fn reconstruct(&self, counts: &mut [u16], out: &mut Vec<Application>) {
        let (mut pos, mut used) = (0usize, 0u32);
        loop {
            (pos, used) = self.next_live(pos, used, counts);
            if pos == self.nodes.len() {
                break;
            }
            let bounded = matches!(&self.nodes[pos], Node::Bundle(s) if s.max.is_some());
            let key = self.memo.key(counts, pos, if bounded { used } else { 0 });
            let choice = self.memo.find(key, counts).map_or(Choice::Skip, |i| self.memo.entry(i).1);
            match (&self.nodes[pos], choice) {
                (Node::Boundary, _) => {
                    for s in &self.stackable {
                        s.reconstruct(&mut Units::from_slice(counts), out);
                    }
                    pos += 1;
                    used = 0;
                }
                (Node::Bundle(_), Choice::Skip) => {
                    pos += 1;
                    used = 0;
                }
                (Node::Bundle(step), Choice::Pattern(i)) => {
                    let p = &step.patterns[i as usize];
                    for &(c, n) in &p.take {
                        counts[c as usize] -= n;
                    }
                    out.push(p.application(step.bundle));
                    used += 1;
                }
                (Node::Bundle(step), Choice::Closed(k)) => {
                    let app = closed_take(step, self.classes, self.bundles, counts, k);
                    for &(c, n) in &app.take {
                        counts[c as usize] -= n;
                    }
                    out.push(app);
                    pos += 1;
                    used = 0;
                }
            }
        }
    }
}

/// The top-k units of a closed-form volume step as an application.
fn closed_take(step: &Step, classes: &[Class], bundles: &[&Bundle], counts: &[u16], k: u32) -> Application {
    let order = step.closed.as_ref().expect("closed step");
    let mut take: Take = Take::new();
    let mut left = k;
    for &c in order {
        let n = (counts[c as usize] as u32).min(left);
        if n > 0 {
            take.push((c, n as u16));
            left -= n;
        }
    }
    take.sort_unstable();
    let d = tier_for(bundle_tiers(bundles[step.bundle]), k).expect("k reaches a tier");
    let value = value_of(classes, &take);
    let us: i64 = take.iter().map(|&(c, n)| d.unit_saving(classes[c as usize].price) * n as i64).sum();
    Application { bundle: step.bundle, disc: Take::from_slice(&take), take, saving: volume_saving(d, value, us) }
}

fn closed_order(bi: usize, b: &Bundle, classes: &[Class], roles: &ClassRoles) -> SmallVec<[u16; 8]> {
    if !matches!(b.kind, Kind::Volume { .. }) {
        return SmallVec::new();
    }
    let mut o: SmallVec<[u16; 8]> =
        (0..classes.len() as u16).filter(|&c| roles.get(c as usize, bi) & FIRST != 0).collect();
    o.sort_by(|&a, &b| classes[b as usize].price.cmp(&classes[a as usize].price).then(a.cmp(&b)));
    o
}

/// Greedy on `steps`: repeatedly the single best application (same ordering as the search), taken from
/// `counts`. Never fails.
fn greedy_run(steps: &[&Step], classes: &[Class], bundles: &[&Bundle], counts: &mut [u16], out: &mut Vec<Application>) {
    let mut used: SmallVec<[u32; 8]> = smallvec![0; steps.len()];
    loop {
        // The best single application: (value, step, choice there).
        let mut best: Option<(Val, usize, Choice)> = None;
        for (si, s) in steps.iter().enumerate() {
            if s.max.is_some_and(|m| used[si] >= m) {
                continue;
            }
            if let Some(order) = &s.closed {
                if let Some((v, k)) = closed_best(classes, s, bundles, order, counts) {
                    if best.is_none_or(|b| v > b.0) {
                        best = Some((v, si, Choice::Closed(k)));
                    }
                }
                continue;
            }
            for (i, p) in s.patterns.iter().enumerate() {
                let v = (p.saving, s.prio, -(p.units as i64));
                if best.is_none_or(|b| v > b.0) && fits(&p.take, counts) {
                    best = Some((v, si, Choice::Pattern(i as u32)));
                }
            }
        }
        let app = match best {
            Some((_, si, Choice::Pattern(i))) => steps[si].patterns[i as usize].application(steps[si].bundle),
            Some((_, si, Choice::Closed(k))) => closed_take(steps[si], classes, bundles, counts, k),
            Some((_, _, Choice::Skip)) | None => break,
        };
        let si = best.map_or(0, |b| b.1);
        for &(c, n) in &app.take {
            counts[c as usize] -= n;
        }
        used[si] += 1;
        out.push(app);
    }
}

/// Greedy over a component: the main line, then each stackable bundle on everything not held by an
/// exclusive application. The floor of the exact search, and its answer when the search runs out of budget.
fn greedy(layout: &Layout, excl: &[bool], classes: &[Class], bundles: &[&Bundle], counts: &[u16]) -> Vec<Application> {
    fn steps(ns: &[Node]) -> Vec<&Step> {
        ns.iter()
            .filter_map(|n| match n {
                Node::Bundle(s) => Some(s),
                Node::Boundary => None,
            })
            .collect()
    }
    let mut out = Vec::new();
    greedy_run(&steps(&layout.nodes), classes, bundles, &mut Units::from_slice(counts), &mut out);
    let mut pool = Units::from_slice(counts);
    for a in out.iter().filter(|a| excl[a.bundle]) {
        for &(c, n) in &a.take {
            pool[c as usize] -= n;
        }
    }
    for s in &layout.stack_nodes {
        greedy_run(&steps(s), classes, bundles, &mut pool.clone(), &mut out);
    }
    out
}

/// Solve one independent component (`classes` local to it; `members` the bundles reaching it): its
/// applications in local class numbers, and whether the answer is proven best.
///
/// The search is a memoised depth first search over (units left, bundle position, applications of a capped
/// bundle), cut by an upper bound per position (`rates`) against the greedy answer's saving, which it can
/// only match or beat. Past its node budget the greedy answer stands, flagged not proven best.
fn solve_component(
    classes: &[Class],
    roles: &ClassRoles,
    bundles: &[&Bundle],
    plan: &Plan,
    members: &[usize],
    scratch: &mut Scratch,
) -> (Vec<Application>, bool) {
    let units: u32 = classes.iter().map(|c| c.qty).sum();
    let layout = Layout::new(classes, roles, bundles, plan, members, scratch);
    let counts0: Units = classes.iter().map(|c| c.qty.min(u16::MAX as u32) as u16).collect();
    let budget = if units <= EXACT_UNITS { EXACT_BUDGET } else { BOUNDED_BUDGET };
    let mut search = Search::new(&layout.nodes, classes, bundles, scratch.memo(classes.len()), budget);
    search.stackable = layout
        .stack_nodes
        .iter()
        .map(|n| Search::new(n, classes, bundles, scratch.memo(classes.len()), budget))
        .collect();
    search.rates = rates(&layout.nodes, &layout.stack_nodes, classes, bundles);
    search.slack = 1 + layout.nodes.len() as i64 + layout.stack_nodes.len() as i64;
    let floor = greedy(&layout, &plan.exclusive, classes, bundles, &counts0);
    let mut counts = counts0.clone();
    search.best(0, 0, &mut counts, floor.iter().map(|a| a.saving).sum());
    let exact = !search.aborted;
    let apps = if exact {
        let mut apps = Vec::with_capacity(4);
        search.reconstruct(&mut counts, &mut apps);
        apps
    } else {
        floor
    };
    let complete = layout.complete && exact;
    scratch.memos.extend(search.stackable.into_iter().map(|s| s.memo));
    scratch.memos.push(search.memo);
    layout.give_back(scratch);
    (apps, complete)
}

/// A component's bundles in search order: the main line (exclusive bundles, the boundary, then the other
/// non-stackable ones with the closed-form volume bundle last), and each stackable bundle on its own.
struct Layout {
    nodes: Vec<Node>,
    stack_nodes: Vec<Vec<Node>>,
    /// Every bundle's patterns were listed in full (none cut at `PATTERN_LIMIT`).
    complete: bool,
}

impl Layout {
    fn new(
        classes: &[Class],
        roles: &ClassRoles,
        bundles: &[&Bundle],
        plan: &Plan,
        members: &[usize],
        scratch: &mut Scratch,
    ) -> Layout {
        // The component's bundles in search order (priority descending, then definition order).
        let mut order: SmallVec<[usize; 8]> = SmallVec::from_slice(members);
        order.sort_unstable_by_key(|&i| plan.rank[i]);
        let is_volume = |i: usize| matches!(bundles[i].kind, Kind::Volume { .. });
        // The component's last non-exclusive, non-stackable volume bundle is solved in closed form.
        let closed_bundle =
            order.iter().rev().copied().find(|&i| !bundles[i].exclusive && !bundles[i].stackable && is_volume(i));
        let mut complete = true;
        let is_closed = |i: usize| closed_bundle == Some(i) || (bundles[i].stackable && is_volume(i));
        let mut make_step = |i: usize| -> Step {
            let (step, ok) = Step::new(i, bundles[i], classes, roles, is_closed(i), scratch);
            complete &= ok;
            step
        };
        let mut nodes: Vec<Node> = Vec::with_capacity(members.len() + 1);
        for &i in order.iter().filter(|&&i| bundles[i].exclusive) {
            nodes.push(Node::Bundle(make_step(i)));
        }
        nodes.push(Node::Boundary);
        let mut tail: SmallVec<[usize; 8]> =
            order.iter().copied().filter(|&i| !bundles[i].exclusive && !bundles[i].stackable).collect();
        if let Some(pos) = tail.iter().position(|&i| closed_bundle == Some(i)) {
            let c = tail.remove(pos);
            tail.push(c);
        }
        for i in tail {
            nodes.push(Node::Bundle(make_step(i)));
        }
        let stack_nodes: Vec<Vec<Node>> =
            order.iter().copied().filter(|&i| bundles[i].stackable).map(|i| vec![Node::Bundle(make_step(i))]).collect();
        Layout { nodes, stack_nodes, complete }
    }

    /// Return the steps' pattern lists to the buffers of the next search.
    fn give_back(self, scratch: &mut Scratch) {
        for node in self.nodes.into_iter().chain(self.stack_nodes.into_iter().flatten()) {
            if let Node::Bundle(step) = node {
                scratch.give_patterns(step.patterns);
            }
        }
    }
}

impl Step {
    /// Bundle `i` as a search step, and whether its patterns are complete.
    fn new(
        i: usize,
        b: &Bundle,
        classes: &[Class],
        roles: &ClassRoles,
        closed: bool,
        scratch: &mut Scratch,
    ) -> (Step, bool) {
        let (patterns, ok) = patterns(i, b, classes, roles, closed, scratch);
        let closed = closed.then(|| closed_order(i, b, classes, roles));
        let step = Step {
            bundle: i,
            prio: b.priority,
            max: if matches!(b.kind, Kind::Volume { .. }) { Some(1) } else { b.max_applications },
            patterns,
            closed,
        };
        (step, ok)
    }
}

/// Raise `row` (per class) to the most one unit of each class can earn per unit of its value from one step.
fn raise_rates(step: &Step, classes: &[Class], bundles: &[&Bundle], row: &mut [f64]) {
    // Float headroom so the bound never falls below the truth.
    const HEADROOM: f64 = 1.000_001;
    if let Some(order) = &step.closed {
        for &c in order {
            let price = classes[c as usize].price;
            if price <= 0 {
                continue;
            }
            for t in bundle_tiers(bundles[step.bundle]) {
                let x = match t.discount {
                    Discount::PercentOff(p) => p as f64 / (100 * PERCENT_SCALE) as f64,
                    d => d.unit_saving(price) as f64 / price as f64,
                };
                row[c as usize] = row[c as usize].max(x * HEADROOM);
            }
        }
        return;
    }
    for p in &step.patterns {
        let v: i64 = p.take.iter().map(|&(c, n)| classes[c as usize].price * n as i64).sum();
        if v <= 0 {
            continue;
        }
        let x = p.saving as f64 / v as f64 * HEADROOM;
        for &(c, _) in &p.take {
            row[c as usize] = row[c as usize].max(x);
        }
    }
}

/// Suffix bounds per position (a row of `classes.len()` each, the last row zero): the most one unit of each
/// class can still save, as its price times the best rate (saving per unit of value) ahead. A unit goes to
/// one exclusive application, or to one non-exclusive non-stackable application plus every stackable bundle.
fn rates(nodes: &[Node], stack: &[Vec<Node>], classes: &[Class], bundles: &[&Bundle]) -> Vec<f64> {
    let n = classes.len();
    let mut out = vec![0.0f64; n * (nodes.len() + 1)];
    let mut stack_rate = vec![0.0f64; n];
    for step in stack.iter().flatten().filter_map(|node| match node {
        Node::Bundle(step) => Some(step),
        Node::Boundary => None,
    }) {
        let mut r = vec![0.0f64; n];
        raise_rates(step, classes, bundles, &mut r);
        stack_rate.iter_mut().zip(r).for_each(|(a, b)| *a += b);
    }
    for pos in (0..nodes.len()).rev() {
        let (head, next) = out.split_at_mut((pos + 1) * n);
        let row = &mut head[pos * n..];
        row.copy_from_slice(&next[..n]);
        match &nodes[pos] {
            Node::Boundary => row.iter_mut().zip(&stack_rate).for_each(|(a, b)| *a += b),
            Node::Bundle(step) => raise_rates(step, classes, bundles, row),
        }
    }
    for row in out.chunks_mut(n.max(1)) {
        row.iter_mut().zip(classes).for_each(|(r, c)| *r *= c.price as f64);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain recursive enumeration the iterative one replaced: the same compositions in the same order.
    fn recursive(elig: &[(u16, u16)], n: u32, limit: usize) -> (Vec<Take>, bool) {
        fn rec(
            elig: &[(u16, u16)],
            i: usize,
            left: u32,
            cur: &mut Take,
            budget: &mut usize,
            out: &mut Vec<Take>,
        ) -> bool {
            if left == 0 {
                if *budget == 0 {
                    return false;
                }
                *budget -= 1;
                out.push(cur.clone());
                return true;
            }
            let rest: u32 = elig[i.min(elig.len())..].iter().map(|e| e.1 as u32).sum();
            if i == elig.len() || rest < left {
                return true;
            }
            let rest_after = rest - elig[i].1 as u32;
            let (c, avail) = elig[i];
            for t in (left.saturating_sub(rest_after)..=(avail as u32).min(left)).rev() {
                if t > 0 {
                    cur.push((c, t as u16));
                }
                let ok = rec(elig, i + 1, left - t, cur, budget, out);
                if t > 0 {
                    cur.pop();
                }
                if !ok {
                    return false;
                }
            }
            true
        }
        let (mut out, mut budget) = (Vec::new(), limit);
        let complete = rec(elig, 0, n, &mut Take::new(), &mut budget, &mut out);
        (out, complete)
    }

    #[test]
    fn compositions_in_the_recursive_order() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let mut next = |m: u64| rng.gen_range(0..m);
        for _ in 0..5_000 {
            let k = next(6) as usize;
            let elig: Vec<(u16, u16)> = (0..k).map(|c| (c as u16 * 2, next(5) as u16)).collect();
            let n = next(9) as u32;
            let limit = if next(4) == 0 { next(6) as usize } else { PATTERN_LIMIT };
            let mut got = Vec::new();
            let complete = each_composition(&elig, n, limit, &mut |t| got.push(t.clone()));
            assert_eq!((got, complete), recursive(&elig, n, limit), "{n} units from {elig:?}, limit {limit}");
        }
    }
}
