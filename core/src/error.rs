//! One error type for the whole engine. Every binding translates `ErrorCode` into its own idiom
//! (Python exception subclasses, Node `Error.code`, C status enum), so codes are stable API.

use serde::Serialize;
use std::fmt;

/// Stable error kinds. The numeric values are the C ABI status codes (`CARTLIFT_<NAME>`); never renumber.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[repr(u32)]
pub enum ErrorCode {
    /// Malformed or out-of-range input: bad JSON/CSV, a negative quantity, a float where money is expected.
    InvalidInput = 1,
    /// A product id the operation needs to know (to price it, to upsell from it) is not in the catalog.
    UnknownProduct = 2,
    /// Two amounts in different currencies met where one currency is required.
    CurrencyMismatch = 3,
    /// A model file or buffer is truncated, fails its checksum or does not decode.
    CorruptModel = 4,
    /// A model file written by a newer cartlift than this one.
    UnsupportedVersion = 5,
    /// Reading or writing a file failed.
    Io = 6,
    /// An experiment id that the engine does not know.
    UnknownExperiment = 7,
    /// A bug in cartlift (a caught panic). Please report it.
    Internal = 8,
}

impl ErrorCode {
    /// Every code, in numeric order (bindings generate their exception classes from this).
    pub const ALL: [ErrorCode; 8] = [
        ErrorCode::InvalidInput,
        ErrorCode::UnknownProduct,
        ErrorCode::CurrencyMismatch,
        ErrorCode::CorruptModel,
        ErrorCode::UnsupportedVersion,
        ErrorCode::Io,
        ErrorCode::UnknownExperiment,
        ErrorCode::Internal,
    ];

    /// The stable snake_case name used in JSON, in Node's `err.code` and Python's `.code`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::UnknownProduct => "unknown_product",
            ErrorCode::CurrencyMismatch => "currency_mismatch",
            ErrorCode::CorruptModel => "corrupt_model",
            ErrorCode::UnsupportedVersion => "unsupported_version",
            ErrorCode::Io => "io",
            ErrorCode::UnknownExperiment => "unknown_experiment",
            ErrorCode::Internal => "internal",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error with enough context for a shop engineer to fix the input: which file, which line, which field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error { code, message: message.into(), field: None, line: None, file: None }
    }
    /// Invalid input in a named field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::new(ErrorCode::InvalidInput, message).with_field(field)
    }
    pub fn unknown_product(field: impl Into<String>, id: &str) -> Self {
        Error::new(ErrorCode::UnknownProduct, format!("unknown product id {id:?}")).with_field(field)
    }
    pub fn io(path: &std::path::Path, err: std::io::Error) -> Self {
        Error::new(ErrorCode::Io, err.to_string()).in_file(path.display().to_string())
    }
    pub fn corrupt(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::CorruptModel, message)
    }
    /// `Ok` when every product index of a stored `part` is below `n`, the catalog's size.
    pub fn check_indices(part: &str, n: usize, mut indices: impl Iterator<Item = u32>) -> Result<()> {
        match indices.find(|&i| i as usize >= n) {
            Some(i) => Err(Error::corrupt(format!("{part} names product {i} of a catalog of {n}"))),
            None => Ok(()),
        }
    }
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        let field = field.into();
        self.field = if field.is_empty() { None } else { Some(field) };
        self
    }
    /// Prefix the field with a parent path: `price` inside `lines[2]` becomes `lines[2].price`.
    pub fn under(mut self, parent: impl AsRef<str>) -> Self {
        let parent = parent.as_ref();
        self.field = Some(match self.field.take() {
            Some(f) if f.starts_with('[') => format!("{parent}{f}"),
            Some(f) => format!("{parent}.{f}"),
            None => parent.to_string(),
        });
        self
    }
    pub fn at_line(mut self, line: u64) -> Self {
        self.line.get_or_insert(line);
        self
    }
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file.get_or_insert(file.into());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut wrote = false;
        if let Some(file) = &self.file {
            write!(f, "{file}")?;
            wrote = true;
        }
        if let Some(line) = self.line {
            write!(f, "{}line {line}", if wrote { ":" } else { "" })?;
            wrote = true;
        }
        if let Some(field) = &self.field {
            write!(f, "{}{field}", if wrote { ": " } else { "" })?;
            wrote = true;
        }
        if wrote {
            f.write_str(": ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        // serde_json reports "line 1 column 7"; keep its message, which names the unknown/invalid field.
        let line = e.line() as u64;
        let mut err = Error::new(ErrorCode::InvalidInput, e.to_string());
        if line > 0 && e.is_syntax() {
            err.line = Some(line);
        }
        err
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_and_field() {
        let e = Error::invalid("price", "not a decimal").under("lines[2]").at_line(7).in_file("orders.jsonl");
        assert_eq!(e.to_string(), "orders.jsonl:line 7: lines[2].price: not a decimal");
        assert_eq!(e.code.as_str(), "invalid_input");
    }

    #[test]
    fn codes_are_numbered_in_order() {
        for (i, c) in ErrorCode::ALL.iter().enumerate() {
            assert_eq!(*c as u32, i as u32 + 1);
        }
    }
}
