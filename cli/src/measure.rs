//! `cartlift assign` and `cartlift report`: thin shells over `cartlift_core::measure`.

use cartlift_core::read_json_values;
use cartlift_core::Currency;
use cartlift_core::Error;
use cartlift_core::Source;
use cartlift_core::{report_html, report_table, EventLog, Experiments, ReportOptions, ReportResponse};
use clap::ValueEnum;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Json,
    Html,
}

fn load_experiments(path: &Path) -> Result<Experiments, Error> {
    let p = path.to_string_lossy().into_owned();
    Experiments::compile(&read_json_values(&Source::Path(p.clone()))?).map_err(|e| e.in_file(p))
}

/// One variant id per visitor, one per line, in order.
pub fn assign(
    experiments: &Path,
    experiment: &str,
    visitor: Option<String>,
    visitors: Option<PathBuf>,
) -> Result<(), Error> {
    let exps = load_experiments(experiments)?;
    let e = exps.get(experiment)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let io = |err: std::io::Error| Error::io(Path::new("<stdout>"), err);
    if let Some(v) = visitor {
        writeln!(out, "{}", e.assign(&v).id).map_err(io)?;
    }
    if let Some(path) = visitors {
        let file = std::fs::File::open(&path).map_err(|err| Error::io(&path, err))?;
        for line in std::io::BufReader::new(file).lines() {
            let line = line.map_err(|err| Error::io(&path, err))?;
            let id = line.trim();
            if id.is_empty() {
                continue;
            }
            writeln!(out, "{}", e.assign(id).id).map_err(io)?;
        }
    }
    out.flush().map_err(io)
}

#[allow(clippy::too_many_arguments)]
pub fn report_cmd(
    experiments: &Path,
    events: &Path,
    format: ReportFormat,
    currency: &str,
    window_hours: u32,
    mde: f64,
    out: Option<PathBuf>,
) -> Result<(), Error> {
    let exps = load_experiments(experiments)?;
    let mut opts = ReportOptions {
        currency: Currency::parse(currency)?,
        window_secs: window_hours as i64 * 3600,
        ..Default::default()
    };
    if !(mde > 0.0 && mde.is_finite()) {
        return Err(Error::invalid("mde", "mde is a positive relative lift such as 0.05"));
    }
    opts.mde = mde;
    let log = EventLog::read_path(&events.to_string_lossy(), opts.currency)?;
    let r = ReportResponse::build(&exps, &log, &opts);
    let text = match format {
        ReportFormat::Json => serde_json::to_string_pretty(&r.to_json()).expect("JSON serializes") + "\n",
        ReportFormat::Table => report_table(&r),
        ReportFormat::Html => report_html(&r),
    };
    match out {
        Some(p) => std::fs::write(&p, text).map_err(|e| Error::io(&p, e)),
        None => std::io::stdout().write_all(text.as_bytes()).map_err(|e| Error::io(Path::new("<stdout>"), e)),
    }
}
