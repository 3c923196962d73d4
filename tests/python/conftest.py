"""Shared fixtures: a small shop trained in memory with the real engine."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import cartlift

PRODUCTS: list[dict[str, Any]] = [
    {"id": "camera", "title": "Camera", "price": "499.00", "category": "cameras", "inventory": 5},
    {"id": "lens", "title": "Zoom lens", "price": Decimal("249.50"), "category": "lenses"},
    {"id": "bag", "title": "Camera bag", "price": 40, "category": "bags"},
    {"id": "card", "title": "SD card", "price": "19.99", "category": "accessories"},
    {"id": "tripod", "title": "Tripod", "price": "89.00", "category": "accessories"},
    {"id": "strap", "title": "Strap", "price": "15.00", "category": "accessories", "inventory": 0},
]


def _order(i: int, customer: str, *ids: str) -> dict[str, Any]:
    return {
        "id": str(i),
        "customer_id": customer,
        "created_at": f"2026-01-{i % 28 + 1:02d}T10:00:00Z",
        "lines": [{"product_id": p, "quantity": 1} for p in ids],
    }


ORDERS: list[dict[str, Any]] = (
    [_order(i, f"c{i % 5}", "camera", "lens", "card") for i in range(1, 9)]
    + [_order(i, f"c{i % 5}", "camera", "bag") for i in range(9, 13)]
    + [_order(i, f"c{i % 5}", "tripod", "card") for i in range(13, 16)]
)


@pytest.fixture(scope="session")
def engine() -> cartlift.Engine:
    return cartlift.Engine.train(PRODUCTS, ORDERS)
