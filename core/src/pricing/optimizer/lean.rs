//! The search of a small component without a memo: a depth-first walk over the same choices in the same
//! order as [`Search::best`], keeping the first best leaf. For the few units of a typical component the
//! walk is shorter than setting up, filling and reading back a memo.
//!
//! Same answer, ties included. At each bundle the memo search tries "skip", then the closed form or each
//! pattern in order, and keeps the first strictly better subtree; the first best leaf of this walk is that
//! choice at every level. The walk only applies a bundle's patterns in non-decreasing order (a multiset once,
//! not each of its orders): if the memo search took a pattern earlier in the list after a later one, the
//! parent would have found the same total through the earlier pattern first. Debug builds check every
//! answer against the memo search.
//!
//! With at most 8 units there are at most 8 classes, each with fewer than 128 units: the units left are
//! packed a byte per class into one word, so testing, taking and giving back a pattern's units are one
//! subtraction or addition each (a high bit per byte catches a class that would go below zero).
//!
//! Pruning. A list with many patterns (a dozen pairwise mix-and-match bundles over a few products) makes a
//! wide walk. There, a subtree is skipped when even its best case cannot reach the best leaf's saving: each
//! unit left is in at most one application, so it adds at most the largest per-unit share of a pattern's
//! saving still ahead of it. A skipped subtree holds only leaves with a smaller saving, which could never
//! replace the best one, so the answer and its ties are unchanged (a subtree that could only tie is walked:
//! ties go to priority and units). Lists with stackable searches or a closed form are not pruned. The
//! closed form's answer is kept per walk by the units left in its classes.

use super::*;

/// Components up to this many units are walked without a memo (and so have at most 8 classes: one byte
/// each in a packed word).
pub(super) const LEAN_UNITS: u32 = 8;
/// The high bit of every byte of a packed word.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Units per class (class, units), a byte each (class `c` in bits `8c..8c + 8`); `None` when a class or a
/// count does not fit (the walk takes no component with more than 8 classes).
pub(super) fn pack(units: impl IntoIterator<Item = (usize, u16)>) -> Option<u64> {
    units.into_iter().try_fold(0u64, |w, (c, n)| (c < 8 && n < 128).then(|| w | (n as u64) << (8 * c)))
}

/// Whether `take` (packed) fits in `left` (packed): no byte goes below zero.
fn fits_packed(left: u64, take: u64) -> bool {
    ((left | HIGH) - take) & HIGH == HIGH
}
/// Nodes a walk may visit before it gives up (the memo search then answers).
const LEAN_NODES: usize = 2_000;
/// Lists with fewer patterns than this are walked without pruning (working out the shares costs more than
/// it saves).
const PRUNE_PATTERNS: usize = 12;

/// Whether a list of `patterns` is pruned. Debug builds prune every list, so the test suite checks pruning
/// against the memo search.
fn worth_pruning(patterns: usize) -> bool {
    cfg!(debug_assertions) || patterns >= PRUNE_PATTERNS
}

/// A choice on the walk: which node list (0: the component's; `s + 1`: stackable search `s`), the position
/// in it, and what was done there.
#[derive(Clone, Copy)]
struct Pick {
    list: u8,
    pos: u16,
    choice: Choice,
}

/// The picks of a path (inline: a small component applies a few bundles).
type Picks = SmallVec<[Pick; 8]>;

struct Walk<'a> {
    classes: &'a [Class],
    bundles: &'a [&'a Bundle],
    stack: &'a [Vec<Node>],
    nodes_left: usize,
    /// Per position of the component's list, the most a unit of each class can still earn there (see
    /// [`unit_shares`]); `None` when the walk is not pruned.
    shares: Option<Shares>,
    path: Picks,
    best: Option<(Val, Picks)>,
    /// Closed-form volume answers already worked out. The closed step is reached at every node of the walk,
    /// mostly with the same units left.
    closed_seen: SmallVec<[ClosedSeen; 8]>,
}

/// A closed-form answer of the walk: (list, units left in the step's classes, packed; the answer).
type ClosedSeen = (u8, u64, Option<(Val, u32)>);

