//! Versioned, checksummed binary model files, read in place. Layout (little-endian):
//! `b"CARTLIFT"` · format version u32 · directory length u32 · tables length u64 · CRC-32 of the tables u32 ·
//! CRC-32 of the directory u32 (32 bytes, so the tables start aligned) · tables (16-aligned plain arrays, see
//! [`crate::flat`]) · directory (postcard: the small parts, and where each table is).
//! `open` maps the file and reads the tables where they lie; `load` and `from_bytes` read them from an aligned
//! copy. Every read checks both checksums (the whole file), so damage anywhere fails with `corrupt_model`.
//! Saving writes a temporary file beside the target and renames it over, so a crash never leaves a broken
//! model and a process that mapped the old file keeps reading it until it opens the new one.

use crate::catalog::Catalog;
use crate::config::Config;
use crate::engine::{Engine, TrainStats};
use crate::error::{Error, ErrorCode, Result};
use crate::flat::context::{self, Blob};
use crate::flat::crc32_while;
use crate::flat::Bytes;
use crate::model::Model;
use crate::pricing::Bundles;
use crate::rules::Rules;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

const MAGIC: &[u8; 8] = b"CARTLIFT";
/// Bump when the layout changes; older readers then refuse newer files with a clear message.
/// 11: `open` checksums the tables too, so the product-id table no longer carries a CRC of its own.
pub const FORMAT_VERSION: u32 = 11;
/// Bytes before the tables (a multiple of 16, so every table stays aligned).
pub const HEADER: usize = 32;

#[derive(Serialize, Deserialize)]
struct Stored {
    config_json: String,
    catalog: Catalog,
    model: Model,
    rule_sources: Vec<String>,
    bundle_sources: Vec<String>,
    histories: crate::personal::CustomerHistories,
    experiments: crate::measure::Experiments,
    variant_models: Vec<crate::engine::VariantModel>,
    behaviour: crate::behaviour::Behaviour,
    stats_json: String,
}

/// Table lengths and indexes checked against the catalog: hostile bytes with matching checksums that still decode
/// fail here with `corrupt_model` instead of panicking in a query. The two largest tables, neighbour lists and
/// customer histories, are checked a list at a time when read (a bad list reads as empty), so opening stays fast.
fn check(stored: &mut Stored) -> Result<()> {
    stored.catalog.check()?;
    let n = stored.catalog.len();
    stored.model.check(n)?;
    for v in &stored.variant_models {
        v.model.check(n)?;
    }
    stored.histories.check(n)?;
    stored.behaviour.check(n)
}

/// The fields of a model file's header.
struct Header {
    version: u32,
    directory_len: u64,
    tables_len: u64,
    tables_crc: u32,
    directory_crc: u32,
}

impl Header {
    fn encode(&self) -> [u8; HEADER] {
        let mut h = [0u8; HEADER];
        h[..8].copy_from_slice(MAGIC);
        h[8..12].copy_from_slice(&self.version.to_le_bytes());
        h[12..16].copy_from_slice(&(self.directory_len as u32).to_le_bytes());
        h[16..24].copy_from_slice(&self.tables_len.to_le_bytes());
        h[24..28].copy_from_slice(&self.tables_crc.to_le_bytes());
        h[28..32].copy_from_slice(&self.directory_crc.to_le_bytes());
        h
    }

    /// The header of `bytes`, once magic, version and lengths check out.
    fn decode(bytes: &[u8]) -> Result<Header> {
        if bytes.len() < HEADER || &bytes[..8] != MAGIC {
            if bytes.len() >= 8 && &bytes[..8] == MAGIC {
                return Err(Error::corrupt("model file is truncated (incomplete header)"));
            }
            return Err(Error::corrupt("not a cartlift model (bad magic bytes)"));
        }
        let le = |r: std::ops::Range<usize>| bytes[r].iter().rev().fold(0u64, |v, &b| v << 8 | b as u64);
        check_version(le(8..12) as u32)?;
        let h = Header {
            version: le(8..12) as u32,
            directory_len: le(12..16),
            tables_len: le(16..24),
            tables_crc: le(24..28) as u32,
            directory_crc: le(28..32) as u32,
        };
        let want = (HEADER as u64).checked_add(h.tables_len).and_then(|n| n.checked_add(h.directory_len));
        match want {
            Some(n) if n > bytes.len() as u64 => {
                Err(Error::corrupt(format!("model file is truncated ({} of {n} bytes)", bytes.len())))
            }
            Some(n) if n == bytes.len() as u64 => Ok(h),
            _ => Err(Error::corrupt("model file has trailing bytes after its directory")),
        }
    }
}

fn check_version(version: u32) -> Result<()> {
    if version > FORMAT_VERSION {
        return Err(Error::new(
            ErrorCode::UnsupportedVersion,
            format!("model format version {version} is newer than this cartlift supports ({FORMAT_VERSION}); upgrade cartlift"),
        ));
    }
    if version == 0 {
        return Err(Error::corrupt("model format version 0 is invalid"));
    }
    if version < FORMAT_VERSION {
        return Err(Error::new(
            ErrorCode::UnsupportedVersion,
            format!("model format version {version} is older than this cartlift reads ({FORMAT_VERSION}); train the model again"),
        ));
    }
    if cfg!(target_endian = "big") {
        return Err(Error::new(ErrorCode::UnsupportedVersion, "model files are read on little-endian machines only"));
    }
    Ok(())
}

