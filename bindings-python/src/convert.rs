//! Python values <-> `serde_json::Value`, the core's request/response currency.
//! Money stays exact: a `Decimal` becomes its decimal string, an `int` a JSON integer, and a `float` a JSON
//! float so that the core (not this binding) rejects it at a money field with its own message.

use pyo3::exceptions::PyTypeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};
use serde_json::{Map, Number, Value};

/// Why a value could not become JSON, and where (segments collected while unwinding, innermost first).
pub struct ConvertError {
    pub message: String,
    path: Vec<String>,
}

impl ConvertError {
    fn new(message: impl Into<String>) -> Self {
        ConvertError { message: message.into(), path: Vec::new() }
    }
    fn at(mut self, segment: String) -> Self {
        self.path.push(segment);
        self
    }
    /// The field path in the core's notation, e.g. `cart[0].price`, below `root`.
    pub fn field(&self, root: &str) -> String {
        let mut out = root.to_string();
        for seg in self.path.iter().rev() {
            if !seg.starts_with('[') && !out.is_empty() {
                out.push('.');
            }
            out.push_str(seg);
        }
        out
    }
}

type Result<T> = std::result::Result<T, ConvertError>;

fn decimal_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    DECIMAL.import(py, "decimal", "Decimal")
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".to_string())
}

fn py_err(e: PyErr) -> ConvertError {
    ConvertError::new(e.to_string())
}

/// Convert a Python value to JSON: None, bool, int, float, str, Decimal (-> str), os.PathLike (-> str),
/// dict with str keys, and any other iterable (-> array). Anything else is an error naming its type.
pub fn to_json(obj: &Bound<'_, PyAny>) -> Result<Value> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_cow().map_err(py_err)?.into_owned()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::Number(i.into()));
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Value::Number(u.into()));
        }
        return Err(ConvertError::new(format!(
            "integer {} is out of range",
            obj.str().map(|s| s.to_string()).unwrap_or_default()
        )));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        let v = f.value();
        return Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| ConvertError::new(format!("{v} is not a finite number")));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = Map::with_capacity(d.len());
        for (k, v) in d.iter() {
            let key = match k.cast::<PyString>() {
                Ok(s) => s.to_cow().map_err(py_err)?.into_owned(),
                Err(_) => return Err(ConvertError::new(format!("dict keys must be str, got {}", type_name(&k)))),
            };
            let value = to_json(&v).map_err(|e| e.at(key.clone()))?;
            map.insert(key, value);
        }
        return Ok(Value::Object(map));
    }
    if let Ok(l) = obj.cast::<PyList>() {
        return l.iter().enumerate().map(|(i, v)| to_json(&v).map_err(|e| e.at(format!("[{i}]")))).collect();
    }
    if let Ok(t) = obj.cast::<PyTuple>() {
        return t.iter().enumerate().map(|(i, v)| to_json(&v).map_err(|e| e.at(format!("[{i}]")))).collect();
    }
    let py = obj.py();
    if obj.is_instance(decimal_type(py).map_err(py_err)?).map_err(py_err)? {
        return Ok(Value::String(obj.str().map_err(py_err)?.to_cow().map_err(py_err)?.into_owned()));
    }
    if obj.hasattr(intern!(py, "__fspath__")).map_err(py_err)? {
        return Ok(Value::String(fspath(obj).map_err(py_err)?));
    }
    if obj.is_instance_of::<PyBytes>() || obj.is_instance_of::<PyByteArray>() {
        return Err(ConvertError::new(format!("{} is not accepted here; pass str", type_name(obj))));
    }
    if let Ok(iter) = obj.try_iter() {
        let mut out = Vec::new();
        for (i, item) in iter.enumerate() {
            let item = item.map_err(|e| py_err(e).at(format!("[{i}]")))?;
            out.push(to_json(&item).map_err(|e| e.at(format!("[{i}]")))?);
        }
        return Ok(Value::Array(out));
    }
    Err(ConvertError::new(format!(
        "cannot convert a value of type {} (expected dict, list, str, int, Decimal or None)",
        type_name(obj)
    )))
}

/// A filesystem path from str or os.PathLike, as a str (the core takes UTF-8 paths).
pub fn fspath(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    let path: std::path::PathBuf = obj.extract()?;
    path.into_os_string().into_string().map_err(|p| PyTypeError::new_err(format!("path {p:?} is not valid UTF-8")))
}

/// A train input: a path (str / os.PathLike) stays a path string; records become a JSON array.
pub fn source(obj: &Bound<'_, PyAny>) -> Result<Value> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_cow().map_err(py_err)?.into_owned()));
    }
    to_json(obj)
}

/// Convert a JSON answer to plain Python objects (dict, list, str, int, float, bool, None).
pub fn to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(a) => {
            let list = PyList::empty(py);
            for item in a {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(o) => {
            let dict = PyDict::new(py);
            for (k, item) in o {
                dict.set_item(PyString::new(py, k), to_py(py, item)?)?;
            }
            dict.into_any()
        }
    })
}
