"""include/cartlift.schema.json against what the engine accepts: the train requests and records the tests and
examples use validate, and on requests built to probe one rule (a float price, an unknown config key, a Shopify
payload, every config default) the schema and the engine give the same verdict. The schema is generated from the
Rust types (scripts/gen-schema.sh); this checks that the generated description says what serde really reads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

import cartlift

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = json.loads((ROOT / "include" / "cartlift.schema.json").read_text())
VECTORS = ROOT / "tests" / "vectors"
SHOPIFY = ROOT / "tests" / "data" / "shopify"


def validator(definition: str) -> Draft7Validator:
    return Draft7Validator({"$ref": f"#/definitions/{definition}", "definitions": DOCUMENT["definitions"]})


TRAIN = validator("TrainRequest")


def errors(v: Draft7Validator, value: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in v.iter_errors(value)]


def _train_requests() -> list[tuple[str, dict[str, Any], bool]]:
    """(name, request, whether the engine trains it) of every vector store and `train` case."""
    found = []
    for store in sorted(p for p in VECTORS.iterdir() if (p / "train.json").is_file()):
        found.append((f"{store.name}/train.json", json.loads((store / "train.json").read_text()), True))
        for case in sorted((store / "cases").glob("*.json")):
            c = json.loads(case.read_text())
            if c["op"] == "train":
                found.append((f"{store.name}/{case.name}", c["request"], "error" not in c))
    return found


def test_vectors_hold_train_requests() -> None:
    assert sum(1 for _, _, trains in _train_requests() if trains) >= 6


@pytest.mark.parametrize("name,request_,trains", _train_requests(), ids=[n for n, _, _ in _train_requests()])
def test_vector_train_requests_that_train_match_the_schema(name: str, request_: dict[str, Any], trains: bool) -> None:
    # Requests the engine refuses may be refused by the schema too (a float price) or only by the engine's
    # checks (mixed currencies, a negative quantity), which a schema does not express.
    if trains:
        assert errors(TRAIN, request_) == [], name


@pytest.mark.parametrize(
    "path,definition",
    [
        ("tests/data/completejourney-3000/products.jsonl", "ProductRecord"),
        ("tests/data/completejourney-3000/orders.jsonl", "OrderRecord"),
        ("examples/storefront/data/products.jsonl", "ProductRecord"),
    ],
)
def test_record_files_match_the_schema(path: str, definition: str) -> None:
    v = validator(definition)
    lines = [line for line in (ROOT / path).read_text().splitlines() if line.strip()]
    assert lines
    for n, line in enumerate(lines, 1):
        assert errors(v, json.loads(line)) == [], f"{path}:{n}"


def _defaults(definition: str) -> dict[str, Any]:
    props = DOCUMENT["definitions"][definition]["properties"]
    return {name: p["default"] for name, p in props.items() if "default" in p}


PRODUCTS: list[dict[str, Any]] = [
    {"id": "a", "title": "A", "price": "10.00", "category": "x"},
    {"id": "b", "title": "B", "price": 5, "attributes": {"gb": 128, "color": "red", "print": True}},
    {"id": "c", "price": "3.50", "tags": ["t"], "inventory": None, "compare_at_price": "4.00", "kind": "accessory"},
]
ORDERS: list[dict[str, Any]] = [
    {"id": 1, "customer_id": 7, "created_at": "2026-01-01T10:00:00Z",
     "lines": [{"product_id": "a"}, {"product_id": "b"}]},
    {"id": "2", "created_at": "2026-01-02T10:00:00Z", "currency": "USD",
     "lines": [{"product_id": "a", "quantity": 2, "price": "9.50"}, {"product_id": "c"}]},
]


def _shopify(name: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads((SHOPIFY / name).read_text())
    return value


# (name, train request, whether both the schema and the engine accept it)
PROBES: list[tuple[str, dict[str, Any], bool]] = [
    ("records", {"products": PRODUCTS, "orders": ORDERS}, True),
    ("every config default", {"products": PRODUCTS, "orders": ORDERS, "config": _defaults("Config")}, True),
    *[
        (f"measure {m}", {"products": PRODUCTS, "orders": ORDERS, "config": {"measure": m}}, True)
        for m in ["auto", "default", "confidence", "lift", "jaccard", "cosine", "asymmetric_cosine"]
    ],
    ("weights", {"products": PRODUCTS, "config": {"basket_weight": "inverse_sqrt", "cart_weight": "equal"}}, True),
    ("unset options", {"products": PRODUCTS, "orders": None, "config": {"currency": None, "top_k": None}}, True),
    ("unknown measure", {"products": PRODUCTS, "config": {"measure": "pearson"}}, False),
    ("unknown basket weight", {"products": PRODUCTS, "config": {"basket_weight": "log"}}, False),
    ("unknown config key", {"products": PRODUCTS, "config": {"currenc": "EUR"}}, False),
    ("config setting of another type", {"products": PRODUCTS, "config": {"min_support": "3"}}, False),
    ("float price", {"products": [{"id": "a", "price": 9.99}]}, False),
    ("product without price", {"products": [{"id": "a", "title": "A"}]}, False),
    ("unknown product field", {"products": [{"id": "a", "price": "1.00", "colour": "red"}]}, False),
    ("order without lines", {"products": PRODUCTS, "orders": [{"id": "1", "created_at": "2026-01-01T00:00:00Z"}]},
     False),
    ("order line of an object id", {"products": PRODUCTS, "orders": [
        {"id": "1", "created_at": "2026-01-01T00:00:00Z", "lines": [{"product_id": {"id": "a"}}]}]}, False),
    ("shopify product and order payloads", {
        "products": [
            _shopify("api_shopify_python_api_fixture_product.json"),
            _shopify("api_rest_2025-01_get_product_variants_with_compare_at.json"),
        ],
        "orders": [
            _shopify("api_shopify_python_api_fixture_order.json"),
            _shopify("api_rest_2025-01_get_order_450789469.json"),
        ],
    }, True),
    ("shopify webhook order", {"products": PRODUCTS, "orders": [
        _shopify("webhook_orders_create_devstore_hkd_2025_redacted.json")], "config": {"currency": "HKD"}}, True),
    ("records of the other inputs", {
        "products": PRODUCTS, "orders": ORDERS, "rules": [{"kind": "exclude", "target": {"category": "x"}}],
        "events": [], "experiments": [], "bundles": [], "skip_invalid": False,
    }, True),
]


@pytest.mark.parametrize("name,request_,valid", PROBES, ids=[n for n, _, _ in PROBES])
def test_schema_and_engine_agree(name: str, request_: dict[str, Any], valid: bool) -> None:
    assert (errors(TRAIN, request_) == []) == valid, (name, errors(TRAIN, request_))
    if valid:
        cartlift.Engine.train(**request_)
    else:
        with pytest.raises(cartlift.InvalidInput):
            cartlift.Engine.train(**request_)


def test_train_request_top_level_keys() -> None:
    # The bindings take the request's inputs as arguments; the JSON form (C, PHP) refuses other keys and
    # requires products, and so does the schema.
    assert errors(TRAIN, {"products": "p.jsonl", "order": "o.jsonl"})
    assert errors(TRAIN, {"orders": "o.jsonl"})
    assert errors(TRAIN, {"products": "p.jsonl", "orders": "o.jsonl", "skip_invalid": True}) == []
    props = DOCUMENT["definitions"]["TrainRequest"]["properties"]
    assert sorted(props) == sorted(
        ["products", "orders", "rules", "bundles", "config", "experiments", "events", "skip_invalid"]
    )
