//! The report's statistics agree with scipy/statsmodels to 1e-9 (fixtures from tests/measure/make_fixtures.py).

use cartlift_core::lab::stats;
use serde_json::Value;

fn fixtures() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/measure/fixtures.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixtures exist")).expect("fixtures parse")
}

fn f(v: &Value) -> f64 {
    v.as_f64().expect("number")
}

#[track_caller]
fn agree(what: &str, got: f64, want: f64) {
    let tol = 1e-9 * want.abs().max(1.0);
    assert!((got - want).abs() <= tol, "{what}: got {got:e}, scipy says {want:e}");
}

#[test]
fn welch_matches_scipy() {
    let fx = fixtures();
    for (i, c) in fx["welch"].as_array().unwrap().iter().enumerate() {
        let a: Vec<f64> = c["a"].as_array().unwrap().iter().map(f).collect();
        let b: Vec<f64> = c["b"].as_array().unwrap().iter().map(f).collect();
        let d = stats::welch(&a, &b).expect("computable");
        agree(&format!("welch[{i}].t"), d.statistic, f(&c["t"]));
        agree(&format!("welch[{i}].df"), d.df.unwrap(), f(&c["df"]));
        agree(&format!("welch[{i}].p"), d.p_value, f(&c["p_value"]));
        agree(&format!("welch[{i}].ci_low"), d.ci_low, f(&c["ci_low"]));
        agree(&format!("welch[{i}].ci_high"), d.ci_high, f(&c["ci_high"]));
    }
}

#[test]
fn two_proportion_matches_statsmodels() {
    let fx = fixtures();
    for (i, c) in fx["ztest"].as_array().unwrap().iter().enumerate() {
        let u = |k: &str| c[k].as_u64().unwrap();
        let d = stats::two_proportion(u("x1"), u("n1"), u("x2"), u("n2")).unwrap();
        agree(&format!("z[{i}].z"), d.statistic, f(&c["z"]));
        agree(&format!("z[{i}].p"), d.p_value, f(&c["p_value"]));
        agree(&format!("z[{i}].ci_low"), d.ci_low, f(&c["ci_low"]));
        agree(&format!("z[{i}].ci_high"), d.ci_high, f(&c["ci_high"]));
    }
}

#[test]
fn wilson_matches_statsmodels() {
    let fx = fixtures();
    for (i, c) in fx["wilson"].as_array().unwrap().iter().enumerate() {
        let (lo, hi) = stats::wilson(c["x"].as_u64().unwrap(), c["n"].as_u64().unwrap()).unwrap();
        agree(&format!("wilson[{i}].low"), lo, f(&c["low"]));
        agree(&format!("wilson[{i}].high"), hi, f(&c["high"]));
    }
}

#[test]
fn distributions_match_scipy() {
    let fx = fixtures();
    for (i, c) in fx["norm"].as_array().unwrap().iter().enumerate() {
        if let Some(x) = c["x"].as_f64() {
            agree(&format!("norm[{i}].cdf"), stats::norm_cdf(x), f(&c["cdf"]));
            agree(&format!("norm[{i}].sf"), stats::norm_sf(x), f(&c["sf"]));
            // Tails are checked relatively too: p-values live there.
            assert!((stats::norm_sf(x) / f(&c["sf"]) - 1.0).abs() < 1e-9, "norm[{i}].sf relative");
        } else {
            agree(&format!("norm[{i}].ppf"), stats::norm_ppf(f(&c["p"])), f(&c["ppf"]));
        }
    }
    for (i, c) in fx["t"].as_array().unwrap().iter().enumerate() {
        let df = f(&c["df"]);
        if let Some(x) = c["x"].as_f64() {
            agree(&format!("t[{i}].sf"), stats::t_sf(x, df), f(&c["sf"]));
            agree(&format!("t[{i}].cdf"), stats::t_cdf(x, df), f(&c["cdf"]));
            assert!((stats::t_sf(x, df) / f(&c["sf"]) - 1.0).abs() < 1e-9, "t[{i}].sf relative");
        } else {
            agree(&format!("t[{i}].ppf"), stats::t_ppf(f(&c["p"]), df), f(&c["ppf"]));
        }
    }
}

#[test]
fn sample_size_matches_scipy() {
    let fx = fixtures();
    for (i, c) in fx["sample_size"].as_array().unwrap().iter().enumerate() {
        let n = stats::sample_size(f(&c["sd_a"]), f(&c["sd_b"]), f(&c["delta"])).unwrap();
        agree(&format!("sample_size[{i}]"), n, f(&c["n"]));
    }
}
