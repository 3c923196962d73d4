//! The candidate pool of one request: every product some signal puts forward, with its summed score and the
//! strongest contribution (which names the reason and the heading).

use super::{cart::Cart, eligibility::Eligibility, shopper::Shopper};
use crate::catalog::ProductIdx;
use crate::config::{CartWeight, Config};
use crate::dense::DenseMap;
use crate::model::{Model, Neighbor};
use crate::rules::{Placement, Rule};
use crate::shop::Shop;
use ahash::AHashMap;
use std::cell::RefCell;

/// Score added to a product that completes a bundle in the cart (a learned top candidate scores 1.0).
const BUNDLE_BOOST: f64 = 0.3;
/// History and session seeds: at most this many (the most recent), each bringing its strongest neighbours only.
const MAX_SEEDS: usize = 12;
const SEED_NEIGHBORS: usize = 8;
/// The score of a product ruled out for this request while seeding (below every threshold, and stays so).
const RULED_OUT: f64 = f64::NEG_INFINITY;
/// The score of a candidate dropped under the noise floor, as if never entered.
const DROPPED: f64 = f64::NAN;

/// Where a candidate's score came from; the strongest source names the reason and the heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Source {
    Pinned,
    Learned,
    History,
    Viewed,
    Complement,
    Bundle,
    BuyAgain,
    Fill,
}

/// What the strongest contribution rests on, for its reason.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Evidence {
    None,
    /// A learned association with this seed product (cart line, earlier purchase or viewed product).
    Seed(ProductIdx),
    /// The complement rule at this position.
    Rule(u32),
    /// A due repurchase, bought about every this many days.
    Interval(u32),
    /// The merchant's pin at this position.
    Pin(u32),
    /// A fill list (see `fill::Kind`).
    Fill(super::fill::Kind),
}

#[derive(Debug, Clone)]
pub(super) struct Candidate {
    pub score: f64,
    /// The strongest contribution: its source, what it rests on, and its value.
    pub source: Source,
    pub evidence: Evidence,
    pub strongest: f64,
    pub pinned: Option<u32>,
}

impl Candidate {
    fn new(source: Source) -> Candidate {
        Candidate { score: 0.0, source, evidence: Evidence::None, strongest: f64::MIN, pinned: None }
    }

    /// Whether the candidate is in the pool (not dropped under the noise floor).
    fn live(&self) -> bool {
        !self.score.is_nan()
    }

    fn add(&mut self, source: Source, evidence: Evidence, value: f64) {
        self.score += value;
        if value > self.strongest {
            (self.source, self.evidence, self.strongest) = (source, evidence, value);
        }
    }
}

pub(super) struct Pool {
    /// Every product some signal put forward, live or dropped (see [`Candidate::live`]).
    cands: DenseMap<Candidate>,
    /// Candidates dropped under the noise floor: kept in the map (removing them moved every later entry),
    /// but absent to every reader.
    dropped: usize,
    /// The bundle a product completes ("Add Lens to save $25.00"), kept aside so candidates stay small.
    pub bundle_reasons: AHashMap<ProductIdx, String>,
}

impl Pool {
    /// A pool for a catalog of `products`, sized for the neighbour lists the cart's products and the
    /// shopper's seeds bring (plus room for rules and fill).
    pub fn new(products: usize, model: &Model, cart: &Cart, shopper: &Shopper) -> Pool {
        let lists: usize = cart.known.iter().map(|&(i, _)| model.neighbour_count(i)).sum();
        let seeds = (shopper.history.len().min(MAX_SEEDS) + shopper.viewed.len().min(MAX_SEEDS)) * SEED_NEIGHBORS;
        let capacity = lists + seeds + cart.known.len() + 64;
        let mut entries = SPARE_ENTRIES.with(|s| std::mem::take(&mut *s.borrow_mut()));
        entries.clear();
        entries.reserve(capacity);
        Pool { cands: DenseMap::with_entries(products, entries), dropped: 0, bundle_reasons: AHashMap::new() }
    }

