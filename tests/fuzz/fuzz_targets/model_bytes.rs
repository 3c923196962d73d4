//! Model bytes: as given, and with the header's lengths and checksums made to match so the tables and the
//! directory reach the decoder. A model that loads must answer (or refuse) every operation.
#![no_main]

#[path = "common.rs"]
mod common;

use cartlift_core::Engine;
use libfuzzer_sys::fuzz_target;

const HEADER: usize = cartlift_core::MODEL_HEADER_LEN;

fuzz_target!(|data: &[u8]| {
    if let Ok(engine) = Engine::from_bytes(data) {
        common::exercise(&engine);
    }
    if data.len() >= HEADER {
        let mut fixed = data.to_vec();
        let payload = &data[HEADER..];
        let tables = (u64::from_le_bytes(data[16..24].try_into().unwrap()) as usize).min(payload.len());
        fixed[12..16].copy_from_slice(&((payload.len() - tables) as u32).to_le_bytes());
        fixed[16..24].copy_from_slice(&(tables as u64).to_le_bytes());
        fixed[24..28].copy_from_slice(&crc32fast::hash(&payload[..tables]).to_le_bytes());
        fixed[28..32].copy_from_slice(&crc32fast::hash(&payload[tables..]).to_le_bytes());
        if let Ok(engine) = Engine::from_bytes(&fixed) {
            common::exercise(&engine);
        }
    }
});
