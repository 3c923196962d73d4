//! Core errors as Python exceptions: one subclass of `CartliftError` per stable `ErrorCode`, carrying
//! `.code`, `.field`, `.line` and `.file` so callers can point the shop engineer at the bad input.

use crate::convert::ConvertError;
use cartlift_core::{Error, ErrorCode};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyType;

create_exception!(cartlift, CartliftError, PyException, "Base class of every error cartlift raises.");
create_exception!(
    cartlift,
    InvalidInput,
    CartliftError,
    "Malformed or out-of-range input (a float price, a negative quantity, bad CSV)."
);
create_exception!(cartlift, UnknownProduct, CartliftError, "A product id the operation needs is not in the catalog.");
create_exception!(
    cartlift,
    CurrencyMismatch,
    CartliftError,
    "Amounts in different currencies met where one is required."
);
create_exception!(
    cartlift,
    CorruptModel,
    CartliftError,
    "A model file or buffer is truncated, fails its checksum or does not decode."
);
create_exception!(cartlift, UnsupportedVersion, CartliftError, "A model written by a newer cartlift than this one.");
create_exception!(cartlift, IoError, CartliftError, "Reading or writing a file failed.");
create_exception!(cartlift, UnknownExperiment, CartliftError, "An experiment id the engine does not know.");
create_exception!(cartlift, InternalError, CartliftError, "A bug in cartlift (a caught panic). Please report it.");

fn class(py: Python<'_>, code: ErrorCode) -> Bound<'_, PyType> {
    match code {
        ErrorCode::InvalidInput => py.get_type::<InvalidInput>(),
        ErrorCode::UnknownProduct => py.get_type::<UnknownProduct>(),
        ErrorCode::CurrencyMismatch => py.get_type::<CurrencyMismatch>(),
        ErrorCode::CorruptModel => py.get_type::<CorruptModel>(),
        ErrorCode::UnsupportedVersion => py.get_type::<UnsupportedVersion>(),
        ErrorCode::Io => py.get_type::<IoError>(),
        ErrorCode::UnknownExperiment => py.get_type::<UnknownExperiment>(),
        ErrorCode::Internal => py.get_type::<InternalError>(),
    }
}

/// Build the Python exception for a core error (message as the core displays it, fields as attributes).
pub fn to_py_err(py: Python<'_>, e: &Error) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let exc = class(py, e.code).call1((e.to_string(),))?;
        exc.setattr("code", e.code.as_str())?;
        exc.setattr("field", e.field.as_deref())?;
        exc.setattr("line", e.line)?;
        exc.setattr("file", e.file.as_deref())?;
        Ok(PyErr::from_value(exc))
    };
    build().unwrap_or_else(|err| err)
}

/// A Python value that could not become JSON is invalid input at `root` (e.g. `cart[0].price`).
pub fn convert_err(py: Python<'_>, root: &str, e: ConvertError) -> PyErr {
    let field = e.field(root);
    let mut err = Error::new(ErrorCode::InvalidInput, e.message);
    if !field.is_empty() {
        err = err.with_field(field);
    }
    to_py_err(py, &err)
}

/// Register the exception classes, each with class-level defaults for its attributes.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let base = py.get_type::<CartliftError>();
    base.setattr("code", "error")?;
    m.add("CartliftError", &base)?;
    for code in ErrorCode::ALL {
        let cls = class(py, code);
        cls.setattr("code", code.as_str())?;
        m.add(cls.name()?, &cls)?;
    }
    for attr in ["field", "line", "file"] {
        base.setattr(attr, py.None())?;
    }
    Ok(())
}
