//! The `cartlift` Python module: a thin pyo3 layer over `cartlift_core::Engine`.
//! Each method converts its Python arguments to the core's JSON request, runs the core with the GIL
//! released (so threads query in parallel), and converts the answer back to plain dicts and lists.

mod convert;
mod counts;
mod errors;

use cartlift_core::{Answer, Engine as CoreEngine, Error, ErrorCode, Operation};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyTuple, PyType};
use serde_json::{Map, Value};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Allocations made by cartlift itself go through mimalloc: pricing a cart makes a few hundred small ones, and
/// the system allocator was a fifth of its time (BENCHMARKS.md). The host's own allocator is untouched.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Run core work without the GIL; a panic becomes `InternalError` instead of crossing into Python.
fn run<T: Send>(py: Python<'_>, f: impl FnOnce() -> cartlift_core::Result<T> + Send) -> PyResult<T> {
    let out = py.detach(|| catch_unwind(AssertUnwindSafe(f)));
    match out {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(errors::to_py_err(py, &e)),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Err(errors::to_py_err(
                py,
                &Error::new(ErrorCode::Internal, format!("internal error (please report): {what}")),
            ))
        }
    }
}

/// Collects keyword arguments into a request object, dropping the ones given as None.
struct Request<'py> {
    py: Python<'py>,
    map: Map<String, Value>,
}

impl<'py> Request<'py> {
    fn new(py: Python<'py>) -> Self {
        Request { py, map: Map::new() }
    }
    fn set(&mut self, name: &str, value: Option<&Bound<'py, PyAny>>) -> PyResult<()> {
        if let Some(v) = value.filter(|v| !v.is_none()) {
            let json = convert::to_json(v).map_err(|e| errors::convert_err(self.py, name, e))?;
            self.map.insert(name.to_string(), json);
        }
        Ok(())
    }
    fn set_source(&mut self, name: &str, value: Option<&Bound<'py, PyAny>>) -> PyResult<()> {
        if let Some(v) = value.filter(|v| !v.is_none()) {
            let json = convert::source(v).map_err(|e| errors::convert_err(self.py, name, e))?;
            self.map.insert(name.to_string(), json);
        }
        Ok(())
    }
    fn extend(&mut self, fields: Option<&Bound<'py, PyDict>>) -> PyResult<()> {
        if let Some(fields) = fields {
            for (k, v) in fields.iter() {
                let name: String = k.extract()?;
                self.set(&name, Some(&v))?;
            }
        }
        Ok(())
    }
    fn value(self) -> Value {
        Value::Object(self.map)
    }
}

/// A trained, immutable recommendation engine. Safe to share between threads; pickles via `to_bytes`.
#[pyclass(frozen, module = "cartlift", name = "Engine")]
struct Engine {
    inner: CoreEngine,
}

impl Engine {
    fn query<'py>(&self, py: Python<'py>, op: Operation, request: Request<'py>) -> PyResult<Bound<'py, PyAny>> {
        let engine = self.inner.clone();
        let request = request.value();
        // Typed answers go straight to Python objects; JSON ones keep nulls as None through `to_py`.
        match run(py, move || engine.query_answer(op, request))? {
            Answer::Json(value) => convert::to_py(py, &value),
            typed => Ok(serde_pyobject::to_pyobject(py, &typed)?),
        }
    }
}

