//! `cartlift gen --events`, `cartlift assign` and `cartlift report` end to end.

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
fn simulate_assign_and_report() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = |p: &std::path::Path| p.to_str().unwrap().to_string();
    let store = d.join("store");
    let exps = d.join("exps.jsonl");
    ok(&cartlift(&[
        "gen",
        "--products",
        "200",
        "--orders",
        "3000",
        "--seed",
        "5",
        "--out",
        &s(&store),
        "--events",
        "20000",
        "--lift",
        "12",
        "--experiments-out",
        &s(&exps),
    ]));
    let events = store.join("events.jsonl");
    assert!(events.exists());

    // assign: one variant per visitor, in order, equal to what the report used (the events' impressions say "on").
    let visitors = d.join("visitors.txt");
    std::fs::write(&visitors, "V0000001\nV0000002\n\nV0000003\n").unwrap();
    let out =
        ok(&cartlift(&["assign", "--experiments", &s(&exps), "--experiment", "recs", "--visitors", &s(&visitors)]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines.iter().all(|l| *l == "on" || *l == "off"));
    let one = ok(&cartlift(&["assign", "--experiments", &s(&exps), "--experiment", "recs", "--visitor", "V0000002"]));
    assert_eq!(one.trim(), lines[1]);
    let bad = cartlift(&["assign", "--experiments", &s(&exps), "--experiment", "nope", "--visitor", "x"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown_experiment"));

    let json: serde_json::Value = serde_json::from_str(&ok(&cartlift(&[
        "report",
        "--experiments",
        &s(&exps),
        "--events",
        &s(&events),
        "--format",
        "json",
    ])))
    .unwrap();
    let on = json["experiments"][0]["variants"].as_array().unwrap().iter().find(|v| v["variant"] == "on").unwrap();
    for k in ["variant", "visitors", "orders", "conversion_rate", "aov", "revenue_per_visitor", "attachment_rate"] {
        assert!(on.get(k).is_some(), "{k} missing");
    }
    let lift = &on["aov_lift"];
    for k in ["estimate", "ci_low", "ci_high", "p_value"] {
        assert!(lift[k].is_f64(), "aov_lift.{k}");
    }
    assert!(on["aov"].is_string(), "money is a decimal string");
    assert!(lift["relative_ci_low"].as_f64().unwrap() <= 0.12 && 0.12 <= lift["relative_ci_high"].as_f64().unwrap());

    let table = ok(&cartlift(&["report", "--experiments", &s(&exps), "--events", &s(&events)]));
    assert!(table.contains("AOV lift"), "{table}");
    let html_path = d.join("r.html");
    ok(&cartlift(&[
        "report",
        "--experiments",
        &s(&exps),
        "--events",
        &s(&events),
        "--format",
        "html",
        "--out",
        &s(&html_path),
    ]));
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(
        html.starts_with("<!DOCTYPE html>")
            && html.contains("<svg")
            && !html.contains("<script")
            && !html.contains("http://www.w3.org/1999")
    );
    assert!(html.contains("Average order value") && html.contains("Attachment rate"));

    // A line that is not JSON is a counted malformed event, not a crash or a silent drop.
    let mut text = std::fs::read_to_string(&events).unwrap();
    text.push_str("{not json\n");
    std::fs::write(&events, text).unwrap();
    let json: serde_json::Value = serde_json::from_str(&ok(&cartlift(&[
        "report",
        "--experiments",
        &s(&exps),
        "--events",
        &s(&events),
        "--format",
        "json",
    ])))
    .unwrap();
    assert_eq!(json["events"]["malformed"], 1);
    assert!(json["events"]["malformed_examples"][0]["message"].as_str().unwrap().starts_with("not JSON"));
}
