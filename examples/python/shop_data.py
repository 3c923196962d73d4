"""A tiny demo catalog and order history shared by the examples (a real shop reads its exports)."""

from __future__ import annotations

from typing import Any

PRODUCTS: list[dict[str, Any]] = [
    {"id": "espresso-machine", "title": "Espresso machine", "price": "349.00", "category": "coffee"},
    {"id": "grinder", "title": "Burr grinder", "price": "129.00", "category": "coffee"},
    {"id": "beans", "title": "House beans 1kg", "price": "24.50", "category": "beans"},
    {"id": "milk-jug", "title": "Milk jug", "price": 18, "category": "accessories"},
    {"id": "tamper", "title": "Tamper", "price": "29.99", "category": "accessories"},
]

ORDERS: list[dict[str, Any]] = [
    {
        "id": str(i),
        "customer_id": f"cust-{i % 4}",
        "created_at": f"2026-03-{i + 1:02d}T09:00:00Z",
        "lines": [{"product_id": p, "quantity": 1} for p in lines],
    }
    for i, lines in enumerate(
        [
            ["espresso-machine", "grinder", "beans"],
            ["espresso-machine", "tamper"],
            ["espresso-machine", "grinder", "milk-jug"],
            ["grinder", "beans"],
            ["beans", "milk-jug"],
            ["espresso-machine", "beans"],
        ]
    )
]
