//! The report for people: a terminal table, and one self-contained HTML page with inline SVG charts
//! (AOV and attachment rate per variant with their 95% intervals). Both render the JSON report.

use super::events::Malformed;
use super::report::{ExperimentReport, Lift, PlacementReport, ReportResponse, VariantReport};

/// An optional text, "-" when absent.
fn or_dash(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("-")
}

/// A number as the JSON report writes it (24.0 stays "24.0"), so the pages and the JSON agree.
fn json_number(x: f64) -> String {
    serde_json::to_string(&x).expect("a float serializes")
}

/// A finite rate or statistic; the JSON report writes the others as null.
fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite())
}

fn pct(v: Option<f64>) -> String {
    finite(v).map(|x| format!("{:.2}%", x * 100.0)).unwrap_or_else(|| "-".into())
}

/// A p-value as people read it: below 0.0001 says so rather than printing 0.0000.
fn p_value(p: f64) -> String {
    if p < 1e-4 {
        "p<0.0001".to_string()
    } else {
        format!("p={p:.4}")
    }
}

/// A lift with its interval: relative when the control's value is known, else in percentage points.
fn lift(v: &Option<Lift>) -> String {
    let Some(l) = v else { return "-".into() };
    // The JSON report writes a non-finite number as null, which reads back as NaN.
    let pc = |x: f64| if x.is_finite() { x * 100.0 } else { f64::NAN };
    let p = p_value(l.p_value.unwrap_or(f64::NAN));
    match (l.relative, l.relative_ci_low, l.relative_ci_high) {
        (Some(r), Some(lo), Some(hi)) => format!("{:+.2}% [{:+.2}%, {:+.2}%] {p}", pc(r), pc(lo), pc(hi)),
        _ => format!("{:+.2}pp [{:+.2}, {:+.2}] {p}", pc(l.estimate), pc(l.ci_low), pc(l.ci_high)),
    }
}

/// Plain-text table for the terminal.
pub fn table(report: &ReportResponse) -> String {
    let mut out = String::new();
    let ev = &report.events;
    out.push_str(&format!(
        "events: {} read, {} valid, {} malformed, {} duplicates, {} out of order, {} unmatched clicks\n",
        ev.read, ev.valid, ev.malformed, ev.duplicates, ev.out_of_order, ev.unmatched_clicks
    ));
    for Malformed { index, field, message, .. } in ev.malformed_examples.iter().take(5) {
        out.push_str(&format!("  malformed event #{index}: {}: {message}\n", or_dash(field)));
    }
    for e in &report.experiments {
        table_experiment(&mut out, e, &report.currency);
    }
    out
}