#[pymethods]
impl Engine {
    /// Train an engine. Each input is an iterable of dicts or a path (str / os.PathLike) to a file in any
    /// format the core reads (CSV, JSON Lines, JSON, Shopify exports).
    #[classmethod]
    #[pyo3(signature = (products, orders=None, *, events=None, rules=None, bundles=None, config=None, skip_invalid=false, experiments=None))]
    #[allow(clippy::too_many_arguments)]
    fn train<'py>(
        _cls: &Bound<'py, PyType>,
        py: Python<'py>,
        products: &Bound<'py, PyAny>,
        orders: Option<&Bound<'py, PyAny>>,
        events: Option<&Bound<'py, PyAny>>,
        rules: Option<&Bound<'py, PyAny>>,
        bundles: Option<&Bound<'py, PyAny>>,
        config: Option<&Bound<'py, PyAny>>,
        skip_invalid: bool,
        experiments: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Engine> {
        let mut req = Request::new(py);
        req.set_source("products", Some(products))?;
        req.set_source("orders", orders)?;
        req.set_source("events", events)?;
        req.set_source("rules", rules)?;
        req.set_source("bundles", bundles)?;
        req.set("config", config)?;
        // Sent only when given (None is dropped), so a core that does not read it yet is unaffected.
        req.set("experiments", experiments)?;
        if skip_invalid {
            req.map.insert("skip_invalid".to_string(), Value::Bool(true));
        }
        let request = req.value();
        let inner = run(py, move || CoreEngine::train_value(request))?;
        Ok(Engine { inner })
    }

