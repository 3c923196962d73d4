//! Plain CSVs: `order_id,customer_id,created_at,product_id,quantity,price` (one row per line item) and a
//! products CSV whose columns are the JSON Lines field names (`tags` separated by commas inside the cell).

use crate::catalog::ProductRecord;
use crate::error::{Error, Result};
use crate::money::MoneyInput;
use crate::orders::{OrderLineRecord, OrderRecord};
use ahash::AHashMap;

/// A CSV record and its physical line.
pub(crate) type Record = (u64, csv::StringRecord);

/// Read a CSV with headers into (line number, column name -> cell) rows. Lines count from 1 at the header.
pub(crate) fn rows(text: &str) -> Result<(Vec<String>, Vec<Record>)> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| Error::invalid("", format!("CSV header: {e}")).at_line(1))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let mut out = Vec::new();
    // The csv crate's own line number is one short after CRLF line ends, so count from the byte offset.
    let bytes = text.as_bytes();
    let (mut counted_to, mut line) = (0usize, 1u64);
    for rec in reader.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            Error::invalid("", format!("malformed CSV: {e}")).at_line(line)
        })?;
        let mut start = rec.position().map(|p| p.byte() as usize).unwrap_or(0).min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        line += bytes[counted_to.min(start)..start].iter().filter(|&&b| b == b'\n').count() as u64;
        counted_to = counted_to.max(start);
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        out.push((line, rec));
    }
    Ok((headers, out))
}

/// Column lookup by (case-insensitive) header name.
pub(crate) struct Columns(AHashMap<String, usize>);

impl Columns {
    pub(crate) fn new(headers: &[String]) -> Self {
        Columns(headers.iter().enumerate().map(|(i, h)| (h.to_ascii_lowercase(), i)).collect())
    }
    /// The trimmed cell, or None when the column is missing or the cell empty.
    pub(crate) fn get<'r>(&self, rec: &'r csv::StringRecord, name: &str) -> Option<&'r str> {
        self.0.get(&name.to_ascii_lowercase()).and_then(|&i| rec.get(i)).map(str::trim).filter(|s| !s.is_empty())
    }
}

pub(crate) fn orders_from_csv(text: &str) -> Result<Vec<(u64, Result<OrderRecord>)>> {
    let (headers, rows) = rows(text)?;
    let cols = Columns::new(&headers);
    // Group line items by order id, keeping first-appearance order; an order's line is its first row's.
    let mut order_pos: AHashMap<String, usize> = AHashMap::new();
    let mut out: Vec<(u64, Result<OrderRecord>)> = Vec::new();
    for (line, rec) in rows {
        let parsed = (|| -> Result<(String, Option<String>, String, OrderLineRecord)> {
            let id = cols.get(&rec, "order_id").ok_or_else(|| Error::invalid("order_id", "missing order_id"))?;
            let product_id =
                cols.get(&rec, "product_id").ok_or_else(|| Error::invalid("product_id", "missing product_id"))?;
            let quantity = match cols.get(&rec, "quantity") {
                None => 1,
                Some(q) => {
                    q.parse::<i64>().map_err(|_| Error::invalid("quantity", format!("{q:?} is not an integer")))?
                }
            };
            let created_at =
                cols.get(&rec, "created_at").ok_or_else(|| Error::invalid("created_at", "missing created_at"))?;
            Ok((
                id.to_string(),
                cols.get(&rec, "customer_id").map(str::to_string),
                created_at.to_string(),
                OrderLineRecord {
                    product_id: product_id.to_string(),
                    quantity,
                    price: cols.get(&rec, "price").map(|p| MoneyInput::Text(p.to_string())),
                },
            ))
        })();
        match parsed {
            Err(e) => out.push((line, Err(e))),
            Ok((id, customer_id, created_at, l)) => match order_pos.get(&id) {
                Some(&pos) => {
                    if let (_, Ok(o)) = &mut out[pos] {
                        o.lines.push(l);
                    }
                }
                None => {
                    order_pos.insert(id.clone(), out.len());
                    out.push((line, Ok(OrderRecord { id, customer_id, created_at, currency: None, lines: vec![l] })));
                }
            },
        }
    }
    Ok(out)
}

pub(crate) fn products_from_csv(text: &str) -> Result<Vec<(u64, Result<ProductRecord>)>> {
    let (headers, rows) = rows(text)?;
    let cols = Columns::new(&headers);
    Ok(rows
        .into_iter()
        .map(|(line, rec)| {
            let mut obj = serde_json::Map::new();
            for (i, h) in headers.iter().enumerate() {
                let Some(cell) = rec.get(i).map(str::trim).filter(|c| !c.is_empty()) else { continue };
                let key = h.to_ascii_lowercase();
                let value = match key.as_str() {
                    "tags" => {
                        serde_json::json!(cell.split(',').map(str::trim).filter(|t| !t.is_empty()).collect::<Vec<_>>())
                    }
                    "available" => {
                        serde_json::json!(matches!(cell.to_ascii_lowercase().as_str(), "true" | "1" | "yes"))
                    }
                    "inventory" => match cell.parse::<i64>() {
                        Ok(n) => serde_json::json!(n),
                        Err(_) => {
                            return (line, Err(Error::invalid("inventory", format!("{cell:?} is not an integer"))))
                        }
                    },
                    _ => serde_json::Value::String(cell.to_string()),
                };
                obj.insert(key, value);
            }
            let _ = &cols;
            (line, crate::json::from_value::<ProductRecord>(&serde_json::Value::Object(obj)))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_order_rows() {
        let text = "order_id,customer_id,created_at,product_id,quantity,price\n\
                    1,c1,2024-01-01T00:00:00Z,A,1,9.99\n1,c1,2024-01-01T00:00:00Z,B,2,5\n2,,2024-01-02T00:00:00Z,A,1,\n";
        let rows = orders_from_csv(text).unwrap();
        assert_eq!(rows.len(), 2);
        let (line, o) = &rows[0];
        assert_eq!(*line, 2);
        assert_eq!(o.as_ref().unwrap().lines.len(), 2);
        assert!(rows[1].1.as_ref().unwrap().customer_id.is_none());
    }

    #[test]
    fn lines_are_physical_with_crlf_and_quoted_newlines() {
        for text in ["id,price\r\nA,1\r\n\"B\r\nb\",2\r\nC,3", "id,price\nA,1\n\"B\nb\",2\nC,3\n"] {
            let (_, rows) = rows(text).unwrap();
            let lines: Vec<u64> = rows.iter().map(|(l, _)| *l).collect();
            assert_eq!(lines, [2, 3, 5], "{text:?}");
        }
    }

    #[test]
    fn bad_quantity_names_line_and_field() {
        let text = "order_id,customer_id,created_at,product_id,quantity,price\n1,c,2024-01-01T00:00:00Z,A,x,1\n";
        let rows = orders_from_csv(text).unwrap();
        let e = rows[0].1.as_ref().unwrap_err();
        assert_eq!(rows[0].0, 2);
        assert_eq!(e.field.as_deref(), Some("quantity"));
    }
}