/// The engine a model's bytes hold, read in place, once both checksums match. The tables' CRC reads the whole
/// file, mapped or not (3 ms for a 109 MB model in the page cache, plus faulting in a map's pages, which stay clean
/// and shared; BENCHMARKS.md, issue 20), so helper threads hash it while this one decodes the directory and checks
/// the tables' indexes. Those checks withstand any bytes (a crafted file can match its CRC), and a CRC mismatch is
/// reported before whatever they found.
fn read(bytes: Arc<Bytes>) -> Result<Engine> {
    let h = Header::decode(bytes.as_slice())?;
    let data = bytes.as_slice();
    let tables_end = HEADER + h.tables_len as usize;
    let directory = &data[tables_end..];
    if crc32fast::hash(directory) != h.directory_crc {
        return Err(Error::corrupt("model file is corrupt (directory checksum mismatch)"));
    }
    let (tables_crc, engine) = crc32_while(&data[HEADER..tables_end], || {
        let blob = Blob { bytes: bytes.clone(), start: HEADER, end: tables_end };
        let stored: Stored = context::read(blob, || postcard::from_bytes(directory))
            .map_err(|e| Error::corrupt(format!("model directory does not decode: {e}")))?;
        engine_of(stored)
    });
    if tables_crc != h.tables_crc {
        return Err(Error::corrupt("model file is corrupt (checksum mismatch)"));
    }
    engine
}

/// The engine of a read directory, once every index in it is checked.
fn engine_of(mut stored: Stored) -> Result<Engine> {
    let config: Config =
        serde_json::from_str(&stored.config_json).map_err(|e| Error::corrupt(format!("stored config: {e}")))?;
    let stats: TrainStats = serde_json::from_str(&stored.stats_json).unwrap_or_default();
    // The sources compiled when the model was trained: failing now means the bytes were damaged.
    let stored_source = |e: Error| Error::corrupt(format!("stored rules or bundles do not compile: {e}"));
    let rules = Rules::from_sources(&stored.rule_sources, stored.catalog.currency).map_err(stored_source)?;
    let bundles = Bundles::from_sources(&stored.bundle_sources, &stored.catalog).map_err(stored_source)?;
    check(&mut stored)?;
    Ok(Engine::from_parts(config, stored.catalog, stored.model, rules, bundles, stats)
        .with_histories(stored.histories)
        .with_experiments(stored.experiments)
        .with_behaviour(stored.behaviour)
        .with_variant_models(stored.variant_models))
}

impl Engine {
    /// The model as bytes (for caches, multiprocessing, worker threads).
    pub fn to_bytes(&self) -> Vec<u8> {
        let s = &self.state;
        let stored = Stored {
            config_json: serde_json::to_string(&s.config).expect("config serializes"),
            catalog: (*s.catalog).clone(),
            model: (*s.model).clone(),
            rule_sources: s.rules.sources.clone(),
            bundle_sources: s.bundles.sources.clone(),
            histories: (*s.histories).clone(),
            experiments: (*s.experiments).clone(),
            variant_models: (*s.variant_models).clone(),
            behaviour: (*s.behaviour).clone(),
            stats_json: serde_json::to_string(&s.stats).expect("stats serialize"),
        };
        let (directory, tables) = context::write(|| postcard::to_allocvec(&stored).expect("model serializes"));
        let header = Header {
            version: FORMAT_VERSION,
            directory_len: directory.len() as u64,
            tables_len: tables.len() as u64,
            tables_crc: crc32fast::hash(&tables),
            directory_crc: crc32fast::hash(&directory),
        };
        let mut out = Vec::with_capacity(HEADER + tables.len() + directory.len());
        out.extend_from_slice(&header.encode());
        out.extend_from_slice(&tables);
        out.extend_from_slice(&directory);
        out
    }

    /// Read a model from bytes (copied once into an aligned buffer, then read in place); truncated, corrupt or
    /// newer-version data fails with a clear error.
    pub fn from_bytes(bytes: &[u8]) -> Result<Engine> {
        read(Arc::new(Bytes::copy(bytes)))
    }

    /// Save atomically: write `<path>.tmp-<pid>` beside it, flush to disk, rename over `path`. Never in place:
    /// processes that opened (mapped) the old file keep reading it, unchanged, until they open the new one.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let bytes = self.to_bytes();
        let file_name = path.file_name().ok_or_else(|| Error::invalid("path", "model path has no file name"))?;
        let tmp = path.with_file_name(format!("{}.tmp-{}", file_name.to_string_lossy(), std::process::id()));
        let write = || -> std::io::Result<()> {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
            std::fs::rename(&tmp, path)
        };
        write().map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Error::io(path, e)
        })
    }

    /// Read a model file into memory (checksummed whole).
    pub fn load(path: impl AsRef<Path>) -> Result<Engine> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Engine::from_bytes(&bytes).map_err(|e| e.in_file(path.display().to_string()))
    }

    /// Map a model file read-only and answer from the map: nothing large is decoded or copied, so processes
    /// that open one file share its pages. Checks the header, both checksums (reading the whole file once, which
    /// leaves its pages shared) and every index the tables hold, as `load` does. A large file is hashed by up to
    /// three helper threads besides the caller, all ended before `open` returns.
    ///
    /// The file must never be changed in place while mapped (replace it by rename, as [`Engine::save`] does):
    /// the engine would read the new bytes unchecked, or fault if the file shrank.
    pub fn open(path: impl AsRef<Path>) -> Result<Engine> {
        let path = path.as_ref();
        let bytes = Bytes::map(path).map_err(|e| Error::io(path, e))?;
        read(Arc::new(bytes)).map_err(|e| e.in_file(path.display().to_string()))
    }

    /// Whether this engine's catalog is read from a mapped model file.
    pub fn is_mapped(&self) -> bool {
        self.state.catalog.is_mapped_file()
    }
}
