//! JSON read into the engine's types, with errors that say where: serde says what is wrong (`invalid type:
//! string "x", expected usize`), the path of the value says which field (`limit`, `lines[0].quantity`).

use crate::error::{Error, Result};
use serde::de::DeserializeOwned;

/// `T` from a JSON value; a value of the wrong type or shape names its field. Read as fast as
/// `serde_json::from_value` reads an owned value; a failed read is repeated, tracking the path.
pub(crate) fn from_value<T: DeserializeOwned>(value: &serde_json::Value) -> Result<T> {
    T::deserialize(value).or_else(|_| serde_path_to_error::deserialize(value).map_err(located))
}

/// `T` from JSON text. Parsed at full speed first; only text that fails is read again, tracking the path, to
/// name the field (a syntax error keeps its line instead).
pub(crate) fn from_str<T: DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| {
        if e.is_data() {
            let tracked = serde_path_to_error::deserialize::<_, T>(&mut serde_json::Deserializer::from_str(text));
            if let Err(tracked) = tracked {
                return located(tracked);
            }
        }
        Error::from(e)
    })
}

/// The error with its path as the field (none for the whole value), and without serde's "at line 1 column 9":
/// the field says where.
fn located(e: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let path = e.path().to_string();
    let e = e.into_inner();
    let message = e.to_string();
    let position = format!(" at line {} column {}", e.line(), e.column());
    let message = if e.line() > 0 { message.strip_suffix(&position).unwrap_or(&message) } else { &message };
    let err = Error::new(crate::error::ErrorCode::InvalidInput, message);
    if path == "." {
        err
    } else {
        err.with_field(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Order {
        lines: Vec<Line>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Line {
        quantity: u32,
    }

    #[test]
    fn a_value_of_the_wrong_type_names_its_field() {
        let text = r#"{"lines": [{"quantity": 1}, {"quantity": "x"}]}"#;
        for err in [
            from_str::<Order>(text).unwrap_err(),
            from_value::<Order>(&serde_json::from_str(text).unwrap()).unwrap_err(),
        ] {
            assert_eq!(err.field.as_deref(), Some("lines[1].quantity"), "{err}");
            assert_eq!(err.message, r#"invalid type: string "x", expected u32"#);
        }
    }

    #[test]
    fn a_syntax_error_keeps_its_line_and_a_whole_value_names_no_field() {
        let err = from_str::<Order>("{\n\"lines\": [,]}").unwrap_err();
        assert_eq!((err.line, err.field), (Some(2), None));
        let err = from_value::<Order>(&serde_json::json!("an order")).unwrap_err();
        assert_eq!(err.field, None, "{err}");
    }
}
