//! What one request keeps between the component searches it runs: answers already found, the bundle order,
//! each product's part in each bundle, and buffers (kept per thread between requests).

use super::*;

/// Component answers already found during one request, so re-pricing a cart with one change (opportunities,
/// cross-sell completion offers) re-solves only the part of the cart that change touches.
pub struct Cache {
    pub(super) solved: AHashMap<ComponentKey, Answer>,
    /// Per product, its part in each bundle (`FIRST`/`SECOND` bits), looked up once per request.
    pub(super) roles: Roles,
    /// The search order of the request's bundles, worked out once (every call of a request has the same list).
    pub(super) plan: Option<Plan>,
    /// Buffers of earlier components, reused; taken from and given back to the thread's spare ones.
    pub(super) scratch: Scratch,
}

/// Buffers a component search needs (memo tables, pattern lists, unit-take lists), kept for the next one:
/// allocation was a third of pricing a small cart.
#[derive(Default)]
pub(super) struct Scratch {
    pub(super) memos: Vec<Memo>,
    pub(super) patterns: Vec<Vec<Pattern>>,
    pub(super) takes: Vec<Vec<Take>>,
    /// The cache's tables of an earlier request, emptied.
    pub(super) solved: Option<AHashMap<ComponentKey, Answer>>,
    pub(super) roles: Option<Roles>,
}

impl Scratch {
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
    /// What is worth keeping for the thread's next request: a few buffers, none left huge by a large cart.
    fn trimmed(mut self) -> Scratch {
        self.memos.retain(|m| m.small.capacity() <= SPARE_MEMO_ENTRIES && m.big.capacity() <= SPARE_MEMO_ENTRIES);
        self.memos.truncate(SPARE_MEMOS);
        self.patterns.retain(|v| v.capacity() <= SPARE_LIST_ENTRIES);
        self.patterns.truncate(SPARE_LISTS);
        self.takes.retain(|v| v.capacity() <= SPARE_LIST_ENTRIES);
        self.takes.truncate(SPARE_LISTS);
        self
    }
    fn size(&self) -> usize {
        self.memos.len()
            + self.patterns.len()
            + self.takes.len()
            + self.solved.is_some() as usize
            + self.roles.is_some() as usize
    }
}

/// Buffers kept per thread between requests, and the largest worth keeping: growing hash tables was a tenth
/// of a small cart's pricing time, and a buffer left huge by a 40-unit cart is not kept.
const SPARE_MEMOS: usize = 16;
const SPARE_MEMO_ENTRIES: usize = 4096;
const SPARE_LISTS: usize = 32;
const SPARE_LIST_ENTRIES: usize = 1024;

thread_local! {
    static SPARE: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

impl Cache {
    /// A cache for pricing against `live`'s unit-level bundles, which reads the engine's role index.
    pub(crate) fn for_live(shop: &crate::shop::Shop, live: &crate::pricing::Live) -> Cache {
        let mut cache = Cache::default();
        let engine_bundles = shop.bundles.clone();
        let mut position = vec![u32::MAX; engine_bundles.bundles.len()];
        let mut own: SmallVec<[usize; 4]> = SmallVec::new();
        let (start, size) = (engine_bundles.bundles.as_ptr() as usize, std::mem::size_of::<Bundle>().max(1));
        for (pos, &b) in live.unit.iter().enumerate() {
            // An engine bundle lies inside the engine's list (its index from its address); a request's own
            // does not.
            let index = (b as *const Bundle as usize).wrapping_sub(start) / size;
            match engine_bundles.bundles.get(index) {
                Some(e) if std::ptr::eq(e, b) => position[index] = pos as u32,
                _ => own.push(pos),
            }
        }
        let list = live.unit.iter().map(|&b| b as *const Bundle).collect();
        cache.roles.source = Some(RoleSource { engine: engine_bundles, position, own, list });
        cache
    }
}

impl Default for Cache {
    fn default() -> Cache {
        let mut scratch: Scratch = SPARE
            .try_with(|s| s.try_borrow_mut().map(|mut s| std::mem::take(&mut *s)).unwrap_or_default())
            .unwrap_or_default();
        // Sized for a typical cart so the tables do not grow while it is priced.
        let solved = scratch.solved.take().unwrap_or_else(|| AHashMap::with_capacity(32));
        let roles = scratch.roles.take().unwrap_or_default();
        Cache { solved, roles, plan: None, scratch }
    }
}

impl Drop for Cache {
    fn drop(&mut self) {
        let mut scratch = std::mem::take(&mut self.scratch);
        if self.solved.capacity() <= SPARE_LIST_ENTRIES {
            self.solved.clear();
            scratch.solved = Some(std::mem::take(&mut self.solved));
        }
        if self.roles.index.capacity() <= SPARE_LIST_ENTRIES {
            self.roles.clear();
            self.roles.source = None;
            scratch.roles = Some(std::mem::take(&mut self.roles));
        }
        let scratch = scratch.trimmed();
        // `try_with`: a cache dropped while the thread shuts down just frees its buffers.
        let _ = SPARE.try_with(|s| {
            if let Ok(mut spare) = s.try_borrow_mut() {
                if spare.size() < scratch.size() {
                    *spare = scratch;
                }
            }
        });
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
