//! Independent components: which cart classes a bundle can link, each component's answer (solved or
//! cached), the cart's totals from per-component summaries, and re-pricing a cart with a few units added by
//! re-solving only the components those units reach (with an upper bound that needs no solving).

use super::*;

/// One component's answer: its applications (local class numbers), whether proven best, and their saving.
pub(super) struct Answer {
    pub(super) applications: Vec<Application>,
    pub(super) complete: bool,
    pub(super) saving: i64,
    /// What each stackable bundle keeps once its share is cut to what is left on each line (see
    /// [`stacked_savings`]); `None` when that cannot be worked out inside the component.
    pub(super) stacked: Option<SmallVec<[(usize, i64); 2]>>,
}

/// The savings stackable bundles keep after allocation, worked out on the component alone, as pricing
/// allocates them (non-stackable bundles first, then each stackable one in bundle order, its share on a line
/// cut to what is left of that line). A bundle's applications never leave its component and each class is
/// one cart line, so this equals what pricing the whole cart gives; `None` where the allocation would fall
/// back to a line outside the component (an amount over zero-value units).
fn stacked_savings(
    classes: &[Class],
    bundles: &[&Bundle],
    apps: &[Application],
) -> Option<SmallVec<[(usize, i64); 2]>> {
    let mut out: SmallVec<[(usize, i64); 2]> = SmallVec::new();
    if !apps.iter().any(|a| bundles[a.bundle].stackable) {
        return Some(out);
    }
    let value: Vec<i64> = classes.iter().map(|c| c.price * c.qty as i64).collect();
    let mut discount = vec![0i64; classes.len()];
    let mut by_bundle: Vec<usize> = apps.iter().map(|a| a.bundle).collect();
    by_bundle.sort_unstable();
    by_bundle.dedup();
    for stack_pass in [false, true] {
        for &bi in by_bundle.iter().filter(|&&bi| bundles[bi].stackable == stack_pass) {
            let mut weights = vec![0i64; classes.len()];
            let mut saving = 0;
            for a in apps.iter().filter(|a| a.bundle == bi) {
                saving += a.saving;
                for &(c, n) in &a.disc {
                    weights[c as usize] += classes[c as usize].price * n as i64;
                }
            }
            if saving > 0 && weights.iter().all(|&w| w == 0) {
                return None;
            }
            let shares = crate::pricing::alloc::largest_remainder(saving, &weights);
            let mut kept = 0;
            for (c, sh) in shares.into_iter().enumerate() {
                let sh = if stack_pass { sh.min(value[c] - discount[c]) } else { sh };
                discount[c] += sh;
                kept += sh;
            }
            if stack_pass {
                out.push((bi, kept));
            }
        }
    }
    Some(out)
}

/// Bundle order for the search, and which bundles are exclusive.
pub(super) struct Plan {
    pub(super) bundles: Vec<*const Bundle>,
    /// Per bundle, its place in the search order.
    pub(super) rank: Vec<u32>,
    pub(super) exclusive: Vec<bool>,
}

impl Plan {
    pub(super) fn new(bundles: &[&Bundle]) -> Plan {
        // Search order: priority descending, then definition order (the given order).
        let mut order: Vec<usize> = (0..bundles.len()).collect();
        order.sort_by(|&a, &b| bundles[b].priority.cmp(&bundles[a].priority).then(a.cmp(&b)));
        let mut rank = vec![0u32; bundles.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i] = r as u32;
        }
        Plan {
            bundles: bundles.iter().map(|&b| b as *const Bundle).collect(),
            rank,
            exclusive: bundles.iter().map(|b| b.exclusive).collect(),
        }
    }
    pub(super) fn is_for(&self, bundles: &[&Bundle]) -> bool {
        self.bundles.len() == bundles.len() && self.bundles.iter().zip(bundles).all(|(&p, &b)| std::ptr::eq(p, b))
    }
}

/// A component as the search sees it: its classes (product, price, units) and the bundles that reach them.
#[derive(PartialEq, Eq, Hash)]
pub(super) struct ComponentKey {
    pub(super) classes: SmallVec<[(ProductIdx, i64, u32); 8]>,
    pub(super) bundles: Members,
}