    pub fn len(&self) -> usize {
        self.cands.len() - self.dropped
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn contains(&self, idx: ProductIdx) -> bool {
        self.get(idx).is_some()
    }

    pub fn get(&self, idx: ProductIdx) -> Option<&Candidate> {
        self.cands.get(idx).filter(|c| c.live())
    }

    /// The live candidates, in the order they entered.
    pub fn iter(&self) -> impl Iterator<Item = (ProductIdx, &Candidate)> {
        self.cands.iter().filter(|(_, c)| c.live())
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = (ProductIdx, &mut Candidate)> {
        self.cands.iter_mut().filter(|(_, c)| c.live())
    }

    /// The product's candidate, entered new (from `source`) if absent or dropped.
    fn entry(&mut self, idx: ProductIdx, source: Source) -> &mut Candidate {
        let c = self.cands.get_or_insert_with(idx, || Candidate::new(source));
        if !c.live() {
            *c = Candidate::new(source);
            self.dropped -= 1;
        }
        c
    }

    /// Add `value` from `source` to the product, entering it if new.
    pub fn add(&mut self, idx: ProductIdx, source: Source, evidence: Evidence, value: f64) {
        self.entry(idx, source).add(source, evidence, value);
    }

    /// Learned associations of the cart lines (weighted by their share of the cart value, or equally), of the
    /// shopper's recent purchases and of this session's views; normalised so the strongest scores 1.0, what
    /// falls under the noise floor dropped, and the rest blended with popularity (`Config::popularity_prior`).
    pub fn add_learned(&mut self, model: &Model, config: &Config, cart: &Cart, shopper: &Shopper, elig: &Eligibility) {
        // Entered as ruled out, so that seeding checks every other product without searching these lists.
        for idx in elig.listed() {
            self.cands.insert(idx, Candidate { score: RULED_OUT, ..Candidate::new(Source::Learned) });
        }
        let by_value = config.cart_weight() == CartWeight::Value && cart.subtotal > 0;
        let credit = config.cut_credit();
        for &(idx, value) in &cart.known {
            let w = if by_value { value as f64 / cart.subtotal as f64 } else { 1.0 / cart.known.len() as f64 };
            let list = model.neighbours(idx);
            let debit = if credit > 0.0 { credit * w * cut_score(list, config.top_k()) } else { 0.0 };
            self.seed(list, elig, idx, w, debit, Source::Learned);
        }
        // The most recent seeds only (lists end with the latest): a long history adds little beyond them but
        // costs a neighbour scan each.
        let recent = |v: &[ProductIdx]| v.len().saturating_sub(MAX_SEEDS);
        let seeds = &shopper.history[recent(&shopper.history)..];
        for &idx in seeds {
            let w = config.history_weight() / seeds.len() as f64;
            self.seed(model.neighbours(idx), elig, idx, w, 0.0, Source::History);
        }
        let seeds = &shopper.viewed[recent(&shopper.viewed)..];
        for &idx in seeds {
            let w = config.viewed_weight / seeds.len() as f64;
            self.seed(model.neighbours(idx), elig, idx, w, 0.0, Source::Viewed);
        }
        let top = self.cands.values().map(|c| c.score).fold(0.0f64, f64::max);
        let prior = config.popularity_prior();
        for (idx, c) in self.cands.iter_mut() {
            c.score /= top;
            c.strongest /= top;
            // A NaN score (nothing learned scored above zero) is noise too.
            if c.score.is_nan() || c.score < config.min_relative_score {
                c.score = DROPPED;
                self.dropped += 1;
            } else if prior > 0.0 {
                c.score = (1.0 - prior) * c.score + prior * model.popularity[idx as usize] as f64;
            }
        }
    }

    /// Cart lines bring all their neighbours (`list`, of product `idx`); history and session seeds, many and
    /// weak, their strongest few. A product ruled out is entered too, scored [`RULED_OUT`], so that its other
    /// appearances in neighbour lists skip the eligibility check; `add_learned` drops it with the noise.
    ///
    /// `debit` is taken from the score of every product the list holds (`Config::cut_credit`): crediting a
    /// product for every cut list it is missing from ranks the cart's candidates exactly as debiting it for
    /// every list that holds it (the two differ by the same sum for every candidate), and the debit keeps
    /// scores on the scale the noise floor and the other signals are weighed against. The reason (strongest
    /// contribution) is judged on the plain score.
    fn seed(&mut self, list: &[Neighbor], elig: &Eligibility, idx: ProductIdx, w: f64, debit: f64, source: Source) {
        let list = if source == Source::Learned { list } else { &list[..list.len().min(SEED_NEIGHBORS)] };
        let evidence = Evidence::Seed(idx);
        for nb in list {
            let value = w * nb.score as f64;
            match self.cands.get_mut(nb.item) {
                Some(c) => {
                    c.add(source, evidence, value);
                    c.score -= debit;
                }
                None => {
                    let c = if elig.allows_unlisted(nb.item) {
                        Candidate { score: value - debit, source, evidence, strongest: value, pinned: None }
                    } else {
                        Candidate { score: RULED_OUT, ..Candidate::new(source) }
                    };
                    self.cands.insert_absent(nb.item, c);
                }
            }
        }
    }

    /// Complement rules the cart meets; returns the first one's heading and the products pinned for this
    /// placement, in rule order.
    pub fn add_rules<'e>(
        &mut self,
        shop: &Shop<'e>,
        placement: Placement,
        cart: &Cart,
        elig: &Eligibility,
    ) -> (Option<&'e str>, Vec<ProductIdx>) {
        let catalog = shop.catalog;
        let popularity = &shop.model.popularity;
        let mut heading = None;
        let mut pinned: Vec<ProductIdx> = Vec::new();
        for (ri, rule) in (0u32..).zip(&shop.rules.rules) {
            match rule {
                Rule::Complement { from, to, heading: h, weight } if cart.matches(catalog, from) => {
                    for idx in selector_candidates(shop, to) {
                        if elig.allows(idx) {
                            let v = weight * (0.5 + 0.5 * popularity[idx as usize] as f64);
                            self.add(idx, Source::Complement, Evidence::Rule(ri), v);
                        }
                    }
                    heading = heading.or(Some(h.as_deref().unwrap_or("Complete your setup")));
                }
                Rule::Pin { when, products, placements }
                    if when.as_ref().is_none_or(|w| cart.matches(catalog, w))
                        && (placements.is_empty() || placements.contains(&placement)) =>
                {
                    for idx in products.iter().filter_map(|id| catalog.get(id)) {
                        if elig.allows(idx) && !pinned.contains(&idx) {
                            pinned.push(idx);
                        }
                    }
                }
                _ => {}
            }
        }
        (heading, pinned)
    }

    /// Bundles the cart nearly completes: the completing product gets a boost and a reason naming the saving.
    pub fn add_bundles(&mut self, shop: &Shop, placement: Placement, cart: &Cart, elig: &Eligibility, now: i64) {
        if shop.bundles.bundles.is_empty() || placement == Placement::PostPurchase {
            return;
        }
        for offer in crate::pricing::completion_offers(shop, &cart.lines, now) {
            if elig.allows(offer.product) {
                self.add(offer.product, Source::Bundle, Evidence::None, BUNDLE_BOOST);
                self.bundle_reasons.entry(offer.product).or_insert(offer.text);
            }
        }
    }

    /// "Buy it again": the shopper's due repurchases.
    pub fn add_due(&mut self, due: &[(ProductIdx, f32)], weight: f64, elig: &Eligibility) {
        for &(idx, days) in due {
            if elig.allows(idx) {
                self.add(idx, Source::BuyAgain, Evidence::Interval(days.round() as u32), weight);
            }
        }
    }

    /// Pinned products lead in the order given, whatever their score.
    pub fn pin(&mut self, pinned: &[ProductIdx]) {
        for (pos, &idx) in (0u32..).zip(pinned) {
            let c = self.entry(idx, Source::Pinned);
            c.pinned = Some(pos);
            (c.source, c.evidence, c.strongest) = (Source::Pinned, Evidence::Pin(pos), f64::MAX);
        }
    }
}

/// What a missing entry of a cart line's list is worth at most: its last (weakest) score when the list
/// holds `top_k` entries and so may have been cut, 0 when it holds every companion there is.
fn cut_score(list: &[Neighbor], top_k: usize) -> f64 {
    match list.last() {
        Some(last) if list.len() >= top_k => last.score as f64,
        _ => 0.0,
    }
}

thread_local! {
    /// The last pool's candidate storage, reused by the next pool of this thread (a query's pool is tens of
    /// kilobytes: allocating it was a visible share of a query).
    static SPARE_ENTRIES: RefCell<Vec<(ProductIdx, Candidate)>> = const { RefCell::new(Vec::new()) };
}

impl Drop for Pool {
    fn drop(&mut self) {
        let entries = self.cands.take_entries();
        SPARE_ENTRIES.with(|s| {
            let mut spare = s.borrow_mut();
            if spare.capacity() < entries.capacity() {
                *spare = entries;
            }
        });
    }
}

/// Products a rule's `to` selector points at, most popular first (bounded, so queries stay fast).
fn selector_candidates(shop: &Shop, sel: &crate::selector::Selector) -> Vec<ProductIdx> {
    let catalog = shop.catalog;
    let model = shop.model;
    let mut out: Vec<ProductIdx> = sel.product_ids.iter().filter_map(|id| catalog.get(id)).collect();
    if let Some(c) = &sel.category {
        out.extend(model.popular_in(c).iter().take(20));
    }
    if sel.tag.is_some() || sel.vendor.is_some() {
        out.extend(model.popular.iter().copied().filter(|&i| sel.matches(&catalog.product(i))).take(20));
    }
    out.sort_unstable();
    out.dedup();
    out
}
