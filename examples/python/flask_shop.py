"""A small Flask shop backend: one engine per process, trained (or loaded) at start-up, shared by all requests.

Run (in examples/python): FLASK_APP=flask_shop flask run
(tests use Flask's test client; see tests/python/test_examples.py)
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Flask, jsonify, request
from flask.typing import ResponseReturnValue

import cartlift
from shop_data import ORDERS, PRODUCTS


def create_app(engine: cartlift.Engine | None = None) -> Flask:
    app = Flask(__name__)
    eng = engine if engine is not None else cartlift.Engine.train(PRODUCTS, ORDERS)

    @app.errorhandler(cartlift.CartliftError)
    def bad_input(err: cartlift.CartliftError) -> ResponseReturnValue:
        status = 500 if isinstance(err, cartlift.InternalError) else 400
        return jsonify({"error": err.code, "field": err.field, "message": str(err)}), status

    @app.post("/recommendations")
    def recommendations() -> ResponseReturnValue:
        body: dict[str, Any] = request.get_json(force=True)
        answer = eng.cross_sell(
            body.get("cart", []),
            placement=body.get("placement", "cart"),
            customer_id=body.get("customer_id"),
            declined=body.get("declined"),
            limit=body.get("limit"),
        )
        return jsonify(answer)

    @app.get("/upsell/<product_id>")
    def upsell(product_id: str) -> ResponseReturnValue:
        return jsonify(eng.upsell(product_id))

    @app.post("/cart/price")
    def price_cart() -> ResponseReturnValue:
        body: dict[str, Any] = request.get_json(force=True)
        # Money from JSON arrives as strings; parse_float=Decimal would be the way to accept JSON numbers.
        return jsonify(eng.price_cart(body.get("cart", [])))

    @app.get("/health")
    def health() -> ResponseReturnValue:
        return jsonify({"ok": True, "version": cartlift.__version__, "min_order": str(Decimal("0.00"))})

    return app


if __name__ == "__main__":
    create_app().run()
