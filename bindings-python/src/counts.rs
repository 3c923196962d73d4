//! `cartlift.Counts`: partial training for Spark and other sharded runs. Counting, merging, the bytes form
//! and finishing all live in the core (`cartlift_core::count_orders` and its kin); this translates arguments
//! and answers.

use crate::{errors, run, Engine, Request};
use cartlift_core::Counts as CoreCounts;
use cartlift_core::{Engine as CoreEngine, TrainRequest};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple, PyType};
use serde_json::Value;

/// Exact co-purchase counts of some orders (a shard split by customer). Merge shards, then finish an engine
/// with `Engine.from_counts`. Pickles via `to_bytes`.
#[pyclass(frozen, module = "cartlift", name = "Counts")]
pub struct Counts {
    inner: CoreCounts,
}

/// A train request of the given inputs (None ones left out), as the core reads it.
fn train_request(mut req: Request<'_>, skip_invalid: bool) -> PyResult<TrainRequest> {
    if skip_invalid {
        req.map.insert("skip_invalid".to_string(), Value::Bool(true));
    }
    let py = req.py;
    serde_json::from_value(req.value()).map_err(|e| errors::to_py_err(py, &e.into()))
}

fn to_bytes<'py>(py: Python<'py>, counts: &CoreCounts) -> PyResult<Bound<'py, PyBytes>> {
    let bytes = run(py, || Ok(counts.to_bytes()))?;
    Ok(PyBytes::new(py, &bytes))
}

#[pymethods]
impl Counts {
    /// Count `orders` (an iterable of order dicts or a path) against the catalog `products` with `config`.
    /// Shards to be merged need one `config.decay_reference` (see `newest_order_at`). `customer_pairs` counts
    /// customer-window pairs even when the config gives them no weight (for an experiment variant that does).
    /// `newest` (RFC 3339): the newest order of all shards, the end of the year seasons are learned from;
    /// default the decay reference (see `seasons_exact`).
    #[classmethod]
    #[pyo3(signature = (products, orders, *, config=None, skip_invalid=false, customer_pairs=false, newest=None))]
    #[allow(clippy::too_many_arguments)]
    fn from_orders(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        products: &Bound<'_, PyAny>,
        orders: &Bound<'_, PyAny>,
        config: Option<&Bound<'_, PyAny>>,
        skip_invalid: bool,
        customer_pairs: bool,
        newest: Option<String>,
    ) -> PyResult<Counts> {
        let mut req = Request::new(py);
        req.set_source("products", Some(products))?;
        req.set_source("orders", Some(orders))?;
        req.set("config", config)?;
        let req = train_request(req, skip_invalid)?;
        let inner = run(py, move || {
            let newest = newest.as_deref().map(|t| cartlift_core::parse_time(t, "newest")).transpose()?;
            cartlift_core::count_orders(&req, customer_pairs, newest)
        })?;
        Ok(Counts { inner })
    }

    /// The newest time (RFC 3339, UTC) of an order naming a catalog product, or None: the decay reference
    /// training on these orders alone would use. The newest over all shards is the one to count them with.
    #[staticmethod]
    #[pyo3(signature = (products, orders, *, config=None, skip_invalid=false))]
    fn newest_order_at(
        py: Python<'_>,
        products: &Bound<'_, PyAny>,
        orders: &Bound<'_, PyAny>,
        config: Option<&Bound<'_, PyAny>>,
        skip_invalid: bool,
    ) -> PyResult<Option<String>> {
        let mut req = Request::new(py);
        req.set_source("products", Some(products))?;
        req.set_source("orders", Some(orders))?;
        req.set("config", config)?;
        let req = train_request(req, skip_invalid)?;
        let newest = run(py, move || cartlift_core::newest_order_at(&req))?;
        Ok(newest.map(cartlift_core::format_time))
    }

