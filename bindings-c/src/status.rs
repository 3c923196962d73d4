//! The status enum every fallible call returns and the error object that carries the details.
//! Error details travel through an out-parameter, never a thread-local "last error": PHP-FPM workers and
//! thread pools call in from anywhere, and a per-call object has no hidden state to race on.

use crate::guard::{cstring_lossy, Fail};
use cartlift_core::ErrorCode;
use std::ffi::{c_char, CString};
use std::ptr;

/// What a call did. 0 is success; 1..=99 mirror the core's error codes one to one (new codes are appended,
/// never renumbered); 100 and above are failures of the C call itself.
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum cartlift_status {
    CARTLIFT_OK = 0,
    /// Malformed or out-of-range input: bad JSON, invalid UTF-8, a negative quantity, a float as money.
    CARTLIFT_INVALID_INPUT = 1,
    /// A product id the operation needs is not in the catalog.
    CARTLIFT_UNKNOWN_PRODUCT = 2,
    /// Two amounts in different currencies met where one currency is required.
    CARTLIFT_CURRENCY_MISMATCH = 3,
    /// Model bytes or file are truncated, fail their checksum or do not decode.
    CARTLIFT_CORRUPT_MODEL = 4,
    /// A model written by a newer cartlift.
    CARTLIFT_UNSUPPORTED_VERSION = 5,
    /// Reading or writing a file failed.
    CARTLIFT_IO = 6,
    /// An experiment id the engine does not know.
    CARTLIFT_UNKNOWN_EXPERIMENT = 7,
    /// A bug in cartlift. Please report it.
    CARTLIFT_INTERNAL = 8,
    /// A required pointer argument was NULL (cartlift_error_field names it).
    CARTLIFT_NULL_ARGUMENT = 100,
    /// cartlift panicked; the panic was caught and the process is intact. Please report it.
    CARTLIFT_PANIC = 101,
}

impl From<ErrorCode> for cartlift_status {
    fn from(code: ErrorCode) -> Self {
        // Exhaustive on purpose: a new core code does not compile until it has a status here.
        match code {
            ErrorCode::InvalidInput => cartlift_status::CARTLIFT_INVALID_INPUT,
            ErrorCode::UnknownProduct => cartlift_status::CARTLIFT_UNKNOWN_PRODUCT,
            ErrorCode::CurrencyMismatch => cartlift_status::CARTLIFT_CURRENCY_MISMATCH,
            ErrorCode::CorruptModel => cartlift_status::CARTLIFT_CORRUPT_MODEL,
            ErrorCode::UnsupportedVersion => cartlift_status::CARTLIFT_UNSUPPORTED_VERSION,
            ErrorCode::Io => cartlift_status::CARTLIFT_IO,
            ErrorCode::UnknownExperiment => cartlift_status::CARTLIFT_UNKNOWN_EXPERIMENT,
            ErrorCode::Internal => cartlift_status::CARTLIFT_INTERNAL,
        }
    }
}

/// Details of a failed call. Create: by any call that takes `cartlift_error **err`. Free: cartlift_error_free.
pub struct cartlift_error {
    status: cartlift_status,
    code_name: CString,
    message: CString,
    field: Option<CString>,
    file: Option<CString>,
    line: u64,
}

impl cartlift_error {
    pub(crate) fn status(&self) -> cartlift_status {
        self.status
    }

    pub(crate) fn from_fail(fail: Fail) -> cartlift_error {
        match fail {
            Fail::Core(e) => cartlift_error {
                status: e.code.into(),
                code_name: cstring_lossy(e.code.as_str()),
                message: cstring_lossy(&e.to_string()),
                field: e.field.as_deref().map(cstring_lossy),
                file: e.file.as_deref().map(cstring_lossy),
                line: e.line.unwrap_or(0),
            },
            Fail::Null(name) => cartlift_error {
                status: cartlift_status::CARTLIFT_NULL_ARGUMENT,
                code_name: cstring_lossy("null_argument"),
                message: cstring_lossy(&format!("{name}: argument is NULL")),
                field: Some(cstring_lossy(name)),
                file: None,
                line: 0,
            },
            Fail::Panic(msg) => cartlift_error {
                status: cartlift_status::CARTLIFT_PANIC,
                code_name: cstring_lossy("panic"),
                message: cstring_lossy(&format!("cartlift panicked (a bug, please report it): {msg}")),
                field: None,
                file: None,
                line: 0,
            },
        }
    }
}

fn opt_ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(ptr::null(), |s| s.as_ptr())
}

/// The human-readable message ("file:line N: field: message"), valid until cartlift_error_free.
/// NULL when `err` is NULL.
#[no_mangle]
pub unsafe extern "C" fn cartlift_error_message(err: *const cartlift_error) -> *const c_char {
    crate::guard::guard_value(ptr::null(), || err.as_ref().map_or(ptr::null(), |e| e.message.as_ptr()))
}

/// The status of the failed call (CARTLIFT_NULL_ARGUMENT when `err` is NULL).
#[no_mangle]
pub unsafe extern "C" fn cartlift_error_code(err: *const cartlift_error) -> cartlift_status {
    crate::guard::guard_value(cartlift_status::CARTLIFT_PANIC, || {
        err.as_ref().map_or(cartlift_status::CARTLIFT_NULL_ARGUMENT, |e| e.status)
    })
}

/// The stable snake_case name of the error kind ("invalid_input", "unknown_product", ..., "null_argument",
/// "panic"), the same string Python's `.code` and Node's `err.code` give. NULL when `err` is NULL.
#[no_mangle]
pub unsafe extern "C" fn cartlift_error_code_name(err: *const cartlift_error) -> *const c_char {
    crate::guard::guard_value(ptr::null(), || err.as_ref().map_or(ptr::null(), |e| e.code_name.as_ptr()))
}

/// The input field at fault ("cart[0].quantity"), or NULL when the error names none.
#[no_mangle]
pub unsafe extern "C" fn cartlift_error_field(err: *const cartlift_error) -> *const c_char {
    crate::guard::guard_value(ptr::null(), || err.as_ref().map_or(ptr::null(), |e| opt_ptr(&e.field)))
}

/// The input file at fault, or NULL when the error names none.
#[no_mangle]
pub unsafe extern "C" fn cartlift_error_file(err: *const cartlift_error) -> *const c_char {
    crate::guard::guard_value(ptr::null(), || err.as_ref().map_or(ptr::null(), |e| opt_ptr(&e.file)))
}

/// The 1-based line in the input file or JSON text, or 0 when the error names none.
#[no_mangle]
pub unsafe extern "C" fn cartlift_error_line(err: *const cartlift_error) -> u64 {
    crate::guard::guard_value(0, || err.as_ref().map_or(0, |e| e.line))
}

/// Free an error. NULL is a no-op. Call once per error.
#[no_mangle]
pub unsafe extern "C" fn cartlift_error_free(err: *mut cartlift_error) {
    crate::guard::guard_value((), || {
        if !err.is_null() {
            drop(Box::from_raw(err));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_mirror_core_codes() {
        for code in ErrorCode::ALL {
            assert_eq!(cartlift_status::from(code) as u32, code as u32, "{code}");
        }
    }
}
