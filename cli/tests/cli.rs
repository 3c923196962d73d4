//! The `cartlift` command end to end, as a shop engineer would run it.

use std::path::Path;
use std::process::{Command, Output};

fn cartlift(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cartlift")).args(args).output().expect("cartlift runs")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn demo_shows_every_placement_with_reasons() {
    let text = ok(&cartlift(&["demo"]));
    for needle in [
        "Frequently bought together",
        "Product page",
        "Checkout",
        "Post-purchase",
        "Bought together with",
        "not in the model yet",
    ] {
        assert!(text.contains(needle), "demo output lacks {needle:?}:\n{text}");
    }
}

#[test]
fn demo_prices_have_headers_and_no_negative_zero() {
    let text = ok(&cartlift(&["demo"]));
    assert!(!text.contains("-0.00"), "a line without a discount shows -0.00:\n{text}");
    for header in ["unit price", "discount", "line total", "price"] {
        assert!(text.contains(header), "no {header:?} column header:\n{text}");
    }
}

#[test]
fn demo_export_writes_files_that_train() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("demo");
    let said = ok(&cartlift(&["demo", "--export", store.to_str().unwrap()]));
    assert!(said.contains("cartlift train --products"), "{said}");
    let file = |name: &str| store.join(name).to_str().unwrap().to_string();
    let model = file("demo.cartlift");
    let train = cartlift(&[
        "train",
        "--products",
        &file("products.jsonl"),
        "--orders",
        &file("orders.jsonl"),
        "--rules",
        &file("rules.jsonl"),
        "--bundles",
        &file("bundles.jsonl"),
        "--out",
        &model,
    ]);
    ok(&train);
    let summary = String::from_utf8_lossy(&train.stderr);
    assert!(summary.contains("(0 skipped)") && !summary.contains("currency:"), "{summary}");
    // The same answer as the demo gives from the store inside the binary.
    let table = ok(&cartlift(&["recommend", "--model", &model, "--cart", "cam-a2", "--placement", "product_page"]));
    let demo = ok(&cartlift(&["demo"]));
    assert!(table.contains("(sd-128)") && demo.contains(&table), "{table}\nis not in the demo's answers:\n{demo}");
    let priced = ok(&cartlift(&["price", "--model", &model, "--cart", "socks-run:3", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(&priced).unwrap();
    assert!(!v["applied"].as_array().unwrap().is_empty(), "the exported bundles apply: {priced}");
}

#[test]
fn train_adopts_the_orders_currency_for_a_shopify_product_csv() {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/shopify/");
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m.cartlift");
    let r = cartlift(&[
        "train",
        "--products",
        &format!("{data}products_export_packt_liquid_book_2021.csv"),
        "--orders",
        &format!("{data}orders_export_kidsliving_zar_2021_redacted.csv"),
        "--out",
        model.to_str().unwrap(),
    ]);
    ok(&r);
    let summary = String::from_utf8_lossy(&r.stderr);
    assert!(summary.contains("currency: ZAR, taken from the orders"), "{summary}");
}

#[test]
fn gen_train_recommend_batch() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let store = d.join("store");
    ok(&cartlift(&["gen", "--products", "200", "--orders", "3000", "--seed", "3", "--out", store.to_str().unwrap()]));
    let model = d.join("m.cartlift");
    let train = cartlift(&[
        "train",
        "--products",
        store.join("products.jsonl").to_str().unwrap(),
        "--orders",
        store.join("orders.jsonl").to_str().unwrap(),
        "--out",
        model.to_str().unwrap(),
    ]);
    ok(&train);
    let summary = String::from_utf8_lossy(&train.stderr);
    assert!(summary.contains("3000 orders") && summary.contains("phases:"), "{summary}");
    // Quiet in pipes: no progress bar escape codes.
    assert!(!summary.contains('\u{1b}'), "progress bar drawn into a pipe");

    let json = ok(&cartlift(&[
        "recommend",
        "--model",
        model.to_str().unwrap(),
        "--cart",
        "P000001:2,P000005",
        "--format",
        "json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let recs = v["recommendations"].as_array().unwrap();
    assert!(!recs.is_empty());
    assert!(recs.iter().all(|r| r["product_id"] != "P000001" && r["product_id"] != "P000005"));
    assert!(v["heading"].is_string() && recs[0]["reasons"][0]["code"].is_string());

    let table = ok(&cartlift(&["recommend", "--model", model.to_str().unwrap(), "--cart", "P000001", "--limit", "2"]));
    assert!(table.contains(" 1. ") && !table.contains(" 3. "), "{table}");

    let batch = d.join("batch.jsonl");
    std::fs::write(
        &batch,
        "{\"cart\":[\"P000001\"],\"limit\":2}\n\n{\"cart\":[\"P000002\"],\"placement\":\"post_purchase\"}\n\
         {\"cart\":[{\"product_id\":\"P000001\",\"quantity\":2},{\"product_id\":\"P000005\",\"quantity\":1}]}\n",
    )
    .unwrap();
    let lines = ok(&cartlift(&["recommend", "--model", model.to_str().unwrap(), "--batch", batch.to_str().unwrap()]));
    let answers: Vec<serde_json::Value> = lines.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(answers.len(), 3);
    // One cart's JSON is the batch line for the same request, byte for byte (schema field order).
    assert_eq!(lines.lines().nth(2), Some(json.trim_end()));
    assert_eq!(answers[0]["recommendations"].as_array().unwrap().len(), 2);
    assert_eq!(answers[1]["placement"], "post_purchase");

    std::fs::write(&batch, "{\"cart\":[\"P000001\"]}\n{\"cart\":[{\"product_id\":\"P000001\",\"quantity\":-2}]}\n")
        .unwrap();
    let bad = cartlift(&["recommend", "--model", model.to_str().unwrap(), "--batch", batch.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("line 2") && err.contains("cart[0].quantity"), "{err}");
}

#[test]
fn bad_input_names_file_line_and_field_and_skip_invalid_reports() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("products.jsonl");
    std::fs::write(&p, "{\"id\":\"a\",\"price\":\"1.00\"}\n{\"id\":\"b\",\"price\":1.5}\n").unwrap();
    let o = dir.path().join("orders.csv");
    std::fs::write(
        &o,
        "order_id,customer_id,created_at,product_id,quantity,price\n1,c,2025-01-01T00:00:00Z,a,1,1.00\n",
    )
    .unwrap();
    let out = dir.path().join("m");
    let args =
        ["train", "--products", p.to_str().unwrap(), "--orders", o.to_str().unwrap(), "--out", out.to_str().unwrap()];
    let r = cartlift(&args);
    assert_eq!(r.status.code(), Some(2));
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(err.contains("products.jsonl:line 2: price") && err.contains("decimal string"), "{err}");
    assert!(!Path::new(&out).exists(), "no model written on failure");

    let mut skip = args.to_vec();
    skip.push("--skip-invalid");
    let r = cartlift(&skip);
    ok(&r);
    let summary = String::from_utf8_lossy(&r.stderr);
    assert!(summary.contains("1 skipped") && summary.contains("products.jsonl:line 2: price"), "{summary}");
}

#[test]
fn corrupt_model_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("broken.cartlift");
    std::fs::write(&m, b"CARTLIFT\x02\x00\x00\x00garbage").unwrap();
    let r = cartlift(&["recommend", "--model", m.to_str().unwrap(), "--cart", "a"]);
    assert_eq!(r.status.code(), Some(1));
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(err.contains("corrupt_model") && err.contains("broken.cartlift"), "{err}");
}

#[test]
fn kill_9_during_save_leaves_a_whole_model() {
    // Train over an existing model and kill -9 the process as soon as its temporary file appears or the model
    // file changes (the save is under way). Whether the kill lands before or after the rename, the file at the path is a whole model: the
    // previous one or the new one. Nothing is timed: any interleaving must pass.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let store = d.join("store");
    ok(&cartlift(&["gen", "--products", "2000", "--orders", "40000", "--seed", "5", "--out", store.to_str().unwrap()]));
    let (products, orders) = (store.join("products.jsonl"), store.join("orders.jsonl"));
    let model = d.join("model.cartlift");
    let train = ["train", "--products", products.to_str().unwrap(), "--orders", orders.to_str().unwrap()];
    let train: Vec<&str> = train.iter().copied().chain(["--out", model.to_str().unwrap()]).collect();
    ok(&cartlift(&train));
    let saving = || {
        std::fs::read_dir(d)
            .unwrap()
            .any(|e| e.unwrap().file_name().to_string_lossy().starts_with("model.cartlift.tmp-"))
    };
    // The model file as it stands: a save that wrote over it in place (no temporary file) changes this, and is
    // killed as soon as it starts, so the test fails for it too.
    let stamp = || {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(&model).unwrap();
        (m.ino(), m.len(), m.mtime(), m.mtime_nsec())
    };
    for _ in 0..3 {
        let before = stamp();
        let mut child = Command::new(env!("CARGO_BIN_EXE_cartlift"))
            .args(&train)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        while !saving() && stamp() == before && child.try_wait().unwrap().is_none() {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        child.kill().unwrap_or(()); // SIGKILL; the process may already have ended
        child.wait().unwrap();
        let info = ok(&cartlift(&["info", "--model", model.to_str().unwrap()]));
        assert!(info.contains("products"), "{info}");
        for e in std::fs::read_dir(d).unwrap() {
            let path = e.unwrap().path();
            if path.file_name().unwrap().to_string_lossy().starts_with("model.cartlift.tmp-") {
                std::fs::remove_file(path).unwrap();
            }
        }
    }
}
