"""include/cartlift.schema.json against what the engine accepts: the train requests and records the tests and
examples use validate, and on requests built to probe one rule (a float price, an unknown config key, a Shopify
payload, every config default, each kind of rule, bundle and event) the schema and the engine give the same
verdict; where only the engine can refuse (a check across fields or inputs), a probe says so. The schema is
generated from the Rust types (scripts/gen-schema.sh); this checks that the generated description says what the
parsers really read."""

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
        ("examples/storefront/data/rules.jsonl", "RuleRecord"),
        ("examples/storefront/data/bundles.jsonl", "BundleRecord"),
        ("examples/storefront/data/experiments.jsonl", "ExperimentRecord"),
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


# Rules, bundles, experiments and events: the records of the train request's other inputs.

_CASES = sorted(VECTORS.glob("*/cases/*.json"))


def _cases(ops: set[str]) -> list[tuple[str, dict[str, Any]]]:
    found = [(f"{c.parent.parent.name}/{c.name}", json.loads(c.read_text())) for c in _CASES]
    return [(name, c) for name, c in found if c["op"] in ops]


def closed(schema: Any) -> Any:
    """`schema` with every object that lists its properties closed to others: answers as the TypeScript types read
    them (gen-schema-types.js: "answers carry exactly the fields the schema lists"), and the Python TypedDicts."""
    if isinstance(schema, list):
        return [closed(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: closed(v) for k, v in schema.items()}
    if "properties" in out:
        out.setdefault("additionalProperties", False)
    return out


def operation(op: str, part: str) -> Draft7Validator:
    """The validator of an operation's `request` or (closed) `answer`."""
    schema = DOCUMENT["properties"][op]["properties"][part]
    if part == "answer":
        return Draft7Validator({**closed(schema), "definitions": closed(DOCUMENT["definitions"])})
    return Draft7Validator({**schema, "definitions": DOCUMENT["definitions"]})


_QUERIES = _cases(set(DOCUMENT["properties"]))


@pytest.mark.parametrize("name,case", _QUERIES, ids=[n for n, _ in _QUERIES])
def test_vector_requests_match_the_schema(name: str, case: dict[str, Any]) -> None:
    # Whole, as the JSON surface reads them: price_cart's extra bundles and assign's experiments (read as the train
    # request's records are), and the `experiment` and `visitor_id` of cross_sell, upsell and price_cart.
    if "error" not in case:
        assert errors(operation(case["op"], "request"), case["request"]) == [], name


@pytest.mark.parametrize("name,case", _QUERIES, ids=[n for n, _ in _QUERIES])
def test_vector_answers_match_the_schema(name: str, case: dict[str, Any]) -> None:
    # Every field of an answer is one the schema lists, `experiment: {id, variant}` of a request naming one too.
    if "response" in case:
        assert errors(operation(case["op"], "answer"), case["response"]) == [], name


def test_vectors_hold_answers_of_experiments() -> None:
    tagged = {c["op"] for _, c in _QUERIES if "experiment" in c.get("response", {}) and c["op"] != "assign"}
    assert tagged == {"cross_sell", "upsell", "price_cart"}


def test_vectors_hold_records_of_every_input() -> None:
    inputs = {k for _, request_, _ in _train_requests() for k in ("rules", "bundles", "experiments", "events")
              if request_.get(k)}
    assert inputs == {"rules", "bundles", "experiments", "events"}


def test_suggested_bundle_definitions_match_the_schema() -> None:
    # A suggestion's `definition` is one "the merchant can add to their bundles file as is".
    v = validator("BundleRecord")
    found = 0
    for name, case in _cases({"suggest_bundles"}):
        for suggestion in case.get("response", {}).get("bundles", []):
            found += 1
            assert errors(v, suggestion["definition"]) == [], name
    assert found


# (name, input, record, whether both the schema and the engine accept it). The engine trains on PRODUCTS and
# ORDERS with the one record as its input's only record.
RECORD_PROBES: list[tuple[str, str, dict[str, Any], bool]] = [
    # rules
    ("pin", "rules", {"kind": "pin", "products": ["a"]}, True),
    ("pin on cart pages", "rules", {"kind": "pin", "products": ["a"], "when": {"category": "x"},
                                    "placements": ["cart"]}, True),
    ("exclude", "rules", {"kind": "exclude", "target": {"category": "x"}}, True),
    ("complement", "rules", {"kind": "complement", "from": {"category": "x"}, "to": {"product_ids": ["b"]}}, True),
    ("boost", "rules", {"kind": "boost", "target": {"tag": "t"}, "factor": 1.5}, True),
    ("bury", "rules", {"kind": "bury", "target": {"vendor": "v"}}, True),
    ("price range", "rules", {"kind": "price_range"}, True),
    ("price range of money", "rules", {"kind": "price_range", "min": 1, "max": "20.00"}, True),
    ("nulls for rule defaults", "rules", {"kind": "exclude", "when": None, "target": {"tag": "t", "vendor": None}},
     True),
    ("unknown rule kind", "rules", {"kind": "promote", "target": {"category": "x"}}, False),
    ("rule without kind", "rules", {"target": {"category": "x"}}, False),
    ("unknown rule field", "rules", {"kind": "exclude", "target": {"category": "x"}, "factor": 2}, False),
    ("boost without factor", "rules", {"kind": "boost", "target": {"tag": "t"}}, False),
    ("pin without products", "rules", {"kind": "pin"}, False),
    ("unknown selector field", "rules", {"kind": "exclude", "target": {"categories": ["x"]}}, False),
    ("unknown placement", "rules", {"kind": "pin", "products": ["a"], "placements": ["home"]}, False),
    ("float price range", "rules", {"kind": "price_range", "min": 9.99}, False),
    # bundles: a minimal definition of each kind, a field another kind takes, a required field left out
    ("fixed", "bundles", {"id": "k", "kind": "fixed", "items": [{"product_id": "a"}], "price": "12.00"}, True),
    ("mix and match", "bundles", {"id": "m", "kind": "mix_and_match", "collection": {"category": "x"},
                                  "quantity": 2, "percent_off": 10}, True),
    ("volume", "bundles", {"id": "v", "kind": "volume", "collection": {"product_ids": ["a"]},
                           "tiers": [{"min_quantity": 2, "amount_off": "1.00"}]}, True),
    ("buy x get y", "bundles", {"id": "y", "kind": "buy_x_get_y", "buy": {"collection": {"category": "x"}},
                                "get": {"collection": {"product_ids": ["b"]}, "quantity": 1}, "percent_off": "100"},
     True),
    ("addon", "bundles", {"id": "d", "kind": "addon", "trigger": {"product_ids": ["a"]},
                          "target": {"product_ids": ["b"]}, "amount_off": 1}, True),
    ("threshold", "bundles", {"id": 7, "kind": "threshold", "min_subtotal": "50", "percent_off": 12.5}, True),
    ("every common field", "bundles", {
        "id": "c", "kind": "threshold", "min_subtotal": 50, "amount_off": "5", "title": "T", "priority": -1,
        "exclusive": True, "stackable": False, "starts_at": "2026-01-01T00:00:00Z", "ends_at": "2026-02-01T00:00:00Z",
        "max_applications": 3}, True),
    ("null optional fields", "bundles", {"id": "n", "kind": "addon", "trigger": {"product_ids": ["a"]},
                                         "target": {"product_ids": ["b"]}, "quantity": None, "price": None,
                                         "amount_off": None, "percent_off": "5", "title": None, "ends_at": None},
     True),
    ("item fields beyond the parser's", "bundles", {"id": "k", "kind": "fixed", "price": "12.00",
                                                    "items": [{"product_id": "a", "note": "ignored"}]}, True),
    ("fixed with a collection", "bundles", {"id": "k", "kind": "fixed", "items": [{"product_id": "a"}],
                                            "price": "12.00", "collection": {"category": "x"}}, False),
    ("mix and match with items", "bundles", {"id": "m", "kind": "mix_and_match", "collection": {"category": "x"},
                                             "quantity": 2, "percent_off": 10, "items": []}, False),
    ("volume with a price", "bundles", {"id": "v", "kind": "volume", "collection": {"product_ids": ["a"]},
                                        "tiers": [{"min_quantity": 2, "amount_off": "1.00"}], "price": "3"}, False),
    ("buy x get y with amount off", "bundles", {"id": "y", "kind": "buy_x_get_y", "buy": {"collection": {"tag": "t"}},
                                                "get": {"collection": {"tag": "t"}}, "amount_off": "1"}, False),
    ("addon with tiers", "bundles", {"id": "d", "kind": "addon", "trigger": {"product_ids": ["a"]},
                                     "target": {"product_ids": ["b"]}, "amount_off": 1, "tiers": []}, False),
    ("threshold with a price, even null", "bundles", {"id": "t", "kind": "threshold", "min_subtotal": "50",
                                                      "percent_off": 5, "price": None}, False),
    ("fixed without items", "bundles", {"id": "k", "kind": "fixed", "price": "12.00"}, False),
    ("mix and match without quantity", "bundles", {"id": "m", "kind": "mix_and_match",
                                                   "collection": {"category": "x"}, "percent_off": 10}, False),
    ("volume without tiers", "bundles", {"id": "v", "kind": "volume", "collection": {"category": "x"}}, False),
    ("buy x get y without percent", "bundles", {"id": "y", "kind": "buy_x_get_y", "buy": {"collection": {"tag": "t"}},
                                                "get": {"collection": {"tag": "t"}}}, False),
    ("addon without target", "bundles", {"id": "d", "kind": "addon", "trigger": {"product_ids": ["a"]},
                                         "amount_off": 1}, False),
    ("threshold of a null subtotal", "bundles", {"id": "t", "kind": "threshold", "min_subtotal": None,
                                                 "amount_off": "5"}, False),
    ("bundle without id", "bundles", {"kind": "threshold", "min_subtotal": "50", "amount_off": "5"}, False),
    ("unknown bundle kind", "bundles", {"id": "b", "kind": "bogof", "percent_off": 50}, False),
    ("two discounts", "bundles", {"id": "k", "kind": "fixed", "items": [{"product_id": "a"}], "price": "12.00",
                                  "percent_off": 5}, False),
    ("no discount", "bundles", {"id": "k", "kind": "fixed", "items": [{"product_id": "a"}], "price": None}, False),
    ("a tier of two discounts", "bundles", {"id": "v", "kind": "volume", "collection": {"category": "x"},
                                            "tiers": [{"min_quantity": 2, "price": "1", "percent_off": 5}]}, False),
    ("unknown tier field", "bundles", {"id": "v", "kind": "volume", "collection": {"category": "x"},
                                       "tiers": [{"min_quantity": 2, "price": "1", "quantity": 2}]}, False),
    ("unknown side field", "bundles", {"id": "y", "kind": "buy_x_get_y", "buy": {"collection": {"tag": "t"}},
                                       "get": {"collection": {"tag": "t"}, "percent_off": 5}, "percent_off": 5}, False),
    ("no items", "bundles", {"id": "k", "kind": "fixed", "items": [], "price": "12.00"}, False),
    ("zero quantity", "bundles", {"id": "m", "kind": "mix_and_match", "collection": {"category": "x"},
                                  "quantity": 0, "percent_off": 10}, False),
    ("quantity over 1000", "bundles", {"id": "k", "kind": "fixed", "items": [{"product_id": "a", "quantity": 1001}],
                                       "price": "12.00"}, False),
    ("percent over 100", "bundles", {"id": "t", "kind": "threshold", "min_subtotal": "50", "percent_off": 120}, False),
    ("percent of five decimals", "bundles", {"id": "t", "kind": "threshold", "min_subtotal": "50",
                                             "percent_off": "1.00001"}, False),
    ("float money", "bundles", {"id": "t", "kind": "threshold", "min_subtotal": 49.5, "amount_off": "5"}, False),
    # experiments
    ("experiment", "experiments", {"id": "e", "variants": [{"id": "a", "weight": 1}]}, True),
    ("experiment of every field", "experiments", {
        "id": 3, "description": "d", "placements": ["cart"], "starts_at": "2026-01-01T00:00:00Z",
        "ends_at": None, "variants": [{"id": "off", "weight": 1, "control": True, "config": {"cross_sell": False}},
                                      {"id": 2, "weight": 3, "config": {"measure": "lift", "top_k": 5},
                                       "bundles": None}]}, True),
    ("unknown experiment field", "experiments", {"id": "e", "variants": [{"id": "a", "weight": 1}], "name": "x"},
     False),
    ("unknown variant field", "experiments", {"id": "e", "variants": [{"id": "a", "weight": 1, "share": 1}]}, False),
    ("variant without weight", "experiments", {"id": "e", "variants": [{"id": "a"}]}, False),
    ("negative weight", "experiments", {"id": "e", "variants": [{"id": "a", "weight": -1}]}, False),
    ("experiment without variants", "experiments", {"id": "e"}, False),
    ("variant overriding how orders count", "experiments", {
        "id": "e", "variants": [{"id": "a", "weight": 1, "config": {"half_life_days": 30}}]}, False),
    ("variant config of another type", "experiments", {
        "id": "e", "variants": [{"id": "a", "weight": 1, "config": {"top_k": "5"}}]}, False),
    # events
    ("impression", "events", {"type": "impression", "at": "2026-01-01T10:00:00Z", "visitor_id": "v", "list_id": 1,
                              "placement": "cart", "product_ids": ["a", 2]}, True),
    ("click", "events", {"type": "click", "at": "2026-01-01T10:00:00Z", "visitor_id": 9, "product_id": "a"}, True),
    ("add to cart", "events", {"type": "add_to_cart", "at": "2026-01-01T10:00:00Z", "visitor_id": "v",
                               "product_id": "a", "list_id": "l", "session_id": "s", "customer_id": None}, True),
    ("remove from cart", "events", {"type": "remove_from_cart", "at": "2026-01-01T10:00:00Z", "visitor_id": "v",
                                    "product_id": "a"}, True),
    ("decline", "events", {"type": "decline", "at": "2026-01-01T10:00:00Z", "visitor_id": "v", "product_id": "a",
                           "list_id": "l"}, True),
    ("view", "events", {"type": "view", "at": "2026-01-01T10:00:00Z", "visitor_id": "v", "product_id": "a"}, True),
    ("order", "events", {"type": "order", "at": "2026-01-01T10:00:00Z", "visitor_id": "v", "order_id": "o",
                         "lines": [{"product_id": "a", "price": "10.00"}], "total": "10.00"}, True),
    ("event fields beyond the parser's", "events", {"type": "view", "at": "2026-01-01T10:00:00Z", "visitor_id": "v",
                                                    "product_id": "a", "page": "/p/a", "price": 9.99}, True),
    ("unknown event type", "events", {"type": "purchase", "at": "2026-01-01T10:00:00Z", "visitor_id": "v",
                                      "product_id": "a"}, False),
    ("event without time", "events", {"type": "view", "visitor_id": "v", "product_id": "a"}, False),
    ("decline without its list", "events", {"type": "decline", "at": "2026-01-01T10:00:00Z", "visitor_id": "v",
                                            "product_id": "a"}, False),
    ("view of an object list id", "events", {"type": "view", "at": "2026-01-01T10:00:00Z", "visitor_id": "v",
                                             "product_id": "a", "list_id": {"id": "l"}}, False),
    ("order line without price", "events", {"type": "order", "at": "2026-01-01T10:00:00Z", "visitor_id": "v",
                                            "order_id": "o", "lines": [{"product_id": "a"}], "total": "10.00"}, False),
    ("order line of no units", "events", {"type": "order", "at": "2026-01-01T10:00:00Z", "visitor_id": "v",
                                          "order_id": "o", "lines": [{"product_id": "a", "quantity": 0,
                                                                      "price": "1"}], "total": "1"}, False),
]

# What only the engine refuses: checks across fields or inputs, or of a value's meaning, that the schema does not
# express (the records pass the schema; training fails).
ENGINE_ONLY: list[tuple[str, str, dict[str, Any]]] = [
    ("pin of no products", "rules", {"kind": "pin", "products": []}),
    ("empty selector", "rules", {"kind": "exclude", "target": {}}),
    ("negative factor", "rules", {"kind": "bury", "target": {"tag": "t"}, "factor": -1}),
    ("price range upside down", "rules", {"kind": "price_range", "min": "20", "max": "10"}),
    ("zero price", "bundles", {"id": "k", "kind": "fixed", "items": [{"product_id": "a"}], "price": "0.00"}),
    ("ends before it starts", "bundles", {"id": "t", "kind": "threshold", "min_subtotal": "50", "amount_off": "5",
                                          "starts_at": "2026-03-01T00:00:00Z", "ends_at": "2026-02-01T00:00:00Z"}),
    ("exclusive and stackable", "bundles", {"id": "t", "kind": "threshold", "min_subtotal": "50", "amount_off": "5",
                                            "exclusive": True, "stackable": True}),
    ("tiers not increasing", "bundles", {"id": "v", "kind": "volume", "collection": {"category": "x"},
                                         "tiers": [{"min_quantity": 3, "price": "1"},
                                                   {"min_quantity": 2, "price": "2"}]}),
    ("zero percent", "bundles", {"id": "t", "kind": "threshold", "min_subtotal": "50", "percent_off": "0"}),
    ("a time that is not RFC 3339", "bundles", {"id": "t", "kind": "threshold", "min_subtotal": "50",
                                                "amount_off": "5", "starts_at": "tomorrow"}),
    ("weights of no total", "experiments", {"id": "e", "variants": [{"id": "a", "weight": 0}]}),
    ("two controls", "experiments", {"id": "e", "variants": [{"id": "a", "weight": 1, "control": True},
                                                             {"id": "b", "weight": 1, "control": True}]}),
    ("a variant's auto measure", "experiments", {"id": "e", "variants": [{"id": "a", "weight": 1,
                                                                          "config": {"measure": "auto"}}]}),
    ("a variant's unknown bundle", "experiments", {"id": "e", "variants": [{"id": "a", "weight": 1,
                                                                            "bundles": ["nope"]}]}),
    ("empty visitor", "events", {"type": "view", "at": "2026-01-01T10:00:00Z", "visitor_id": "", "product_id": "a"}),
    ("event time not RFC 3339", "events", {"type": "view", "at": "yesterday", "visitor_id": "v", "product_id": "a"}),
    ("order in another currency", "events", {"type": "order", "at": "2026-01-01T10:00:00Z", "visitor_id": "v",
                                             "order_id": "o", "lines": [], "total": "0", "currency": "EUR"}),
]


def _with(key: str, record: dict[str, Any]) -> dict[str, Any]:
    return {"products": PRODUCTS, "orders": ORDERS, key: [record]}


@pytest.mark.parametrize("name,key,record,valid", RECORD_PROBES, ids=[n for n, _, _, _ in RECORD_PROBES])
def test_records_schema_and_engine_agree(name: str, key: str, record: dict[str, Any], valid: bool) -> None:
    test_schema_and_engine_agree(name, _with(key, record), valid)


@pytest.mark.parametrize("name,key,record", ENGINE_ONLY, ids=[n for n, _, _ in ENGINE_ONLY])
def test_records_only_the_engine_refuses(name: str, key: str, record: dict[str, Any]) -> None:
    request_ = _with(key, record)
    assert errors(TRAIN, request_) == [], name
    with pytest.raises((cartlift.InvalidInput, cartlift.CurrencyMismatch)):
        cartlift.Engine.train(**request_)


def test_every_kind_is_probed() -> None:
    accepted = [(key, r) for _, key, r, valid in RECORD_PROBES if valid]
    kinds = {(key, r.get("kind", r.get("type"))) for key, r in accepted}
    for definition, key, tag in [("RuleRecord", "rules", "kind"), ("BundleRecord", "bundles", "kind"),
                                 ("EventRecord", "events", "type")]:
        variants = {v["properties"][tag]["const"] for v in DOCUMENT["definitions"][definition]["oneOf"]}
        assert {(key, k) for k in variants} <= kinds, definition


# The JSON surface's own fields. A cross_sell, upsell or price_cart request may name an `experiment` (trained into
# the model) and a `visitor_id`: Engine::query_answer reads them before the operation's request, answers with the
# visitor's variant, and adds `experiment: {id, variant}` to the answer. Both go together; cross_sell and upsell
# also take `visitor_id` alone (a shopper id, then a non-empty string beside an experiment), price_cart never does
# and takes a number for either. The engine: the experiments vector store, plus an experiment with a numeric id.

_EXPERIMENTS_STORE: dict[str, Any] = json.loads((VECTORS / "experiments" / "train.json").read_text())
_NUMBERED = {"id": 7, "variants": [{"id": "only", "weight": 1}]}


@pytest.fixture(scope="module")
def experiments_engine() -> cartlift.Engine:
    return cartlift.Engine.train(
        **{**_EXPERIMENTS_STORE, "experiments": [*_EXPERIMENTS_STORE["experiments"], _NUMBERED]}
    )


# (name, operation, request, whether both the schema and the engine accept it)
EXPERIMENT_PROBES: list[tuple[str, str, dict[str, Any], bool]] = [
    ("price_cart in an experiment", "price_cart", {"cart": ["cam", "sd"], "experiment": "recs", "visitor_id": "v1"},
     True),
    ("price_cart of a numeric visitor", "price_cart", {"cart": ["cam"], "experiment": "recs", "visitor_id": 42},
     True),
    ("price_cart in a numeric experiment", "price_cart", {"cart": ["cam"], "experiment": 7, "visitor_id": "v1"},
     True),
    ("cross_sell in an experiment", "cross_sell", {"cart": ["cam"], "experiment": "recs", "visitor_id": "v1",
                                                   "now": "2026-01-15T00:00:00Z"}, True),
    ("cross_sell outside the experiment's placements", "cross_sell", {"cart": ["cam"], "experiment": "checkout-only",
                                                                       "visitor_id": "v1"}, True),
    ("upsell in an experiment", "upsell", {"product_id": "cam-lite", "experiment": "product-page-only",
                                           "visitor_id": "v2"}, True),
    ("cross_sell of a visitor alone", "cross_sell", {"cart": ["cam"], "visitor_id": "v1"}, True),
    ("upsell of a visitor alone", "upsell", {"product_id": "cam-lite", "visitor_id": "v1"}, True),
    ("price_cart of a visitor alone", "price_cart", {"cart": ["cam"], "visitor_id": "v1"}, False),
    ("price_cart of an experiment alone", "price_cart", {"cart": ["cam"], "experiment": "recs"}, False),
    ("cross_sell of an experiment alone", "cross_sell", {"cart": ["cam"], "experiment": "recs"}, False),
    ("upsell of an empty visitor", "upsell", {"product_id": "cam-lite", "experiment": "recs", "visitor_id": ""},
     False),
    ("cross_sell of a numeric visitor", "cross_sell", {"cart": ["cam"], "experiment": "recs", "visitor_id": 42},
     True),
    ("cross_sell of a fractional visitor", "cross_sell", {"cart": ["cam"], "experiment": "recs", "visitor_id": 4.5},
     False),
    ("price_cart of an empty experiment", "price_cart", {"cart": ["cam"], "experiment": "", "visitor_id": "v1"},
     False),
    ("price_cart of an experiment object", "price_cart", {"cart": ["cam"], "experiment": {"id": "recs"},
                                                          "visitor_id": "v1"}, False),
    ("price_cart of a placement", "price_cart", {"cart": ["cam"], "experiment": "recs", "visitor_id": "v1",
                                                 "placement": "cart"}, False),
    ("upgrade_path in an experiment", "upgrade_path", {"product_id": "cam-lite", "experiment": "recs",
                                                       "visitor_id": "v1"}, False),
    ("suggest_bundles in an experiment", "suggest_bundles", {"experiment": "recs", "visitor_id": "v1"}, False),
]


@pytest.mark.parametrize("name,op,request_,valid", EXPERIMENT_PROBES, ids=[n for n, _, _, _ in EXPERIMENT_PROBES])
def test_experiment_fields_schema_and_engine_agree(
    name: str, op: str, request_: dict[str, Any], valid: bool, experiments_engine: cartlift.Engine
) -> None:
    assert (errors(operation(op, "request"), request_) == []) == valid, (name, errors(operation(op, "request"),
                                                                                      request_))
    query = getattr(experiments_engine, op)
    if not valid:
        with pytest.raises(cartlift.InvalidInput):
            query(**request_)
        return
    answer = query(**request_)
    assert errors(operation(op, "answer"), answer) == [], name
    if "experiment" in request_:
        assert answer["experiment"]["id"] == str(request_["experiment"]), name
    else:
        assert "experiment" not in answer, name


def test_experiment_tag_says_which_variant_answered(experiments_engine: cartlift.Engine) -> None:
    # A variant for a visitor in the experiment; null outside its placements (checkout-only, on a cart request).
    inside = experiments_engine.price_cart(["cam"], experiment="recs", visitor_id="v1")
    outside = experiments_engine.cross_sell(["cam"], experiment="checkout-only", visitor_id="v1")
    assert inside["experiment"]["variant"] in {"control", "fbt"}
    assert outside["experiment"] == {"id": "checkout-only", "variant": None}


def test_unknown_experiment_only_the_engine_refuses(experiments_engine: cartlift.Engine) -> None:
    request_ = {"cart": ["cam"], "experiment": "nope", "visitor_id": "v1"}
    assert errors(operation("price_cart", "request"), request_) == []
    with pytest.raises(cartlift.UnknownExperiment):
        experiments_engine.price_cart(**request_)


# The report's records, in the request (a path is the CLI's, `cartlift report`): `experiments` as ExperimentRecords,
# `events` as EventRecords. A malformed event does not fail the report, which counts it and lists why in its
# `events`: the schema refuses what the engine would only report, so a client that validates sends none.

REPORT = operation("report", "request")
REPORT_ANSWER = operation("report", "answer")
_REPORT_EXPERIMENTS = [{"id": "recs", "variants": [{"id": "control", "weight": 1, "control": True},
                                                   {"id": "fbt", "weight": 1}]}]
_EVENTS = [record for _, key, record, valid in RECORD_PROBES if key == "events" and valid]
_MALFORMED_EVENTS = [(name, record) for name, key, record, valid in RECORD_PROBES if key == "events" and not valid]
_ENGINE_ONLY_EVENTS = [(name, record) for name, key, record in ENGINE_ONLY if key == "events"]


def test_report_of_inline_records_matches_the_schema(engine: cartlift.Engine) -> None:
    request_ = {"experiments": _REPORT_EXPERIMENTS, "events": _EVENTS, "currency": "USD", "mde": 0.1}
    assert errors(REPORT, request_) == []
    answer = engine.report(**request_)
    assert answer["events"]["read"] == len(_EVENTS) >= 8
    assert answer["events"]["malformed"] == 0
    assert errors(REPORT_ANSWER, answer) == []


@pytest.mark.parametrize("name,event", _MALFORMED_EVENTS, ids=[n for n, _ in _MALFORMED_EVENTS])
def test_report_schema_refuses_a_malformed_event(name: str, event: dict[str, Any], engine: cartlift.Engine) -> None:
    request_ = {"experiments": _REPORT_EXPERIMENTS, "events": [*_EVENTS, event]}
    assert errors(REPORT, request_), name
    answer = engine.report(**request_)
    assert answer["events"]["malformed"] == 1, name
    assert errors(REPORT_ANSWER, answer) == [], name


@pytest.mark.parametrize("name,event", _ENGINE_ONLY_EVENTS, ids=[n for n, _ in _ENGINE_ONLY_EVENTS])
def test_report_events_only_the_engine_finds_malformed(name: str, event: dict[str, Any],
                                                       engine: cartlift.Engine) -> None:
    request_ = {"experiments": _REPORT_EXPERIMENTS, "events": [*_EVENTS, event]}
    assert errors(REPORT, request_) == [], name
    assert engine.report(**request_)["events"]["malformed"] == 1, name


@pytest.mark.parametrize(
    "name,request_",
    [
        ("experiments of a path", {"experiments": "experiments.jsonl", "events": _EVENTS}),
        ("events of a path", {"experiments": _REPORT_EXPERIMENTS, "events": "events.jsonl"}),
        ("unknown experiment field", {"experiments": [{**_REPORT_EXPERIMENTS[0], "name": "x"}], "events": _EVENTS}),
        ("experiment without variants", {"experiments": [{"id": "e"}], "events": _EVENTS}),
    ],
)
def test_report_records_schema_and_engine_refuse(name: str, request_: dict[str, Any], engine: cartlift.Engine) -> None:
    assert errors(REPORT, request_), name
    with pytest.raises(cartlift.InvalidInput):
        engine.report(**request_)


# The report's answer, typed from the Rust types that build it (ReportResponse): a real report validates with every
# object closed to unlisted fields, and an answer changed in one place does not. Events for the experiments vector
# store's definitions (and one of bundle lists, which nobody clicks: its z-tests have no spread, and no p-value):
# shoppers over two weeks who see lists in each placement, click some, buy most, and one malformed event.

_SHOP_PRODUCTS = ["cam", "lens", "sd", "bag", "tripod"]
_SHOP_PLACEMENTS = ["cart", "checkout", "product_page", "bundle", "upsell"]


def _shop_events() -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    for i in range(80):
        visitor, list_id, product = f"v{i}", f"L{i}", _SHOP_PRODUCTS[i % 5]
        day = 5 + i % 14

        def at(minute: int) -> str:
            return f"2026-01-{day:02d}T10:{minute:02d}:00Z"

        events.append({"type": "view", "at": at(0), "visitor_id": visitor, "product_id": product})
        events.append({"type": "impression", "at": at(1), "visitor_id": visitor, "list_id": list_id,
                       "placement": _SHOP_PLACEMENTS[i % 5], "product_ids": [product, "warranty"]})
        if i % 3 and _SHOP_PLACEMENTS[i % 5] != "bundle":
            events.append({"type": "click", "at": at(2), "visitor_id": visitor, "product_id": product,
                           "list_id": list_id})
            events.append({"type": "add_to_cart", "at": at(3), "visitor_id": visitor, "product_id": product,
                           "list_id": list_id})
        if i % 4 != 3:
            price = f"{10 + i * 7 % 40}.{i * 13 % 100:02d}"
            events.append({"type": "order", "at": at(5), "visitor_id": visitor, "order_id": f"o{i}",
                           "lines": [{"product_id": product, "quantity": 1, "price": price}], "total": price})
    events.append({"type": "order", "at": "2026-01-06T10:00:00Z", "visitor_id": "v1", "order_id": "bad",
                   "lines": [{"product_id": "cam"}], "total": "1.00"})
    return events


@pytest.fixture(scope="module")
def shop_report(experiments_engine: cartlift.Engine) -> dict[str, Any]:
    bundles = {"id": "bundles", "placements": ["bundle"], "variants": [{"id": "x", "weight": 1},
                                                                        {"id": "y", "weight": 1}]}
    request_: dict[str, Any] = {"experiments": [*_EXPERIMENTS_STORE["experiments"], bundles],
                                "events": _shop_events(), "mde": 0.1}
    assert errors(REPORT, {**request_, "events": request_["events"][:-1]}) == []
    report: dict[str, Any] = dict(experiments_engine.report(**request_))
    return report


def test_report_answer_matches_the_schema(shop_report: dict[str, Any]) -> None:
    assert errors(REPORT_ANSWER, shop_report) == []
    assert sorted(shop_report) == sorted(DOCUMENT["definitions"]["ReportResponse"]["required"])
    # It holds every part the schema describes: a malformed event, lifts of both tests (Welch's with `df` and
    # `relative`, a z-test's without, one of no p-value), `power`, placements and weeks, a single-variant experiment.
    assert shop_report["events"]["malformed_examples"][0]["index"] == len(_shop_events()) - 1
    variants = [v for e in shop_report["experiments"] for v in e["variants"]]
    lifts = [v[k] for v in variants for k in ("aov_lift", "click_through_lift") if v[k] is not None]
    assert any("df" in x and "relative" in x for x in lifts) and any("df" not in x for x in lifts)
    assert any(x["p_value"] is None and x["statistic"] is None for x in lifts)
    assert any(v["power"] for v in variants) and any(v["placements"] for v in variants)
    assert all(len(e["weeks"]) >= 2 for e in shop_report["experiments"])
    assert any(len(e["variants"]) == 1 for e in shop_report["experiments"])


def _changed(report: dict[str, Any], change: Any) -> dict[str, Any]:
    copy: dict[str, Any] = json.loads(json.dumps(report))
    change(copy)
    return copy


def _treatment(report: dict[str, Any]) -> dict[str, Any]:
    """The first variant with lifts (recs' fbt)."""
    variant: dict[str, Any] = next(v for v in report["experiments"][0]["variants"] if v["aov_lift"])
    return variant


# (name, change) of an answer the schema refuses
REPORT_CHANGES: list[tuple[str, Any]] = [
    ("an unlisted field", lambda r: r.update(summary="x")),
    ("an unlisted variant field", lambda r: _treatment(r).update(lift=0.1)),
    ("money as a number", lambda r: _treatment(r).update(revenue=12.5)),
    ("a count as a float", lambda r: r["events"].update(read=1.5)),
    ("a lift without its p-value", lambda r: _treatment(r)["aov_lift"].pop("p_value")),
    ("an interval of three", lambda r: _treatment(r).update(conversion_rate_ci=[0.1, 0.2, 0.3])),
    ("a placement of a rate", lambda r: _treatment(r)["placements"].update(cart=0.5)),
    ("a week without visitors", lambda r: r["experiments"][0]["weeks"][0]["variants"][0].pop("visitors")),
    ("another power metric", lambda r: _treatment(r)["power"].update(metric="conversion")),
    ("a malformed event without its message", lambda r: r["events"]["malformed_examples"][0].pop("message")),
]


@pytest.mark.parametrize("name,change", REPORT_CHANGES, ids=[n for n, _ in REPORT_CHANGES])
def test_report_answer_schema_refuses_a_changed_answer(name: str, change: Any, shop_report: dict[str, Any]) -> None:
    assert errors(REPORT_ANSWER, _changed(shop_report, change)), name


# assign reads `experiment` and `visitor_id` as ids: a string (even empty), or an integer read as its decimal text.
# Only the engine refuses an experiment it does not know.

# (name, request, whether both the schema and the engine accept it)
ASSIGN_PROBES: list[tuple[str, dict[str, Any], bool]] = [
    ("stored experiment", {"experiment": "recs", "visitor_id": "v1"}, True),
    ("integer visitor", {"experiment": "recs", "visitor_id": 42}, True),
    ("integer experiment", {"experiment": 7, "visitor_id": "v1"}, True),
    ("integer ids", {"experiment": 7, "visitor_id": 12345678901234567890}, True),
    ("negative visitor", {"experiment": "recs", "visitor_id": -3}, True),
    ("empty visitor", {"experiment": "recs", "visitor_id": ""}, True),
    ("integer ids of given experiments", {"experiment": 3, "visitor_id": 9, "experiments": [
        {"id": 3, "variants": [{"id": 1, "weight": 1}, {"id": 2, "weight": 1}]}]}, True),
    ("fractional visitor", {"experiment": "recs", "visitor_id": 4.5}, False),
    ("boolean visitor", {"experiment": "recs", "visitor_id": True}, False),
    ("null experiment", {"experiment": None, "visitor_id": "v1"}, False),
    ("experiment object", {"experiment": {"id": "recs"}, "visitor_id": "v1"}, False),
    ("visitor list", {"experiment": "recs", "visitor_id": ["v1"]}, False),
    ("unknown field", {"experiment": "recs", "visitor_id": "v1", "placement": "cart"}, False),
]

ASSIGN = operation("assign", "request")


@pytest.mark.parametrize("name,request_,valid", ASSIGN_PROBES, ids=[n for n, _, _ in ASSIGN_PROBES])
def test_assign_schema_and_engine_agree(name: str, request_: dict[str, Any], valid: bool,
                                        experiments_engine: cartlift.Engine) -> None:
    assert (errors(ASSIGN, request_) == []) == valid, (name, errors(ASSIGN, request_))
    if not valid:
        with pytest.raises(cartlift.InvalidInput):
            experiments_engine.assign(**request_)
        return
    answer = experiments_engine.assign(**request_)
    assert errors(operation("assign", "answer"), answer) == [], name
    assert answer["experiment"] == str(request_["experiment"]), name


def test_assign_of_an_unknown_experiment_only_the_engine_refuses(experiments_engine: cartlift.Engine) -> None:
    request_: dict[str, Any] = {"experiment": 8, "visitor_id": 1}
    assert errors(ASSIGN, request_) == []
    with pytest.raises(cartlift.UnknownExperiment):
        experiments_engine.assign(**request_)
