//! Damaged or hostile model bytes: payload bytes of a real model are changed and the checksums recomputed, so
//! the damage reaches the decoder. Every case must load (and open, mapped) with `corrupt_model`, or load and
//! answer (or refuse) every operation, and never panic.

use cartlift_core::lab::Internals;
use cartlift_core::Silent;
use cartlift_core::Source;
use cartlift_core::{Engine, ErrorCode, Operation};
use cartlift_lab::gen::{demo_store, simulate_events};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};
use std::panic::{catch_unwind, AssertUnwindSafe};

const HEADER: usize = cartlift_core::MODEL_HEADER_LEN;
const CASES: usize = 2_000;

/// The model's bytes with `payload` (tables, then directory) in place of its own, lengths and checksums made
/// to match (the tables keep their length unless the payload is shorter).
fn with_payload(bytes: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut out = bytes[..HEADER].to_vec();
    let tables = (u64::from_le_bytes(out[16..24].try_into().unwrap()) as usize).min(payload.len());
    out[12..16].copy_from_slice(&((payload.len() - tables) as u32).to_le_bytes());
    out[16..24].copy_from_slice(&(tables as u64).to_le_bytes());
    out[24..28].copy_from_slice(&crc32fast::hash(&payload[..tables]).to_le_bytes());
    out[28..32].copy_from_slice(&crc32fast::hash(&payload[tables..]).to_le_bytes());
    out.extend_from_slice(payload);
    out
}

/// `bytes` as a model file, opened (mapped).
fn open_bytes(dir: &std::path::Path, bytes: &[u8]) -> cartlift_core::Result<Engine> {
    let path = dir.join("model.bin");
    std::fs::write(&path, bytes).unwrap();
    Engine::open(&path)
}

/// One damage: a few bytes set to random values, nudged by one (small integers: lengths, indices), or the
/// payload cut short.
fn damage(payload: &[u8], rng: &mut ChaCha8Rng) -> Vec<u8> {
    let mut p = payload.to_vec();
    match rng.gen_range(0..10) {
        0 => p.truncate(rng.gen_range(0..p.len())),
        1..=4 => {
            for _ in 0..rng.gen_range(1..4) {
                let i = rng.gen_range(0..p.len());
                p[i] = rng.gen();
            }
        }
        _ => {
            let i = rng.gen_range(0..p.len());
            p[i] = if rng.gen() { p[i].wrapping_add(1) } else { p[i].wrapping_sub(1) };
        }
    }
    p
}

/// Every operation on a loaded engine; errors are fine, panics are not (the caller catches them).
fn exercise(engine: &Engine, ids: &[String]) {
    let cart: Vec<Value> = ids.iter().take(3).map(|id| json!({"product_id": id, "quantity": 2})).collect();
    let requests = [
        (Operation::CrossSell, json!({"cart": cart, "limit": 8, "customer_id": "C1"})),
        (Operation::CrossSell, json!({"cart": cart, "placement": "product_page", "viewed": [ids[0]]})),
        (Operation::Upsell, json!({"product_id": ids[0]})),
        (Operation::UpgradePath, json!({"product_id": ids[1]})),
        (Operation::PriceCart, json!({"cart": cart})),
        (Operation::SuggestBundles, json!({"cart": cart})),
        (Operation::SuggestDecoyPrice, json!({"product_id": ids[2]})),
    ];
    for (op, req) in requests {
        let _ = engine.query(op, req);
    }
    let _ = engine.to_bytes();
}

/// The demo store with everything a model can hold: rules, bundles, histories, and (when `events`) an
/// experiment and shopper events (declines, substitutes).
fn model(events: bool) -> Engine {
    let store = demo_store();
    let mut req = store.train_request();
    if events {
        let sim = simulate_events(&store, 400, 10.0, 3);
        req.experiments = Some(Source::Records(sim.experiments));
        req.events = Some(Source::Records(sim.events));
    }
    Engine::train(&req, &Silent).expect("demo trains")
}

#[test]
fn damaged_models_fail_cleanly_or_answer() {
    damaged_payloads_fail_cleanly_or_answer(&model(false), 1);
}

#[test]
fn damaged_models_with_experiments_and_events_fail_cleanly_or_answer() {
    damaged_payloads_fail_cleanly_or_answer(&model(true), 2);
}

fn damaged_payloads_fail_cleanly_or_answer(engine: &Engine, seed: u64) {
    let ids: Vec<String> = engine.catalog().products().map(|p| p.id.to_string()).collect();
    let dir = tempfile::tempdir().unwrap();
    let bytes = engine.to_bytes();
    let payload = &bytes[HEADER..];
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut panics = Vec::new();
    let (mut refused, mut loaded) = (0, 0);
    for case in 0..CASES {
        let damaged = with_payload(&bytes, &damage(payload, &mut rng));
        // Every tenth case through a mapped file (checksums recomputed, so the damage reaches the decoder).
        let read = || if case % 10 == 0 { open_bytes(dir.path(), &damaged) } else { Engine::from_bytes(&damaged) };
        let outcome = catch_unwind(AssertUnwindSafe(|| match read() {
            Ok(e) => {
                exercise(&e, &ids);
                true
            }
            Err(err) => {
                assert_eq!(err.code, ErrorCode::CorruptModel, "{err}");
                false
            }
        }));
        match outcome {
            Ok(true) => loaded += 1,
            Ok(false) => refused += 1,
            Err(p) => {
                let msg =
                    p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()));
                panics.push((case, msg.unwrap_or_default()));
            }
        }
    }
    assert!(
        panics.is_empty(),
        "{} of {CASES} damaged models panicked, e.g. {:?}",
        panics.len(),
        &panics[..panics.len().min(5)]
    );
    assert!(refused > 0 && loaded > 0, "refused {refused}, loaded {loaded}");
}
