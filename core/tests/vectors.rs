//! Cross-language conformance vectors: every binding runs these same files and must answer identically, by the
//! one runner specification of tests/vectors/README.md (what is compared, how errors are checked, the numeric
//! precision, blessing). `CARTLIFT_BLESS=1 cargo test -p cartlift-core --test vectors` rewrites the expected
//! answers and errors of cases without a `note` (review the diff!); hand-checked cases are never rewritten.

use cartlift_core::{Engine, Operation};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Two numbers are equal when they differ by at most this (scores agree to 6 decimal places).
const NUMBER_TOLERANCE: f64 = 1e-6;

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

/// Blessing only with `CARTLIFT_BLESS=1` exactly: any other value is a typo, not consent to rewrite.
fn blessing() -> bool {
    std::env::var("CARTLIFT_BLESS").as_deref() == Ok("1")
}

/// The specification's equality: objects by key set, arrays in order, numbers within [`NUMBER_TOLERANCE`],
/// everything else exactly.
fn same(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Number(a), Value::Number(b)) => match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) => (x - y).abs() <= NUMBER_TOLERANCE,
            _ => a == b,
        },
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y)),
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(k, x)| b.get(k).is_some_and(|y| same(x, y)))
        }
        _ => expected == actual,
    }
}

/// Run one case; Ok(answer) or Err(error as JSON). A successful training answers null.
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

/// The checked part of an error: its code, and its field and line when it has them.
fn checked_error(error: &Value) -> Value {
    let mut out = serde_json::Map::new();
    for key in ["code", "field", "line"] {
        if let Some(v) = error.get(key).filter(|v| !v.is_null()) {
            out.insert(key.to_string(), v.clone());
        }
    }
    Value::Object(out)
}

/// Ok, or what differs. With blessing, a case without a `note` is rewritten instead.
fn check(case: &mut Value, actual: Result<Value, Value>, bless: bool) -> Result<(), String> {
    let outcome = match &actual {
        Ok(answer) => ("response", answer.clone()),
        Err(error) => ("error", checked_error(error)),
    };
    let expected = case.get(outcome.0).cloned();
    if expected.as_ref().is_some_and(|e| same(e, &outcome.1)) {
        return Ok(());
    }
    if bless && case.get("note").is_none() {
        let obj = case.as_object_mut().expect("a case is an object");
        obj.remove("response");
        obj.remove("error");
        obj.insert(outcome.0.to_string(), outcome.1);
        return Ok(());
    }
    let want = match (case.get("response"), case.get("error")) {
        (Some(r), _) => format!("answer {r}"),
        (None, Some(e)) => format!("error {e}"),
        (None, None) => "a response or an error in the case".to_string(),
    };
    Err(format!("expected {want}\n  got {} {}", outcome.0, outcome.1))
}

#[test]
/// Every vector against the trained engine, and against the same model saved and opened (mapped): the same
/// answers either way.
fn conformance_vectors() {
    let bless = blessing();
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
            let mut case = read(&case_path);
            let before = case.clone();
            let actual = run_case(&engine, &case);
            match check(&mut case, actual, bless) {
                Err(why) => failures.push(format!("{name}: {why}")),
                Ok(()) if case != before => {
                    std::fs::write(&case_path, serde_json::to_string_pretty(&case).unwrap() + "\n").unwrap()
                }
                Ok(()) => {}
            }
            if let Err(why) = check(&mut case.clone(), run_case(&opened, &case), false) {
                failures.push(format!("{name} (opened): {why}"));
            }
        }
    }
    assert!(ran > 0, "no conformance vectors found in {}", vectors_dir().display());
    assert!(failures.is_empty(), "{} of {ran} vectors failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn equality_follows_the_specification() {
    let v = |s: &str| serde_json::from_str::<Value>(s).unwrap();
    assert!(same(&v(r#"{"a":1,"b":[0.1234567,"x"]}"#), &v(r#"{"b":[0.1234571,"x"],"a":1}"#)));
    assert!(!same(&v("0.123456"), &v("0.123458")), "2e-6 apart is a difference");
    assert!(!same(&v("[1,2]"), &v("[2,1]")), "arrays are ordered");
    assert!(!same(&v(r#"{"a":1}"#), &v(r#"{"a":1,"b":null}"#)), "a key more is a difference, even a null");
    assert!(!same(&v(r#""1.00""#), &v("1")), "money strings are compared exactly");
}