/// Bundle positions reaching a component, as bits: components merge with an OR instead of joining,
/// sorting and deduplicating lists. Two words inline (128 bundles); a set only grows, so equal sets have
/// equal words.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(super) struct Members(SmallVec<[u64; 2]>);

impl Members {
    fn empty() -> Members {
        Members(SmallVec::from_buf([0; 2]))
    }
    fn of(i: usize) -> Members {
        let mut m = Members::empty();
        m.insert(i);
        m
    }
    fn insert(&mut self, i: usize) {
        if i / 64 >= self.0.len() {
            self.0.resize(i / 64 + 1, 0);
        }
        self.0[i / 64] |= 1 << (i % 64);
    }
    fn contains(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w >> (i % 64) & 1 == 1)
    }
    fn union_with(&mut self, o: &Members) {
        if o.0.len() > self.0.len() {
            self.0.resize(o.0.len(), 0);
        }
        for (a, b) in self.0.iter_mut().zip(&o.0) {
            *a |= b;
        }
    }
    /// The positions, ascending (the order a component's bundles are listed in).
    fn iter(&self) -> MemberIter<'_> {
        MemberIter { words: &self.0, word: 0, bits: self.0.first().copied().unwrap_or(0) }
    }
    fn to_list(&self) -> SmallVec<[usize; 8]> {
        self.iter().collect()
    }
}

/// The positions of a [`Members`], ascending.
struct MemberIter<'m> {
    words: &'m [u64],
    word: usize,
    /// The bits of `words[word]` not handed out yet.
    bits: u64,
}

impl Iterator for MemberIter<'_> {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        while self.bits == 0 {
            self.word += 1;
            self.bits = *self.words.get(self.word)?;
        }
        let b = self.bits.trailing_zeros() as usize;
        self.bits &= self.bits - 1;
        Some(self.word * 64 + b)
    }
}

/// A set of cart classes as bits. Carts with more classes than fit are solved as one component.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct ClassSet([u64; 2]);
const SET_BITS: usize = 128;

impl ClassSet {
    const EMPTY: ClassSet = ClassSet([0; 2]);
    /// Add class `i` (nothing past `SET_BITS`): one word written (OR-ing in a one-class set built on the stack
    /// read it back whole, a store-forwarding stall that perf showed in the hottest loops).
    fn insert(&mut self, i: usize) {
        if i < SET_BITS {
            self.0[i / 64] |= 1 << (i % 64);
        }
    }
    fn meets(self, o: ClassSet) -> bool {
        self.0[0] & o.0[0] != 0 || self.0[1] & o.0[1] != 0
    }
    fn is_empty(self) -> bool {
        self.0 == [0; 2]
    }
    /// The classes in the set, ascending.
    fn iter(self) -> ClassIter {
        ClassIter(self.0)
    }
}

/// The classes of a [`ClassSet`], ascending: the bits not handed out yet.
struct ClassIter([u64; 2]);

impl Iterator for ClassIter {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        let w = self.0.iter().position(|&w| w != 0)?;
        let b = self.0[w].trailing_zeros() as usize;
        self.0[w] &= self.0[w] - 1;
        Some(w * 64 + b)
    }
}

impl std::ops::BitOr for ClassSet {
    type Output = ClassSet;
    fn bitor(self, o: ClassSet) -> ClassSet {
        ClassSet([self.0[0] | o.0[0], self.0[1] | o.0[1]])
    }
}

impl std::ops::BitOrAssign for ClassSet {
    fn bitor_assign(&mut self, o: ClassSet) {
        *self = *self | o;
    }
}

/// Per bundle, the cart units and classes in each role, gathered in one pass over the classes' role rows.
#[derive(Clone, Copy, Default)]
struct Presence {
    first: (ClassSet, u32),
    second: (ClassSet, u32),
}

