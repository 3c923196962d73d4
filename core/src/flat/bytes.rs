//! The bytes a model is read from: a read-only map of its file, or an aligned heap copy.

use std::path::Path;

/// Immutable bytes whose start is aligned to 16, shared by every table of one model.
pub struct Bytes {
    inner: Inner,
}

enum Inner {
    /// `len` bytes at the start of 16-byte words (a `Vec<u8>` may start anywhere).
    Heap(Vec<u128>, usize),
    Map(memmap2::Mmap),
}

impl Bytes {
    /// An aligned copy of `data`.
    pub fn copy(data: &[u8]) -> Bytes {
        let mut words = vec![0u128; data.len().div_ceil(16)];
        bytemuck::cast_slice_mut::<u128, u8>(&mut words)[..data.len()].copy_from_slice(data);
        Bytes { inner: Inner::Heap(words, data.len()) }
    }

    /// Map the file at `path` read-only (a map starts on a page, so it is aligned).
    pub fn map(path: &Path) -> std::io::Result<Bytes> {
        let file = std::fs::File::open(path)?;
        // SAFETY: a mapped file that changes or shrinks while mapped is undefined behaviour (or SIGBUS).
        // cartlift never writes a model file in place: `Engine::save` writes a temporary file and renames it
        // over the old one, which leaves this map on the old (unlinked) inode until the last user drops it.
        // Other writers of the same path must do the same (documented at `Engine::open`).
        let map = unsafe { memmap2::Mmap::map(&file)? };
        Ok(Bytes { inner: Inner::Map(map) })
    }

    #[inline]
    pub fn as_slice(&self) -> &[u8] {
        match &self.inner {
            Inner::Heap(words, len) => &bytemuck::cast_slice(words)[..*len],
            Inner::Map(map) => map,
        }
    }

    /// Whether these bytes are a map of a file (not a heap copy).
    pub fn is_mapped(&self) -> bool {
        matches!(self.inner, Inner::Map(_))
    }
}

impl std::fmt::Debug for Bytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bytes({} bytes, mapped: {})", self.as_slice().len(), self.is_mapped())
    }
}
