//! The report for people: a terminal table, and one self-contained HTML page with inline SVG charts
//! (AOV and attachment rate per variant with their 95% intervals). Both render the JSON report.

use serde_json::Value;

fn s(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "-".to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

fn pct(v: &Value) -> String {
    v.as_f64().map(|x| format!("{:.2}%", x * 100.0)).unwrap_or_else(|| "-".into())
}

/// A p-value as people read it: below 0.0001 says so rather than printing 0.0000.
fn p_value(p: f64) -> String {
    if p < 1e-4 {
        "p<0.0001".to_string()
    } else {
        format!("p={p:.4}")
    }
}

fn lift(v: &Value) -> String {
    if v.is_null() {
        return "-".into();
    }
    let f = |k: &str| v[k].as_f64().unwrap_or(f64::NAN);
    if v.get("relative").is_some() {
        format!(
            "{:+.2}% [{:+.2}%, {:+.2}%] {}",
            f("relative") * 100.0,
            f("relative_ci_low") * 100.0,
            f("relative_ci_high") * 100.0,
            p_value(f("p_value"))
        )
    } else {
        format!(
            "{:+.2}pp [{:+.2}, {:+.2}] {}",
            f("estimate") * 100.0,
            f("ci_low") * 100.0,
            f("ci_high") * 100.0,
            p_value(f("p_value"))
        )
    }
}

/// Plain-text table for the terminal.
pub fn table(report: &Value) -> String {
    let mut out = String::new();
    let ev = &report["events"];
    out.push_str(&format!(
        "events: {} read, {} valid, {} malformed, {} duplicates, {} out of order, {} unmatched clicks\n",
        s(&ev["read"]),
        s(&ev["valid"]),
        s(&ev["malformed"]),
        s(&ev["duplicates"]),
        s(&ev["out_of_order"]),
        s(&ev["unmatched_clicks"])
    ));
    for m in ev["malformed_examples"].as_array().into_iter().flatten().take(5) {
        out.push_str(&format!("  malformed event #{}: {}: {}\n", s(&m["index"]), s(&m["field"]), s(&m["message"])));
    }
    let cur = s(&report["currency"]);
    for e in report["experiments"].as_array().into_iter().flatten() {
        table_experiment(&mut out, e, &cur);
    }
    out
}

/// One experiment's lines: its variants, each variant's lifts against control, and weeks.
fn table_experiment(out: &mut String, e: &Value, cur: &str) {
    out.push_str(&format!("\nexperiment {} (control: {})\n", s(&e["id"]), s(&e["control"])));
    out.push_str(&format!(
        "  {:<14} {:>9} {:>7} {:>8} {:>12} {:>10} {:>9} {:>8}\n",
        "variant",
        "visitors",
        "orders",
        "conv",
        format!("AOV {cur}"),
        "rev/visit",
        "attach",
        "CTR"
    ));
    for v in e["variants"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "  {:<14} {:>9} {:>7} {:>8} {:>12} {:>10} {:>9} {:>8}\n",
            s(&v["variant"]),
            s(&v["visitors"]),
            s(&v["orders"]),
            pct(&v["conversion_rate"]),
            s(&v["aov"]),
            s(&v["revenue_per_visitor"]),
            pct(&v["attachment_rate"]),
            pct(&v["click_through_rate"])
        ));
    }
    for v in
        e["variants"].as_array().into_iter().flatten().filter(|v| !v["aov_lift"].is_null() || v["control"] == false)
    {
        if v["control"] == true {
            continue;
        }
        out.push_str(&format!("  {} vs {}:\n", s(&v["variant"]), s(&e["control"])));
        out.push_str(&format!("    AOV lift          {}\n", lift(&v["aov_lift"])));
        out.push_str(&format!("    rev/visitor lift  {}\n", lift(&v["revenue_per_visitor_lift"])));
        out.push_str(&format!("    conversion        {}\n", lift(&v["conversion_lift"])));
        out.push_str(&format!("    attachment        {}\n", lift(&v["attachment_lift"])));
        if !v["power"].is_null() {
            out.push_str(&format!(
                "    to detect a {:.1}% lift in revenue per visitor at 80% power: {} visitors per variant ({} more)\n",
                v["power"]["mde"].as_f64().unwrap_or(0.0) * 100.0,
                s(&v["power"]["visitors_needed_per_variant"]),
                s(&v["power"]["more_visitors_needed"])
            ));
        }
    }
    let weeks = e["weeks"].as_array().cloned().unwrap_or_default();
    if !weeks.is_empty() {
        out.push_str("  by week (AOV per variant):\n");
        for w in weeks {
            let cells: Vec<String> = w["variants"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|v| format!("{} {} ({} orders)", s(&v["variant"]), s(&v["aov"]), s(&v["orders"])))
                .collect();
            out.push_str(&format!("    {}  {}\n", s(&w["week"]), cells.join("  ")));
        }
    }
}