fn presence(classes: &[Class], roles: &[&[u8]], n_bundles: usize) -> Vec<Presence> {
    let mut out: Vec<Presence> = vec![Presence::default(); n_bundles];
    for (i, (c, row)) in classes.iter().zip(roles).enumerate() {
        for (bi, &r) in row.iter().enumerate() {
            if r == 0 {
                continue;
            }
            let p = &mut out[bi];
            if r & FIRST != 0 {
                p.first.0.insert(i);
                p.first.1 += c.qty;
            }
            if r & SECOND != 0 {
                p.second.0.insert(i);
                p.second.1 += c.qty;
            }
        }
    }
    out
}

/// Whether the cart can meet bundle `b` at all, and the classes it could use: a cheap test from the units in
/// each role that decides the components before any pattern is enumerated.
fn reach<'c>(b: &Bundle, classes: impl Iterator<Item = &'c Class> + Clone, p: &Presence) -> Option<ClassSet> {
    let set = match &b.kind {
        Kind::Fixed { items, .. } => {
            if p.first.1 == 0 {
                return None;
            }
            for &(prod, q) in items {
                if classes.clone().filter(|c| c.product == prod).map(|c| c.qty).sum::<u32>() < q {
                    return None;
                }
            }
            p.first.0
        }
        Kind::MixAndMatch { quantity, .. } => match p.first {
            (set, units) if units >= *quantity => set,
            _ => return None,
        },
        Kind::Volume { tiers, .. } => match p.first {
            (set, units) if tiers.first().is_some_and(|t| units >= t.min_quantity) => set,
            _ => return None,
        },
        Kind::BuyXGetY { buy_quantity, get_quantity, .. } => {
            if p.first.1 < *buy_quantity || p.second.1 < *get_quantity {
                return None;
            }
            p.first.0 | p.second.0
        }
        Kind::Addon { quantity, .. } => {
            if p.first.1 == 0 || p.second.1 < *quantity {
                return None;
            }
            p.first.0 | p.second.0
        }
        Kind::Threshold { .. } => return None,
    };
    Some(set)
}

/// Choose applications of `bundles` (unit-level, active, applicable) on `classes`; also the cart's split
/// into components, for re-pricing it with a few units added.
pub fn solve(classes: &[Class], bundles: &[&Bundle], cache: &mut Cache) -> (Solution, BaseSplit) {
    let mut sol = Solution { optimal: true, ..Default::default() };
    let split = Split::new(classes, bundles, cache);
    let mut parts: SmallVec<[(i64, Members); 8]> = SmallVec::new();
    let mut usable = !split.one_component && split.comps.len() <= 64;
    for (set, in_comp) in &split.comps {
        let (members, answer) =
            component_answer(classes, &split.rows, bundles, cache, *set, in_comp.clone(), split.one_component);
        sol.optimal &= answer.complete;
        sol.saving += answer.saving;
        for a in &answer.applications {
            let mut a = a.clone();
            for t in a.take.iter_mut().chain(a.disc.iter_mut()) {
                t.0 = members[t.0 as usize] as u16;
            }
            sol.applications.push(a);
        }
        match contribution(answer, bundles, usize::MAX) {
            Some((d, _)) => {
                let mut applying = Members::empty();
                for a in &answer.applications {
                    if !applying.contains(a.bundle) && contribution(answer, bundles, a.bundle).is_some_and(|c| c.1) {
                        applying.insert(a.bundle);
                    }
                }
                parts.push((d, applying));
            }
            None => usable = false,
        }
    }
    let discount = parts.iter().map(|p| p.0).sum();
    (sol, BaseSplit { split, parts, discount, usable, classes: classes.to_vec() })
}

/// What re-pricing a changed cart needs to know, without building its applications or lines.
pub struct Summary {
    /// The unit-level discount pricing would allocate (stackable savings after their cut).
    pub discount: i64,
    /// Whether bundle `of_interest` (an index into `bundles`) applies with a saving.
    pub applies: bool,
    /// False when some stackable cut could not be worked out per component: price the cart in full.
    pub known: bool,
    /// The discount is the best there is and no stackable bundle takes part where the change reached: a
    /// change that adds less cannot have a larger unit-level discount (see `opportunities`).
    pub exact: bool,
}