/// One experiment's lines: its variants, each variant's lifts against control, and weeks.
fn table_experiment(out: &mut String, e: &ExperimentReport, cur: &str) {
    out.push_str(&format!("\nexperiment {} (control: {})\n", e.id, e.control));
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
    for v in &e.variants {
        out.push_str(&format!(
            "  {:<14} {:>9} {:>7} {:>8} {:>12} {:>10} {:>9} {:>8}\n",
            v.variant,
            v.visitors,
            v.orders,
            pct(v.conversion_rate),
            or_dash(&v.aov),
            or_dash(&v.revenue_per_visitor),
            pct(v.attachment_rate),
            pct(v.click_through_rate)
        ));
    }
    for v in e.variants.iter().filter(|v| !v.control) {
        out.push_str(&format!("  {} vs {}:\n", v.variant, e.control));
        out.push_str(&format!("    AOV lift          {}\n", lift(&v.aov_lift)));
        out.push_str(&format!("    rev/visitor lift  {}\n", lift(&v.revenue_per_visitor_lift)));
        out.push_str(&format!("    conversion        {}\n", lift(&v.conversion_lift)));
        out.push_str(&format!("    attachment        {}\n", lift(&v.attachment_lift)));
        if let Some(power) = &v.power {
            out.push_str(&format!(
                "    to detect a {:.1}% lift in revenue per visitor at 80% power: {} visitors per variant ({} more)\n",
                power.mde * 100.0,
                power.visitors_needed_per_variant,
                power.more_visitors_needed
            ));
        }
    }
    if !e.weeks.is_empty() {
        out.push_str("  by week (AOV per variant):\n");
        for w in &e.weeks {
            let cells: Vec<String> =
                w.variants.iter().map(|v| format!("{} {} ({} orders)", v.variant, or_dash(&v.aov), v.orders)).collect();
            out.push_str(&format!("    {}  {}\n", w.week, cells.join("  ")));
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

/// A 95% interval the chart can draw (the JSON report writes a non-finite bound as null).
fn ci_of(ci: Option<(f64, f64)>) -> Option<(f64, f64)> {
    ci.filter(|(lo, hi)| lo.is_finite() && hi.is_finite())
}

/// One self-contained HTML page (no scripts, no external files).
pub fn html(report: &ReportResponse) -> String {
    let ev = &report.events;
    let mut body = format!(
        "<p class=\"muted\">{} events read, {} valid, {} malformed, {} duplicates (counted once), {} out of order (sorted). Attribution window {} hours.</p>",
        ev.read, ev.valid, ev.malformed, ev.duplicates, ev.out_of_order, json_number(report.attribution_window_hours)
    );
    for e in &report.experiments {
        html_experiment(&mut body, e, &report.currency);
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
fn html_experiment(body: &mut String, e: &ExperimentReport, cur: &str) {
    body.push_str(&format!("<h2>Experiment {}</h2>", esc(&e.id)));
    // Control first, so the grey bar is the baseline.
    let mut ordered: Vec<&VariantReport> = e.variants.iter().filter(|v| v.control).collect();
    ordered.extend(e.variants.iter().filter(|v| !v.control));
    let aov_rows: Vec<Bar> = ordered
        .iter()
        .map(|v| (v.variant.clone(), v.aov.as_deref().and_then(|a| a.parse::<f64>().ok()), ci_of(v.aov_ci)))
        .collect();
    let att_rows: Vec<Bar> =
        ordered.iter().map(|v| (v.variant.clone(), finite(v.attachment_rate), ci_of(v.attachment_rate_ci))).collect();
    body.push_str(&chart("Average order value (95% interval)", &aov_rows, &|x| format!("{x:.2} {cur}")));
    body.push_str(&chart("Attachment rate (95% Wilson interval)", &att_rows, &|x| format!("{:.1}%", x * 100.0)));
    html_variants(body, &ordered);
    html_placements(body, &ordered);
    for v in &ordered {
        let Some(power) = &v.power else { continue };
        body.push_str(&format!(
            "<p>To detect a {:.1}% lift in revenue per visitor ({} vs control) at 80% power: {} visitors per variant, {} more than now.</p>",
            power.mde * 100.0,
            esc(&v.variant),
            power.visitors_needed_per_variant,
            power.more_visitors_needed
        ));
    }
    html_weeks(body, e);
}

/// The variants' table, control first.
fn html_variants(body: &mut String, ordered: &[&VariantReport]) {
    body.push_str("<table><tr><th>variant</th><th>visitors</th><th>orders</th><th>conversion</th><th>AOV</th><th>revenue / visitor</th><th>attachment</th><th>CTR</th><th>AOV lift vs control</th></tr>");
    for v in ordered {
        body.push_str(&format!(
            "<tr><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&v.variant),
            if v.control { " (control)" } else { "" },
            v.visitors, v.orders, pct(v.conversion_rate), esc(or_dash(&v.aov)), esc(or_dash(&v.revenue_per_visitor)),
            pct(v.attachment_rate), pct(v.click_through_rate), esc(&lift(&v.aov_lift))
        ));
    }
    body.push_str("</table>");
}

/// Per placement: where the recommendations were shown and how each placement did (nothing when none was).
fn html_placements(body: &mut String, ordered: &[&VariantReport]) {
    let placed: Vec<(&str, &str, &PlacementReport)> =
        ordered.iter().flat_map(|v| v.placements.iter().map(|(p, x)| (v.variant.as_str(), p.as_str(), x))).collect();
    if placed.is_empty() {
        return;
    }
    body.push_str("<h3>By placement</h3><table><tr><th>variant</th><th>placement</th><th>impressions</th><th>CTR</th><th>attached orders</th><th>attachment</th><th>attributed revenue</th></tr>");
    for (variant, placement, x) in placed {
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(variant),
            esc(placement),
            x.impressions,
            pct(x.click_through_rate),
            x.attached_orders,
            pct(x.attachment_rate),
            esc(&x.attributed_revenue)
        ));
    }
    body.push_str("</table>");
}

/// AOV and orders per week and variant (nothing without weeks).
fn html_weeks(body: &mut String, e: &ExperimentReport) {
    if e.weeks.is_empty() {
        return;
    }
    body.push_str("<h3>By week</h3><table><tr><th>week</th>");
    for v in &e.variants {
        body.push_str(&format!("<th>{} AOV (orders)</th>", esc(&v.variant)));
    }
    body.push_str("</tr>");
    for w in &e.weeks {
        body.push_str(&format!("<tr><td>{}</td>", w.week));
        for v in &w.variants {
            body.push_str(&format!("<td>{} ({})</td>", esc(or_dash(&v.aov)), v.orders));
        }
        body.push_str("</tr>");
    }
    body.push_str("</table>");
}
