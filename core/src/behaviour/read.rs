//! Events at training: the measurement parser, but a malformed event fails with its file and line (or
//! `events[i]`) like every other training input, unless `skip_invalid` counts and skips it.

use crate::catalog::{Catalog, ProductIdx};
use crate::error::{Error, Result};
use crate::input::{LoadReport, Skipped, Source};
use crate::measure::events::{Event, Kind};
use crate::money::Currency;

/// Events reduced to what training learns from, products interned (events naming unknown products dropped).
#[derive(Debug, Default)]
pub struct ReadEvents {
    /// (shopper, product, time): shopper is the customer id when given, else the visitor id.
    pub declines: Vec<(String, ProductIdx, i64)>,
    /// (session key, product): the session id when given, else visitor and UTC day.
    pub views: Vec<(String, ProductIdx)>,
    /// Newest event time (i64::MIN when none).
    pub newest: i64,
    pub report: LoadReport,
}

const KEPT_REASONS: usize = 20;

pub fn read_events(source: &Source, catalog: &Catalog, currency: Currency, skip_invalid: bool) -> Result<ReadEvents> {
    let mut out = ReadEvents { newest: i64::MIN, ..Default::default() };
    let take = |out: &mut ReadEvents,
                value: Result<serde_json::Value>,
                line: u64,
                at: &dyn Fn(Error) -> Error|
     -> Result<()> {
        let parsed = value.and_then(|v| Event::parse(&v, currency));
        match parsed {
            Ok(e) => {
                out.report.loaded += 1;
                learn(out, e, catalog);
                Ok(())
            }
            Err(e) if skip_invalid => {
                out.report.skipped += 1;
                if out.report.skipped_reasons.len() < KEPT_REASONS {
                    out.report.skipped_reasons.push(Skipped {
                        line,
                        field: e.field.clone(),
                        message: e.message.clone(),
                    });
                }
                Ok(())
            }
            Err(e) => Err(at(e)),
        }
    };
    match source {
        Source::Records(values) => {
            out.report.format = "records".to_string();
            for (i, v) in values.iter().enumerate() {
                take(&mut out, Ok(v.clone()), i as u64 + 1, &|e: Error| e.under(format!("events[{i}]")))?;
            }
        }
        Source::Path(p) => {
            out.report.file = Some(p.clone());
            let text = std::fs::read_to_string(p).map_err(|e| Error::io(std::path::Path::new(p), e))?;
            let t = text.trim_start();
            if t.starts_with('[') {
                out.report.format = "json".to_string();
                let values: Vec<serde_json::Value> =
                    serde_json::from_str(t).map_err(|e| Error::from(e).in_file(p.clone()))?;
                for (i, v) in values.into_iter().enumerate() {
                    take(&mut out, Ok(v), i as u64 + 1, &|e: Error| {
                        e.under(format!("events[{i}]")).in_file(p.clone())
                    })?;
                }
            } else {
                out.report.format = "jsonl".to_string();
                for (i, l) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
                    let line = i as u64 + 1;
                    let v = serde_json::from_str(l).map_err(Error::from);
                    take(&mut out, v, line, &|e: Error| e.at_line(line).in_file(p.clone()))?;
                }
            }
        }
    }
    Ok(out)
}

fn learn(out: &mut ReadEvents, e: Event, catalog: &Catalog) {
    out.newest = out.newest.max(e.at);
    match &e.kind {
        Kind::Decline { product_id, .. } => {
            if let Some(i) = catalog.get(product_id) {
                let who = e.customer_id.clone().unwrap_or_else(|| e.visitor_id.clone());
                out.declines.push((who, i, e.at));
            }
        }
        Kind::View { product_id } => {
            if let Some(i) = catalog.get(product_id) {
                let session = match &e.session_id {
                    Some(s) => format!("s:{s}"),
                    None => format!("v:{}:{}", e.visitor_id, e.at.div_euclid(super::DAY)),
                };
                out.views.push((session, i));
            }
        }
        _ => {}
    }
}
