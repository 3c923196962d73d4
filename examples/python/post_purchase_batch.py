"""Nightly batch job: for each order placed today, pick post-purchase email suggestions and write them as JSON Lines.

Usage: python post_purchase_batch.py OUT.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import cartlift
from shop_data import ORDERS, PRODUCTS


def suggestions(engine: cartlift.Engine, orders: list[dict[str, Any]], limit: int = 3) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for order in orders:
        cart = [str(line["product_id"]) for line in order["lines"]]
        answer = engine.cross_sell(
            cart,
            placement="post_purchase",
            customer_id=order.get("customer_id"),
            limit=limit,
        )
        out.append(
            {
                "order_id": order["id"],
                "customer_id": order.get("customer_id"),
                "heading": answer["heading"],
                "products": [
                    {"product_id": r["product_id"], "title": r["title"], "price": r["price"]}
                    for r in answer["recommendations"]
                ],
            }
        )
    return out


def main(out_path: Path) -> int:
    engine = cartlift.Engine.train(PRODUCTS, ORDERS)
    rows = suggestions(engine, ORDERS[-3:])
    with out_path.open("w") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")
    print(f"wrote {len(rows)} suggestion rows to {out_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "post_purchase.jsonl")))
