//! Cart-aware cross-sell: "frequently bought together", "complete your setup", "you might also like".
//!
//! Ranking, in order: pinned products (merchant rules), then every other candidate by score. A candidate's
//! score sums, over the cart lines, the line's share of the cart value times the learned association
//! (normalised so the strongest learned candidate is 1.0), plus the customer's history and this session's
//! views as weaker seeds, plus complement rules (`weight` × 0.5–1.0 by popularity). Cold-start fallbacks
//! (popular in the cart's categories, trending, popular overall) score below 0.1 and fill what is left.
//! Boost/bury rules multiply; ties break by product id, so the same request always gives the same answer.

use crate::catalog::{Catalog, ProductIdx};
use crate::config::{CartWeight, Config};
use crate::dense::DenseMap;
use crate::engine::Engine;
use crate::error::Result;
use crate::money::{checked_total, format_minor, line_value};
use crate::request::{check_offset, known_ids, resolve_cart, CartLineInput, Device, Filters, Reason, ResolvedFilters};
use crate::rules::{Placement, Rule};
use ahash::AHashMap;
use serde::{Deserialize, Serialize};

/// The cross-sell request of the shared schema.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CrossSellRequest {
    pub cart: Vec<CartLineInput>,
    #[serde(default)]
    pub placement: Placement,
    #[serde(default)]
    pub customer_id: Option<String>,
    /// The anonymous shopper (cookie id): trained declines of this visitor apply (also picks an
    /// experiment's variant when `experiment` is given).
    #[serde(default)]
    pub visitor_id: Option<String>,
    /// Products this customer bought before.
    #[serde(default)]
    pub customer_history: Vec<String>,
    /// Products viewed this session.
    #[serde(default)]
    pub viewed: Vec<String>,
    /// Offers the shopper dismissed: never suggested again.
    #[serde(default)]
    pub declined: Vec<String>,
    #[serde(default)]
    pub device: Option<Device>,
    #[serde(default)]
    pub limit: Option<usize>,
    #[serde(default)]
    pub offset: usize,
    #[serde(default)]
    pub filters: Option<Filters>,
    /// `false` ignores every personal signal for this request (no consent); default on.
    #[serde(default)]
    pub personalize: Option<bool>,
    /// Time for bundle windows, "buy it again", seasons and decline windows (RFC 3339); default: the clock
    /// (decline windows: the newest trained event).
    #[serde(default)]
    pub now: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    pub product_id: String,
    pub title: String,
    pub price: String,
    pub score: f64,
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrossSellResponse {
    pub heading: String,
    pub placement: Placement,
    pub recommendations: Vec<Recommendation>,
    /// Cart products the engine has not seen (answered from what is known).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown_products: Vec<String>,
}

/// Where a candidate's score came from; the strongest source names the reason and the heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Source {
    Pinned,
    Learned,
    History,
    Viewed,
    Complement,
    Bundle,
    /// A repurchase that is due (seed: the learned interval in days).
    BuyAgain,
    Fallback,
}

#[derive(Debug, Clone)]
struct Candidate {
    score: f64,
    /// Strongest contribution: (source, seed product or rule index, contribution).
    best: (Source, u32, f64),
    pinned: Option<usize>,
}

impl Candidate {
    fn add(&mut self, source: Source, seed: u32, value: f64) {
        self.score += value;
        if value > self.best.2 {
            self.best = (source, seed, value);
        }
    }
}

const MAX_LIMIT: usize = 100;
/// Score added to a product that completes a bundle in the cart (a learned top candidate scores 1.0).
const BUNDLE_BOOST: f64 = 0.3;
/// History and session seeds: at most this many (the most recent), each bringing its strongest neighbours only.
const MAX_SEEDS: usize = 12;
const SEED_NEIGHBORS: usize = 8;
/// Purchases a taste profile is built from (the most recent).
const PROFILE_ITEMS: usize = 30;
/// "Buy it again" once this fraction of the usual interval has passed, and not after `STALE_FACTOR` intervals
/// (the customer has moved on).
const DUE_FRACTION: f32 = 0.8;
const STALE_FACTOR: f32 = 4.0;
/// Before this fraction of its cycle a repurchasable product is not suggested at all (just bought).
const NOT_YET_FRACTION: f32 = 0.25;
/// Score factor of a product in season ("Popular this time of year"): modest, it breaks near-ties.
const SEASONAL_BOOST: f64 = 1.15;
const PREFERRED_CHECKOUT_KINDS: [&str; 3] = ["warranty", "digital", "accessory"];

