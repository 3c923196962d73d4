//! Human output: tables for the terminal, JSON for machines.

use crate::Format;
use cartlift_core::{Engine, Error};
use serde::Serialize;
use serde_json::Value;
use std::io::Write;
use std::path::Path;

pub fn print(format: Format, answer: &Value, table: fn(&Value) -> String) -> Result<(), Error> {
    match format {
        Format::Json => println!("{}", serde_json::to_string(answer).expect("JSON serializes")),
        Format::Table => print!("{}", table(answer)),
    }
    Ok(())
}

fn s(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

pub fn cross_sell_table(a: &Value) -> String {
    let mut out = format!("{}\n", s(&a["heading"]));
    let recs = a["recommendations"].as_array().cloned().unwrap_or_default();
    if recs.is_empty() {
        out.push_str("  (no suggestions)\n");
    } else {
        out.push_str(&format!("      {:<48} {:>10} {:>7}\n", "product", "price", "score"));
    }
    for (i, r) in recs.iter().enumerate() {
        out.push_str(&format!(
            "  {:>2}. {:<48} {:>10} {:>7.3}\n",
            i + 1,
            format!("{} ({})", s(&r["title"]), s(&r["product_id"])),
            s(&r["price"]),
            r["score"].as_f64().unwrap_or(0.0)
        ));
        for reason in r["reasons"].as_array().into_iter().flatten() {
            out.push_str(&format!("        - {}\n", s(&reason["text"])));
        }
    }
    if let Some(u) = a["unknown_products"].as_array() {
        out.push_str(&format!("  (not in the model yet: {})\n", u.iter().map(s).collect::<Vec<_>>().join(", ")));
    }
    out
}

pub fn upsell_table(a: &Value) -> String {
    let options = a["options"].as_array().cloned().unwrap_or_default();
    if options.is_empty() {
        let why: Vec<String> = a["reasons"].as_array().into_iter().flatten().map(|r| s(&r["text"])).collect();
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
    out.push_str(&row("", options.iter().map(|o| format!("{} [{}]", s(&o["product_id"]), s(&o["role"]))).collect()));
    out.push_str(&row("vs base", options.iter().map(|o| s(&o["price_delta"])).collect()));
    out.push_str(&row("badge", options.iter().map(|o| s(&o["badge"])).collect()));
    if let Some(rows) = a["comparison"]["rows"].as_array() {
        for r in rows {
            let cells = r["values"].as_array().map(|v| v.iter().map(s).collect()).unwrap_or_default();
            out.push_str(&row(&s(&r["attribute"]), cells));
        }
    }
    for o in &options {
        for reason in o["reasons"].as_array().into_iter().flatten() {
            out.push_str(&format!("  {}: {}\n", s(&o["product_id"]), s(&reason["text"])));
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

pub fn price_table(a: &Value) -> String {
    let row = |cells: [&str; 5]| {
        let [product, qty, unit, discount, total] = cells;
        format!("  {product:<20} {qty:>4} {unit:>11} {discount:>10} {total:>11}\n")
    };
    let mut out = row(["product", "qty", "unit price", "discount", "line total"]);
    for l in a["lines"].as_array().into_iter().flatten() {
        let discount = discount_cell(&s(&l["discount"]));
        out.push_str(&row([
            &s(&l["product_id"]),
            &s(&l["quantity"]),
            &s(&l["unit_price"]),
            &discount,
            &s(&l["total"]),
        ]));
    }
    out.push_str(&format!(
        "  subtotal {}  discount {}  total {} {}\n",
        s(&a["subtotal"]),
        s(&a["discount"]),
        s(&a["total"]),
        s(&a["currency"])
    ));
    for ap in a["applied"].as_array().into_iter().flatten() {
        out.push_str(&format!("  applied {}: saves {}\n", s(&ap["bundle_id"]), s(&ap["saving"])));
    }
    for op in a["opportunities"].as_array().into_iter().flatten() {
        out.push_str(&format!("  tip: {}\n", s(&op["text"])));
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
    }
    let phases: Vec<String> = st.phases_ms.iter().map(|(n, ms)| format!("{n} {ms} ms")).collect();
    eprintln!(
        "phases: {} (total {:.2} s); model written to {}",
        phases.join(", "),
        elapsed.as_secs_f64(),
        out.display()
    );
}