fn esc(t: &str) -> String {
    t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// One bar: label, value, 95% interval.
type Bar = (String, Option<f64>, Option<(f64, f64)>);

/// A horizontal bar chart with interval whiskers.
fn chart(title: &str, rows: &[Bar], fmt: &dyn Fn(f64) -> String) -> String {
    let (w, row_h, left, right) = (640.0, 34.0, 130.0, 90.0);
    let h = 40.0 + row_h * rows.len() as f64;
    let max = rows
        .iter()
        .flat_map(|(_, v, ci)| [v.unwrap_or(0.0), ci.map(|c| c.1).unwrap_or(0.0)])
        .fold(0.0f64, f64::max)
        .max(1e-12);
    let x = |v: f64| left + (w - left - right) * (v.max(0.0) / max);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{t}\">\
<text x=\"0\" y=\"18\" font-size=\"15\" font-weight=\"600\">{t}</text>",
        t = esc(title)
    );
    for (i, (label, v, ci)) in rows.iter().enumerate() {
        let y = 32.0 + row_h * i as f64;
        svg.push_str(&format!("<text x=\"0\" y=\"{}\" font-size=\"13\">{}</text>", y + 17.0, esc(label)));
        if let Some(v) = v {
            svg.push_str(&format!(
                "<rect x=\"{left}\" y=\"{}\" width=\"{:.1}\" height=\"20\" fill=\"{}\"/>",
                y + 3.0,
                x(*v) - left,
                if i == 0 { "#9aa5b1" } else { "#3b82f6" }
            ));
            if let Some((lo, hi)) = ci {
                let cy = y + 13.0;
                svg.push_str(&format!(
                    "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{cy}\" y2=\"{cy}\" stroke=\"#111\" stroke-width=\"1.5\"/>\
<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{}\" y2=\"{}\" stroke=\"#111\"/><line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{}\" y2=\"{}\" stroke=\"#111\"/>",
                    x(*lo), x(*hi), x(*lo), x(*lo), cy - 6.0, cy + 6.0, x(*hi), x(*hi), cy - 6.0, cy + 6.0
                ));
            }
            svg.push_str(&format!(
                "<text x=\"{:.1}\" y=\"{}\" font-size=\"12\">{}</text>",
                w - right + 6.0,
                y + 17.0,
                esc(&fmt(*v))
            ));
        } else {
            svg.push_str(&format!(
                "<text x=\"{left}\" y=\"{}\" font-size=\"12\" fill=\"#666\">no data</text>",
                y + 17.0
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

fn ci_of(v: &Value) -> Option<(f64, f64)> {
    Some((v.get(0)?.as_f64()?, v.get(1)?.as_f64()?))
}

/// One self-contained HTML page (no scripts, no external files).
pub fn html(report: &Value) -> String {
    let cur = s(&report["currency"]);
    let mut body = String::new();
    let ev = &report["events"];
    body.push_str(&format!(
        "<p class=\"muted\">{} events read, {} valid, {} malformed, {} duplicates (counted once), {} out of order (sorted). Attribution window {} hours.</p>",
        s(&ev["read"]), s(&ev["valid"]), s(&ev["malformed"]), s(&ev["duplicates"]), s(&ev["out_of_order"]), s(&report["attribution_window_hours"])
    ));
    for e in report["experiments"].as_array().into_iter().flatten() {
        html_experiment(&mut body, e, &cur);
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>cartlift experiment report</title>\
<style>body{{font-family:system-ui,sans-serif;max-width:900px;margin:2em auto;padding:0 1em;color:#111}}\
table{{border-collapse:collapse;margin:1em 0}}td,th{{border-bottom:1px solid #ddd;padding:4px 8px;text-align:right}}\
td:first-child,th:first-child{{text-align:left}}.muted{{color:#555}}svg{{display:block;margin:1em 0}}</style></head>\
<body><h1>Experiment report</h1>{body}</body></html>\n"
    )
}

/// One experiment's section: its charts, variants, placements, power and weeks.
fn html_experiment(body: &mut String, e: &Value, cur: &str) {
    let vs = e["variants"].as_array().cloned().unwrap_or_default();
    body.push_str(&format!("<h2>Experiment {}</h2>", esc(&s(&e["id"]))));
    // Control first, so the grey bar is the baseline.
    let mut ordered: Vec<&Value> = vs.iter().filter(|v| v["control"] == true).collect();
    ordered.extend(vs.iter().filter(|v| v["control"] != true));
    let aov_rows: Vec<_> = ordered
        .iter()
        .map(|v| (s(&v["variant"]), v["aov"].as_str().and_then(|a| a.parse::<f64>().ok()), ci_of(&v["aov_ci"])))
        .collect();
    let att_rows: Vec<_> = ordered
        .iter()
        .map(|v| (s(&v["variant"]), v["attachment_rate"].as_f64(), ci_of(&v["attachment_rate_ci"])))
        .collect();
    let c2 = cur.to_string();
    body.push_str(&chart("Average order value (95% interval)", &aov_rows, &move |x| format!("{x:.2} {c2}")));
    body.push_str(&chart("Attachment rate (95% Wilson interval)", &att_rows, &|x| format!("{:.1}%", x * 100.0)));
    html_variants(body, &ordered);
    html_placements(body, &ordered);
    for v in ordered.iter().filter(|v| !v["power"].is_null()) {
        body.push_str(&format!(
            "<p>To detect a {:.1}% lift in revenue per visitor ({} vs control) at 80% power: {} visitors per variant, {} more than now.</p>",
            v["power"]["mde"].as_f64().unwrap_or(0.0) * 100.0,
            esc(&s(&v["variant"])),
            s(&v["power"]["visitors_needed_per_variant"]),
            s(&v["power"]["more_visitors_needed"])
        ));
    }
    html_weeks(body, e, &vs);
}

/// The variants' table, control first.
fn html_variants(body: &mut String, ordered: &[&Value]) {
    body.push_str("<table><tr><th>variant</th><th>visitors</th><th>orders</th><th>conversion</th><th>AOV</th><th>revenue / visitor</th><th>attachment</th><th>CTR</th><th>AOV lift vs control</th></tr>");
    for v in ordered {
        body.push_str(&format!(
            "<tr><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&s(&v["variant"])),
            if v["control"] == true { " (control)" } else { "" },
            s(&v["visitors"]), s(&v["orders"]), pct(&v["conversion_rate"]), esc(&s(&v["aov"])), esc(&s(&v["revenue_per_visitor"])),
            pct(&v["attachment_rate"]), pct(&v["click_through_rate"]), esc(&lift(&v["aov_lift"]))
        ));
    }
    body.push_str("</table>");
}

/// Per placement: where the recommendations were shown and how each placement did (nothing when none was).
fn html_placements(body: &mut String, ordered: &[&Value]) {
    let placed: Vec<(String, String, &Value)> = ordered
        .iter()
        .flat_map(|v| {
            v["placements"].as_object().into_iter().flatten().map(move |(p, x)| (s(&v["variant"]), p.clone(), x))
        })
        .collect();
    if placed.is_empty() {
        return;
    }
    body.push_str("<h3>By placement</h3><table><tr><th>variant</th><th>placement</th><th>impressions</th><th>CTR</th><th>attached orders</th><th>attachment</th><th>attributed revenue</th></tr>");
    for (variant, placement, x) in placed {
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&variant),
            esc(&placement),
            s(&x["impressions"]),
            pct(&x["click_through_rate"]),
            s(&x["attached_orders"]),
            pct(&x["attachment_rate"]),
            esc(&s(&x["attributed_revenue"]))
        ));
    }
    body.push_str("</table>");
}

/// AOV and orders per week and variant (nothing without weeks).
fn html_weeks(body: &mut String, e: &Value, vs: &[Value]) {
    let weeks = e["weeks"].as_array().cloned().unwrap_or_default();
    if weeks.is_empty() {
        return;
    }
    body.push_str("<h3>By week</h3><table><tr><th>week</th>");
    for v in vs {
        body.push_str(&format!("<th>{} AOV (orders)</th>", esc(&s(&v["variant"]))));
    }
    body.push_str("</tr>");
    for w in weeks {
        body.push_str(&format!("<tr><td>{}</td>", s(&w["week"])));
        for v in w["variants"].as_array().into_iter().flatten() {
            body.push_str(&format!("<td>{} ({})</td>", esc(&s(&v["aov"])), s(&v["orders"])));
        }
        body.push_str("</tr>");
    }
    body.push_str("</table>");
}
