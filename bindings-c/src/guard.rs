//! The panic boundary and argument checks every `extern "C"` body goes through.
//! Since Rust 1.81 a panic unwinding out of `extern "C"` aborts the host process (a PHP-FPM worker, a
//! service): so every body runs inside `guard`/`guard_value`, and a NULL pointer is a status, not a crash.

use crate::status::{cartlift_error, cartlift_status};
use cartlift_core::Error;
use std::any::Any;
use std::ffi::{c_char, CStr, CString};
use std::panic::{self, AssertUnwindSafe};
use std::ptr;

/// Why a call failed, before it becomes a `cartlift_error`.
pub(crate) enum Fail {
    Core(Error),
    /// A required pointer was NULL; names the parameter.
    Null(&'static str),
    Panic(String),
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Fail::Core(e)
    }
}

/// Run a fallible body: clear `*err`, catch panics, turn failures into a status and (if `err` is not NULL)
/// an error object for the caller to free.
pub(crate) fn guard(err: *mut *mut cartlift_error, body: impl FnOnce() -> Result<(), Fail>) -> cartlift_status {
    if !err.is_null() {
        // SAFETY: the caller passes NULL or a pointer to writable storage for one pointer.
        unsafe { *err = ptr::null_mut() };
    }
    let fail = match panic::catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return cartlift_status::CARTLIFT_OK,
        Ok(Err(fail)) => fail,
        Err(payload) => Fail::Panic(panic_message(payload.as_ref())),
    };
    let error = cartlift_error::from_fail(fail);
    let status = error.status();
    if !err.is_null() {
        // SAFETY: as above.
        unsafe { *err = Box::into_raw(Box::new(error)) };
    }
    status
}

/// Run an infallible body (accessors, `_free`); a panic gives `fallback` instead of unwinding into C.
pub(crate) fn guard_value<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    panic::catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic payload".to_string()
    }
}

/// A C string for text that may (rarely) hold NUL: escaped rather than truncated or failed.
pub(crate) fn cstring_lossy(s: &str) -> CString {
    CString::new(s.replace('\0', "\\0")).expect("NUL bytes were escaped")
}

/// A borrowed input reference; NULL is `Fail::Null(name)`.
pub(crate) unsafe fn arg_ref<'a, T>(p: *const T, name: &'static str) -> Result<&'a T, Fail> {
    p.as_ref().ok_or(Fail::Null(name))
}

/// A NUL-terminated UTF-8 string argument; invalid UTF-8 is invalid input naming the parameter.
pub(crate) unsafe fn arg_str<'a>(p: *const c_char, name: &'static str) -> Result<&'a str, Fail> {
    if p.is_null() {
        return Err(Fail::Null(name));
    }
    CStr::from_ptr(p).to_str().map_err(|e| {
        Fail::Core(Error::invalid(name, format!("is not valid UTF-8 (invalid byte at offset {})", e.valid_up_to())))
    })
}

/// An out-parameter: set to NULL straight away so the caller never sees a stale value on failure.
pub(crate) unsafe fn out_ptr<'a, T>(p: *mut *mut T, name: &'static str) -> Result<&'a mut *mut T, Fail> {
    let out = p.as_mut().ok_or(Fail::Null(name))?;
    *out = ptr::null_mut();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::{cartlift_error_code, cartlift_error_code_name, cartlift_error_free, cartlift_error_message};

    #[test]
    fn a_panic_becomes_a_status_and_an_error() {
        let mut err: *mut cartlift_error = ptr::null_mut();
        let status = guard(&mut err, || panic!("boom {}", 7));
        assert_eq!(status, cartlift_status::CARTLIFT_PANIC);
        unsafe {
            assert_eq!(cartlift_error_code(err), cartlift_status::CARTLIFT_PANIC);
            assert_eq!(CStr::from_ptr(cartlift_error_code_name(err)).to_str().unwrap(), "panic");
            let msg = CStr::from_ptr(cartlift_error_message(err)).to_str().unwrap();
            assert!(msg.contains("boom 7"), "{msg}");
            cartlift_error_free(err);
        }
        assert_eq!(guard(ptr::null_mut(), || panic!("no details wanted")), cartlift_status::CARTLIFT_PANIC);
        assert_eq!(guard_value(3, || panic!("infallible body")), 3);
    }

    #[test]
    fn success_clears_err() {
        let mut err: *mut cartlift_error = ptr::dangling_mut();
        assert_eq!(guard(&mut err, || Ok(())), cartlift_status::CARTLIFT_OK);
        assert!(err.is_null());
    }
}
