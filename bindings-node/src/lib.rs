//! Node addon for cartlift. Deliberately thin: requests and answers cross the boundary as JSON text
//! (`index.js` does `JSON.stringify`/`JSON.parse`, which V8 does faster than walking objects through N-API and
//! which keeps integers up to 2^53 exact and skips `undefined` like every JS developer expects), errors become JS
//! `Error`s carrying the core's stable `code`, `field`, `line` and `file`, and no panic escapes an export.

use cartlift_core::{Engine, Error as CoreError, ErrorCode, Operation};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::result::Result;

/// Allocations made by cartlift itself go through mimalloc: pricing a cart makes a few hundred small ones, and
/// the system allocator was a fifth of its time (BENCHMARKS.md). The host's own allocator is untouched.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `__benchQuery` and `__testPanic`: only in builds with the `test-hooks` feature (the test and bench builds,
/// tests/node/run.sh); a release build for users does not export them.
#[cfg(feature = "test-hooks")]
mod hooks;

/// Run core code, turning a panic into an `internal` error (the `catch_unwind` attribute on each export is the
/// second net, for panics in argument conversion).
fn guarded<T>(f: impl FnOnce() -> Result<T, CoreError>) -> Result<T, CoreError> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        Err(CoreError::new(ErrorCode::Internal, format!("internal error (please report): {what}")))
    })
}

/// A JS `Error` with `code`, and `field`/`line`/`file` when the core knows them.
fn js_error(env: &Env, e: &CoreError) -> napi::Error {
    build_js_error(env, e).unwrap_or_else(|_| napi::Error::new(Status::GenericFailure, format!("{}: {e}", e.code)))
}

fn build_js_error(env: &Env, e: &CoreError) -> napi::Result<napi::Error> {
    let unknown = JsError::from(napi::Error::new(e.code.as_str(), e.to_string())).into_unknown(*env);
    let mut obj: Object = unsafe { unknown.cast()? };
    if let Some(field) = &e.field {
        obj.set("field", field.as_str())?;
    }
    if let Some(line) = e.line {
        obj.set("line", line as f64)?;
    }
    if let Some(file) = &e.file {
        obj.set("file", file.as_str())?;
    }
    Ok(napi::Error::from(obj.to_unknown()))
}

fn run<T>(env: &Env, f: impl FnOnce() -> Result<T, CoreError>) -> napi::Result<T> {
    guarded(f).map_err(|e| js_error(env, &e))
}

/// A trained engine (immutable; share it freely, `updateProducts` returns a new one).
#[napi]
pub struct NativeEngine {
    inner: Engine,
}

/// Training off the main thread: the event loop keeps serving requests meanwhile.
pub struct TrainTask {
    request: String,
}

impl Task for TrainTask {
    type Output = Result<Engine, CoreError>;
    type JsValue = NativeEngine;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let request = std::mem::take(&mut self.request);
        Ok(guarded(|| Engine::train_json(&request)))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<NativeEngine> {
        output.map(|inner| NativeEngine { inner }).map_err(|e| js_error(&env, &e))
    }
}

#[napi]
impl NativeEngine {
    /// Train from a JSON train request, blocking the calling thread.
    #[napi(factory, catch_unwind)]
    pub fn train_sync(env: Env, request: String) -> napi::Result<NativeEngine> {
        run(&env, || Engine::train_json(&request)).map(|inner| NativeEngine { inner })
    }

    /// Train from a JSON train request on the libuv thread pool.
    #[napi(catch_unwind, ts_return_type = "Promise<NativeEngine>")]
    pub fn train(request: String) -> AsyncTask<TrainTask> {
        AsyncTask::new(TrainTask { request })
    }

    #[napi(factory, catch_unwind)]
    pub fn load(env: Env, path: String) -> napi::Result<NativeEngine> {
        run(&env, || Engine::load(&path)).map(|inner| NativeEngine { inner })
    }

    /// Map a model file read-only and answer from the map (workers that open one file share its memory).
    #[napi(factory, catch_unwind)]
    pub fn open(env: Env, path: String) -> napi::Result<NativeEngine> {
        run(&env, || Engine::open(&path)).map(|inner| NativeEngine { inner })
    }

    #[napi(factory, catch_unwind)]
    pub fn from_buffer(env: Env, buf: Buffer) -> napi::Result<NativeEngine> {
        run(&env, || Engine::from_bytes(&buf)).map(|inner| NativeEngine { inner })
    }

    #[napi(catch_unwind)]
    pub fn save(&self, env: Env, path: String) -> napi::Result<()> {
        run(&env, || self.inner.save(&path))
    }

    #[napi(catch_unwind)]
    pub fn to_buffer(&self, env: Env) -> napi::Result<Buffer> {
        run(&env, || Ok(self.inner.to_bytes())).map(Buffer::from)
    }

    /// Run a query operation (`cross_sell`, `price_cart`, ...) on a JSON request; answers JSON text.
    #[napi(catch_unwind)]
    pub fn query(&self, env: Env, op: String, request: String) -> napi::Result<String> {
        run(&env, || self.inner.query_json(Operation::from_name(&op)?, &request))
    }

    /// Apply product updates (JSON array or one object); returns a new engine.
    #[napi(catch_unwind)]
    pub fn update_products(&self, env: Env, updates: String) -> napi::Result<NativeEngine> {
        run(&env, || {
            let v: serde_json::Value = serde_json::from_str(&updates)?;
            self.inner.update_products_value(v)
        })
        .map(|inner| NativeEngine { inner })
    }

    /// What training read and how long it took, as JSON text.
    #[napi(catch_unwind)]
    pub fn stats(&self, env: Env) -> napi::Result<String> {
        run(&env, || {
            serde_json::to_string(self.inner.stats()).map_err(|e| CoreError::new(ErrorCode::Internal, e.to_string()))
        })
    }
}

/// The cartlift core version.
#[napi(catch_unwind)]
pub fn version() -> String {
    cartlift_core::VERSION.to_string()
}

/// Every stable error code, in numeric order.
#[napi(catch_unwind)]
pub fn error_codes() -> Vec<String> {
    ErrorCode::ALL.iter().map(|c| c.as_str().to_string()).collect()
}

/// Names of the query operations (snake_case, as in the JSON schema and the vectors).
#[napi(catch_unwind)]
pub fn operations() -> Vec<String> {
    Operation::ALL.iter().map(|o| o.name().to_string()).collect()
}
