//! Human output: tables for the terminal, JSON for machines.

use crate::Format;
use cartlift_core::{CrossSellResponse, Engine, Error, PriceCartResponse, UpsellResponse};
use serde::Serialize;
use serde_json::Value;
use std::io::Write;
use std::path::Path;

/// JSON in the schema's field order (the bytes `recommend --batch` and `query` write), or the table.
pub fn print<T: Serialize>(format: Format, answer: &T, table: fn(&T) -> String) -> Result<(), Error> {
    match format {
        Format::Json => println!("{}", serde_json::to_string(answer).expect("JSON serializes")),
        Format::Table => print!("{}", table(answer)),
    }
    Ok(())
}

/// An enum (role, badge) by the name JSON gives it, so the table and the JSON agree; nothing for none.
fn json_name<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v).expect("names serialize") {
        Value::String(s) => s,
        _ => String::new(),
    }
}

pub fn cross_sell_table(a: &CrossSellResponse) -> String {
    let mut out = format!("{}\n", a.heading);
    if a.recommendations.is_empty() {
        out.push_str("  (no suggestions)\n");
    } else {
        out.push_str(&format!("      {:<48} {:>10} {:>7}\n", "product", "price", "score"));
    }
    for (i, r) in a.recommendations.iter().enumerate() {
        // JSON writes a non-finite score as null, which the table showed as 0.
        let score = if r.score.is_finite() { r.score } else { 0.0 };
        out.push_str(&format!(
            "  {:>2}. {:<48} {:>10} {:>7.3}\n",
            i + 1,
            format!("{} ({})", r.title, r.product_id),
            r.price,
            score
        ));
        for reason in &r.reasons {
            out.push_str(&format!("        - {}\n", reason.text));
        }
    }
    if !a.unknown_products.is_empty() {
        out.push_str(&format!("  (not in the model yet: {})\n", a.unknown_products.join(", ")));
    }
    out
}

pub fn upsell_table(a: &UpsellResponse) -> String {
    let options = &a.options;
    if options.is_empty() {
        let why: Vec<&str> = a.reasons.iter().map(|r| r.text.as_str()).collect();
        return format!(
            "No honest upsell for this product{}\n",
            if why.is_empty() { String::new() } else { format!(": {}", why.join("; ")) }
        );
    }
    let mut out = String::new();
    let width = 24;
    let row = |label: &str, cells: Vec<String>| {
        let mut line = format!("  {label:<18}");
        for c in cells {
            line.push_str(&format!("{c:<width$}"));
        }
        line.push('\n');
        line
    };
    out.push_str(&row("", options.iter().map(|o| format!("{} [{}]", o.product_id, json_name(&o.role))).collect()));
    out.push_str(&row("vs base", options.iter().map(|o| o.price_delta.clone()).collect()));
    out.push_str(&row("badge", options.iter().map(|o| json_name(&o.badge)).collect()));
    for r in &a.comparison.rows {
        out.push_str(&row(&r.attribute, r.values.clone()));
    }
    for o in options {
        for reason in &o.reasons {
            out.push_str(&format!("  {}: {}\n", o.product_id, reason.text));
        }
    }
    out
}

/// A discount as a price table shows it: `-12.50`, and nothing for none (not `-0.00`).
fn discount_cell(amount: &str) -> String {
    if amount.chars().all(|c| c == '0' || c == '.') {
        String::new()
    } else {
        format!("-{amount}")
    }
}

pub fn price_table(a: &PriceCartResponse) -> String {
    let row = |cells: [&str; 5]| {
        let [product, qty, unit, discount, total] = cells;
        format!("  {product:<20} {qty:>4} {unit:>11} {discount:>10} {total:>11}\n")
    };
    let mut out = row(["product", "qty", "unit price", "discount", "line total"]);
    for l in &a.lines {
        let (qty, discount) = (l.quantity.to_string(), discount_cell(&l.discount));
        out.push_str(&row([&l.product_id, &qty, &l.unit_price, &discount, &l.total]));
    }
    out.push_str(&format!("  subtotal {}  discount {}  total {} {}\n", a.subtotal, a.discount, a.total, a.currency));
    for ap in &a.applied {
        out.push_str(&format!("  applied {}: saves {}\n", ap.bundle_id, ap.saving));
    }
    for op in &a.opportunities {
        out.push_str(&format!("  tip: {}\n", op.text));
    }
    out
}

pub fn write_jsonl<T: Serialize>(path: &Path, items: &[T]) -> Result<(), Error> {
    let f = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut w = std::io::BufWriter::new(f);
    for it in items {
        serde_json::to_writer(&mut w, it).expect("records serialize");
        w.write_all(b"\n").map_err(|e| Error::io(path, e))?;
    }
    w.flush().map_err(|e| Error::io(path, e))
}

pub fn train_summary(engine: &Engine, elapsed: std::time::Duration, out: &Path) {
    let st = engine.stats();
    eprintln!(
        "trained: {} products ({} skipped), {} orders ({} skipped, {} lines with unknown products), {} pairs, {} customer pairs",
        st.products.loaded, st.products.skipped, st.orders.loaded, st.orders.skipped, st.unknown_product_lines, st.pairs, st.customer_pairs
    );
    if let Some(c) = &st.currency_from_orders {
        eprintln!("currency: {c}, taken from the orders (neither the products nor config.currency name one)");
    }
    let b = engine.summary();
    if st.events.loaded + st.events.skipped > 0 {
        eprintln!(
            "events: {} read ({} skipped); learned: declines of {} shoppers, substitutes of {} products",
            st.events.loaded, st.events.skipped, b.declining_shoppers, b.substitutes
        );
    }
    eprintln!(
        "learned: repurchase cycles of {} products{}",
        b.repurchase_cycles,
        if b.seasons { ", seasons" } else { "" }
    );
    // Each reason names its file (products, orders and events each have a line 2); inline records say which input.
    for (report, input) in [(&st.products, "products"), (&st.orders, "orders"), (&st.events, "events")] {
        let file = report.file.as_deref().unwrap_or(input);
        for r in &report.skipped_reasons {
            eprintln!(
                "  skipped {file}:line {}: {}{}",
                r.line,
                r.field.as_deref().map(|f| format!("{f}: ")).unwrap_or_default(),
                r.message
            );
        }
    }
    if let Some(t) = &st.tuning {
        eprintln!("{}", t.summary);
        if let Some(h) = &t.personal {
            eprintln!("{}", h.summary);
        }
    }
    let phases: Vec<String> = st.phases_ms.iter().map(|(n, ms)| format!("{n} {ms} ms")).collect();
    eprintln!(
        "phases: {} (total {:.2} s); model written to {}",
        phases.join(", "),
        elapsed.as_secs_f64(),
        out.display()
    );
}