/// Everything that rules a product out, computed once per request.
struct Eligibility<'a> {
    catalog: &'a Catalog,
    config: &'a Config,
    engine: &'a Engine,
    /// Small lists, not sets: carts and declines are a handful of products, and a scan beats hashing.
    in_cart: Vec<ProductIdx>,
    families: Vec<&'a str>,
    declined: Vec<ProductIdx>,
    /// Trained declines and history products not to suggest again, sorted.
    blocked: Vec<ProductIdx>,
    /// Learned substitutes of the cart's products (sorted lists).
    substitutes: Vec<&'a [ProductIdx]>,
    excludes: Vec<&'a crate::selector::Selector>,
    filters: ResolvedFilters,
    max_price: Option<i64>,
}

impl Eligibility<'_> {
    fn allows(&self, idx: ProductIdx) -> bool {
        let p = self.catalog.product(idx);
        !self.in_cart.contains(&idx)
            && !self.declined.contains(&idx)
            && self.blocked.binary_search(&idx).is_err()
            && !self.substitutes.iter().any(|s| s.binary_search(&idx).is_ok())
            && p.in_stock()
            && !p.is_gift_card()
            && p.family.as_deref().is_none_or(|f| !self.families.contains(&f))
            && !self.excludes.iter().any(|s| s.matches(p))
            && self.engine.rules().price_allowed(p.price)
            && self.filters.allows(p)
            && self.max_price.is_none_or(|m| p.price <= m)
            && {
                let _ = self.config;
                true
            }
    }
}