    /// The first pass of a sharded run under `measure: "auto"` (the default): the tuner run on `orders` (every
    /// order, in file order, or the newest that fit the driver) as `Engine.train` runs it. Returns
    /// `{"config": ..., "tuning": ...}`: the config with every tuned setting written out, to count every shard
    /// and finish with, and the tuner's report for `Engine.from_counts(tuning=...)`; with a measure set, the
    /// config unchanged and `tuning` None.
    #[staticmethod]
    #[pyo3(signature = (products, orders, *, config=None, skip_invalid=false))]
    fn tune<'py>(
        py: Python<'py>,
        products: &Bound<'py, PyAny>,
        orders: &Bound<'py, PyAny>,
        config: Option<&Bound<'py, PyAny>>,
        skip_invalid: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut req = Request::new(py);
        req.set_source("products", Some(products))?;
        req.set_source("orders", Some(orders))?;
        req.set("config", config)?;
        let req = train_request(req, skip_invalid)?;
        let (config, tuning) = run(py, move || cartlift_core::tune_orders(&req))?;
        let answer = serde_json::json!({"config": config, "tuning": tuning});
        crate::convert::to_py(py, &answer)
    }

    /// The orders of one orders file's bytes (UTF-8), in any format `cartlift train` reads (JSON Lines, a JSON
    /// document, Shopify's order export CSV, the generic orders CSV; detected from the content), as JSON Lines
    /// records, one str per order in file order: how the Spark job reads CSV files, each whole, before it
    /// partitions the orders by customer. `file` names the file in errors; `skip_invalid` leaves out rows that
    /// do not parse.
    #[staticmethod]
    #[pyo3(signature = (data, *, file="orders", skip_invalid=false))]
    fn order_lines(py: Python<'_>, data: &Bound<'_, PyBytes>, file: &str, skip_invalid: bool) -> PyResult<Vec<String>> {
        let bytes = data.as_bytes();
        run(py, || {
            let text = std::str::from_utf8(bytes).map_err(|e| {
                cartlift_core::Error::invalid("", format!("file is not UTF-8 text (byte {})", e.valid_up_to()))
                    .in_file(file)
            })?;
            let records = cartlift_core::order_records(text, file, skip_invalid)?;
            Ok(records.iter().map(|r| serde_json::to_string(r).expect("an order record serializes")).collect())
        })
    }

    /// These counts plus `other`'s (a new object; both are unchanged). Both must come from one catalog and
    /// one config with one decay reference.
    fn merge(&self, py: Python<'_>, other: &Bound<'_, Counts>) -> PyResult<Counts> {
        let (mut inner, other) = (self.inner.clone(), other.get().inner.clone());
        run(py, || inner.merge(other))?;
        Ok(Counts { inner })
    }

    /// Merge two `to_bytes` blobs into the bytes of their sum (what a Spark `treeReduce` calls).
    #[staticmethod]
    fn merge_bytes<'py>(
        py: Python<'py>,
        a: &Bound<'py, PyBytes>,
        b: &Bound<'py, PyBytes>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        let merged = run(py, || {
            let mut sum = CoreCounts::from_bytes(a)?;
            sum.merge(CoreCounts::from_bytes(b)?)?;
            Ok(sum.to_bytes())
        })?;
        Ok(PyBytes::new(py, &merged))
    }

    /// Framed, checksummed bytes; `Counts.from_bytes` reads them back.
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        to_bytes(py, &self.inner)
    }

    /// Read `to_bytes` output; damaged bytes raise `CorruptModel`.
    #[classmethod]
    fn from_bytes(_cls: &Bound<'_, PyType>, py: Python<'_>, data: &Bound<'_, PyBytes>) -> PyResult<Counts> {
        let bytes = data.as_bytes();
        let inner = run(py, || CoreCounts::from_bytes(bytes))?;
        Ok(Counts { inner })
    }

    /// Orders counted (orders naming at least one catalog product).
    #[getter]
    fn orders(&self) -> u64 {
        self.inner.orders
    }

    /// Same-order pairs seen.
    #[getter]
    fn pairs(&self) -> usize {
        self.inner.pairs.len()
    }

    /// The decay reference the counts were made with (RFC 3339, UTC).
    #[getter]
    fn reference(&self) -> String {
        cartlift_core::format_time(self.inner.reference)
    }

    /// The newest order counted (RFC 3339, UTC), or None.
    #[getter]
    fn newest(&self) -> Option<String> {
        let at = self.inner.facts.as_ref()?.last_at;
        (at != i64::MIN).then(|| cartlift_core::format_time(at))
    }

    /// Whether seasons were counted up to the newest order (or no season can be seen): else count again with
    /// `newest=counts.newest`, as `Engine.from_counts` refuses them.
    #[getter]
    fn seasons_exact(&self) -> bool {
        self.inner.facts.as_ref().is_some_and(|f| f.seasons_exact(self.inner.first_at))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let from_bytes = py.get_type::<Counts>().getattr("from_bytes")?;
        let bytes = to_bytes(py, &slf.get().inner)?;
        PyTuple::new(py, [from_bytes, PyTuple::new(py, [bytes])?.into_any()])
    }

    fn __repr__(&self) -> String {
        format!("<cartlift.Counts orders={} pairs={}>", self.inner.orders, self.inner.pairs.len())
    }
}

/// `Engine.from_counts`: finish an engine from merged counts and the rest of a train request.
#[allow(clippy::too_many_arguments)]
pub fn finish(
    py: Python<'_>,
    counts: &Bound<'_, Counts>,
    products: &Bound<'_, PyAny>,
    rules: Option<&Bound<'_, PyAny>>,
    bundles: Option<&Bound<'_, PyAny>>,
    config: Option<&Bound<'_, PyAny>>,
    experiments: Option<&Bound<'_, PyAny>>,
    events: Option<&Bound<'_, PyAny>>,
    tuning: Option<&Bound<'_, PyAny>>,
    skip_invalid: bool,
) -> PyResult<Engine> {
    let mut req = Request::new(py);
    req.set_source("products", Some(products))?;
    req.set_source("rules", rules)?;
    req.set_source("bundles", bundles)?;
    req.set("config", config)?;
    req.set("experiments", experiments)?;
    req.set_source("events", events)?;
    let req = train_request(req, skip_invalid)?;
    let tuning = match tuning.filter(|t| !t.is_none()) {
        Some(t) => {
            let value = crate::convert::to_json(t).map_err(|e| errors::convert_err(py, "tuning", e))?;
            let report = serde_json::from_value(value).map_err(|e| {
                errors::to_py_err(py, &cartlift_core::Error::invalid("tuning", format!("not a tuning report: {e}")))
            })?;
            Some(report)
        }
        None => None,
    };
    let counts = &counts.get().inner;
    let inner = run(py, || CoreEngine::from_merged_counts(&req, counts, tuning))?;
    Ok(Engine { inner })
}
