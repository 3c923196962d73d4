//! Where a [`super::Column`] goes when serialized and comes from when deserialized: the blob of the model file
//! being written or read on this thread. Outside [`write`] and [`read`] a column does not serialize.

use super::Bytes;
use std::cell::RefCell;
use std::sync::Arc;

/// Arrays start on 16 bytes (any plain type we store needs at most 8).
pub const ALIGN: usize = 16;

thread_local! {
    static WRITING: RefCell<Option<Vec<u8>>> = const { RefCell::new(None) };
    static READING: RefCell<Option<Blob>> = const { RefCell::new(None) };
}

/// The blob of the file being read: its bytes and the range the blob takes in them.
#[derive(Clone)]
pub struct Blob {
    pub bytes: Arc<Bytes>,
    pub start: usize,
    pub end: usize,
}

/// Resets the thread's context even when serialization panics or fails.
struct Reset;

impl Drop for Reset {
    fn drop(&mut self) {
        WRITING.with(|w| w.borrow_mut().take());
        READING.with(|r| r.borrow_mut().take());
    }
}

/// Run `f` (which serializes the directory) with an empty blob for columns to write into; returns the blob.
pub fn write<R>(f: impl FnOnce() -> R) -> (R, Vec<u8>) {
    let _reset = Reset;
    WRITING.with(|w| *w.borrow_mut() = Some(Vec::new()));
    let out = f();
    let blob = WRITING.with(|w| w.borrow_mut().take()).unwrap_or_default();
    (out, blob)
}

/// Append `data` to the blob being written, aligned; its offset in the blob, or None outside [`write`].
pub fn put(data: &[u8]) -> Option<u64> {
    WRITING.with(|w| {
        let mut w = w.borrow_mut();
        let blob = w.as_mut()?;
        blob.resize(blob.len().next_multiple_of(ALIGN), 0);
        let at = blob.len() as u64;
        blob.extend_from_slice(data);
        Some(at)
    })
}

/// Run `f` (which deserializes the directory) with `blob` for columns to read from.
pub fn read<R>(blob: Blob, f: impl FnOnce() -> R) -> R {
    let _reset = Reset;
    READING.with(|r| *r.borrow_mut() = Some(blob));
    f()
}

/// The blob being read, or None outside [`read`].
pub fn blob() -> Option<Blob> {
    READING.with(|r| r.borrow().clone())
}
