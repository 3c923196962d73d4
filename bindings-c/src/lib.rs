//! C ABI for cartlift: opaque handles, status codes, JSON requests and answers.
//!
//! Conventions (see bindings-c/README.md): every fallible call returns a `cartlift_status` and, when `err` is
//! not NULL, writes an error object on failure (NULL on success) that the caller frees with
//! `cartlift_error_free`. Out-parameters are set to NULL first. Strings are NUL-terminated UTF-8.
//! Every string or byte buffer the library hands out is freed with `cartlift_string_free`/`cartlift_bytes_free`.
//! An engine is immutable: one engine may be queried from many threads at once.
#![allow(non_camel_case_types, clippy::missing_safety_doc)]

mod guard;
mod status;

pub use status::*;

use cartlift_core::{Engine, Error, ErrorCode, Operation};
use guard::{arg_ref, arg_str, guard, guard_value, out_ptr, Fail};
use std::ffi::{c_char, CString};
use std::ptr;
use std::sync::OnceLock;

/// Allocations made by cartlift itself go through mimalloc: pricing a cart makes a few hundred small ones, and
/// the system allocator was a fifth of its time (BENCHMARKS.md). The host's own allocator is untouched.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A trained engine: immutable and safe to query from many threads at once. Create: cartlift_engine_train,
/// cartlift_engine_load, cartlift_engine_open, cartlift_engine_load_bytes, cartlift_update_products. Free: cartlift_engine_free.
pub struct cartlift_engine {
    engine: Engine,
}

fn new_engine(engine: Engine) -> *mut cartlift_engine {
    Box::into_raw(Box::new(cartlift_engine { engine }))
}

/// Train an engine from a JSON train request:
/// `{"products": PATH or [..], "orders": PATH or [..], "rules": .., "bundles": .., "config": {..}}`
/// (`TrainRequest` in include/cartlift.schema.json).
/// On success `*out` is a new engine to free with cartlift_engine_free.
#[no_mangle]
pub unsafe extern "C" fn cartlift_engine_train(
    request_json: *const c_char,
    out: *mut *mut cartlift_engine,
    err: *mut *mut cartlift_error,
) -> cartlift_status {
    guard(err, || {
        let out = out_ptr(out, "out")?;
        let request = arg_str(request_json, "request_json")?;
        *out = new_engine(Engine::train_json(request)?);
        Ok(())
    })
}

/// Load an engine from a model file written by cartlift_engine_save.
#[no_mangle]
pub unsafe extern "C" fn cartlift_engine_load(
    path: *const c_char,
    out: *mut *mut cartlift_engine,
    err: *mut *mut cartlift_error,
) -> cartlift_status {
    guard(err, || {
        let out = out_ptr(out, "out")?;
        let path = arg_str(path, "path")?;
        *out = new_engine(Engine::load(path)?);
        Ok(())
    })
}

/// Map a model file written by cartlift_engine_save read-only and answer from the map: fast, and processes
/// that open one file share its memory. Replace the file by rename (as cartlift_engine_save does), never in
/// place: an open engine keeps answering from the old file until it is opened again.
#[no_mangle]
pub unsafe extern "C" fn cartlift_engine_open(
    path: *const c_char,
    out: *mut *mut cartlift_engine,
    err: *mut *mut cartlift_error,
) -> cartlift_status {
    guard(err, || {
        let out = out_ptr(out, "out")?;
        let path = arg_str(path, "path")?;
        *out = new_engine(Engine::open(path)?);
        Ok(())
    })
}

/// Load an engine from `len` bytes written by cartlift_engine_to_bytes (the bytes are copied; the caller
/// keeps ownership of `data`).
#[no_mangle]
pub unsafe extern "C" fn cartlift_engine_load_bytes(
    data: *const u8,
    len: usize,
    out: *mut *mut cartlift_engine,
    err: *mut *mut cartlift_error,
) -> cartlift_status {
    guard(err, || {
        let out = out_ptr(out, "out")?;
        if data.is_null() {
            return Err(Fail::Null("data"));
        }
        let bytes = std::slice::from_raw_parts(data, len);
        *out = new_engine(Engine::from_bytes(bytes)?);
        Ok(())
    })
}

