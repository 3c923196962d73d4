//! Model files opened with `Engine::open` (a read-only map, answered from in place): the same answers as `load`,
//! damaged or truncated files refused with `corrupt_model`, and a file replaced by rename while an engine has it
//! open.

use cartlift_core::lab::Internals;
use cartlift_core::Silent;
use cartlift_core::{Engine, ErrorCode, Operation};
use cartlift_lab::gen::demo_store;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};
use std::path::Path;

fn demo() -> Engine {
    Engine::train(&demo_store().train_request(), &Silent).expect("demo trains")
}

/// Cross-sell, upsell and cart pricing for every product: what an engine answers, errors included.
fn answers(engine: &Engine) -> Vec<Value> {
    let ids: Vec<String> = engine.catalog().products().map(|p| p.id.to_string()).collect();
    let mut out = Vec::new();
    for id in &ids {
        for (op, req) in [
            (Operation::CrossSell, json!({"cart": [id], "limit": 8})),
            (Operation::Upsell, json!({"product_id": id})),
            (Operation::PriceCart, json!({"cart": [{"product_id": id, "quantity": 2}, ids[0]]})),
        ] {
            out.push(engine.query(op, req).unwrap_or_else(|e| serde_json::to_value(&e).unwrap()));
        }
    }
    out
}

fn open_err(path: &Path) -> ErrorCode {
    Engine::open(path).expect_err("damaged file opened").code
}

#[test]
fn open_answers_as_load_and_as_trained() {
    let engine = demo();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.bin");
    engine.save(&path).unwrap();
    let (opened, loaded) = (Engine::open(&path).unwrap(), Engine::load(&path).unwrap());
    assert!(opened.is_mapped() && !loaded.is_mapped());
    let want = answers(&engine);
    assert_eq!(answers(&opened), want);
    assert_eq!(answers(&loaded), want);
    assert_eq!(opened.to_bytes(), engine.to_bytes());
    // Bytes at an odd address are copied to an aligned buffer first.
    let mut shifted = vec![0u8];
    shifted.extend_from_slice(&engine.to_bytes());
    assert_eq!(answers(&Engine::from_bytes(&shifted[1..]).unwrap()), want);
}

