//! What one request keeps between the component searches it runs: answers already found, the bundle order,
//! each product's part in each bundle, and buffers.

use super::*;

/// Component answers already found during one request, so re-pricing a cart with one change (opportunities,
/// cross-sell completion offers) re-solves only the part of the cart that change touches.
#[derive(Default)]
pub struct Cache {
    pub(super) solved: AHashMap<ComponentKey, Answer>,
    /// The changed component (a cart with an opportunity's units added) solved last, with its answer.
    pub(super) last_changed: Option<(ComponentKey, Answer)>,
    /// Per product, its part in each bundle (`FIRST`/`SECOND` bits), looked up once per request.
    pub(super) roles: Roles,
    /// The search order of the request's bundles, worked out once (every call of a request has the same list).
    pub(super) plan: Option<Plan>,
    /// Buffers of earlier components, reused.
    pub(super) scratch: Scratch,
}

/// Memos, pattern and unit-take lists of earlier components, kept for the next one within a request (a
/// table grown once is not grown again for each of the request's many small searches).
#[derive(Default)]
pub(super) struct Scratch {
    pub(super) memos: Vec<Memo>,
    pub(super) patterns: Vec<Vec<Pattern>>,
    pub(super) takes: Vec<Vec<Take>>,
}

impl Scratch {
    /// An empty memo for a search over `width` classes.
    pub(super) fn memo(&mut self, width: usize) -> Memo {
        let mut m = self.memos.pop().unwrap_or_default();
        m.reset(width);
        m
    }
    pub(super) fn takes(&mut self) -> Vec<Take> {
        self.takes.pop().unwrap_or_default()
    }
    pub(super) fn give(&mut self, mut v: Vec<Take>) {
        v.clear();
        self.takes.push(v);
    }
    pub(super) fn give_patterns(&mut self, mut v: Vec<Pattern>) {
        v.clear();
        self.patterns.push(v);
    }
}

impl Cache {
    /// A cache for pricing against `live`'s unit-level bundles, which reads the engine's role index for the
    /// engine's own bundles (`live.unit_source`).
    pub(crate) fn for_live(shop: &crate::shop::Shop, live: &crate::pricing::Live) -> Cache {
        // Sized for a typical cart's components and changes, so the table does not grow while it is priced.
        let mut cache = Cache { solved: AHashMap::with_capacity(32), ..Cache::default() };
        let engine_bundles = shop.bundles.clone();
        let mut position = vec![u32::MAX; engine_bundles.bundles.len()];
        let mut own: SmallVec<[usize; 4]> = SmallVec::new();
        for (pos, source) in live.unit_source.iter().enumerate() {
            match source {
                Some(index) => position[*index] = pos as u32,
                None => own.push(pos),
            }
        }
        let list = live.unit.iter().map(|&b| b as *const Bundle).collect();
        cache.roles.source = Some(RoleSource { engine: engine_bundles, position, own, list });
        cache
    }
}

/// In a bundle's collection, `buy` or `trigger` set.
pub(super) const FIRST: u8 = 1;
/// In a bundle's `get` or `target` set.
pub(super) const SECOND: u8 = 2;

/// Per product, its part in each of an engine's bundles (by position in `Bundles::bundles`): what
/// `role_of` says, for the products that have one.
#[derive(Debug, Clone, Default)]
pub struct RoleIndex {
    by_product: AHashMap<ProductIdx, SmallVec<[(u32, u8); 4]>>,
}

impl RoleIndex {
    pub fn new(bundles: &[Bundle]) -> RoleIndex {
        let mut by_product: AHashMap<ProductIdx, SmallVec<[(u32, u8); 4]>> = AHashMap::new();
        for (bi, b) in bundles.iter().enumerate() {
            let mut mark = |products: &[ProductIdx], role: u8| {
                for &p in products {
                    let list = by_product.entry(p).or_default();
                    match list.last_mut() {
                        Some(last) if last.0 == bi as u32 => last.1 |= role,
                        _ => list.push((bi as u32, role)),
                    }
                }
            };
            match &b.kind {
                Kind::Fixed { items, .. } => {
                    let products: SmallVec<[ProductIdx; 4]> = items.iter().map(|i| i.0).collect();
                    mark(&products, FIRST);
                }
                Kind::MixAndMatch { collection, .. } | Kind::Volume { collection, .. } => {
                    mark(&collection.members, FIRST)
                }
                Kind::BuyXGetY { buy, get, .. } => {
                    mark(&buy.members, FIRST);
                    mark(&get.members, SECOND);
                }
                Kind::Addon { trigger, target, .. } => {
                    mark(&trigger.members, FIRST);
                    mark(&target.members, SECOND);
                }
                Kind::Threshold { .. } => {}
            }
        }
        RoleIndex { by_product }
    }
}

