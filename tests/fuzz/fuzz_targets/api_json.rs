//! Every JSON operation through the API: the first byte picks the operation, the rest is the request text.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, text)) = data.split_first() else { return };
    let op = common::OPERATIONS[pick as usize % common::OPERATIONS.len()];
    let Ok(text) = std::str::from_utf8(text) else { return };
    if let Ok(request) = serde_json::from_str::<serde_json::Value>(text) {
        let _ = common::demo().query(op, request);
    }
});
