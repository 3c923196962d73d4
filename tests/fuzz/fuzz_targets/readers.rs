//! Every reader, from a file as a shop hands it over: the first byte picks what the rest is (products or
//! orders in any detected format: JSON Lines, JSON, generic or Shopify CSV; rules, bundles, experiments or
//! events next to the demo catalog).
#![no_main]

#[path = "common.rs"]
mod common;

use cartlift_lab::gen::demo_store;
use cartlift_core::{load_orders, load_products, LoadOptions, Source};
use cartlift_core::Currency;
use cartlift_core::Silent;
use cartlift_core::{Engine, TrainRequest};
use libfuzzer_sys::fuzz_target;

/// The demo's products and bundles with its first 100 orders: training on it is quick.
fn small_demo() -> TrainRequest {
    let mut req = demo_store().train_request();
    if let Some(Source::Records(orders)) = &mut req.orders {
        orders.truncate(100);
    }
    req
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, text)) = data.split_first() else { return };
    let path = std::env::temp_dir().join(format!("cartlift-fuzz-{}", std::process::id()));
    std::fs::write(&path, text).expect("temp file");
    let source = Source::Path(path.display().to_string());
    let skip = pick & 0x80 != 0;
    let opts = LoadOptions { skip_invalid: skip, currency: Currency::USD };
    match pick % 6 {
        0 => drop(load_products(&source, &opts)),
        1 => drop(load_orders(&source, Currency::USD, &opts)),
        kind => {
            let mut req = small_demo();
            req.skip_invalid = skip;
            match kind {
                2 => req.rules = Some(source),
                3 => req.bundles = Some(source),
                4 => req.experiments = Some(source),
                _ => req.events = Some(source),
            }
            if let Ok(engine) = Engine::train(&req, &Silent) {
                common::exercise(&engine);
            }
        }
    }
});
