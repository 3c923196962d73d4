//! Zero-copy tables for model files: plain little-endian arrays that a query reads in place, from a read-only
//! map of the file ([`Bytes::map`]), from an aligned copy of its bytes, or from vectors built at training.
//!
//! A model file is a header, a blob of 16-aligned arrays and a small postcard directory that names each
//! array by (offset, length) in the blob. The derives of the engine's parts stay serde: a [`Column`] writes its
//! array into the blob of the file being saved and reads back as a view of the blob of the file being opened
//! (see [`context`]), so the directory is the only thing decoded at open.

mod bytes;
mod column;
pub(crate) mod context;
mod crc;
mod texts;

pub use bytes::Bytes;
pub use column::{Column, Csr};
pub(crate) use crc::crc32_while;
pub use texts::{Texts, TextsBuilder};
