"""Partial training: counts of shards split by customer, merged through bytes and finished, answer exactly as
`Engine.train` on the same files with the same explicit config."""

from __future__ import annotations

import json
import pickle
import time
from pathlib import Path
from typing import Any

import pytest

import cartlift
from conftest import ORDERS, PRODUCTS

DATA = Path(__file__).resolve().parents[1] / "data" / "completejourney-3000"

# Explicit, so training does not tune (an engine finished from counts takes the fallback of `auto`). Stored
# histories, buy-again and seasons stay on: they merge exactly too.
CONFIG: dict[str, Any] = {"measure": "default", "customer_weight": 0.3}


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


def test_auto_tuned_first_answers_as_training_tunes_on_the_grocery_sample() -> None:
    """Under `auto` (the default): the tuner's first pass on every order chooses what training chooses; shards
    counted and finished with that choice answer alike and keep its report."""
    orders = [json.loads(line) for line in (DATA / "orders.jsonl").read_text().splitlines() if line.strip()]
    products = str(DATA / "products.jsonl")
    trained = cartlift.Engine.train(products, str(DATA / "orders.jsonl"))
    tuned = cartlift.Counts.tune(products, str(DATA / "orders.jsonl"))
    assert tuned["tuning"] == trained.stats()["tuning"] and not tuned["tuning"]["fallback"]
    config = tuned["config"]
    finished = cartlift.Engine.from_counts(
        counts_of(products, shards(orders, 3), config), products, config=config, tuning=tuned["tuning"]
    )
    assert finished.stats()["tuning"] == trained.stats()["tuning"]
    bought = sorted({line["product_id"] for o in orders for line in o["lines"]})
    assert_same_cross_sell(finished, trained, bought[:: max(1, len(bought) // 300)])
    explicit = cartlift.Counts.tune(products, orders, config=CONFIG)
    assert explicit["tuning"] is None and explicit["config"]["measure"] == CONFIG["measure"]


DAY = 86_400


def _at(t: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def behaviour_store() -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Products, a year of orders and events that teach every signal learned besides counts: 30-day restockers
    of coffee beans (buy again), sunscreen selling in July (a season), stored histories, two cameras shoppers
    compare (substitutes) and a declined bag."""
    products: list[dict[str, Any]] = [
        {"id": i, "title": i, "price": price, "category": cat}
        for i, price, cat in [
            ("hat", "20.00", "hats"), ("sunscreen", "12.00", "care"), ("beans", "18.00", "coffee"),
            ("mug", "12.00", "mugs"), ("bag", "60.00", "bags"), ("cam-a", "500.00", "cameras"),
            ("cam-b", "600.00", "cameras"),
        ]
    ]
    products[5]["attributes"], products[6]["attributes"] = {"megapixels": 20}, {"megapixels": 24}
    orders: list[dict[str, Any]] = []

    def order(customer: str, t: int, items: list[str]) -> None:
        lines = [{"product_id": p, "quantity": 1} for p in items]
        orders.append({"id": f"o{len(orders)}", "customer_id": customer, "created_at": _at(t), "lines": lines})

    start = 1_704_448_800  # 2024-01-05T10:00:00Z
    for d in range(365):
        items = ["hat", "mug"] + (["sunscreen"] if 178 <= d <= 210 or d % 40 == 0 else [])
        order(f"c{d % 40}", start + d * DAY, items + (["bag"] if d % 5 == 0 else []))
    for k in range(6):
        for r in range(12):
            order(f"r{k}", start + r * 30 * DAY + k * 3600, ["beans", "mug"])
    order("cam-buyer", start + 9 * DAY, ["cam-a", "bag"])
    events: list[dict[str, Any]] = []
    for k in range(12):
        for p in ("cam-a", "cam-b"):
            events.append({"type": "view", "at": _at(start + 300 * DAY + k), "visitor_id": f"v{k}",
                           "session_id": f"s{k}", "product_id": p})
    events.append({"type": "decline", "at": _at(start + 360 * DAY), "visitor_id": "v1", "customer_id": "r1",
                   "product_id": "bag", "list_id": "l1"})
    return products, orders, events


def behaviour_queries() -> list[dict[str, Any]]:
    """Cross-sell requests reading buy-again, seasons, histories, substitutes and declines."""
    out = []
    for now in ("2024-07-10T00:00:00Z", "2024-12-20T00:00:00Z", "2025-01-20T00:00:00Z"):
        for customer in ("r0", "r1", "c3", "cam-buyer", "nobody"):
            for cart in (["hat"], ["mug"], ["cam-a"], ["sunscreen", "mug"]):
                out.append({"cart": cart, "customer_id": customer, "visitor_id": "v1", "now": now, "limit": 10})
    return out


def assert_reads_every_signal(answers: list[Any]) -> None:
    text = json.dumps(answers)
    for code in ("buy_again", "seasonal"):
        assert code in text, f"no answer reads {code}: the store must teach it"


def test_shards_merged_learn_buy_again_seasons_histories_and_events_as_training() -> None:
    products, orders, events = behaviour_store()
    trained = cartlift.Engine.train(products, orders, events=events, config=CONFIG)
    counts = counts_of(products, shards(orders, 3), CONFIG)
    finished = cartlift.Engine.from_counts(counts, products, config=CONFIG, events=events)
    answers = []
    for q in behaviour_queries():
        cart = q.pop("cart")
        answer = trained.cross_sell(cart, **q)
        assert finished.cross_sell(cart, **q) == answer, (cart, q)
        answers.append(answer)
    assert_reads_every_signal(answers)
    assert finished.upsell("cam-a") == trained.upsell("cam-a")
    assert any(o["product_id"] == "cam-b" for o in trained.upsell("cam-a")["options"])


def test_seasons_counted_to_a_reference_past_the_newest_order_are_counted_again() -> None:
    products, orders, _ = behaviour_store()
    config = {**CONFIG, "decay_reference": "2025-06-01T00:00:00Z"}
    counts = cartlift.Counts.from_orders(products, orders, config=config)
    assert not counts.seasons_exact and counts.newest is not None
    with pytest.raises(cartlift.InvalidInput, match="newest"):
        cartlift.Engine.from_counts(counts, products, config=config)
    again = cartlift.Counts.from_orders(products, orders, config=config, newest=counts.newest)
    assert again.seasons_exact
    trained = cartlift.Engine.train(products, orders, config=config)
    finished = cartlift.Engine.from_counts(again, products, config=config)
    for q in behaviour_queries():
        cart = q.pop("cart")
        assert finished.cross_sell(cart, **q) == trained.cross_sell(cart, **q)


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