/// Save the engine to a model file, atomically (a temporary file beside it, then a rename).
#[no_mangle]
pub unsafe extern "C" fn cartlift_engine_save(
    engine: *const cartlift_engine,
    path: *const c_char,
    err: *mut *mut cartlift_error,
) -> cartlift_status {
    guard(err, || {
        let engine = arg_ref(engine, "engine")?;
        let path = arg_str(path, "path")?;
        engine.engine.save(path)?;
        Ok(())
    })
}

/// The engine as model bytes (for caches and shared memory). On success `*data`/`*len` hold a buffer to free
/// with cartlift_bytes_free(data, len).
#[no_mangle]
pub unsafe extern "C" fn cartlift_engine_to_bytes(
    engine: *const cartlift_engine,
    data: *mut *mut u8,
    len: *mut usize,
    err: *mut *mut cartlift_error,
) -> cartlift_status {
    guard(err, || {
        let data = out_ptr(data, "data")?;
        let len = len.as_mut().ok_or(Fail::Null("len"))?;
        *len = 0;
        let engine = arg_ref(engine, "engine")?;
        let bytes = engine.engine.to_bytes().into_boxed_slice();
        *len = bytes.len();
        *data = Box::into_raw(bytes) as *mut u8;
        Ok(())
    })
}

/// Free a buffer from cartlift_engine_to_bytes; `len` must be the length it returned. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn cartlift_bytes_free(data: *mut u8, len: usize) {
    guard_value((), || {
        if !data.is_null() {
            drop(Box::from_raw(ptr::slice_from_raw_parts_mut(data, len)));
        }
    })
}

/// Free an engine. NULL is a no-op. Call once, after every thread using it is done.
#[no_mangle]
pub unsafe extern "C" fn cartlift_engine_free(engine: *mut cartlift_engine) {
    guard_value((), || {
        if !engine.is_null() {
            drop(Box::from_raw(engine));
        }
    })
}

/// Free a string the library handed out (a JSON answer). NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn cartlift_string_free(s: *mut c_char) {
    guard_value((), || {
        if !s.is_null() {
            drop(CString::from_raw(s));
        }
    })
}

/// The library version ("0.1.0"); a static string, never freed.
#[no_mangle]
pub extern "C" fn cartlift_version() -> *const c_char {
    static VERSION: OnceLock<CString> = OnceLock::new();
    guard_value(ptr::null(), || VERSION.get_or_init(|| guard::cstring_lossy(cartlift_core::VERSION)).as_ptr())
}

fn answer(json: String) -> Result<*mut c_char, Fail> {
    CString::new(json)
        .map(CString::into_raw)
        .map_err(|_| Fail::Core(Error::new(ErrorCode::Internal, "answer JSON holds a NUL byte")))
}

unsafe fn query(
    op: Operation,
    engine: *const cartlift_engine,
    request_json: *const c_char,
    response_json: *mut *mut c_char,
    err: *mut *mut cartlift_error,
) -> cartlift_status {
    guard(err, || {
        let response = out_ptr(response_json, "response_json")?;
        let engine = arg_ref(engine, "engine")?;
        let request = arg_str(request_json, "request_json")?;
        *response = answer(engine.engine.query_json(op, request)?)?;
        Ok(())
    })
}

/// Cart-aware cross-sell. `request_json` is the shared schema's cross-sell request
/// (`{"cart": [..], "placement": "cart", "limit": 4, ..}`); on success `*response_json` is the answer, to free
/// with cartlift_string_free. The same shape for every query below.
#[no_mangle]
pub unsafe extern "C" fn cartlift_cross_sell(
    engine: *const cartlift_engine,
    request_json: *const c_char,
    response_json: *mut *mut c_char,
    err: *mut *mut cartlift_error,
) -> cartlift_status {
    query(Operation::CrossSell, engine, request_json, response_json, err)
}

/// Upsell tiers for a product, with honest decoy pricing.
#[no_mangle]
pub unsafe extern "C" fn cartlift_upsell(
    engine: *const cartlift_engine,
    request_json: *const c_char,
    response_json: *mut *mut c_char,
    err: *mut *mut cartlift_error,
) -> cartlift_status {
    query(Operation::Upsell, engine, request_json, response_json, err)
}

/// The step-by-step upgrade path from a product.
#[no_mangle]
pub unsafe extern "C" fn cartlift_upgrade_path(
    engine: *const cartlift_engine,
    request_json: *const c_char,
    response_json: *mut *mut c_char,
    err: *mut *mut cartlift_error,
) -> cartlift_status {
    query(Operation::UpgradePath, engine, request_json, response_json, err)
}