impl Walk<'_> {
    /// Keep the path if it is the first with the best value.
    fn leaf(&mut self, acc: Val) {
        if self.best.as_ref().is_none_or(|b| acc > b.0) {
            match &mut self.best {
                Some(b) => {
                    b.0 = acc;
                    b.1.clear();
                    b.1.extend_from_slice(&self.path);
                }
                None => self.best = Some((acc, Picks::from_slice(&self.path))),
            }
        }
    }

    /// Walk `nodes` (list number `list`) from `pos`, with `used` applications of the bundle there and
    /// patterns from `start` on; `acc` is the value of the path so far. False when out of nodes.
    ///
    /// The memo search's order, unrolled: at a bundle it first skips (walking the next position, which
    /// first skips, ...), then tries its own choices. So the walk from `pos` visits the leaf that applies
    /// nothing more, then the choices of the last position, then of the one before, and so on back to `pos`.
    /// Crossing the boundary adds the stackable searches (on the units left here) to every leaf past it.
    #[allow(clippy::too_many_arguments)]
    fn walk(&mut self, nodes: &[Node], list: u8, pos: usize, used: u32, start: usize, left: u64, acc: Val) -> bool {
        if self.nodes_left == 0 {
            return false;
        }
        self.nodes_left -= 1;
        let boundary = nodes.iter().position(|n| matches!(n, Node::Boundary)).filter(|&b| b >= pos);
        let mark = self.path.len();
        let mut past = acc;
        if boundary.is_some() {
            for (s, stack_nodes) in self.stack.iter().enumerate() {
                let mut inner = Walk {
                    classes: self.classes,
                    bundles: self.bundles,
                    stack: &[],
                    nodes_left: self.nodes_left,
                    shares: None,
                    path: Picks::new(),
                    best: None,
                    closed_seen: SmallVec::new(),
                };
                if !inner.walk(stack_nodes, s as u8 + 1, 0, 0, 0, left, ZERO) {
                    return false;
                }
                self.nodes_left = inner.nodes_left;
                if let Some((v, picks)) = inner.best {
                    past = add(past, v);
                    self.path.extend_from_slice(&picks);
                }
            }
        }
        self.leaf(past);
        for p in (pos..nodes.len()).rev() {
            let step = match &nodes[p] {
                Node::Boundary => {
                    // Before the boundary, leaves do not have the stackable searches of this walk.
                    self.path.truncate(mark);
                    continue;
                }
                Node::Bundle(step) => step,
            };
            let acc = if boundary.is_some_and(|b| p > b) { past } else { acc };
            if let Some(order) = &step.closed {
                // The closed form is the last step of its list: after it comes the leaf.
                let key = left & step.closed_mask;
                let best = match self.closed_seen.iter().find(|s| s.0 == list && s.1 == key) {
                    Some(seen) => seen.2,
                    None => {
                        let counts: [u16; 8] = std::array::from_fn(|c| (left >> (8 * c) & 0xff) as u16);
                        let best = closed_best(self.classes, step, self.bundles, order, &counts);
                        if self.closed_seen.len() < self.closed_seen.inline_size() {
                            self.closed_seen.push((list, key, best));
                        }
                        best
                    }
                };
                if let Some((v, k)) = best {
                    self.path.push(Pick { list, pos: p as u16, choice: Choice::Closed(k) });
                    self.leaf(add(acc, v));
                    self.path.pop();
                }
                continue;
            }
            let (used, start) = if p == pos { (used, start) } else { (0, 0) };
            if step.max.is_some_and(|m| used >= m) {
                continue;
            }
            for (i, pat) in step.patterns.iter().enumerate().skip(start) {
                let take = pat.packed;
                debug_assert!(take != 0, "a pattern of a walked component packs");
                if !fits_packed(left, take) {
                    continue;
                }
                let value = add(acc, (pat.saving, step.prio, -(pat.units as i64)));
                // Nothing below can beat the best leaf's saving (a leaf replaces it only when strictly
                // better): the subtree is not walked.
                if let (Some(shares), Some(best)) = (&self.shares, &self.best) {
                    if list == 0 && value.0 + shares.most(p, left - take) < best.0 .0 {
                        continue;
                    }
                }
                self.path.push(Pick { list, pos: p as u16, choice: Choice::Pattern(i as u32) });
                let ok = self.walk(nodes, list, p, used + 1, i, left - take, value);
                self.path.pop();
                if !ok {
                    return false;
                }
            }
        }
        self.path.truncate(mark);
        true
    }
}

