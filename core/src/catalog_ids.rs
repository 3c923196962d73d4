//! [`IdIndex`]: product id → product index as a hash table stored in the model file, so an opened model finds
//! a cart's products in about one cache line each instead of a binary search over the id texts.

use crate::catalog::ProductIdx;
use crate::error::{Error, Result};
use crate::flat::Column;
use serde::{Deserialize, Serialize};
use std::hash::Hasher;

/// A free slot.
const EMPTY: [u32; 2] = [0, u32::MAX];

/// Fixed keys: the table is written into model files, so the hash must never change between builds.
const KEY: (u64, u64) = (0x6361_7274_6c69_6674, 0x6964_2d69_6e64_6578);

/// Open addressing with linear probing over a power-of-two number of slots, at most half full. A slot holds
/// `[fingerprint, product index]`: the fingerprint (high half of the id's hash) rules out nearly every other
/// id before its text is read.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IdIndex {
    slots: Column<[u32; 2]>,
}

fn hash(id: &str) -> u64 {
    let mut hasher = siphasher::sip::SipHasher13::new_with_keys(KEY.0, KEY.1);
    hasher.write(id.as_bytes());
    hasher.finish()
}

impl IdIndex {
    /// The table of `ids` (distinct), where `ids[i]` is the id of product `i`.
    pub fn build<'a>(ids: impl ExactSizeIterator<Item = &'a str>) -> IdIndex {
        let capacity = (ids.len() * 2).max(8).next_power_of_two();
        let mut slots = vec![EMPTY; capacity];
        for (idx, id) in ids.enumerate() {
            let h = hash(id);
            let mut at = h as usize & (capacity - 1);
            while slots[at] != EMPTY {
                at = (at + 1) & (capacity - 1);
            }
            slots[at] = [(h >> 32) as u32, idx as ProductIdx];
        }
        IdIndex { slots: slots.into() }
    }

    /// The product whose id is `id`; `id_of` reads a product's id bytes (checked, as a damaged table may
    /// point anywhere in range).
    pub fn get<'a>(&self, id: &str, id_of: impl Fn(ProductIdx) -> &'a [u8]) -> Option<ProductIdx> {
        self.find(id, hash(id), &id_of)
    }

    /// [`IdIndex::get`] of each of `ids`. The slots and id texts of all of them are read before any is
    /// compared: a cart's lookups then wait on memory side by side instead of one after another (each is
    /// several dependent cache misses: slot, product row, text offsets, text).
    pub fn get_many<'a>(&self, ids: &[&str], id_of: impl Fn(ProductIdx) -> &'a [u8]) -> Vec<Option<ProductIdx>> {
        let slots = self.slots.as_slice();
        let hashes: Vec<u64> = ids.iter().map(|id| hash(id)).collect();
        if let Some(mask) = slots.len().checked_sub(1) {
            let first: Vec<[u32; 2]> = hashes.iter().map(|&h| slots[h as usize & mask]).collect();
            let touched: u64 =
                first.iter().filter(|s| **s != EMPTY).map(|s| id_of(s[1]).first().map_or(0, |&b| b as u64)).sum();
            std::hint::black_box(touched);
        }
        ids.iter().zip(hashes).map(|(id, h)| self.find(id, h, &id_of)).collect()
    }

    fn find<'a>(&self, id: &str, h: u64, id_of: &impl Fn(ProductIdx) -> &'a [u8]) -> Option<ProductIdx> {
        let slots = self.slots.as_slice();
        let mask = slots.len().checked_sub(1)?;
        let mut at = h as usize & mask;
        // At most one pass over the table: a read table is not trusted to hold a free slot.
        for _ in 0..slots.len() {
            let [fingerprint, idx] = slots[at];
            if [fingerprint, idx] == EMPTY {
                return None;
            }
            if fingerprint == (h >> 32) as u32 && id_of(idx) == id.as_bytes() {
                return Some(idx);
            }
            at = (at + 1) & mask;
        }
        None
    }

    /// Check a read table: a power-of-two size with room for `n` products, each product in exactly one slot (one
    /// pass over the table, no id hashed: `open` stays fast on large catalogs). A damaged fingerprint or a slot
    /// moved out of its probe run passes this check: the file's checksum catches those.
    pub fn check(&self, n: usize) -> Result<()> {
        let len = self.slots.len();
        if !len.is_power_of_two() || len < n * 2 {
            return Err(Error::corrupt(format!("the catalog id index has {len} slots for {n} products")));
        }
        if self.each_product_once(n) {
            return Ok(());
        }
        // Name the damage (the slow way: a refused file only).
        let used = self.slots.iter().filter(|s| **s != EMPTY).map(|s| s[1]);
        Error::check_indices("the catalog id index", n, used.clone())?;
        let mut seen = fixedbitset::FixedBitSet::with_capacity(n);
        if let Some(idx) = used.into_iter().find(|&idx| seen.put(idx as usize)) {
            return Err(Error::corrupt(format!("the catalog id index holds product {idx} twice")));
        }
        if let Some(idx) = seen.zeroes().next() {
            return Err(Error::corrupt(format!("the catalog id index has no slot for product {idx}")));
        }
        Err(Error::corrupt("the catalog id index is damaged"))
    }

    /// Whether every used slot names a product below `n`, each once, and `n` slots are used. One pass with no
    /// branch per slot: free and used slots alternate at random, so a branch would mispredict about half the
    /// time (a third of the cost of `open` on the 200 k-product store).
    fn each_product_once(&self, n: usize) -> bool {
        let mut seen = vec![0u64; n / 64 + 1];
        let (mut used, mut wrong) = (0usize, false);
        for &slot in self.slots.iter() {
            let is_used = slot != EMPTY;
            let in_range = (slot[1] as usize) < n;
            wrong |= is_used & !in_range;
            // Free slots and indices out of range mark the spare bit `n`.
            let bit = if is_used & in_range { slot[1] as usize } else { n };
            let (word, mask) = (bit / 64, 1u64 << (bit % 64));
            wrong |= is_used & (seen[word] & mask != 0);
            seen[word] |= mask;
            used += is_used as usize;
        }
        !wrong && used == n
    }

    /// The number of products in the table.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.slots.iter().filter(|s| **s != EMPTY).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_id_and_nothing_else() {
        let ids: Vec<String> = (0..1000).map(|i| format!("SKU-{i}")).collect();
        let index = IdIndex::build(ids.iter().map(String::as_str));
        assert_eq!(index.len(), 1000);
        index.check(1000).unwrap();
        let id_of = |i: ProductIdx| ids[i as usize].as_bytes();
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(index.get(id, id_of), Some(i as ProductIdx));
        }
        assert_eq!(index.get("SKU-1000", id_of), None);
        assert_eq!(index.get("", id_of), None);
        let asked = ["SKU-7", "SKU-1000", "SKU-7", "", "SKU-999"];
        let one_by_one: Vec<Option<ProductIdx>> = asked.iter().map(|id| index.get(id, id_of)).collect();
        assert_eq!(index.get_many(&asked, id_of), one_by_one);
        assert_eq!(one_by_one, [Some(7), None, Some(7), None, Some(999)]);
    }

    #[test]
    fn an_empty_catalog_finds_nothing() {
        let index = IdIndex::build(std::iter::empty());
        index.check(0).unwrap();
        assert_eq!(index.get("A", |_| b"A"), None);
        assert_eq!(IdIndex::default().get("A", |_| b"A"), None);
        assert_eq!(IdIndex::default().get_many(&["A", "B"], |_| b"A"), [None, None]);
    }

    #[test]
    fn a_full_table_still_ends_a_lookup() {
        let full = IdIndex { slots: vec![[1, 0]; 8].into() };
        assert_eq!(full.get("missing", |_| b"other"), None);
        assert!(full.check(8).is_err(), "eight products need sixteen slots");
    }

    #[test]
    fn check_refuses_a_lost_or_doubled_product() {
        let ids: Vec<String> = (0..100).map(|i| format!("SKU-{i}")).collect();
        let index = IdIndex::build(ids.iter().map(String::as_str));
        index.check(100).unwrap();
        let used: Vec<usize> = (0..index.slots.len()).filter(|&s| index.slots[s] != EMPTY).collect();
        let with = |f: &dyn Fn(&mut Vec<[u32; 2]>)| {
            let mut slots = index.slots.to_vec();
            f(&mut slots);
            IdIndex { slots: slots.into() }.check(100).unwrap_err().message
        };
        let doubled = |s: &mut Vec<[u32; 2]>| s[used[3]][1] = s[used[4]][1];
        assert!(with(&doubled).contains("twice"));
        let lost = |s: &mut Vec<[u32; 2]>| s[used[3]] = EMPTY;
        assert!(with(&lost).contains("no slot for product"));
        let past = |s: &mut Vec<[u32; 2]>| s[used[3]][1] = 100;
        assert!(with(&past).contains("names product 100"));
        let free_index = |s: &mut Vec<[u32; 2]>| s[used[3]][1] = u32::MAX;
        assert!(with(&free_index).contains(&format!("names product {}", u32::MAX)));
    }

    #[test]
    fn the_hash_is_fixed() {
        // Written into model files: a change here breaks every saved model.
        assert_eq!(format!("{:016x}", hash("SKU-1")), "fc28955deb88c3ce");
    }
}
