"""The examples in examples/python, exercised for real (Flask test client, the batch job's output file)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "python"
sys.path.insert(0, str(EXAMPLES))

import flask_shop  # noqa: E402
import post_purchase_batch  # noqa: E402


@pytest.fixture()
def client():  # type: ignore[no-untyped-def]
    return flask_shop.create_app().test_client()


def test_recommendations_endpoint(client) -> None:  # type: ignore[no-untyped-def]
    r = client.post("/recommendations", json={"cart": ["espresso-machine"], "limit": 2})
    assert r.status_code == 200
    body = r.get_json()
    # Six orders are too few for a learned pair (min_support 3): the page is fill, first from the category
    # bought with the machine's (beans), then the machine's own category (the grinder).
    assert [x["product_id"] for x in body["recommendations"]] == ["beans", "grinder"]
    assert all(x["fill"] for x in body["recommendations"])
    assert all(isinstance(x["price"], str) for x in body["recommendations"])


def test_recommendations_endpoint_reports_bad_input(client) -> None:  # type: ignore[no-untyped-def]
    r = client.post("/recommendations", json={"cart": [{"product_id": "grinder", "quantity": -1}]})
    assert r.status_code == 400
    assert r.get_json()["error"] == "invalid_input"
    assert r.get_json()["field"] == "cart[0].quantity"
    r = client.post("/recommendations", json={"cart": [{"product_id": "grinder", "price": 12.5}]})
    assert r.status_code == 400 and "Decimal" in r.get_json()["message"]


def test_upsell_and_price_endpoints_answer(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/upsell/grinder")
    assert r.status_code == 200, r.data
    body = r.get_json()
    # The grinder has no product family and nothing pricier to compare with: no options, and the reason why.
    assert body["product_id"] == "grinder" and body["options"] == []
    assert "no_higher_tier" in [x["code"] for x in body["reasons"]]
    r = client.post("/cart/price", json={"cart": ["grinder", "beans"]})
    assert r.status_code == 200, r.data
    body = r.get_json()
    assert [(x["product_id"], x["total"]) for x in body["lines"]] == [("grinder", "129.00"), ("beans", "24.50")]
    assert (body["subtotal"], body["discount"], body["total"]) == ("153.50", "0.00", "153.50")
    # An unknown product is the core's coded error, as a 400.
    r = client.get("/upsell/nope")
    assert r.status_code == 400
    assert (r.get_json()["error"], r.get_json()["field"]) == ("unknown_product", "product_id")


def test_batch_job_writes_suggestions(tmp_path: Path) -> None:
    out = tmp_path / "post_purchase.jsonl"
    subprocess.run([sys.executable, str(EXAMPLES / "post_purchase_batch.py"), str(out)], check=True, cwd=EXAMPLES)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 3
    for row in rows:
        assert row["order_id"] and isinstance(row["products"], list)
        assert all(isinstance(p["price"], str) for p in row["products"])
    assert any(row["products"] for row in rows)
