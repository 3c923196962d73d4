//! Cross-language conformance vectors: every binding runs these same files and must answer identically.
//! `CARTLIFT_BLESS=1 cargo test -p cartlift-core --test vectors` rewrites expected responses (review the diff!).

use cartlift_core::{Engine, Operation};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn sorted_dir(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    v.sort();
    v
}

/// Run one case; Ok(actual) or Err(error as JSON).
fn run_case(engine: &Engine, case: &Value) -> Result<Value, Value> {
    let op = case["op"].as_str().expect("case has op");
    let request = case["request"].clone();
    let res = if op == "train" {
        Engine::train_value(request).map(|_| Value::Null)
    } else {
        engine.query(Operation::from_name(op).expect("known op"), request)
    };
    res.map_err(|e| serde_json::to_value(&e).unwrap())
}

/// One case against one engine; a failure is described in `failures` (`bless` rewrites the expected answer).
fn check_case(engine: &Engine, case_path: &Path, name: &str, bless: bool, failures: &mut Vec<String>) {
    let mut case = read(case_path);
    match (run_case(engine, &case), case.get("error").cloned()) {
        (Err(actual), Some(expected)) => {
            if actual["code"] != expected["code"]
                || (expected.get("field").is_some() && actual.get("field") != expected.get("field"))
            {
                failures.push(format!("{name}: expected error {expected}, got {actual}"));
            }
        }
        (Ok(_), Some(expected)) => failures.push(format!("{name}: expected error {expected}, got success")),
        (Err(actual), None) => failures.push(format!("{name}: unexpected error {actual}")),
        (Ok(actual), None) => {
            if bless {
                case["response"] = actual;
                std::fs::write(case_path, serde_json::to_string_pretty(&case).unwrap() + "\n").unwrap();
            } else if case.get("response") != Some(&actual) {
                failures.push(format!("{name}: answer differs\n  expected {}\n  actual   {actual}", case["response"]));
            }
        }
    }
}

/// Every vector against the trained engine, and against the same model saved and opened (mapped): the same
/// answers either way.
#[test]
fn conformance_vectors() {
    let bless = std::env::var("CARTLIFT_BLESS").is_ok();
    let dir = tempfile::tempdir().unwrap();
    let mut ran = 0;
    let mut failures = Vec::new();
    for store in sorted_dir(&vectors_dir()).into_iter().filter(|p| p.is_dir()) {
        let engine = Engine::train_value(read(&store.join("train.json")))
            .unwrap_or_else(|e| panic!("{}: training failed: {e}", store.display()));
        let file = dir.path().join("model.bin");
        engine.save(&file).unwrap();
        let opened = Engine::open(&file).unwrap_or_else(|e| panic!("{}: open failed: {e}", store.display()));
        assert!(opened.is_mapped() && !engine.is_mapped());
        for case_path in sorted_dir(&store.join("cases")) {
            let name = case_path.strip_prefix(vectors_dir()).unwrap().display().to_string();
            ran += 1;
            check_case(&engine, &case_path, &name, bless, &mut failures);
            check_case(&opened, &case_path, &format!("{name} (opened)"), false, &mut failures);
        }
    }
    assert!(ran > 0, "no conformance vectors found in {}", vectors_dir().display());
    assert!(failures.is_empty(), "{} of {ran} vectors failed:\n{}", failures.len(), failures.join("\n"));
}