/// A decoy price suggestion for a tier set.
#[no_mangle]
pub unsafe extern "C" fn cartlift_suggest_decoy_price(
    engine: *const cartlift_engine,
    request_json: *const c_char,
    response_json: *mut *mut c_char,
    err: *mut *mut cartlift_error,
) -> cartlift_status {
    query(Operation::SuggestDecoyPrice, engine, request_json, response_json, err)
}

/// Price a cart with bundle discounts, in exact money.
#[no_mangle]
pub unsafe extern "C" fn cartlift_price_cart(
    engine: *const cartlift_engine,
    request_json: *const c_char,
    response_json: *mut *mut c_char,
    err: *mut *mut cartlift_error,
) -> cartlift_status {
    query(Operation::PriceCart, engine, request_json, response_json, err)
}

/// Bundles the cart could complete.
#[no_mangle]
pub unsafe extern "C" fn cartlift_suggest_bundles(
    engine: *const cartlift_engine,
    request_json: *const c_char,
    response_json: *mut *mut c_char,
    err: *mut *mut cartlift_error,
) -> cartlift_status {
    query(Operation::SuggestBundles, engine, request_json, response_json, err)
}

/// The variant a visitor gets: `{"experiments": [..], "experiment": "e1", "visitor_id": "V1"}` answers
/// `{"experiment": "e1", "variant": ".."}`. Deterministic and stateless (docs/measurement.md).
#[no_mangle]
pub unsafe extern "C" fn cartlift_assign(
    engine: *const cartlift_engine,
    request_json: *const c_char,
    response_json: *mut *mut c_char,
    err: *mut *mut cartlift_error,
) -> cartlift_status {
    query(Operation::Assign, engine, request_json, response_json, err)
}

/// The experiment report: `{"experiments": [..], "events": [..]}` plus optional `currency`,
/// `attribution_window_hours` and `mde`.
#[no_mangle]
pub unsafe extern "C" fn cartlift_report(
    engine: *const cartlift_engine,
    request_json: *const c_char,
    response_json: *mut *mut c_char,
    err: *mut *mut cartlift_error,
) -> cartlift_status {
    query(Operation::Report, engine, request_json, response_json, err)
}

/// Apply price/availability/inventory changes (`[{"id": "sku-1", "price": "9.99", "available": false}]` or one
/// object) without retraining. Writes a NEW engine to `*out`; `engine` is unchanged and still needs freeing.
/// All updates apply or none.
#[no_mangle]
pub unsafe extern "C" fn cartlift_update_products(
    engine: *const cartlift_engine,
    updates_json: *const c_char,
    out: *mut *mut cartlift_engine,
    err: *mut *mut cartlift_error,
) -> cartlift_status {
    guard(err, || {
        let out = out_ptr(out, "out")?;
        let engine = arg_ref(engine, "engine")?;
        let updates = arg_str(updates_json, "updates_json")?;
        let value: serde_json::Value = serde_json::from_str(updates).map_err(Error::from)?;
        *out = new_engine(engine.engine.update_products_value(value)?);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    /// Every exported body goes through the panic boundary (`guard`, `guard_value`, or `query`, which guards).
    #[test]
    fn every_extern_fn_is_guarded() {
        let mut exported = 0;
        for src in [include_str!("lib.rs"), include_str!("status.rs")] {
            // The marker is split so that this test's own text does not match it.
            for item in src.split(concat!("#[no_", "mangle]")).skip(1) {
                let body = &item[..item.find("\n}\n").expect("a top-level fn ends with a closing brace")];
                let name = body.split("fn ").nth(1).and_then(|s| s.split('(').next()).unwrap_or("?");
                assert!(
                    ["guard(", "guard_value(", "query("].iter().any(|g| body.contains(g)),
                    "{name} does not run inside the panic boundary"
                );
                exported += 1;
            }
        }
        assert!(exported >= 23, "only {exported} exported functions found");
    }

    #[test]
    fn version_matches_core() {
        let v = unsafe { CStr::from_ptr(cartlift_version()) };
        assert_eq!(v.to_str().unwrap(), cartlift_core::VERSION);
    }
}
