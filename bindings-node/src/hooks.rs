//! Test and bench hooks, compiled only with the `test-hooks` feature (tests/node/run.sh builds with it).

use super::{guarded, js_error, run, NativeEngine};
use cartlift_core::{Error as CoreError, Operation};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use std::result::Result;

/// Benchmark hook: run one query `iterations` times inside Rust and report mean nanoseconds per call, so
/// bench/node_bench.js compares pure Rust with the call through Node for the very same request:
/// `typed` (cross_sell only: request parsed once, the Rust API), `value` (`Engine::query`), `json` (`query_json`).
#[napi(js_name = "__benchQuery", catch_unwind)]
pub fn bench_query(
    env: Env,
    engine: &NativeEngine,
    op: String,
    request: String,
    iterations: u32,
) -> napi::Result<serde_json::Value> {
    use std::hint::black_box;
    use std::time::Instant;
    run(&env, || {
        let e = &engine.inner;
        let op = Operation::from_name(&op)?;
        let value: serde_json::Value = serde_json::from_str(&request)?;
        let n = iterations.max(1);
        let per_call = |start: Instant| start.elapsed().as_nanos() as f64 / n as f64;
        let mut out = serde_json::Map::new();
        if op == Operation::CrossSell {
            let typed: cartlift_core::CrossSellRequest = serde_json::from_value(value.clone())?;
            let start = Instant::now();
            for _ in 0..n {
                black_box(e.cross_sell(black_box(&typed))?);
            }
            out.insert("typed_ns".into(), per_call(start).into());
        }
        let start = Instant::now();
        for _ in 0..n {
            black_box(e.query(op, black_box(value.clone()))?);
        }
        out.insert("value_ns".into(), per_call(start).into());
        let start = Instant::now();
        for _ in 0..n {
            black_box(e.query_json(op, black_box(&request))?);
        }
        out.insert("json_ns".into(), per_call(start).into());
        Ok(serde_json::Value::Object(out))
    })
}

/// Test hook proving panics never cross the boundary: `"guarded"` panics inside core-style code,
/// `"export"` panics directly in the export body (caught by the `catch_unwind` attribute),
/// `"async"` panics on the thread pool (rejects the promise).
#[napi(js_name = "__testPanic", catch_unwind, ts_return_type = "unknown")]
pub fn test_panic(env: Env, place: String) -> napi::Result<Option<AsyncTask<PanicTask>>> {
    match place.as_str() {
        "guarded" => run(&env, || -> Result<(), CoreError> { panic!("test panic (guarded)") }).map(|_| None),
        "export" => panic!("test panic (export)"),
        _ => Ok(Some(AsyncTask::new(PanicTask))),
    }
}

#[doc(hidden)]
pub struct PanicTask;

impl Task for PanicTask {
    type Output = Result<(), CoreError>;
    type JsValue = ();

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(guarded(|| panic!("test panic (async)")))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<()> {
        output.map_err(|e| js_error(&env, &e))
    }
}
