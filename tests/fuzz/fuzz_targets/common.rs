//! What every target shares: one trained demo engine, and every operation run on an engine.
// Each target includes this file and uses part of it.
#![allow(dead_code)]

use cartlift_lab::gen::demo_store;
use cartlift_core::Silent;
use cartlift_core::{Engine, Operation};
use std::sync::OnceLock;

/// Every operation, in the order the first byte of an input picks them (tests/fuzz/seeds.py lists the same).
pub const OPERATIONS: [Operation; 8] = Operation::ALL;

pub fn demo() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::train(&demo_store().train_request(), &Silent).expect("the demo trains"))
}

/// A fixed request per operation, naming the demo's products: what a damaged model is asked.
pub fn exercise(engine: &Engine) {
    let cart = serde_json::json!([{"product_id": "cam-a2", "quantity": 2}, {"product_id": "lens-50"}]);
    for op in OPERATIONS {
        let req = serde_json::json!({"cart": cart, "product_id": "cam-a2", "customer_id": "C1", "limit": 8});
        let _ = engine.query(op, req);
    }
}