    /// Finish an engine from merged `Counts` (see `Counts.from_orders`) and the rest of what `train` reads:
    /// the catalog the counts were made from, the same config, rules, bundles, experiments and events.
    /// Repurchase cycles, seasons and customer histories come merged in the counts; declines and substitutes
    /// are learned from `events` here. Under `measure: "auto"`, give the config and report `Counts.tune`
    /// returned (`config=`, `tuning=`); without them `auto` takes its fallback (tuning needs the orders).
    #[classmethod]
    #[pyo3(signature = (counts, products, *, rules=None, bundles=None, config=None, experiments=None, events=None, tuning=None, skip_invalid=false))]
    #[allow(clippy::too_many_arguments)]
    fn from_counts<'py>(
        _cls: &Bound<'py, PyType>,
        py: Python<'py>,
        counts: &Bound<'py, counts::Counts>,
        products: &Bound<'py, PyAny>,
        rules: Option<&Bound<'py, PyAny>>,
        bundles: Option<&Bound<'py, PyAny>>,
        config: Option<&Bound<'py, PyAny>>,
        experiments: Option<&Bound<'py, PyAny>>,
        events: Option<&Bound<'py, PyAny>>,
        tuning: Option<&Bound<'py, PyAny>>,
        skip_invalid: bool,
    ) -> PyResult<Engine> {
        counts::finish(py, counts, products, rules, bundles, config, experiments, events, tuning, skip_invalid)
    }

    /// Load a model file written by `save`.
    #[classmethod]
    fn load(_cls: &Bound<'_, PyType>, py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<Engine> {
        let path = convert::fspath(path)?;
        let inner = run(py, move || CoreEngine::load(&path))?;
        Ok(Engine { inner })
    }

    /// Map a model file written by `save` read-only and answer from the map (fast, and worker processes that
    /// open one file share its memory). Replace the file by rename (as `save` does), never in place: an open
    /// engine keeps answering from the old file until `open` is called again.
    #[classmethod]
    fn open(_cls: &Bound<'_, PyType>, py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<Engine> {
        let path = convert::fspath(path)?;
        let inner = run(py, move || CoreEngine::open(&path))?;
        Ok(Engine { inner })
    }

    /// Write the model to a file (atomically: a crash never leaves a broken file).
    fn save(&self, py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<()> {
        let path = convert::fspath(path)?;
        let engine = self.inner.clone();
        run(py, move || engine.save(&path))
    }

    /// The model as bytes (for caches and multiprocessing); `Engine.from_bytes` reads it back.
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let engine = self.inner.clone();
        let bytes = run(py, move || Ok(engine.to_bytes()))?;
        Ok(PyBytes::new(py, &bytes))
    }

    #[classmethod]
    fn from_bytes(_cls: &Bound<'_, PyType>, py: Python<'_>, data: &Bound<'_, PyBytes>) -> PyResult<Engine> {
        let bytes = data.as_bytes();
        let inner = run(py, || CoreEngine::from_bytes(bytes))?;
        Ok(Engine { inner })
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let from_bytes = py.get_type::<Engine>().getattr("from_bytes")?;
        let bytes = slf.get().to_bytes(py)?;
        PyTuple::new(py, [from_bytes, PyTuple::new(py, [bytes])?.into_any()])
    }

    /// Cross-sell suggestions for a cart (a list of product ids or of {"product_id", "quantity"} dicts).
    #[pyo3(signature = (cart, *, placement=None, customer_id=None, visitor_id=None, customer_history=None, viewed=None, declined=None, device=None, limit=None, offset=None, filters=None, personalize=None, now=None, **fields))]
    #[pyo3(
        text_signature = "(self, cart, *, placement='cart', customer_id=None, visitor_id=None, customer_history=None, viewed=None, declined=None, device=None, limit=None, offset=0, filters=None, personalize=None, now=None, **fields)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn cross_sell<'py>(
        &self,
        py: Python<'py>,
        cart: &Bound<'py, PyAny>,
        placement: Option<&Bound<'py, PyAny>>,
        customer_id: Option<&Bound<'py, PyAny>>,
        visitor_id: Option<&Bound<'py, PyAny>>,
        customer_history: Option<&Bound<'py, PyAny>>,
        viewed: Option<&Bound<'py, PyAny>>,
        declined: Option<&Bound<'py, PyAny>>,
        device: Option<&Bound<'py, PyAny>>,
        limit: Option<&Bound<'py, PyAny>>,
        offset: Option<&Bound<'py, PyAny>>,
        filters: Option<&Bound<'py, PyAny>>,
        personalize: Option<&Bound<'py, PyAny>>,
        now: Option<&Bound<'py, PyAny>>,
        fields: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut req = Request::new(py);
        req.set("cart", Some(cart))?;
        req.set("placement", placement)?;
        req.set("customer_id", customer_id)?;
        req.set("visitor_id", visitor_id)?;
        req.set("customer_history", customer_history)?;
        req.set("viewed", viewed)?;
        req.set("declined", declined)?;
        req.set("device", device)?;
        req.set("limit", limit)?;
        req.set("offset", offset)?;
        req.set("filters", filters)?;
        req.set("personalize", personalize)?;
        req.set("now", now)?;
        // Other keywords go to the core as they are: it names an unknown field in an InvalidInput error,
        // and fields the core adds work before this signature lists them.
        req.extend(fields)?;
        self.query(py, Operation::CrossSell, req)
    }

    /// Upsell tiers for a product (good / better / best with honest decoy pricing).
    #[pyo3(signature = (product_id, **fields))]
    fn upsell<'py>(
        &self,
        py: Python<'py>,
        product_id: &Bound<'py, PyAny>,
        fields: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut req = Request::new(py);
        req.set("product_id", Some(product_id))?;
        req.extend(fields)?;
        self.query(py, Operation::Upsell, req)
    }

    /// The upgrade path from a product to better ones in its family.
    #[pyo3(signature = (product_id, **fields))]
    fn upgrade_path<'py>(
        &self,
        py: Python<'py>,
        product_id: &Bound<'py, PyAny>,
        fields: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut req = Request::new(py);
        req.set("product_id", Some(product_id))?;
        req.extend(fields)?;
        self.query(py, Operation::UpgradePath, req)
    }

    /// At what price an existing middle tier would become a decoy for the target (for a merchant pricing on purpose).
    #[pyo3(signature = (**fields))]
    fn suggest_decoy_price<'py>(
        &self,
        py: Python<'py>,
        fields: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut req = Request::new(py);
        req.extend(fields)?;
        self.query(py, Operation::SuggestDecoyPrice, req)
    }

    /// Price a cart with bundle discounts, exactly (decimal strings out).
    #[pyo3(signature = (cart, **fields))]
    fn price_cart<'py>(
        &self,
        py: Python<'py>,
        cart: &Bound<'py, PyAny>,
        fields: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut req = Request::new(py);
        req.set("cart", Some(cart))?;
        req.extend(fields)?;
        self.query(py, Operation::PriceCart, req)
    }

    /// Bundles mined from what is bought together, with a margin-safe discount and exact "Save $X (Y%)" text.
    #[pyo3(signature = (**fields))]
    fn suggest_bundles<'py>(
        &self,
        py: Python<'py>,
        fields: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut req = Request::new(py);
        req.extend(fields)?;
        self.query(py, Operation::SuggestBundles, req)
    }

    /// The variant of an experiment a visitor gets: deterministic, sticky, stateless. `experiments` (a list of
    /// definition dicts) replaces the ones stored at training.
    #[pyo3(signature = (experiment, visitor_id, *, experiments=None, **fields))]
    fn assign<'py>(
        &self,
        py: Python<'py>,
        experiment: &Bound<'py, PyAny>,
        visitor_id: &Bound<'py, PyAny>,
        experiments: Option<&Bound<'py, PyAny>>,
        fields: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut req = Request::new(py);
        req.set("experiments", experiments)?;
        req.set("experiment", Some(experiment))?;
        req.set("visitor_id", Some(visitor_id))?;
        req.extend(fields)?;
        self.query(py, Operation::Assign, req)
    }

    /// The experiment report from definitions and events, both lists of dicts (read files in the caller).
    #[pyo3(signature = (*, experiments, events, **fields))]
    fn report<'py>(
        &self,
        py: Python<'py>,
        experiments: &Bound<'py, PyAny>,
        events: &Bound<'py, PyAny>,
        fields: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut req = Request::new(py);
        req.set("experiments", Some(experiments))?;
        req.set("events", Some(events))?;
        req.extend(fields)?;
        self.query(py, Operation::Report, req)
    }

    /// Apply price / availability / inventory changes; returns a NEW engine (this one is unchanged).
    fn update_products(&self, py: Python<'_>, updates: &Bound<'_, PyAny>) -> PyResult<Engine> {
        let updates = convert::to_json(updates).map_err(|e| errors::convert_err(py, "updates", e))?;
        let engine = self.inner.clone();
        let inner = run(py, move || engine.update_products_value(updates))?;
        Ok(Engine { inner })
    }

    /// What training read and how long each phase took.
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let v = serde_json::to_value(self.inner.stats())
            .map_err(|e| errors::to_py_err(py, &Error::new(ErrorCode::Internal, e.to_string())))?;
        convert::to_py(py, &v)
    }

    /// Benchmark hook: run `op` `iterations` times on one request entirely in Rust (GIL released) and
    /// return the seconds taken, so `bench/python_bench.py` can separate binding overhead from engine time.
    /// Only in wheels built with the `test-hooks` feature (tests/python/run.sh).
    #[cfg(feature = "test-hooks")]
    #[pyo3(signature = (op, iterations, request))]
    fn _time_query(&self, py: Python<'_>, op: &str, iterations: u64, request: &Bound<'_, PyAny>) -> PyResult<f64> {
        let op = Operation::from_name(op).map_err(|e| errors::to_py_err(py, &e))?;
        let request = convert::to_json(request).map_err(|e| errors::convert_err(py, "request", e))?;
        let engine = self.inner.clone();
        run(py, move || {
            let start = std::time::Instant::now();
            for _ in 0..iterations {
                std::hint::black_box(engine.query(op, request.clone())?);
            }
            Ok(start.elapsed().as_secs_f64())
        })
    }

    fn __repr__(&self) -> String {
        format!("<cartlift.{:?}>", self.inner)
    }
}

#[pymodule]
fn _cartlift(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", cartlift_core::VERSION)?;
    m.add_class::<Engine>()?;
    m.add_class::<counts::Counts>()?;
    errors::register(m)?;
    Ok(())
}
