//! Model bytes: as given, and with the header's length and checksum made to match so the payload reaches the
//! decoder. A model that loads must answer (or refuse) every operation.
#![no_main]

#[path = "common.rs"]
mod common;

use cartlift_core::Engine;
use libfuzzer_sys::fuzz_target;

const HEADER: usize = 24;

fuzz_target!(|data: &[u8]| {
    if let Ok(engine) = Engine::from_bytes(data) {
        common::exercise(&engine);
    }
    if data.len() >= HEADER {
        let mut fixed = data.to_vec();
        let payload_len = (data.len() - HEADER) as u64;
        fixed[12..20].copy_from_slice(&payload_len.to_le_bytes());
        fixed[20..24].copy_from_slice(&crc32fast::hash(&data[HEADER..]).to_le_bytes());
        if let Ok(engine) = Engine::from_bytes(&fixed) {
            common::exercise(&engine);
        }
    }
});
