#!/usr/bin/env python3
"""Convert the UCI "Online Retail" data (a UK online gift shop, 2010-12-01..2011-12-09) into cartlift inputs.

For the benchmarks only: a third real set, unlike grocery (about 21 lines an order, many wholesale customers, no
categories). Nothing is downloaded; pass a local copy of the table (the UCI xlsx, or a CSV or parquet copy with its
columns InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice, CustomerID). Source: UCI Machine
Learning Repository, id 352, Daqing Chen, London South Bank University, DOI 10.24432/C5BW33, licence CC BY 4.0.

    build/venv-bench/bin/python bench/onlineretail.py SOURCE --out build/onlineretail   (an xlsx SOURCE needs openpyxl)

Rules:
* cancellations (InvoiceNo starting with C), quantities <= 0 or above 1000, prices <= 0, service codes (postage,
  fees, manual lines: POST, DOT, M, BANK CHARGES, C2, PADS, AMAZONFEE, B, CRUK, D, S, and codes without a digit) and
  rows without a customer are dropped;
* an invoice is an order at its earliest time (UK local time, written as UTC: the source names no zone); repeated
  lines of one product are merged (quantities summed, the first price kept);
* a product's `price` is its most common unit price (the lower on a tie), its `title` its most common description.
"""
import argparse
import json
import os
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

SERVICE_CODES = {"POST", "DOT", "M", "BANK CHARGES", "C2", "PADS", "AMAZONFEE", "B", "CRUK", "D", "S"}
MAX_QUANTITY = 1000


def cents(x):
    return str(Decimal(repr(float(x))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def read(path):
    if path.endswith(".parquet"):
        return pd.read_parquet(path)
    if path.endswith((".xlsx", ".xls")):
        return pd.read_excel(path)
    return pd.read_csv(path, encoding="latin1")


def kept_rows(df):
    df = df.assign(InvoiceNo=df["InvoiceNo"].astype(str).str.strip(),
                   StockCode=df["StockCode"].astype(str).str.strip())
    code = df["StockCode"].str.upper()
    keep = (~df["InvoiceNo"].str.upper().str.startswith("C")
            & (df["Quantity"] > 0) & (df["Quantity"] <= MAX_QUANTITY) & (df["UnitPrice"] > 0)
            & ~code.isin(SERVICE_CODES) & code.str.contains(r"\d", regex=True) & df["CustomerID"].notna())
    df = df[keep].copy()
    df["price"] = df["UnitPrice"].map(cents)
    df = df[df["price"] != "0.00"]
    df["at"] = pd.to_datetime(df["InvoiceDate"])
    df["customer"] = df["CustomerID"].astype("int64").astype(str)
    return df


def products(df):
    out = []
    for code, g in df.groupby("StockCode", sort=True):
        prices = Counter(g["price"])
        top = max(prices.values())
        price = min((p for p, n in prices.items() if n == top), key=Decimal)
        titles = Counter(t.strip() for t in g["Description"].dropna() if t.strip())
        title = min(titles, key=lambda t: (-titles[t], t)) if titles else code
        out.append({"id": code, "title": title, "price": price, "currency": "GBP"})
    return out


def orders(df):
    out = []
    for invoice, g in df.groupby("InvoiceNo", sort=False):
        lines = {}
        for code, quantity, price in zip(g["StockCode"], g["Quantity"], g["price"]):
            if code in lines:
                lines[code]["quantity"] += int(quantity)
            else:
                lines[code] = {"product_id": code, "quantity": int(quantity), "price": price}
        at = g["at"].min()
        order = {"id": invoice, "customer_id": g["customer"].iloc[0],
                 "created_at": at.strftime("%Y-%m-%dT%H:%M:%SZ"), "lines": list(lines.values())}
        out.append((at, invoice, order))
    out.sort(key=lambda t: (t[0], t[1]))
    return [o for _, _, o in out]


def write(path, records):
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source")
    ap.add_argument("--out", default="build/onlineretail")
    args = ap.parse_args()
    df = kept_rows(read(args.source))
    os.makedirs(args.out, exist_ok=True)
    ps, os_ = products(df), orders(df)
    write(os.path.join(args.out, "products.jsonl"), ps)
    write(os.path.join(args.out, "orders.jsonl"), os_)
    lines = sum(len(o["lines"]) for o in os_)
    print(f"wrote {len(ps)} products and {len(os_)} orders ({lines} lines) to {args.out}")


if __name__ == "__main__":
    main()
