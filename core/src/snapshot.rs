//! Versioned, checksummed binary model files. Layout (little-endian):
//! `b"CARTLIFT"` · format version u32 · payload length u64 · CRC-32 of payload u32 · payload (postcard).
//! Saving writes a temporary file beside the target and renames it over, so a crash never leaves a broken model.

use crate::catalog::Catalog;
use crate::config::Config;
use crate::engine::{Engine, TrainStats};
use crate::error::{Error, ErrorCode, Result};
use crate::frame::{self, HEADER};
use crate::model::Model;
use crate::pricing::Bundles;
use crate::rules::Rules;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;

const MAGIC: &[u8; 8] = b"CARTLIFT";
/// Bump when the payload layout changes; older readers then refuse newer files with a clear message.
pub const FORMAT_VERSION: u32 = 7;

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

/// Every index and table length of decoded parts checked against the catalog: damaged or hostile bytes that
/// still decode fail here with `corrupt_model` instead of panicking in a query.
fn check(stored: &Stored) -> Result<()> {
    stored.catalog.check()?;
    let n = stored.catalog.len();
    stored.model.check(n)?;
    for v in &stored.variant_models {
        v.model.check(n)?;
    }
    stored.histories.check(n)?;
    stored.behaviour.check(n)
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
        let payload = postcard::to_allocvec(&stored).expect("model serializes");
        frame::encode(MAGIC, FORMAT_VERSION, &payload)
    }

    /// Read a model from bytes; truncated, corrupt or newer-version data fails with a clear error.
    pub fn from_bytes(bytes: &[u8]) -> Result<Engine> {
        if bytes.len() < HEADER || &bytes[..8] != MAGIC {
            if bytes.len() >= 8 && &bytes[..8] == MAGIC {
                return Err(Error::corrupt("model file is truncated (incomplete header)"));
            }
            return Err(Error::corrupt("not a cartlift model (bad magic bytes)"));
        }
        let version = frame::version(bytes);
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
        let payload = frame::payload(bytes, &frame::Subject { is: "model file is", has: "model file has" })?;
        let stored: Stored =
            postcard::from_bytes(payload).map_err(|e| Error::corrupt(format!("model payload does not decode: {e}")))?;
        let config: Config =
            serde_json::from_str(&stored.config_json).map_err(|e| Error::corrupt(format!("stored config: {e}")))?;
        let stats: TrainStats = serde_json::from_str(&stored.stats_json).unwrap_or_default();
        // The sources compiled when the model was trained: failing now means the bytes were damaged.
        let stored_source = |e: Error| Error::corrupt(format!("stored rules or bundles do not compile: {e}"));
        let rules = Rules::from_sources(&stored.rule_sources, stored.catalog.currency).map_err(stored_source)?;
        let bundles = Bundles::from_sources(&stored.bundle_sources, &stored.catalog).map_err(stored_source)?;
        check(&stored)?;
        Ok(Engine::from_parts(config, stored.catalog, stored.model, rules, bundles, stats)
            .with_histories(stored.histories)
            .with_experiments(stored.experiments)
            .with_behaviour(stored.behaviour)
            .with_variant_models(stored.variant_models))
    }

    /// Save atomically: write `<path>.tmp-<pid>` beside it, flush to disk, rename over `path`.
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

    pub fn load(path: impl AsRef<Path>) -> Result<Engine> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Engine::from_bytes(&bytes).map_err(|e| e.in_file(path.display().to_string()))
    }
}