/// What one component adds to the unit-level discount as pricing allocates it, and whether bundle
/// `of_interest` applies in it with a saving; `None` when a stackable cut is not known inside it.
fn contribution(answer: &Answer, bundles: &[&Bundle], of_interest: usize) -> Option<(i64, bool)> {
    let stacked = answer.stacked.as_ref()?;
    let kept = |bi: usize| stacked.iter().find(|s| s.0 == bi).map(|s| s.1);
    let (mut discount, mut applies) = (stacked.iter().map(|s| s.1).sum::<i64>(), false);
    for a in &answer.applications {
        applies |= a.bundle == of_interest && kept(a.bundle).is_none_or(|k| k > 0);
        if !bundles[a.bundle].stackable {
            discount += a.saving;
        }
    }
    Some((discount, applies))
}

/// The unit-level discount of [`solve`] as allocated to lines, and a few facts about it, without copying
/// applications out of the cache.
pub fn summarize(classes: &[Class], bundles: &[&Bundle], cache: &mut Cache, of_interest: usize) -> Summary {
    let mut sum = Summary { discount: 0, applies: false, known: true, exact: false };
    for_each_component(classes, bundles, cache, |_, answer| match contribution(answer, bundles, of_interest) {
        Some((d, a)) => {
            sum.discount += d;
            sum.applies |= a;
        }
        None => sum.known = false,
    });
    sum
}

/// A cart's split into components with each one's contribution, kept so that the same cart with a few
/// units added (an opportunity's change) re-solves only the components those units reach: every other
/// component, and so its answer, is the same.
pub struct BaseSplit {
    split: Split,
    /// Per component: its contribution (see [`contribution`]) and the bundles applying in it.
    parts: SmallVec<[(i64, Members); 8]>,
    discount: i64,
    /// False when the incremental path cannot be taken (a stackable cut outside a component, or a cart
    /// solved as one component): a change is then summarized in full.
    usable: bool,
    /// The cart's unit classes.
    pub classes: Vec<Class>,
}

/// The base cart with units added: the added classes (numbered after the base cart's, which are not
/// copied) and, when the incremental path applies, the components the added units change.
pub struct Change {
    added: SmallVec<[Class; 2]>,
    /// Per added class, where its role row starts in the cache's `Roles::rows`.
    added_rows: SmallVec<[u32; 2]>,
    comps: Option<TouchedComponents>,
}

/// The components a change makes: (classes, bundles) of each, and the base components merged into them
/// (bits by position); every other base component is as it was.
struct TouchedComponents {
    comps: SmallVec<[(ClassSet, Members); 2]>,
    merged: u64,
}

impl BaseSplit {
    /// The cart's eligible units in bundle `bi`'s first role (collection, buy or trigger set) and second
    /// role (get or target set).
    pub fn units_in_roles(&self, bi: usize) -> (u32, u32) {
        let p = &self.split.presence[bi];
        (p.first.1, p.second.1)
    }

    /// The base contribution of the components whose bits are set.
    fn merged_discount(&self, merged_from: u64) -> i64 {
        self.parts.iter().enumerate().filter(|(i, _)| merged_from >> i & 1 == 1).map(|(_, p)| p.0).sum()
    }

    /// The cart with `added` classes (their `line`s after the base cart's).
    pub fn change(&self, added: SmallVec<[Class; 2]>, bundles: &[&Bundle], cache: &mut Cache) -> Change {
        let added_rows = added.iter().map(|c| cache.roles.ensure(c.product, bundles)).collect();
        let mut change = Change { added, added_rows, comps: None };
        change.comps = changed_components(self, &change, bundles, cache);
        change
    }

    /// Class `g` of a changed cart (the base cart's, then the added ones) and where its role row starts.
    fn class_of(&self, change: &Change, g: usize) -> (Class, u32) {
        match g.checked_sub(self.classes.len()) {
            None => (self.classes[g], self.split.rows[g]),
            Some(a) => (change.added[a], change.added_rows[a]),
        }
    }

