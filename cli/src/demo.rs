//! `cartlift demo`: the main job on the embedded sample store.

use crate::output;
use cartlift_core::{Engine, Error};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use std::path::Path;

fn section(title: &str) {
    println!("\n=== {title} ===");
}

/// Write the sample store as the files `cartlift train` reads, and say how to train on them.
pub fn export(dir: &Path) -> Result<(), Error> {
    let store = cartlift_lab::gen::demo_store();
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let file = |name: &str| dir.join(format!("{name}.jsonl"));
    output::write_jsonl(&file("products"), &store.products)?;
    output::write_jsonl(&file("orders"), &store.orders)?;
    output::write_jsonl(&file("rules"), &store.rules)?;
    output::write_jsonl(&file("bundles"), &store.bundles)?;
    let args: Vec<String> =
        ["products", "orders", "rules", "bundles"].iter().map(|n| format!("--{n} {}", file(n).display())).collect();
    println!(
        "wrote the demo store to {}: {} products, {} orders, {} merchandising rules, {} bundles",
        dir.display(),
        store.products.len(),
        store.orders.len(),
        store.rules.len(),
        store.bundles.len()
    );
    println!("train on it:\n  cartlift train {} --out {}", args.join(" "), dir.join("demo.cartlift").display());
    Ok(())
}

/// A typed request from the demo's JSON, which is known to be valid.
fn request<T: DeserializeOwned>(v: &Value) -> T {
    T::deserialize(v).expect("the demo's requests are valid")
}

pub fn run() -> Result<(), Error> {
    let store = cartlift_lab::gen::demo_store();
    let start = std::time::Instant::now();
    let engine = Engine::train(&store.train_request(), &cartlift_core::Silent)?;
    println!(
        "cartlift demo: a sample shop with {} products and {} orders (trained in {} ms)",
        engine.summary().products,
        engine.summary().orders,
        start.elapsed().as_millis()
    );

    let carts: &[(&str, Value)] = &[
        ("Product page: Aperture A2 Camera", json!({"cart": ["cam-a2"], "placement": "product_page"})),
        (
            "Cart: camera + 50mm lens",
            json!({"cart": [{"product_id": "cam-a2", "quantity": 1}, {"product_id": "lens-50", "quantity": 1}], "placement": "cart"}),
        ),
        (
            "Cart: espresso machine, shopper declined the grinder",
            json!({"cart": ["esp-plus"], "declined": ["grinder-burr"]}),
        ),
        ("Checkout: Notebook Pro 16 (small add-ons only)", json!({"cart": ["lp-16"], "placement": "checkout"})),
        (
            "Post-purchase email: road running shoes",
            json!({"cart": ["run-road"], "placement": "post_purchase", "limit": 3}),
        ),
        ("Mobile cart: noise-cancelling headphones", json!({"cart": ["hp-nc"], "device": "mobile"})),
        ("Cart with a product the model has not seen yet", json!({"cart": ["brand-new-sku", "beans-house"]})),
    ];
    for (title, req) in carts {
        section(title);
        let answer = engine.cross_sell(&request(req))?;
        print!("{}", output::cross_sell_table(&answer));
    }

    for product in ["cam-a1", "esp-basic", "sd-64"] {
        section(&format!("Upsell: shopper looks at {product}"));
        // The demo tiers sit just above the default 1.5x ceiling; a merchant may allow 2x per request.
        match engine.upsell(&request(&json!({"product_id": product, "max_price_ratio": 2.0}))) {
            Ok(answer) => print!("{}", output::upsell_table(&answer)),
            Err(e) => println!("  (upsell unavailable: {e})"),
        }
    }

    for (title, cart) in [
        (
            "Price: camera kit + 3 pairs of socks",
            json!([{"product_id": "cam-a2", "quantity": 1}, {"product_id": "lens-50", "quantity": 1}, {"product_id": "socks-run", "quantity": 3}]),
        ),
        ("Price: 2 pairs of socks (one more unlocks a deal)", json!([{"product_id": "socks-run", "quantity": 2}])),
    ] {
        section(title);
        match engine.price_cart(&request(&json!({"cart": cart}))) {
            Ok(answer) => print!("{}", output::price_table(&answer)),
            Err(e) => println!("  (pricing unavailable: {e})"),
        }
    }
    Ok(())
}