/// The applications the memo search would choose on `nodes` (stackable searches `stack`) from `counts0`, or
/// `None` when the walk would be too long.
pub(super) fn walk(
    nodes: &[Node],
    stack: &[Vec<Node>],
    classes: &[Class],
    bundles: &[&Bundle],
    counts0: &[u16],
) -> Option<Vec<Application>> {
    let left = pack(counts0.iter().copied().enumerate())?;
    let shares = unit_shares(nodes, stack);
    let mut w = Walk {
        classes,
        bundles,
        stack,
        nodes_left: LEAN_NODES,
        shares,
        path: Picks::new(),
        best: None,
        closed_seen: SmallVec::new(),
    };
    if !w.walk(nodes, 0, 0, 0, 0, left, ZERO) {
        return None;
    }
    let picks = w.best.map(|b| b.1).unwrap_or_default();
    // Replay the picks in order: the component's own take from its units; each stackable search from a copy
    // of what was left when it ran (at the boundary, before any later pick of the component).
    let mut apps = Vec::with_capacity(picks.len());
    let mut counts: Counts = Counts::from_slice(counts0);
    let mut stack_counts: Option<(u8, Counts)> = None;
    for pick in picks {
        let (step, own) = match pick.list {
            0 => (&nodes[pick.pos as usize], &mut counts),
            s => {
                if stack_counts.as_ref().is_none_or(|c| c.0 != s) {
                    stack_counts = Some((s, Counts::from_slice(&counts)));
                }
                (&stack[s as usize - 1][pick.pos as usize], &mut stack_counts.as_mut().expect("just set").1)
            }
        };
        let Node::Bundle(step) = step else { unreachable!("picks are made at bundles") };
        let app = match pick.choice {
            Choice::Pattern(i) => step.patterns[i as usize].application(step.bundle),
            Choice::Closed(k) => closed_take(step, classes, bundles, own, k),
            Choice::Skip => continue,
        };
        for &(c, n) in &app.take {
            own[c as usize] -= n;
        }
        apps.push(app);
    }
    Some(apps)
}

/// Per position of a list and per class (up to 8), the largest share of an application's saving one unit of
/// the class can carry from that position on: `ceil(saving / units)` over the patterns of the steps there.
struct Shares(Vec<[i64; 8]>);

impl Shares {
    /// An upper bound on what the units `left` (packed) can still save from position `pos` on: each unit is
    /// in at most one application, which saves its units' shares.
    fn most(&self, pos: usize, left: u64) -> i64 {
        let row = &self.0[pos];
        (0..8).map(|c| (left >> (8 * c) & 0xff) as i64 * row[c]).sum()
    }
}

/// The shares of a component's list, when the walk may be pruned by them: only without stackable searches
/// (they reuse units) and closed-form steps (their applications are not patterns), and only for lists long
/// enough that pruning pays for working the shares out.
fn unit_shares(nodes: &[Node], stack: &[Vec<Node>]) -> Option<Shares> {
    if !stack.is_empty() {
        return None;
    }
    let mut patterns = 0;
    for node in nodes {
        match node {
            Node::Bundle(step) if step.closed.is_some() => return None,
            Node::Bundle(step) => patterns += step.patterns.len(),
            Node::Boundary => {}
        }
    }
    if !worth_pruning(patterns) {
        return None;
    }
    let mut rows: Vec<[i64; 8]> = vec![[0; 8]; nodes.len() + 1];
    for p in (0..nodes.len()).rev() {
        let mut row = rows[p + 1];
        if let Node::Bundle(step) = &nodes[p] {
            for pat in &step.patterns {
                let share = (pat.saving.max(0) + pat.units as i64 - 1) / (pat.units as i64).max(1);
                for &(c, _) in &pat.take {
                    let c = c as usize;
                    if c < 8 {
                        row[c] = row[c].max(share);
                    }
                }
            }
        }
        rows[p] = row;
    }
    Some(Shares(rows))
}