    /// The classes of a changed cart in `set`, with their role rows: a changed component, locally numbered.
    /// Written into the caller's buffers: returned, the pair of inline vectors was copied on the way out.
    fn component_of(
        &self,
        change: &Change,
        set: ClassSet,
        classes: &mut SmallVec<[Class; 8]>,
        rows: &mut SmallVec<[u32; 8]>,
    ) {
        let n = self.classes.len() + change.added.len();
        for g in set.iter().take_while(|&g| g < n) {
            let (class, row) = self.class_of(change, g);
            classes.push(class);
            rows.push(row);
        }
    }

    /// Every class of a changed cart (for pricing it in full when the incremental path cannot be taken).
    fn all_classes(&self, change: &Change) -> Vec<Class> {
        self.classes.iter().chain(&change.added).copied().collect()
    }
}

/// [`summarize`] of a changed cart (the base cart's classes followed by added ones): components the added
/// units cannot reach keep their base contribution, the others are merged and solved (or found in the
/// cache) exactly as summarizing the whole changed cart would.
pub fn summarize_change(
    base: &BaseSplit,
    change: &Change,
    bundles: &[&Bundle],
    cache: &mut Cache,
    of_interest: usize,
) -> Summary {
    let Some(changed) = &change.comps else {
        return summarize(&base.all_classes(change), bundles, cache, of_interest);
    };
    let mut sum = Summary {
        discount: base.discount - base.merged_discount(changed.merged),
        applies: false,
        known: true,
        exact: true,
    };
    for (i, part) in base.parts.iter().enumerate() {
        if changed.merged >> i & 1 == 0 {
            sum.applies |= part.1.contains(of_interest);
        }
    }
    for (set, members) in &changed.comps {
        let (mut lclasses, mut at) = (SmallVec::new(), SmallVec::new());
        base.component_of(change, *set, &mut lclasses, &mut at);
        let answer = changed_answer(&lclasses, &at, members, bundles, cache);
        sum.exact &= answer.complete && !members.iter().any(|bi| bundles[bi].stackable);
        match contribution(answer, bundles, of_interest) {
            Some((d, a)) => {
                sum.discount += d;
                sum.applies |= a;
            }
            None => return summarize(&base.all_classes(change), bundles, cache, of_interest),
        }
    }
    sum
}

/// The answer of a changed component (classes `lclasses`, role rows at `at`, bundles `members`): the one
/// solved last when it is the same component, else solved now and kept in its place. Not through
/// `Cache::solved`: most changed components are met once, and their key costs a hash; but one change often
/// unlocks several bundles (a product in many pairwise bundles), and those, having the same bound, are
/// re-priced one after another.
fn changed_answer<'c>(
    lclasses: &[Class],
    at: &[u32],
    members: &Members,
    bundles: &[&Bundle],
    cache: &'c mut Cache,
) -> &'c Answer {
    let same = |key: &ComponentKey| {
        key.bundles == *members
            && key.classes.len() == lclasses.len()
            && key.classes.iter().zip(lclasses).all(|(k, c)| *k == (c.product, c.price, c.qty))
    };
    if !cache.last_changed.as_ref().is_some_and(|(key, _)| same(key)) {
        let plan = cache.plan.as_ref().expect("set by the base split");
        let answer = solve_answer(lclasses, at, bundles, &members.to_list(), plan, &mut cache.scratch, &cache.roles);
        let key = ComponentKey {
            classes: lclasses.iter().map(|c| (c.product, c.price, c.qty)).collect(),
            bundles: members.clone(),
        };
        cache.last_changed = Some((key, answer));
    }
    &cache.last_changed.as_ref().expect("just set").1
}

