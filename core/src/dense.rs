//! A map keyed by product index with O(1) array slots instead of hashing: the hot path of a query touches a few
//! hundred candidates out of a catalog of many thousands. The slot array is reused per thread and stamped with a
//! generation, so nothing needs clearing between queries (and an unwinding panic leaves nothing stale).

use crate::catalog::ProductIdx;
use std::cell::{Cell, RefCell};

thread_local! {
    static SLOTS: RefCell<Vec<(u32, u32)>> = const { RefCell::new(Vec::new()) };
    static GENERATION: Cell<u32> = const { Cell::new(0) };
}

pub struct DenseMap<V> {
    /// Per product: (generation, position in `entries`); valid only when the generation is ours.
    slots: Vec<(u32, u32)>,
    generation: u32,
    entries: Vec<(ProductIdx, V)>,
}

impl<V> DenseMap<V> {
    /// A map for products `0..n`.
    #[cfg(test)]
    pub fn new(n: usize) -> DenseMap<V> {
        DenseMap::with_entries(n, Vec::new())
    }

    /// A map for products `0..n` keeping its entries in `entries` (cleared first): a caller that maps many
    /// times reuses one allocation (see [`DenseMap::take_entries`]).
    pub fn with_entries(n: usize, mut entries: Vec<(ProductIdx, V)>) -> DenseMap<V> {
        entries.clear();
        let mut slots = SLOTS.with(|s| std::mem::take(&mut *s.borrow_mut()));
        if slots.len() < n {
            slots.resize(n, (0, 0));
        }
        let mut generation = GENERATION.with(|g| g.get()).wrapping_add(1);
        if generation == 0 {
            slots.fill((0, 0));
            generation = 1;
        }
        GENERATION.with(|g| g.set(generation));
        DenseMap { slots, generation, entries }
    }

    /// The entries' storage, for reuse by [`DenseMap::with_entries`]; the map is empty after.
    pub fn take_entries(&mut self) -> Vec<(ProductIdx, V)> {
        // No slot is stamped with generation 0: every lookup now misses.
        self.generation = 0;
        std::mem::take(&mut self.entries)
    }

    fn position(&self, idx: ProductIdx) -> Option<usize> {
        let (g, p) = self.slots[idx as usize];
        (g == self.generation).then_some(p as usize)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn contains(&self, idx: ProductIdx) -> bool {
        self.position(idx).is_some()
    }

    pub fn get(&self, idx: ProductIdx) -> Option<&V> {
        self.position(idx).map(|p| &self.entries[p].1)
    }

    pub fn get_mut(&mut self, idx: ProductIdx) -> Option<&mut V> {
        self.position(idx).map(|p| &mut self.entries[p].1)
    }

    pub fn insert(&mut self, idx: ProductIdx, value: V) {
        match self.position(idx) {
            Some(p) => self.entries[p].1 = value,
            None => {
                self.slots[idx as usize] = (self.generation, self.entries.len() as u32);
                self.entries.push((idx, value));
            }
        }
    }

    /// Insert a product the map does not hold (the caller has just looked): one lookup instead of two.
    pub fn insert_absent(&mut self, idx: ProductIdx, value: V) {
        debug_assert!(!self.contains(idx));
        self.slots[idx as usize] = (self.generation, self.entries.len() as u32);
        self.entries.push((idx, value));
    }

    pub fn get_or_insert_with(&mut self, idx: ProductIdx, make: impl FnOnce() -> V) -> &mut V {
        let p = match self.position(idx) {
            Some(p) => p,
            None => {
                self.insert(idx, make());
                self.entries.len() - 1
            }
        };
        &mut self.entries[p].1
    }

    pub fn iter(&self) -> impl Iterator<Item = (ProductIdx, &V)> {
        self.entries.iter().map(|(i, v)| (*i, v))
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = (ProductIdx, &mut V)> {
        self.entries.iter_mut().map(|(i, v)| (*i, v))
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, v)| v)
    }
}

impl<V> Drop for DenseMap<V> {
    fn drop(&mut self) {
        let slots = std::mem::take(&mut self.slots);
        SLOTS.with(|s| {
            let mut cur = s.borrow_mut();
            if cur.len() < slots.len() {
                *cur = slots;
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_like_a_map_and_forgets_between_uses() {
        {
            let mut m: DenseMap<i32> = DenseMap::new(10);
            m.insert(3, 30);
            *m.get_or_insert_with(5, || 50) += 1;
            *m.get_or_insert_with(3, || 0) += 1;
            assert_eq!((m.get(3), m.get(5), m.get(4)), (Some(&31), Some(&51), None));
            m.insert(3, 1);
            assert_eq!((m.get(3), m.len()), (Some(&1), 2));
            let entries = m.take_entries();
            assert!(entries.len() == 2 && m.get(3).is_none() && m.get(5).is_none());
        }
        let m: DenseMap<i32> = DenseMap::new(10);
        assert!(m.len() == 0 && !m.contains(5), "a new map starts empty on a reused slot array");
    }
}
