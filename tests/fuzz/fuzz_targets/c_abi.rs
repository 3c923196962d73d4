//! The C ABI entry points, called as a C program calls them: the first byte picks one, the rest is its argument
//! (NUL-terminated JSON text, or model bytes for `cartlift_engine_load_bytes`); some calls pass NULL. A panic
//! caught at the boundary is a finding too: no call may return `CARTLIFT_PANIC` or `CARTLIFT_INTERNAL`.
#![no_main]

use cartlift::{
    cartlift_assign, cartlift_bytes_free, cartlift_cross_sell, cartlift_engine, cartlift_engine_free,
    cartlift_engine_load_bytes, cartlift_engine_to_bytes, cartlift_engine_train, cartlift_error, cartlift_error_free,
    cartlift_price_cart, cartlift_report, cartlift_status, cartlift_string_free, cartlift_suggest_bundles,
    cartlift_suggest_decoy_price, cartlift_update_products, cartlift_upgrade_path, cartlift_upsell,
};
use cartlift_lab::gen::demo_store;
use libfuzzer_sys::fuzz_target;
use std::ffi::{c_char, CString};
use std::ptr;
use std::sync::OnceLock;

type Query = unsafe extern "C" fn(
    *const cartlift_engine,
    *const c_char,
    *mut *mut c_char,
    *mut *mut cartlift_error,
) -> cartlift_status;

const QUERIES: [Query; 8] = [
    cartlift_cross_sell,
    cartlift_upsell,
    cartlift_upgrade_path,
    cartlift_suggest_decoy_price,
    cartlift_price_cart,
    cartlift_suggest_bundles,
    cartlift_assign,
    cartlift_report,
];

/// The demo engine, trained through the C ABI once (its address, shared by every run).
fn engine() -> *const cartlift_engine {
    static ENGINE: OnceLock<usize> = OnceLock::new();
    *ENGINE.get_or_init(|| {
        let request = CString::new(serde_json::to_string(&demo_store().train_request()).unwrap()).unwrap();
        let mut engine = ptr::null_mut();
        let status = unsafe { cartlift_engine_train(request.as_ptr(), &mut engine, ptr::null_mut()) };
        assert_eq!(status, cartlift_status::CARTLIFT_OK);
        engine as usize
    }) as *const cartlift_engine
}

/// Fail the run on a caught panic or an internal error; free the error object.
fn check(status: cartlift_status, err: *mut cartlift_error) {
    unsafe { cartlift_error_free(err) };
    assert!(
        !matches!(status, cartlift_status::CARTLIFT_PANIC | cartlift_status::CARTLIFT_INTERNAL),
        "the C ABI returned {status:?}"
    );
}

/// One query on `engine`; `request` NULL passes a NULL pointer.
fn query(call: Query, engine: *const cartlift_engine, request: Option<&CString>) {
    let (mut response, mut err) = (ptr::null_mut(), ptr::null_mut());
    let text = request.map_or(ptr::null(), |r| r.as_ptr());
    let status = unsafe { call(engine, text, &mut response, &mut err) };
    unsafe { cartlift_string_free(response) };
    check(status, err);
}

/// A model from bytes; when it loads, every query and a round trip to bytes.
fn load(bytes: &[u8]) {
    let (mut loaded, mut err) = (ptr::null_mut(), ptr::null_mut());
    let status = unsafe { cartlift_engine_load_bytes(bytes.as_ptr(), bytes.len(), &mut loaded, &mut err) };
    check(status, err);
    if loaded.is_null() {
        return;
    }
    let request = CString::new(r#"{"cart": ["cam-a2", "lens-50"], "product_id": "cam-a2", "limit": 8}"#).unwrap();
    for call in QUERIES {
        query(call, loaded, Some(&request));
    }
    let (mut data, mut len, mut err) = (ptr::null_mut(), 0usize, ptr::null_mut());
    check(unsafe { cartlift_engine_to_bytes(loaded, &mut data, &mut len, &mut err) }, err);
    unsafe {
        cartlift_bytes_free(data, len);
        cartlift_engine_free(loaded);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let text = CString::new(rest.split(|&b| b == 0).next().unwrap_or_default()).expect("no NUL before the end");
    let engine = engine();
    match pick % 12 {
        p @ 0..=7 => query(QUERIES[p as usize], engine, Some(&text)),
        8 => load(rest),
        9 => {
            let (mut updated, mut err) = (ptr::null_mut(), ptr::null_mut());
            check(unsafe { cartlift_update_products(engine, text.as_ptr(), &mut updated, &mut err) }, err);
            unsafe { cartlift_engine_free(updated) };
        }
        10 => query(QUERIES[(rest.len() % QUERIES.len())], engine, None),
        _ => query(QUERIES[(rest.len() % QUERIES.len())], ptr::null(), Some(&text)),
    }
});
