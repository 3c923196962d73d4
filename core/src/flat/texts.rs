//! [`Texts`]: a table of strings as one byte arena and offsets, read in place.

use super::Column;
use ahash::AHashMap;
use serde::{Deserialize, Serialize};

/// Strings by position. A damaged range or non-UTF-8 bytes read as "" (never a panic).
#[derive(Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Texts {
    starts: Column<u64>,
    bytes: Column<u8>,
}

impl Texts {
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The string at `i` ("" past the end).
    pub fn get(&self, i: usize) -> &str {
        std::str::from_utf8(self.get_bytes(i)).unwrap_or("")
    }

    /// The bytes of the string at `i`, not checked for UTF-8: enough to compare with a string (equal bytes,
    /// equal strings; byte order is code point order) without validating it.
    pub fn get_bytes(&self, i: usize) -> &[u8] {
        let (Some(&a), Some(&b)) = (self.starts.get(i), self.starts.get(i + 1)) else { return &[] };
        self.bytes.get(a as usize..b as usize).unwrap_or(&[])
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Position of `s` in texts sorted ascending (as [`slice::binary_search`]).
    pub fn search_sorted(&self, s: &str) -> Result<usize, usize> {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.get(mid).cmp(s) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Ok(mid),
            }
        }
        Err(lo)
    }
}

impl<S: AsRef<str>> FromIterator<S> for Texts {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        let mut b = TextsBuilder::default();
        for s in iter {
            b.push(s.as_ref());
        }
        b.finish()
    }
}

impl std::fmt::Debug for Texts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter().take(16)).finish()
    }
}

/// Builds [`Texts`]; `intern` stores equal strings once (equal strings, equal positions).
#[derive(Default)]
pub struct TextsBuilder {
    starts: Vec<u64>,
    bytes: Vec<u8>,
    seen: AHashMap<String, u32>,
}

impl TextsBuilder {
    /// Append `s`; its position.
    pub fn push(&mut self, s: &str) -> u32 {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        self.bytes.extend_from_slice(s.as_bytes());
        self.starts.push(self.bytes.len() as u64);
        (self.starts.len() - 2) as u32
    }

    /// The position of `s`, appended on first sight.
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.seen.get(s) {
            return i;
        }
        let i = self.push(s);
        self.seen.insert(s.to_string(), i);
        i
    }

    pub fn finish(mut self) -> Texts {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        Texts { starts: self.starts.into(), bytes: self.bytes.into() }
    }
}