/// An upper bound on the unit-level discount of a changed cart, from the components the added units
/// change, without solving them; `None` when there is none.
/// Each changed component is bounded by its units' value times the most any bundle there can take off per
/// unit of value (`unit_rates`), plus a minor unit per possible application for rounding.
pub fn change_bound(base: &BaseSplit, change: &Change, bundles: &[&Bundle], cache: &Cache) -> Option<i64> {
    let changed = change.comps.as_ref()?;
    let mut bound = base.discount - base.merged_discount(changed.merged);
    for (set, members) in &changed.comps {
        let (mut classes, mut at) = (SmallVec::new(), SmallVec::new());
        base.component_of(change, *set, &mut classes, &mut at);
        let roles = ClassRoles { rows: &cache.roles.rows, at: &at };
        let mut rates: SmallVec<[(f64, f64); 8]> = smallvec![(0.0, 0.0); classes.len()];
        for bi in members.iter() {
            unit_rates(bi, bundles[bi], &classes, &roles, &mut rates)?;
        }
        let mut ub = 0.0f64;
        let mut units = 0i64;
        for (cl, rate) in classes.iter().zip(&rates) {
            ub += (cl.price * cl.qty as i64) as f64 * (rate.0 + rate.1);
            units += cl.qty as i64;
        }
        // Float headroom, then a minor unit per possible application for percentages rounded half-up (each
        // unit is in one non-stackable application and at most one of each stackable bundle).
        let stackable = members.iter().filter(|&bi| bundles[bi].stackable).count() as i64;
        bound += (ub * 1.000_001).ceil() as i64 + units * (1 + stackable) + 1;
    }
    Some(bound)
}

/// Per class of a component (locally numbered), raise `rates` to the most bundle `b` can take off per unit
/// of a unit's value (non-stackable bundles: the largest; stackable ones add up, as they stack). The
/// discount of an application lands on some of its units (targets, get units, or all), and never exceeds
/// their value times these rates. `None` when no finite rate exists.
fn unit_rates(bi: usize, b: &Bundle, classes: &[Class], roles: &ClassRoles, rates: &mut [(f64, f64)]) -> Option<()> {
    let pct = |p: i64| p as f64 / (100 * PERCENT_SCALE) as f64;
    // Whether class `c` (of the component) is in one role of `b` (`FIRST`: collection, buy or trigger set;
    // `SECOND`: get or target set).
    let in_role = |c: usize, role: u8| roles.get(c, bi) & role != 0;
    // The rate of a discount over applications worth between `lo` and `hi`.
    let rate = |d: Discount, lo: i64, hi: i64| -> f64 {
        match d {
            Discount::PercentOff(p) => pct(p),
            Discount::AmountOff(a) if lo > 0 => (a as f64 / lo as f64).min(1.0),
            Discount::AmountOff(_) => 1.0,
            Discount::Price(p) if hi > 0 => (1.0 - p as f64 / hi as f64).max(0.0),
            Discount::Price(_) => 0.0,
        }
    };
    let stackable = b.stackable;
    match &b.kind {
        Kind::Fixed { items, discount } => {
            let (mut lo, mut hi) = (0i64, 0i64);
            for &(p, q) in items {
                let (l, h) = price_range(classes, |c| classes[c].product == p)?;
                lo += l * q as i64;
                hi += h * q as i64;
            }
            let r = rate(*discount, lo, hi);
            raise(rates, stackable, |c| in_role(c, FIRST).then_some(r));
        }
        Kind::MixAndMatch { quantity, discount, .. } => {
            let (l, h) = price_range(classes, |c| in_role(c, FIRST))?;
            let r = rate(*discount, l * *quantity as i64, h * *quantity as i64);
            raise(rates, stackable, |c| in_role(c, FIRST).then_some(r));
        }
        Kind::Volume { tiers, .. } => {
            raise(rates, stackable, |c| {
                in_role(c, FIRST).then(|| {
                    let price = classes[c].price;
                    tiers
                        .iter()
                        .map(|t| if price > 0 { rate(t.discount, price, price) } else { 0.0 })
                        .fold(0.0, f64::max)
                })
            });
        }
        Kind::BuyXGetY { percent, .. } => {
            let r = pct(*percent);
            raise(rates, stackable, |c| in_role(c, SECOND).then_some(r));
        }
        Kind::Addon { quantity, discount, .. } => {
            let (l, h) = price_range(classes, |c| in_role(c, SECOND))?;
            let r = rate(*discount, l * *quantity as i64, h * *quantity as i64);
            raise(rates, stackable, |c| in_role(c, SECOND).then_some(r));
        }
        Kind::Threshold { .. } => {}
    }
    Some(())
}