pub fn cross_sell(engine: &Engine, req: &CrossSellRequest) -> Result<CrossSellResponse> {
    let catalog = engine.catalog();
    let model = engine.model();
    let config = engine.config();
    let rules = engine.rules();
    check_offset(req.offset)?;
    let cart = resolve_cart(&req.cart, catalog, config.max_cart_lines)?;
    let filters = req.filters.as_ref().map(|f| f.resolve(catalog)).transpose()?.unwrap_or_default();
    let limit = req
        .limit
        .unwrap_or(if req.device == Some(Device::Mobile) { config.mobile_limit } else { config.default_limit })
        .min(MAX_LIMIT);

    let known: Vec<(ProductIdx, i64)> = cart
        .iter()
        .enumerate()
        .filter_map(|(n, l)| {
            let idx = l.idx?;
            let price = l.unit_price.unwrap_or(catalog.product(idx).price);
            Some(line_value(price, l.quantity, &format!("cart[{n}]")).map(|v| (idx, v)))
        })
        .collect::<Result<_>>()?;
    let unknown_products: Vec<String> = cart.iter().filter(|l| l.idx.is_none()).map(|l| l.product_id.clone()).collect();
    let subtotal = checked_total(known.iter().map(|k| k.1), "cart")?;

    let cart_matches = |sel: &crate::selector::Selector| known.iter().any(|&(i, _)| sel.matches(catalog.product(i)));

    // Personal signals, resolved before eligibility: what this shopper declined before and which of their
    // earlier purchases must not come back (bought once) or are due again (buy it again).
    let behaviour = engine.behaviour();
    let now = req.now.as_deref().map(|t| crate::orders::parse_time(t, "now")).transpose()?;
    let clock = || now.unwrap_or_else(|| time::OffsetDateTime::now_utc().unix_timestamp());
    let personal = config.personalization && req.personalize != Some(false);
    let stored: &[crate::personal::Bought] = match (&req.customer_id, personal) {
        (Some(c), true) => engine.histories().get(c),
        _ => &[],
    };
    let history: Vec<ProductIdx> = if personal {
        let mut h = known_ids(&req.customer_history, catalog);
        for &(i, _, _) in stored {
            if !h.contains(&i) {
                h.push(i);
            }
        }
        h
    } else {
        Vec::new()
    };
    let mut blocked: Vec<ProductIdx> = Vec::new();
    let mut due: Vec<(ProductIdx, f32)> = Vec::new();
    if personal {
        for shopper in [&req.customer_id, &req.visitor_id].into_iter().flatten() {
            behaviour.declines.blocked(shopper, now, config, &mut blocked);
        }
        if config.use_buy_again && !history.is_empty() {
            let at = clock();
            for &i in &history {
                match behaviour.repurchase.interval(i) {
                    // Bought once, no repeat pattern in the data (a camera): not again.
                    None => blocked.push(i),
                    Some(days) => {
                        if let Some(&(_, last, _)) = stored.iter().find(|e| e.0 == i) {
                            let elapsed = (at - last) as f32 / crate::behaviour::DAY as f32;
                            if elapsed >= DUE_FRACTION * days && elapsed <= STALE_FACTOR * days {
                                due.push((i, days));
                            } else if elapsed < NOT_YET_FRACTION * days {
                                // Just bought: not yet.
                                blocked.push(i);
                            }
                        }
                        // A repurchasable product with no known date (request history only) is left as it was.
                    }
                }
            }
        }
    }
    blocked.sort_unstable();
    blocked.dedup();
    let elig = Eligibility {
        catalog,
        config,
        engine,
        in_cart: known.iter().map(|k| k.0).collect(),
        families: known.iter().filter_map(|&(i, _)| catalog.product(i).family.as_deref()).collect(),
        declined: known_ids(&req.declined, catalog),
        blocked,
        substitutes: if behaviour.substitutes.is_empty() {
            Vec::new()
        } else {
            known.iter().map(|&(i, _)| behaviour.substitutes.of(i)).filter(|s| !s.is_empty()).collect()
        },
        excludes: rules
            .rules
            .iter()
            .filter_map(|r| match r {
                Rule::Exclude { when, target } if when.as_ref().is_none_or(&cart_matches) => Some(target),
                _ => None,
            })
            .collect(),
        filters,
        max_price: (req.placement == Placement::Checkout && subtotal > 0)
            .then(|| (subtotal as f64 * config.checkout_max_price_fraction).floor() as i64),
    };

    let mut cands: DenseMap<Candidate> = DenseMap::new(catalog.len());
    let blank = |s: Source| Candidate { score: 0.0, best: (s, 0, f64::MIN), pinned: None };
    // The bundle a product completes ("Add Lens to save $25.00"), kept aside so candidates stay small to sort.
    let mut bundle_reasons: AHashMap<ProductIdx, String> = AHashMap::new();

    // Learned associations from every cart line, weighted by the line's share of the cart value (or equally).
    let learned = &mut cands;
    let seed = |learned: &mut DenseMap<Candidate>, idx: ProductIdx, w: f64, source: Source| {
        // Cart lines bring all their neighbours; history and session seeds, many and weak, their strongest few.
        let n = if source == Source::Learned { usize::MAX } else { SEED_NEIGHBORS };
        for nb in model.neighbors[idx as usize].iter().take(n) {
            match learned.get_mut(nb.item) {
                Some(c) => c.add(source, idx, w * nb.score as f64),
                None if elig.allows(nb.item) => {
                    let mut c = blank(source);
                    c.add(source, idx, w * nb.score as f64);
                    learned.insert(nb.item, c);
                }
                None => {}
            }
        }
    };
    let by_value = config.cart_weight() == CartWeight::Value && subtotal > 0;
    for &(idx, value) in &known {
        let w = if by_value { value as f64 / subtotal as f64 } else { 1.0 / known.len() as f64 };
        seed(learned, idx, w, Source::Learned);
    }
    // The most recent seeds only (lists end with the latest): a long history adds little beyond them but costs
    // a neighbour scan each.
    let recent = |v: &[ProductIdx]| v.len().saturating_sub(MAX_SEEDS);
    let seeds = &history[recent(&history)..];
    for &idx in seeds {
        seed(learned, idx, config.history_weight / seeds.len() as f64, Source::History);
    }
    let viewed = if personal && config.use_session { known_ids(&req.viewed, catalog) } else { Vec::new() };
    // Taste from the most recent products bought (as many as are stored per customer), each counted by the
    // orders it was in (once when only the request names it).
    let times = |i: ProductIdx| stored.iter().find(|e| e.0 == i).map_or(1, |e| e.2);
    let tasted: Vec<(ProductIdx, u32)> =
        history[history.len().saturating_sub(PROFILE_ITEMS)..].iter().map(|&i| (i, times(i))).collect();
    let profile = crate::personal::Profile::build(catalog, &tasted, &viewed, config.use_affinity);
    let seeds = &viewed[recent(&viewed)..];
    for &idx in seeds {
        seed(learned, idx, config.viewed_weight / seeds.len() as f64, Source::Viewed);
    }
    // Normalise so the strongest learned candidate scores 1.0; drop the noise floor.
    let top = learned.values().map(|c| c.score).fold(0.0f64, f64::max);
    learned.retain(|c| {
        c.score /= top;
        c.best.2 /= top;
        c.score >= config.min_relative_score
    });

    // Merchant rules: complements and pins.
    let mut complement_heading: Option<&str> = None;
    let mut pinned: Vec<ProductIdx> = Vec::new();
    for (ri, rule) in rules.rules.iter().enumerate() {
        match rule {
            Rule::Complement { from, to, heading, weight } if cart_matches(from) => {
                for idx in selector_candidates(engine, to) {
                    if elig.allows(idx) {
                        let v = weight * (0.5 + 0.5 * model.popularity[idx as usize] as f64);
                        cands.get_or_insert_with(idx, || blank(Source::Complement)).add(
                            Source::Complement,
                            ri as u32,
                            v,
                        );
                    }
                }
                if complement_heading.is_none() {
                    complement_heading = Some(heading.as_deref().unwrap_or("Complete your setup"));
                }
            }
            Rule::Pin { when, products, placements }
                if when.as_ref().is_none_or(&cart_matches)
                    && (placements.is_empty() || placements.contains(&req.placement)) =>
            {
                for id in products {
                    if let Some(idx) = catalog.get(id) {
                        if elig.allows(idx) && !pinned.contains(&idx) {
                            pinned.push(idx);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    // Bundles the cart nearly completes: the completing product gets a boost and a reason naming the exact saving.
    if !engine.bundles().bundles.is_empty() && req.placement != Placement::PostPurchase {
        let now = crate::pricing::parse_now(&req.now)?;
        for offer in crate::pricing::completion_offers(engine, &cart, now) {
            if elig.allows(offer.product) {
                let c = cands.get_or_insert_with(offer.product, || blank(Source::Bundle));
                c.add(Source::Bundle, 0, BUNDLE_BOOST);
                bundle_reasons.entry(offer.product).or_insert(offer.text);
            }
        }
    }
    // Buy it again: due repurchases of this customer.
    for &(idx, days) in &due {
        if elig.allows(idx) {
            cands.get_or_insert_with(idx, || blank(Source::BuyAgain)).add(
                Source::BuyAgain,
                days.round() as u32,
                config.buy_again_weight,
            );
        }
    }
    for (pos, &idx) in pinned.iter().enumerate() {
        let c = cands.get_or_insert_with(idx, || blank(Source::Pinned));
        c.pinned = Some(pos);
        c.best = (Source::Pinned, pos as u32, f64::MAX);
    }

    // Cold start: fill from the cart's categories, then trending, then popular, until the page can be filled.
    let wanted = req.offset + limit;
    if cands.len() < wanted * 2 {
        // Each list adds at most `per_list` products: fills score low and in popularity order, so deeper ones
        // cannot reach the page, and checking and ranking hundreds of them was most of a cold cart's time.
        let per_list = (wanted * 8).max(64);
        let mut added = [0usize; 3];
        let mut fill = |idx: ProductIdx, v: f64, code: u32| {
            if added[code as usize] < per_list && !cands.contains(idx) && elig.allows(idx) {
                let mut c = blank(Source::Fallback);
                c.add(Source::Fallback, code, v);
                cands.insert(idx, c);
                added[code as usize] += 1;
            }
        };
        // Same-category affinity only for cart products nothing was learned about (true cold start): for the
        // others, their category mates are substitutes, not complements.
        let mut cats: Vec<&str> = known
            .iter()
            .filter(|&&(i, _)| model.neighbors[i as usize].is_empty())
            .filter_map(|&(i, _)| catalog.product(i).category.as_deref())
            .collect();
        cats.dedup();
        for cat in cats {
            for &idx in model.popular_in(cat) {
                fill(idx, 0.09 * (0.5 + 0.5 * model.popularity[idx as usize] as f64), 0);
            }
        }
        for &(idx, _) in &model.trending {
            fill(idx, 0.06 * (0.5 + 0.5 * model.popularity[idx as usize] as f64), 1);
        }
        for &idx in &model.popular {
            fill(idx, 0.03 * (0.5 + 0.5 * model.popularity[idx as usize] as f64), 2);
        }
    }

    // Placement and merchant score adjustments.
    let season_at = (personal && config.use_seasonal && !behaviour.season.is_empty())
        .then(|| crate::behaviour::week_of_year(clock()));
    for (idx, c) in cands.iter_mut() {
        let p = catalog.product(idx);
        c.score *= rules.score_factor(p);
        if let Some(profile) = &profile {
            c.score *= profile.factor(p);
        }
        if season_at.is_some_and(|week| behaviour.season.in_week(idx, week)) {
            c.score *= SEASONAL_BOOST;
        }
        if req.placement == Placement::Checkout
            && p.kind.as_deref().is_some_and(|k| PREFERRED_CHECKOUT_KINDS.contains(&k))
        {
            c.score *= 1.5;
        }
    }

    // Rank small keys, not candidates: (pinned position, score, product). Only the head of the ranking is
    // needed, so select it first and sort just that (the whole list only when diversity skips too many).
    let mut ranked: Vec<(usize, f64, ProductIdx)> =
        cands.iter().map(|(idx, c)| (c.pinned.unwrap_or(usize::MAX), c.score, idx)).collect();
    let order = |a: &(usize, f64, ProductIdx), b: &(usize, f64, ProductIdx)| {
        a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)).then_with(|| catalog.product(a.2).id.cmp(&catalog.product(b.2).id))
    };
    // Sorted prefix `ranked[..head]`, grown by doubling when diversity skips reach its end (each step selects
    // the next block and sorts only that: cold-start carts bring hundreds of fill candidates).
    let sort_block = |ranked: &mut [(usize, f64, ProductIdx)], from: usize, to: usize| {
        let block = &mut ranked[from..];
        let n = (to - from).min(block.len());
        if n < block.len() {
            block.select_nth_unstable_by(n, order);
        }
        block[..n].sort_unstable_by(order);
    };
    let mut head = (wanted * 4).max(32).min(ranked.len());
    sort_block(&mut ranked, 0, head);

    // Diversity: at most N per category (pinned products count but are always kept). Candidates over the cap
    // wait aside and fill, in rank order, the slots other categories leave empty: variety first, never fewer.
    let mut per_cat: AHashMap<&str, usize> = AHashMap::new();
    let mut kept: Vec<(ProductIdx, &Candidate)> = Vec::with_capacity(wanted);
    let mut over_cap: Vec<(usize, ProductIdx)> = Vec::new();
    for i in 0..ranked.len() {
        if kept.len() >= wanted {
            break;
        }
        if i == head {
            let next = (head * 2).min(ranked.len());
            sort_block(&mut ranked, head, next);
            head = next;
        }
        let idx = ranked[i].2;
        let c = cands.get(idx).expect("ranked from cands");
        let cat = catalog.product(idx).category.as_deref().unwrap_or("");
        let n = per_cat.entry(cat).or_insert(0);
        let cap = config.max_per_category();
        if cap > 0 && *n >= cap && c.pinned.is_none() && !cat.is_empty() {
            if over_cap.len() < wanted {
                over_cap.push((i, idx));
            }
            continue;
        }
        *n += 1;
        kept.push((idx, c));
    }
    if kept.len() < wanted && !over_cap.is_empty() {
        // Back in rank order among what was kept.
        let rank_of = |idx: ProductIdx| ranked.iter().position(|r| r.2 == idx).unwrap_or(usize::MAX);
        let mut all: Vec<(usize, ProductIdx)> = kept.iter().map(|k| (rank_of(k.0), k.0)).collect();
        all.extend(over_cap.into_iter().take(wanted - kept.len()));
        all.sort_unstable();
        kept = all.into_iter().map(|(_, idx)| (idx, cands.get(idx).expect("ranked from cands"))).collect();
    }

    let heading = heading_for(req.placement, kept.first().map(|k| k.1.best.0), complement_heading);
    let recommendations = kept
        .into_iter()
        .skip(req.offset)
        .map(|(idx, c)| {
            let p = catalog.product(idx);
            Recommendation {
                product_id: p.id.clone(),
                title: p.title.clone(),
                price: format_minor(p.price, catalog.currency),
                score: (c.score * 1e6).round() / 1e6,
                reasons: {
                    let mut r = if c.best.0 == Source::Bundle { Vec::new() } else { reasons(engine, idx, c, &known) };
                    r.extend(bundle_reasons.get(&idx).map(|t| Reason::new("completes_bundle", t.clone())));
                    r.extend(profile.as_ref().and_then(|pr| pr.reason(p)));
                    if season_at.is_some_and(|week| behaviour.season.in_week(idx, week)) {
                        r.push(Reason::new("seasonal", "Popular this time of year"));
                    }
                    r
                },
            }
        })
        .collect();
    Ok(CrossSellResponse { heading, placement: req.placement, recommendations, unknown_products })
}

/// Products a rule's `to` selector points at, most popular first (bounded, so queries stay fast).
fn selector_candidates(engine: &Engine, sel: &crate::selector::Selector) -> Vec<ProductIdx> {
    let catalog = engine.catalog();
    let model = engine.model();
    let mut out: Vec<ProductIdx> = sel.product_ids.iter().filter_map(|id| catalog.get(id)).collect();
    if let Some(c) = &sel.category {
        out.extend(model.popular_in(c).iter().take(20));
    }
    if sel.tag.is_some() || sel.vendor.is_some() {
        out.extend(model.popular.iter().copied().filter(|&i| sel.matches(catalog.product(i))).take(20));
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn heading_for(placement: Placement, top: Option<Source>, complement: Option<&str>) -> String {
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

/// Reasons true to the data behind the candidate's strongest contribution.
fn reasons(engine: &Engine, idx: ProductIdx, c: &Candidate, cart: &[(ProductIdx, i64)]) -> Vec<Reason> {
    let catalog = engine.catalog();
    let model = engine.model();
    let (source, seed, _) = c.best;
    let name = |i: u32| catalog.product(i).name().to_string();
    let mut out = Vec::with_capacity(2);
    match source {
        Source::Pinned => out.push(Reason::new("pinned", "Recommended by the store")),
        Source::BuyAgain => out.push(Reason::new(
            "buy_again",
            format!("Time to restock: you buy this about every {seed} day{}", if seed == 1 { "" } else { "s" }),
        )),
        Source::Bundle => {}
        Source::Learned | Source::History | Source::Viewed => {
            let nb = model.neighbor(seed, idx);
            let (together, customers) = nb.map(|n| (n.together, n.customers)).unwrap_or((0, 0));
            let evidence = if together >= engine.config().min_support.max(1) || customers == 0 {
                Reason::new(
                    "bought_together",
                    format!(
                        "Bought together with {} in {} order{}",
                        name(seed),
                        together,
                        if together == 1 { "" } else { "s" }
                    ),
                )
            } else {
                Reason::new(
                    "customers_also_bought",
                    format!(
                        "{customers} customer{} who bought {} also bought this",
                        if customers == 1 { "" } else { "s" },
                        name(seed)
                    ),
                )
            };
            match source {
                Source::History => {
                    out.push(Reason::new("purchase_history", format!("Because you bought {}", name(seed))))
                }
                Source::Viewed => out.push(Reason::new("viewed", format!("Because you viewed {}", name(seed)))),
                _ => {}
            }
            out.push(evidence);
        }
        Source::Complement => {
            let text = match &engine.rules().rules[seed as usize] {
                Rule::Complement { from, .. } => match cart.iter().find(|&&(i, _)| from.matches(catalog.product(i))) {
                    Some(&(i, _)) => format!("Completes your {}", name(i)),
                    None => format!("Completes your {}", from.describe()),
                },
                _ => "Goes with your cart".to_string(),
            };
            out.push(Reason::new("complement_rule", text));
        }
        Source::Fallback => {
            let p = catalog.product(idx);
            out.push(match seed {
                0 => Reason::new(
                    "popular_in_category",
                    format!("Popular in {}", p.category.as_deref().unwrap_or("this category")),
                ),
                1 => Reason::new("trending", "Trending now"),
                _ => Reason::new("popular", "Popular in our store"),
            });
        }
    }
    out
}
