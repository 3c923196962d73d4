//! Model files opened with `Engine::open` (a read-only map, answered from in place): the same answers as `load`,
//! damaged or truncated files refused with `corrupt_model`, and a file replaced by rename while an engine has it
//! open.

use cartlift_core::progress::Silent;
use cartlift_core::{Engine, ErrorCode, Operation};
use cartlift_lab::gen::demo_store;
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
    // A table damaged in place: `load` checksums the tables, `open` does not read them all.
    let mut table = bytes.clone();
    table[cartlift_core::MODEL_HEADER_LEN + 3] ^= 0x41;
    assert_eq!(Engine::from_bytes(&table).unwrap_err().code, ErrorCode::CorruptModel);
    let err = Engine::open(dir.path().join("absent.bin")).unwrap_err();
    assert_eq!(err.code, ErrorCode::Io);
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