/// The lowest and highest unit price among the classes `pick` selects; `None` when it selects none.
fn price_range(classes: &[Class], pick: impl Fn(usize) -> bool) -> Option<(i64, i64)> {
    let mut lo_hi: Option<(i64, i64)> = None;
    for (c, class) in classes.iter().enumerate() {
        if pick(c) {
            let price = class.price;
            lo_hi = Some(lo_hi.map_or((price, price), |(lo, hi)| (lo.min(price), hi.max(price))));
        }
    }
    lo_hi
}

/// Raise each class's rate to what `rate_of` gives it: the largest for non-stackable bundles, added up
/// for stackable ones (they stack).
fn raise(rates: &mut [(f64, f64)], stackable: bool, rate_of: impl Fn(usize) -> Option<f64>) {
    for (c, rate) in rates.iter_mut().enumerate() {
        if let Some(r) = rate_of(c) {
            if stackable {
                rate.1 += r;
            } else {
                rate.0 = rate.0.max(r);
            }
        }
    }
}

/// The components the added classes (those after the base cart's) change; `None` when the incremental path
/// cannot be taken.
fn changed_components(
    base: &BaseSplit,
    change: &Change,
    bundles: &[&Bundle],
    cache: &Cache,
) -> Option<TouchedComponents> {
    let n_base = base.classes.len();
    if !base.usable || n_base + change.added.len() > SET_BITS {
        return None;
    }
    let classes = || base.classes.iter().chain(&change.added);
    let added_roles: SmallVec<[(usize, &[u8]); 2]> =
        change.added_rows.iter().enumerate().map(|(a, &at)| (n_base + a, cache.roles.row(at, bundles.len()))).collect();
    let mut out = TouchedComponents { comps: SmallVec::new(), merged: 0 };
    // The bundles an added class has a part in, from one pass over each added row.
    let mut touched = Members::empty();
    for (_, row) in &added_roles {
        for (bi, &r) in row.iter().enumerate() {
            if r != 0 {
                touched.insert(bi);
            }
        }
    }
    for bi in touched.iter() {
        let mut p = base.split.presence[bi];
        for &(g, roles) in &added_roles {
            let r = roles[bi];
            let qty = change.added[g - n_base].qty;
            if r & FIRST != 0 {
                p.first.0.insert(g);
                p.first.1 += qty;
            }
            if r & SECOND != 0 {
                p.second.0.insert(g);
                p.second.1 += qty;
            }
        }
        let Some(set) = reach(bundles[bi], classes(), &p).filter(|s| !s.is_empty()) else { continue };
        out.absorb(&base.split, set, Members::of(bi));
    }
    Some(out)
}

impl TouchedComponents {
    /// Keep `set` (reached by `members`) as a changed component, grown by every base component and every
    /// changed one it meets, until it meets no more.
    fn absorb(&mut self, base: &Split, mut set: ClassSet, mut members: Members) {
        loop {
            let mut grew = false;
            for (i, (s, m)) in base.comps.iter().enumerate() {
                if self.merged >> i & 1 == 0 && s.meets(set) {
                    self.merged |= 1 << i;
                    set |= *s;
                    members.union_with(m);
                    grew = true;
                }
            }
            let mut k = 0;
            while k < self.comps.len() {
                if self.comps[k].0.meets(set) {
                    let (s, m) = self.comps.swap_remove(k);
                    set |= s;
                    members.union_with(&m);
                    grew = true;
                } else {
                    k += 1;
                }
            }
            if !grew {
                break;
            }
        }
        self.comps.push((set, members));
    }
}
/// How a cart splits into independent components: per bundle the units it could use in each role, and the
/// components as (classes, bundles reaching them).
struct Split {
    presence: Vec<Presence>,
    /// Per class, where its role row starts in the cache's `Roles::rows`.
    rows: SmallVec<[u32; 16]>,
    comps: SmallVec<[(ClassSet, Members); 8]>,
    /// More classes than a `ClassSet` holds: everything is one component.
    one_component: bool,
}

