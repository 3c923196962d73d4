"""Partial training: counts of shards split by customer, merged through bytes and finished, answer exactly as
`Engine.train` on the same files with the same explicit config."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest

import cartlift
from conftest import ORDERS, PRODUCTS

DATA = Path(__file__).resolve().parents[1] / "data" / "completejourney-3000"

# Explicit, so training does not tune; personal signals learned from orders one by one (histories, buy-again,
# seasons) are off, as an engine finished from counts does not have them (README, "Training on Spark").
CONFIG: dict[str, Any] = {
    "measure": "default",
    "customer_weight": 0.3,
    "store_customer_history": False,
    "use_buy_again": False,
    "use_seasonal": False,
}


def shards(orders: list[dict[str, Any]], n: int) -> list[list[dict[str, Any]]]:
    """Orders split by customer (every order of a customer in one shard), in file order."""
    out: list[list[dict[str, Any]]] = [[] for _ in range(n)]
    for o in orders:
        out[sum(map(ord, o.get("customer_id") or "")) % n].append(o)
    return out


def counts_of(products: Any, parts: list[list[dict[str, Any]]], config: dict[str, Any]) -> cartlift.Counts:
    """Each shard counted with the newest order of all as reference, sent as bytes, merged."""
    newest = max(filter(None, (cartlift.Counts.newest_order_at(products, p) for p in parts)))
    shard_config = {**config, "decay_reference": newest}
    blobs = [cartlift.Counts.from_orders(products, p, config=shard_config).to_bytes() for p in parts]
    merged = blobs[0]
    for b in blobs[1:]:
        merged = cartlift.Counts.merge_bytes(merged, b)
    return cartlift.Counts.from_bytes(merged)


def carts(product_ids: list[str]) -> list[list[str]]:
    return [[p] for p in product_ids] + [[a, b] for a, b in zip(product_ids, product_ids[7:])]


def assert_same_cross_sell(a: cartlift.Engine, b: cartlift.Engine, product_ids: list[str]) -> None:
    for cart in carts(product_ids):
        for extra in ({}, {"customer_id": "900"}, {"placement": "checkout"}):
            assert a.cross_sell(cart, limit=10, **extra) == b.cross_sell(cart, limit=10, **extra), cart


def test_shards_merged_answer_as_training_on_the_grocery_sample() -> None:
    orders = [json.loads(line) for line in (DATA / "orders.jsonl").read_text().splitlines() if line.strip()]
    products = str(DATA / "products.jsonl")
    trained = cartlift.Engine.train(products, str(DATA / "orders.jsonl"), config=CONFIG)
    counts = counts_of(products, shards(orders, 3), CONFIG)
    assert counts.orders == len(orders) and counts.pairs > 0
    finished = cartlift.Engine.from_counts(counts, products, config=CONFIG)
    bought = sorted({line["product_id"] for o in orders for line in o["lines"]})
    assert len(bought) > 300
    assert_same_cross_sell(finished, trained, bought[:: max(1, len(bought) // 300)])


def test_auto_falls_back_as_training_does_on_a_small_shop() -> None:
    trained = cartlift.Engine.train(PRODUCTS, ORDERS)
    finished = cartlift.Engine.from_counts(counts_of(PRODUCTS, shards(ORDERS, 2), {}), PRODUCTS)
    assert "not tuned" in finished.stats()["tuning"]["summary"]
    ids = [p["id"] for p in PRODUCTS]
    for cart in carts(ids):
        assert finished.cross_sell(cart) == trained.cross_sell(cart)


def test_counts_pickle_and_damage_is_corrupt_model() -> None:
    counts = cartlift.Counts.from_orders(PRODUCTS, ORDERS)
    again = pickle.loads(pickle.dumps(counts))
    assert again.to_bytes() == counts.to_bytes() and again.orders == len(ORDERS)
    blob = counts.to_bytes()
    for bad in (blob[:-1], blob[:10], blob[:30] + bytes([blob[30] ^ 0xFF]) + blob[31:], b"", b"CARTLIFT" + blob[8:]):
        with pytest.raises(cartlift.CorruptModel):
            cartlift.Counts.from_bytes(bad)


def test_counts_that_do_not_belong_together_refuse() -> None:
    a = cartlift.Counts.from_orders(PRODUCTS, ORDERS[:5])
    b = cartlift.Counts.from_orders(PRODUCTS, ORDERS[5:])  # another newest order: another decay reference
    with pytest.raises(cartlift.InvalidInput, match="decay_reference"):
        a.merge(b)
    with pytest.raises(cartlift.InvalidInput, match="another catalog"):
        cartlift.Engine.from_counts(a, PRODUCTS[:-1])