#[test]
fn truncated_or_damaged_files_fail_with_corrupt_model() {
    let bytes = demo().to_bytes();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.bin");
    for cut in [0, 7, 8, 20, 31, 32, bytes.len() / 2, bytes.len() - 1] {
        std::fs::write(&path, &bytes[..cut]).unwrap();
        assert_eq!(open_err(&path), ErrorCode::CorruptModel, "cut at {cut}");
    }
    // Lengths in the header, the directory's checksum, the directory itself, bytes past the end.
    for at in [12, 13, 16, 17, 28, bytes.len() - 1, bytes.len() - 40] {
        let mut damaged = bytes.clone();
        damaged[at] ^= 0x41;
        std::fs::write(&path, &damaged).unwrap();
        assert_eq!(open_err(&path), ErrorCode::CorruptModel, "byte {at}");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    std::fs::write(&path, &longer).unwrap();
    assert_eq!(open_err(&path), ErrorCode::CorruptModel);
    // A table damaged in place: `load` and `open` both checksum the tables.
    let mut table = bytes.clone();
    table[cartlift_core::MODEL_HEADER_LEN + 3] ^= 0x41;
    assert_eq!(Engine::from_bytes(&table).unwrap_err().code, ErrorCode::CorruptModel);
    std::fs::write(&path, &table).unwrap();
    assert_eq!(open_err(&path), ErrorCode::CorruptModel);
    // A model of the previous format (its tables' layout is not read): refused, naming both versions.
    let mut older = bytes.clone();
    let previous = cartlift_core::MODEL_FORMAT_VERSION - 1;
    older[8..12].copy_from_slice(&previous.to_le_bytes());
    std::fs::write(&path, &older).unwrap();
    let err = Engine::open(&path).unwrap_err();
    assert_eq!(err.code, ErrorCode::UnsupportedVersion);
    let names = format!("model format version {previous} is older than this cartlift reads ({})", previous + 1);
    assert!(err.message.contains(&names) && err.message.contains("train the model again"), "{err}");
    let err = Engine::open(dir.path().join("absent.bin")).unwrap_err();
    assert_eq!(err.code, ErrorCode::Io);
}

/// Any damage to a model file fails `open` (and `load`): every bit of the header, 600 single bits flipped at
/// seeded positions anywhere in the file, and 200 seeded truncations. Each flip must fail with `corrupt_model`,
/// except in the version field, where the file claims another format (`unsupported_version`). Before format 11,
/// `open` read damaged tables as they were: 29 of 392 random flips in a model opened and answered wrongly.
#[test]
fn any_bit_flipped_or_cut_fails_to_open() {
    let bytes = demo().to_bytes();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.bin");
    let mut rng = ChaCha8Rng::seed_from_u64(20);
    let header_bits = 0..cartlift_core::MODEL_HEADER_LEN * 8;
    let flips: Vec<usize> = header_bits.chain((0..600).map(|_| rng.gen_range(0..bytes.len() * 8))).collect();
    let mut opened = Vec::new();
    for &bit in &flips {
        let mut damaged = bytes.clone();
        damaged[bit / 8] ^= 1 << (bit % 8);
        let want = if (8..12).contains(&(bit / 8)) { ErrorCode::UnsupportedVersion } else { ErrorCode::CorruptModel };
        std::fs::write(&path, &damaged).unwrap();
        match Engine::open(&path) {
            Err(e) => assert_eq!(e.code, want, "bit {bit}: {e:?}"),
            Ok(_) => opened.push(bit),
        }
        assert_eq!(Engine::from_bytes(&damaged).unwrap_err().code, want, "load, bit {bit}");
    }
    assert!(opened.is_empty(), "{} of {} flipped bits opened: {opened:?}", opened.len(), flips.len());
    for cut in (0..200).map(|_| rng.gen_range(0..bytes.len())) {
        std::fs::write(&path, &bytes[..cut]).unwrap();
        assert_eq!(open_err(&path), ErrorCode::CorruptModel, "cut at {cut}");
    }
}

#[test]
fn an_open_engine_keeps_answering_while_the_file_is_replaced_by_rename() {
    let old = demo();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.bin");
    old.save(&path).unwrap();
    let worker = Engine::open(&path).unwrap();
    let before = answers(&worker);
    // A retrain with other settings: other neighbour lists, written over the same path by rename.
    let mut req = demo_store().train_request();
    req.config = Some(serde_json::from_value(json!({"measure": "lift", "top_k": 3})).unwrap());
    let new = Engine::train(&req, &Silent).unwrap();
    new.save(&path).unwrap();
    assert_eq!(answers(&worker), before, "the open engine still reads the old (unlinked) file");
    let reopened = Engine::open(&path).unwrap();
    assert_eq!(answers(&reopened), answers(&new));
    assert_ne!(answers(&reopened), before);
}

#[test]
fn update_products_on_an_open_engine_copies_only_what_changes() {
    let engine = demo();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.bin");
    engine.save(&path).unwrap();
    let opened = Engine::open(&path).unwrap();
    let id = opened.catalog().product(0).id.to_string();
    let updates = [serde_json::from_value(json!({"id": id, "price": "1.00", "inventory": 0})).unwrap()];
    let (a, b) = (engine.update_products(&updates).unwrap(), opened.update_products(&updates).unwrap());
    assert_eq!(answers(&a), answers(&b));
    assert_eq!(b.catalog().product(0).price, 100);
    assert!(opened.catalog().product(0).price != 100, "the open engine is unchanged");
}

/// Where the product-id hash table lies in a model file (`core/src/catalog_ids.rs`): the one run of
/// `capacity` 8-byte slots, 16-aligned in the tables, holding each product index of `0..n` once and free
/// slots (`[0, u32::MAX]`) elsewhere.
fn id_table(bytes: &[u8], n: usize) -> std::ops::Range<usize> {
    let capacity = (n * 2).max(8).next_power_of_two();
    let word = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
    let tables_end = cartlift_core::MODEL_HEADER_LEN + u64::from_le_bytes(bytes[16..24].try_into().unwrap()) as usize;
    let is_table = |start: usize| {
        let mut seen = vec![false; n];
        for s in 0..capacity {
            let (fingerprint, idx) = (word(start + 8 * s), word(start + 8 * s + 4));
            if (fingerprint, idx) == (0, u32::MAX) {
                continue;
            }
            if idx as usize >= n || std::mem::replace(&mut seen[idx as usize], true) {
                return false;
            }
        }
        seen.iter().all(|&s| s)
    };
    let found: Vec<usize> =
        (cartlift_core::MODEL_HEADER_LEN..=tables_end - capacity * 8).step_by(16).filter(|&s| is_table(s)).collect();
    assert_eq!(found.len(), 1, "one id table in the file");
    found[0]..found[0] + capacity * 8
}

/// A damaged product-id table: slots past the product count, a product's slot emptied, its fingerprint or
/// index changed, a free slot filled, two slots swapped. `open` and `load` refuse each with `corrupt_model` (the
/// file's checksum; a fingerprint or a moved slot passes every index check); no damage panics, and none opens to
/// answer differently.
#[test]
fn a_damaged_id_table_fails_to_open() {
    let engine = demo();
    let bytes = engine.to_bytes();
    let n = engine.catalog().len();
    let table = id_table(&bytes, n);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.bin");
    let slot_at = |s: usize| table.start + 8 * s;
    let get = |b: &[u8], at: usize| u32::from_le_bytes(b[at..at + 4].try_into().unwrap());
    let set = |b: &mut Vec<u8>, at: usize, v: u32| b[at..at + 4].copy_from_slice(&v.to_le_bytes());
    let slots = table.len() / 8;
    let used: Vec<usize> = (0..slots).filter(|&s| get(&bytes, slot_at(s) + 4) != u32::MAX).collect();
    let free: Vec<usize> = (0..slots).filter(|&s| get(&bytes, slot_at(s) + 4) == u32::MAX).collect();
    assert_eq!(used.len(), n);
    let mut damages: Vec<(String, Vec<u8>)> = Vec::new();
    let mut damage = |what: String, f: &dyn Fn(&mut Vec<u8>)| {
        let mut b = bytes.clone();
        f(&mut b);
        assert_ne!(b, bytes, "{what} changes the file");
        damages.push((what, b));
    };
    for &s in &used {
        let at = slot_at(s);
        let idx = get(&bytes, at + 4);
        damage(format!("slot {s}: index {n} (the product count)"), &|b| set(b, at + 4, n as u32));
        damage(format!("slot {s}: index u32::MAX - 1"), &|b| set(b, at + 4, u32::MAX - 1));
        damage(format!("slot {s}: index of the next product"), &|b| set(b, at + 4, (idx + 1) % n as u32));
        damage(format!("slot {s}: fingerprint bit flipped"), &|b| set(b, at, get(&bytes, at) ^ 1 << 7));
        damage(format!("slot {s}: emptied"), &|b| {
            set(b, at, 0);
            set(b, at + 4, u32::MAX);
        });
    }
    for (&a, &b) in used.iter().zip(used.iter().skip(1)) {
        damage(format!("slots {a} and {b} swapped"), &|bb| {
            let (x, y) = (bytes[slot_at(a)..slot_at(a) + 8].to_vec(), bytes[slot_at(b)..slot_at(b) + 8].to_vec());
            bb[slot_at(a)..slot_at(a) + 8].copy_from_slice(&y);
            bb[slot_at(b)..slot_at(b) + 8].copy_from_slice(&x);
        });
        damage(format!("slots {a} and {b}: indices swapped"), &|bb| {
            set(bb, slot_at(a) + 4, get(&bytes, slot_at(b) + 4));
            set(bb, slot_at(b) + 4, get(&bytes, slot_at(a) + 4));
        });
    }
    for &s in free.iter().step_by(3) {
        let copy = used[s % n];
        damage(format!("free slot {s}: a copy of slot {copy}"), &|b| {
            let slot = bytes[slot_at(copy)..slot_at(copy) + 8].to_vec();
            b[slot_at(s)..slot_at(s) + 8].copy_from_slice(&slot);
        });
        // The product moved out of its slot into a free one: a lookup may stop at a free slot first.
        damage(format!("slot {copy} moved to free slot {s}"), &|b| {
            let slot = bytes[slot_at(copy)..slot_at(copy) + 8].to_vec();
            b[slot_at(s)..slot_at(s) + 8].copy_from_slice(&slot);
            set(b, slot_at(copy), 0);
            set(b, slot_at(copy) + 4, u32::MAX);
        });
    }
    let want = answers(&engine);
    let mut undetected = Vec::new();
    for (what, damaged) in &damages {
        assert_eq!(Engine::from_bytes(damaged).unwrap_err().code, ErrorCode::CorruptModel, "load: {what}");
        std::fs::write(&path, damaged).unwrap();
        match Engine::open(&path) {
            Err(e) => assert_eq!(e.code, ErrorCode::CorruptModel, "open: {what}: {e:?}"),
            // Harmless damage only (none of the above is: each loses or misplaces a product).
            Ok(opened) => {
                if answers(&opened) != want {
                    undetected.push(what.clone());
                }
            }
        }
    }
    assert!(
        undetected.is_empty(),
        "{} of {} damages open and answer wrongly: {undetected:#?}",
        undetected.len(),
        damages.len()
    );
}