impl Split {
    fn new(classes: &[Class], bundles: &[&Bundle], cache: &mut Cache) -> Split {
        if !cache.plan.as_ref().is_some_and(|p| p.is_for(bundles)) {
            cache.plan = Some(Plan::new(bundles));
            cache.solved.clear();
            cache.last_changed = None;
            cache.roles.clear();
            if cache.roles.source.as_ref().is_some_and(|s| !s.is_for(bundles)) {
                cache.roles.source = None;
            }
        }
        let mut comps: SmallVec<[(ClassSet, Members); 8]> = SmallVec::new();
        let one_component = classes.len() > SET_BITS;
        let rows: SmallVec<[u32; 16]> = classes.iter().map(|c| cache.roles.ensure(c.product, bundles)).collect();
        let roles: SmallVec<[&[u8]; 16]> = rows.iter().map(|&at| cache.roles.row(at, bundles.len())).collect();
        let presence = presence(classes, &roles, bundles.len());
        for (i, b) in bundles.iter().enumerate() {
            let Some(set) = reach(b, classes.iter(), &presence[i]) else { continue };
            if one_component {
                match comps.first_mut() {
                    Some(c) => c.1.insert(i),
                    None => comps.push((ClassSet::EMPTY, Members::of(i))),
                }
                continue;
            }
            if set.is_empty() {
                continue;
            }
            let (mut set, mut members): (ClassSet, Members) = (set, Members::of(i));
            let mut k = 0;
            while k < comps.len() {
                if comps[k].0.meets(set) {
                    let (s, m) = comps.swap_remove(k);
                    set |= s;
                    members.union_with(&m);
                    k = 0;
                } else {
                    k += 1;
                }
            }
            comps.push((set, members));
        }
        Split { presence, rows, comps, one_component }
    }
}

/// One component's answer, solved or from the cache, with its global class numbers.
fn component_answer<'c>(
    classes: &[Class],
    rows: &[u32],
    bundles: &[&Bundle],
    cache: &'c mut Cache,
    set: ClassSet,
    in_comp: Members,
    one_component: bool,
) -> (SmallVec<[usize; 16]>, &'c Answer) {
    let members: SmallVec<[usize; 16]> = if one_component {
        (0..classes.len()).collect()
    } else {
        set.iter().take_while(|&c| c < classes.len()).collect()
    };
    let key = ComponentKey {
        classes: members.iter().map(|&g| (classes[g].product, classes[g].price, classes[g].qty)).collect(),
        bundles: in_comp,
    };
    let Cache { solved, plan, scratch, roles, .. } = cache;
    let plan = plan.as_ref().expect("set by Split::new");
    let answer = match solved.entry(key) {
        std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
        std::collections::hash_map::Entry::Vacant(e) => {
            let lclasses: SmallVec<[Class; 8]> = members.iter().map(|&g| classes[g]).collect();
            let at: SmallVec<[u32; 8]> = members.iter().map(|&g| rows[g]).collect();
            let answer = solve_answer(&lclasses, &at, bundles, &e.key().bundles.to_list(), plan, scratch, roles);
            e.insert(answer)
        }
    };
    (members, answer)
}

/// Solve the component of classes `lclasses` (whose role rows start at `at`) with bundles `in_comp`.
fn solve_answer(
    lclasses: &[Class],
    at: &[u32],
    bundles: &[&Bundle],
    in_comp: &[usize],
    plan: &Plan,
    scratch: &mut Scratch,
    roles: &Roles,
) -> Answer {
    let lroles = ClassRoles { rows: &roles.rows, at };
    let (applications, complete) = solve_component(lclasses, &lroles, bundles, plan, in_comp, scratch);
    let saving = applications.iter().map(|a| a.saving).sum();
    let stacked = stacked_savings(lclasses, bundles, &applications);
    Answer { applications, complete, saving, stacked }
}

/// Split the cart into components (classes linked by a bundle that can use both, each with the bundles
/// reaching it) and hand each one's answer, solved or cached, to `visit` with its global class numbers.
fn for_each_component(
    classes: &[Class],
    bundles: &[&Bundle],
    cache: &mut Cache,
    mut visit: impl FnMut(&[usize], &Answer),
) {
    let split = Split::new(classes, bundles, cache);
    for (set, in_comp) in split.comps {
        let (members, answer) =
            component_answer(classes, &split.rows, bundles, cache, set, in_comp, split.one_component);
        visit(&members, answer);
    }
}
