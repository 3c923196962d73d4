//! [`Column`]: a table of plain values, owned or read in place; [`Csr`]: one list per row, as offsets + values.

use super::context;
use super::Bytes;
use bytemuck::Pod;
use serde::de::Error as _;
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::sync::Arc;

/// A read-only `[T]`: built in memory, or a range of a model's bytes (bounds and alignment checked once, when
/// the directory naming it is read). Cloning shares it.
pub struct Column<T> {
    repr: Repr<T>,
}

enum Repr<T> {
    Owned(Arc<[T]>),
    Mapped { bytes: Arc<Bytes>, start: usize, len: usize },
}

impl<T: Pod> Column<T> {
    #[inline]
    pub fn as_slice(&self) -> &[T] {
        match &self.repr {
            Repr::Owned(v) => v,
            Repr::Mapped { bytes, start, len } => {
                // SAFETY: `from_blob` checked that `len` values from `start` lie inside these bytes and are aligned
                // for `T`; the bytes never move or change while this column shares them, and `T: Pod` makes any
                // bit pattern a value. (Checking again on every read was a visible share of a query.)
                unsafe { std::slice::from_raw_parts(bytes.as_slice().as_ptr().add(*start).cast::<T>(), *len) }
            }
        }
    }

    /// The values to change, copied first unless this column already owns them alone.
    pub fn make_mut(&mut self) -> &mut [T] {
        let alone = match &mut self.repr {
            Repr::Owned(v) => Arc::get_mut(v).is_some(),
            Repr::Mapped { .. } => false,
        };
        if !alone {
            self.repr = Repr::Owned(self.as_slice().into());
        }
        match &mut self.repr {
            Repr::Owned(v) => Arc::get_mut(v).expect("owned alone"),
            Repr::Mapped { .. } => unreachable!("made owned above"),
        }
    }

    /// Whether the values are read from a model's bytes.
    pub fn is_mapped(&self) -> bool {
        matches!(self.repr, Repr::Mapped { .. })
    }

    /// Whether the values are read from a map of a model file.
    pub fn is_mapped_file(&self) -> bool {
        matches!(&self.repr, Repr::Mapped { bytes, .. } if bytes.is_mapped())
    }

    /// `len` values at `offset` of the blob being read; fails when out of bounds or misaligned.
    fn from_blob(offset: u64, len: u64) -> Result<Column<T>, String> {
        let blob = context::blob().ok_or("a table outside a model file")?;
        let size = std::mem::size_of::<T>() as u64;
        let span = blob.end - blob.start;
        let end = len.checked_mul(size).and_then(|b| b.checked_add(offset));
        if end.is_none_or(|e| e > span as u64) {
            return Err(format!("a table of {len} values at {offset} overruns the {span} bytes of tables"));
        }
        let start = blob.start + offset as usize;
        let raw = &blob.bytes.as_slice()[start..start + (len * size) as usize];
        if bytemuck::try_cast_slice::<u8, T>(raw).is_err() {
            return Err(format!("a table at {offset} is not aligned"));
        }
        Ok(Column { repr: Repr::Mapped { bytes: blob.bytes, start, len: len as usize } })
    }
}

impl<T: Pod> std::ops::Deref for Column<T> {
    type Target = [T];
    #[inline]
    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T: Pod> From<Vec<T>> for Column<T> {
    fn from(v: Vec<T>) -> Self {
        Column { repr: Repr::Owned(v.into()) }
    }
}

impl<T: Pod> FromIterator<T> for Column<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        iter.into_iter().collect::<Vec<T>>().into()
    }
}

impl<T> Clone for Column<T> {
    fn clone(&self) -> Self {
        let repr = match &self.repr {
            Repr::Owned(v) => Repr::Owned(v.clone()),
            Repr::Mapped { bytes, start, len } => Repr::Mapped { bytes: bytes.clone(), start: *start, len: *len },
        };
        Column { repr }
    }
}

impl<T: Pod> Default for Column<T> {
    fn default() -> Self {
        Vec::new().into()
    }
}

impl<T: Pod + std::fmt::Debug> std::fmt::Debug for Column<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.as_slice().iter().take(16)).finish()
    }
}

impl<T: Pod + PartialEq> PartialEq for Column<T> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

/// In a model file's directory a column is (offset in the blob, number of values); its values go in the blob.
impl<T: Pod> Serialize for Column<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let at = context::put(bytemuck::cast_slice(self.as_slice()))
            .ok_or_else(|| S::Error::custom("a table serializes only into a model file"))?;
        (at, self.len() as u64).serialize(s)
    }
}

impl<'de, T: Pod> Deserialize<'de> for Column<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (offset, len) = <(u64, u64)>::deserialize(d)?;
        Column::from_blob(offset, len).map_err(D::Error::custom)
    }
}

/// One list of `T` per row: row `i` is `values[starts[i]..starts[i + 1]]`. A damaged range reads as empty.
#[derive(Clone, Serialize, Deserialize)]
#[serde(bound = "T: Pod")]
pub struct Csr<T> {
    starts: Column<u64>,
    values: Column<T>,
}

impl<T: Pod> Csr<T> {
    /// Rows in order, each given as the values it yields.
    pub fn from_rows<R: IntoIterator<Item = T>>(rows: impl IntoIterator<Item = R>) -> Csr<T> {
        let mut starts = vec![0u64];
        let mut values = Vec::new();
        for r in rows {
            values.extend(r);
            starts.push(values.len() as u64);
        }
        Csr { starts: starts.into(), values: values.into() }
    }

    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `i` (empty past the end or when its range is damaged).
    pub fn row(&self, i: usize) -> &[T] {
        let (Some(&a), Some(&b)) = (self.starts.get(i), self.starts.get(i + 1)) else { return &[] };
        self.values.get(a as usize..b as usize).unwrap_or(&[])
    }

    pub fn get(&self, i: usize) -> Option<&[T]> {
        (i < self.len()).then(|| self.row(i))
    }

    pub fn iter(&self) -> impl Iterator<Item = &[T]> + '_ {
        (0..self.len()).map(|i| self.row(i))
    }

    /// Every value of every row (what index checks scan).
    pub fn values(&self) -> &[T] {
        &self.values
    }

    pub fn is_mapped(&self) -> bool {
        self.values.is_mapped()
    }
}

impl<T: Pod> std::ops::Index<usize> for Csr<T> {
    type Output = [T];
    fn index(&self, i: usize) -> &[T] {
        self.row(i)
    }
}

impl<T: Pod> Default for Csr<T> {
    fn default() -> Self {
        Csr::from_rows(std::iter::empty::<Vec<T>>())
    }
}

impl<T: Pod, R: IntoIterator<Item = T>> From<Vec<R>> for Csr<T> {
    fn from(rows: Vec<R>) -> Self {
        Csr::from_rows(rows)
    }
}

impl<T: Pod + std::fmt::Debug> std::fmt::Debug for Csr<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Csr({} rows, {} values)", self.len(), self.values.len())
    }
}

impl<T: Pod + PartialEq> PartialEq for Csr<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}
