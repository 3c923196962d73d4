//! [`Memo`]: a search's table of nodes already solved. A node is (units left per class, bundle position,
//! applications of a capped bundle there); the search visits hundreds of them per request and most are new,
//! so a visit must cost little: the node is hashed once ([`Memo::key`]) for both the look-up and the store,
//! and its units are copied only when it is stored (a key built per visit and hashed twice, as a map of owned
//! keys needs, cost more than the rest of the search step).

use super::Entry;

/// The node a search stands on: its hash, position and applications of a capped bundle. Its units are the
/// search's `counts`, passed alongside (not copied).
#[derive(Clone, Copy)]
pub(super) struct Key {
    hash: u64,
    pos: u32,
    used: u32,
}

/// One stored node: its key and entry; its units are `units[i * width..][..width]` for entry `i`.
struct Stored {
    key: Key,
    entry: Entry,
}

/// Open addressing with linear probing over a power-of-two number of slots, at most half full (as the
/// catalog's id index). A slot holds `[fingerprint, 1 + entry index]` (`[_, 0]`: free); the fingerprint, the
/// high half of the hash, rules out nearly every other node before its units are compared.
#[derive(Default)]
pub(super) struct Memo {
    slots: Vec<[u32; 2]>,
    stored: Vec<Stored>,
    units: Vec<u16>,
    /// Units per node: the classes of the component searched.
    width: usize,
}

/// Slots of a new table: enough for most components' searches without growing.
const FIRST_SLOTS: usize = 256;

impl Memo {
    /// Empty, for a search over `width` classes (the slots are kept: a table grown once is not grown again for
    /// each of a request's many small searches).
    pub(super) fn reset(&mut self, width: usize) {
        // After a large search, the next small ones free only their own slots, not the whole table.
        if self.stored.len() * 8 < self.slots.len() {
            for i in 0..self.stored.len() {
                let at = self.slot_of(i);
                self.slots[at] = [0, 0];
            }
        } else {
            self.slots.fill([0, 0]);
        }
        self.stored.clear();
        self.units.clear();
        self.width = width;
    }

    /// Nodes stored.
    pub(super) fn len(&self) -> usize {
        self.stored.len()
    }

    /// The key of the node at `pos` with `counts` left and `used` applications of the bundle there.
    pub(super) fn key(&self, counts: &[u16], pos: usize, used: u32) -> Key {
        // Four counts per word, each word mixed in by a multiply (rustc's FxHash step), then a finalizer
        // (MurmurHash3's) so that the low bits, which pick the slot, depend on every count.
        const K: u64 = 0xf135_7aea_2e62_a9c5;
        let mut h = (pos as u64) << 32 | used as u64;
        for chunk in counts.chunks(4) {
            let word = chunk.iter().enumerate().fold(0u64, |w, (i, &c)| w | (c as u64) << (16 * i));
            h = (h ^ word).wrapping_mul(K);
        }
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^= h >> 33;
        Key { hash: h, pos: pos as u32, used }
    }

    /// Where node `key` with `counts` left is stored (for [`Memo::entry`] and [`Memo::replace`]), if it is.
    pub(super) fn find(&self, key: Key, counts: &[u16]) -> Option<usize> {
        let mask = self.slots.len().checked_sub(1)?;
        let fingerprint = (key.hash >> 32) as u32;
        let mut at = key.hash as usize & mask;
        loop {
            let [f, i] = self.slots[at];
            if i == 0 {
                return None;
            }
            if f == fingerprint {
                let (i, s) = (i as usize - 1, &self.stored[i as usize - 1]);
                if s.key.pos == key.pos && s.key.used == key.used && self.units_of(i) == counts {
                    return Some(i);
                }
            }
            at = (at + 1) & mask;
        }
    }

    /// The entry stored at `i` (from [`Memo::find`]).
    pub(super) fn entry(&self, i: usize) -> &Entry {
        &self.stored[i].entry
    }

    /// Replace the entry stored at `i` (from [`Memo::find`]; nodes are never removed, so `i` stays valid).
    pub(super) fn replace(&mut self, i: usize, entry: Entry) {
        self.stored[i].entry = entry;
    }