/// Where a request's bundle list comes from: the engine's bundles (whose roles are indexed) and the
/// request's own (worked out per product).
pub(super) struct RoleSource {
    engine: std::sync::Arc<crate::pricing::Bundles>,
    /// Per engine bundle, its position in the request's list (`u32::MAX`: not in it).
    position: Vec<u32>,
    /// Positions of the request's own bundles in the list.
    own: SmallVec<[usize; 4]>,
    /// The list itself, to check that a search uses it.
    list: Vec<*const Bundle>,
}

impl RoleSource {
    pub(super) fn is_for(&self, bundles: &[&Bundle]) -> bool {
        self.list.len() == bundles.len() && self.list.iter().zip(bundles).all(|(&p, &b)| std::ptr::eq(p, b))
    }
}

/// Per product, its part in each bundle (`FIRST`/`SECOND` bits): rows of one byte per bundle, kept in one
/// buffer.
#[derive(Default)]
pub(super) struct Roles {
    pub(super) index: AHashMap<ProductIdx, u32>,
    pub(super) rows: Vec<u8>,
    pub(super) source: Option<RoleSource>,
}

impl Roles {
    pub(super) fn clear(&mut self) {
        self.index.clear();
        self.rows.clear();
    }
    /// Work out `p`'s row unless it is known; where it starts in `rows`.
    pub(super) fn ensure(&mut self, p: ProductIdx, bundles: &[&Bundle]) -> u32 {
        if let Some(&at) = self.index.get(&p) {
            return at;
        }
        let at = self.rows.len();
        self.index.insert(p, at as u32);
        match &self.source {
            Some(src) => {
                self.rows.resize(at + bundles.len(), 0);
                for &(bi, role) in src.engine.roles.by_product.get(&p).map_or(&[][..], |l| &l[..]) {
                    if let Some(&pos) = src.position.get(bi as usize).filter(|&&pos| (pos as usize) < bundles.len()) {
                        self.rows[at + pos as usize] = role;
                    }
                }
                for &pos in &src.own {
                    self.rows[at + pos] = role_of(p, bundles[pos]);
                }
                debug_assert!(
                    bundles.iter().enumerate().all(|(i, b)| self.rows[at + i] == role_of(p, b)),
                    "the role index disagrees with the bundles for product {p}"
                );
            }
            None => self.rows.extend(bundles.iter().map(|b| role_of(p, b))),
        }
        at as u32
    }
    /// The row starting at `at` (from `ensure`), one byte per bundle.
    pub(super) fn row(&self, at: u32, width: usize) -> &[u8] {
        &self.rows[at as usize..at as usize + width]
    }
}

/// The roles of a component's classes: where each class's row starts in [`Roles::rows`].
pub(super) struct ClassRoles<'r> {
    pub(super) rows: &'r [u8],
    pub(super) at: &'r [u32],
}

impl ClassRoles<'_> {
    /// Class `c`'s part in bundle `bi` (`FIRST`/`SECOND` bits).
    pub(super) fn get(&self, c: usize, bi: usize) -> u8 {
        self.rows[self.at[c] as usize + bi]
    }
}

fn role_of(p: ProductIdx, b: &Bundle) -> u8 {
    let bit = |c: &crate::pricing::defs::Collection, b: u8| if c.contains(p) { b } else { 0 };
    {
        match &b.kind {
            Kind::Fixed { items, .. } => {
                if items.iter().any(|i| i.0 == p) {
                    FIRST
                } else {
                    0
                }
            }
            Kind::MixAndMatch { collection, .. } | Kind::Volume { collection, .. } => bit(collection, FIRST),
            Kind::BuyXGetY { buy, get, .. } => bit(buy, FIRST) | bit(get, SECOND),
            Kind::Addon { trigger, target, .. } => bit(trigger, FIRST) | bit(target, SECOND),
            Kind::Threshold { .. } => 0,
        }
    }
}