    /// Store node `key` with `counts` left, which [`Memo::find`] did not find: only a free slot is looked
    /// for (a search stores nothing equal to a node while solving it, as every node below it has fewer
    /// units left or a later place).
    pub(super) fn insert(&mut self, key: Key, counts: &[u16], entry: Entry) {
        if (self.stored.len() + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let at = self.free_slot(key.hash);
        self.slots[at] = [(key.hash >> 32) as u32, self.stored.len() as u32 + 1];
        self.stored.push(Stored { key, entry });
        self.units.extend_from_slice(counts);
    }

    fn units_of(&self, i: usize) -> &[u16] {
        &self.units[i * self.width..(i + 1) * self.width]
    }

    /// The slot of stored node `i`.
    fn slot_of(&self, i: usize) -> usize {
        let mask = self.slots.len() - 1;
        let mut at = self.stored[i].key.hash as usize & mask;
        while self.slots[at][1] as usize != i + 1 {
            at = (at + 1) & mask;
        }
        at
    }

    /// The first free slot of `hash`'s probe.
    fn free_slot(&self, hash: u64) -> usize {
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        while self.slots[at][1] != 0 {
            at = (at + 1) & mask;
        }
        at
    }

    /// Twice the slots (or the first ones), every stored node placed again, and room for as many more nodes
    /// as the slots hold (one allocation each instead of a doubling per few nodes).
    fn grow(&mut self) {
        let n = (self.slots.len() * 2).max(FIRST_SLOTS);
        self.slots = vec![[0, 0]; n];
        self.stored.reserve(n / 2 - self.stored.len());
        self.units.reserve((n / 2) * self.width - self.units.len());
        for i in 0..self.stored.len() {
            let hash = self.stored[i].key.hash;
            let at = self.free_slot(hash);
            self.slots[at] = [(hash >> 32) as u32, i as u32 + 1];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::optimizer::{Choice, ZERO};

    #[test]
    fn nodes_are_found_by_units_position_and_applications() {
        let mut memo = Memo::default();
        memo.reset(3);
        let entry = |s: i64| ((s, 0, 0), Choice::Skip, true);
        let mut nodes = Vec::new();
        for a in 0..12u16 {
            for b in 0..12u16 {
                for pos in 0..3 {
                    nodes.push(([a, b, a ^ b], pos, (a + b) as u32 % 2));
                }
            }
        }
        for (i, (counts, pos, used)) in nodes.iter().enumerate() {
            let key = memo.key(counts, *pos, *used);
            assert!(memo.find(key, counts).is_none());
            memo.insert(key, counts, entry(i as i64));
        }
        assert_eq!(memo.len(), nodes.len());
        let value = |memo: &Memo, counts: &[u16], pos, used| {
            memo.find(memo.key(counts, pos, used), counts).map(|i| memo.entry(i).0 .0)
        };
        for (i, (counts, pos, used)) in nodes.iter().enumerate() {
            assert_eq!(value(&memo, counts, *pos, *used), Some(i as i64));
            assert_eq!(value(&memo, counts, *pos, used + 1), None);
        }
        let (counts, pos, used) = nodes[7];
        let at = memo.find(memo.key(&counts, pos, used), &counts).unwrap();
        memo.replace(at, (ZERO, Choice::Skip, false));
        assert_eq!(memo.len(), nodes.len());
        assert_eq!(value(&memo, &counts, pos, used), Some(0));
        memo.reset(3);
        assert_eq!(memo.len(), 0);
        assert_eq!(value(&memo, &counts, pos, used), None);
        // A few nodes in a large table are freed one by one.
        let table = memo.slots.len();
        for (i, (counts, pos, used)) in nodes.iter().take(5).enumerate() {
            memo.insert(memo.key(counts, *pos, *used), counts, entry(i as i64));
        }
        memo.reset(3);
        assert_eq!(memo.slots.len(), table);
        assert!(memo.slots.iter().all(|s| s[1] == 0));
    }
}
