"""Python-specific behaviour: argument forms, money types, errors with fields, threads, pickling, files."""

from __future__ import annotations

import concurrent.futures
import json
import multiprocessing
import os
import pickle
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import cartlift
from conftest import ORDERS, PRODUCTS


def ids(answer: Any) -> list[str]:
    return [r["product_id"] for r in answer["recommendations"]]


# --- argument forms -------------------------------------------------------------------------------


def test_cross_sell_answer_shape(engine: cartlift.Engine) -> None:
    out = engine.cross_sell(["camera"])
    assert out["placement"] == "cart"
    assert ids(out)[0] == "lens"  # bought with the camera most often
    assert "camera" not in ids(out)
    assert "strap" not in ids(out)  # out of stock
    rec = out["recommendations"][0]
    assert rec["price"] == "249.50" and isinstance(rec["score"], float)
    assert rec["reasons"] and set(rec["reasons"][0]) == {"code", "text"}
    assert json.loads(json.dumps(out)) == out


def test_cart_forms_agree(engine: cartlift.Engine) -> None:
    by_id = engine.cross_sell(["camera", "card"])
    assert engine.cross_sell([{"product_id": "camera"}, {"product_id": "card", "quantity": 1}]) == by_id
    assert engine.cross_sell(("camera", "card")) == by_id
    assert engine.cross_sell(p for p in ["camera", "card"]) == by_id


def test_keyword_arguments_reach_the_core(engine: cartlift.Engine) -> None:
    assert len(engine.cross_sell(["camera"], limit=1)["recommendations"]) == 1
    assert ids(engine.cross_sell(["camera"], offset=1, limit=1)) == ids(engine.cross_sell(["camera"], limit=2))[1:]
    assert "lens" not in ids(engine.cross_sell(["camera"], declined=["lens"]))
    assert engine.cross_sell(["camera"], placement="checkout")["placement"] == "checkout"
    for rec in engine.cross_sell(["camera"], filters={"category": "accessories"})["recommendations"]:
        assert rec["product_id"] in {"card", "tripod"}
    # None means "not given", like leaving the argument out.
    assert engine.cross_sell(["camera"], customer_id=None, device=None) == engine.cross_sell(["camera"])


def test_unknown_cart_products_are_reported(engine: cartlift.Engine) -> None:
    out = engine.cross_sell(["camera", "nope"])
    assert out.get("unknown_products") == ["nope"]


def test_train_from_files_of_every_path_kind(tmp_path: Path) -> None:
    products = tmp_path / "products.jsonl"
    products.write_text("".join(json.dumps(p, default=str) + "\n" for p in PRODUCTS))
    orders = tmp_path / "orders.csv"
    rows = ["order_id,customer_id,created_at,product_id,quantity,price"]
    for o in ORDERS:
        for line in o["lines"]:
            rows.append(f"{o['id']},{o['customer_id']},{o['created_at']},{line['product_id']},1,")
    orders.write_text("\n".join(rows) + "\n")
    in_memory = cartlift.Engine.train(PRODUCTS, ORDERS).cross_sell(["camera"])
    assert cartlift.Engine.train(str(products), str(orders)).cross_sell(["camera"]) == in_memory
    assert cartlift.Engine.train(products, orders).cross_sell(["camera"]) == in_memory  # os.PathLike
    assert cartlift.Engine.train(iter(PRODUCTS), (o for o in ORDERS)).cross_sell(["camera"]) == in_memory


def test_update_products_returns_a_new_engine(engine: cartlift.Engine) -> None:
    before = engine.cross_sell(["camera"])
    updated = engine.update_products([{"id": "lens", "price": Decimal("199.00")}])
    assert {r["product_id"]: r["price"] for r in updated.cross_sell(["camera"])["recommendations"]}["lens"] == "199.00"
    assert engine.cross_sell(["camera"]) == before
    gone = engine.update_products([{"id": "lens", "available": False}])
    assert "lens" not in ids(gone.cross_sell(["camera"]))


def test_stats_and_repr(engine: cartlift.Engine) -> None:
    stats = engine.stats()
    assert stats["products"]["loaded"] == len(PRODUCTS) and stats["orders"]["loaded"] == len(ORDERS)
    assert "products: 6" in repr(engine)
    assert cartlift.__version__


# --- money ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("price", [Decimal("20"), "20", "20.00", 20, Decimal("20.00")])
def test_money_in_as_decimal_str_or_int(price: Any) -> None:
    order = {"id": "1", "created_at": "2026-01-01T00:00:00Z", "lines": [{"product_id": "a"}, {"product_id": "b"}]}
    e = cartlift.Engine.train([{"id": "a", "title": "A", "price": price}, {"id": "b", "title": "B", "price": "1"}], [order])
    assert e.cross_sell(["b"])["recommendations"][0]["price"] == "20.00"


def test_float_money_is_rejected_with_advice() -> None:
    with pytest.raises(cartlift.InvalidInput) as info:
        cartlift.Engine.train([{"id": "a", "title": "A", "price": 19.99}])
    msg = str(info.value)
    assert "str" in msg or "string" in msg
    assert "Decimal" in msg
    assert info.value.code == "invalid_input"
    assert info.value.field is not None and info.value.field.endswith("price")


def test_float_override_price_in_cart_is_rejected(engine: cartlift.Engine) -> None:
    with pytest.raises(cartlift.InvalidInput) as info:
        engine.cross_sell([{"product_id": "camera", "price": 19.99}])
    assert info.value.field == "cart[0].price"
    assert "Decimal" in str(info.value)


def test_money_out_is_decimal_strings(engine: cartlift.Engine) -> None:
    for rec in engine.cross_sell(["camera"], limit=10)["recommendations"]:
        assert isinstance(rec["price"], str)
        assert Decimal(rec["price"]).as_tuple().exponent == -2


# --- errors ---------------------------------------------------------------------------------------


def test_error_classes() -> None:
    expected = {
        cartlift.InvalidInput: "invalid_input",
        cartlift.UnknownProduct: "unknown_product",
        cartlift.CurrencyMismatch: "currency_mismatch",
        cartlift.CorruptModel: "corrupt_model",
        cartlift.UnsupportedVersion: "unsupported_version",
        cartlift.IoError: "io",
        cartlift.UnknownExperiment: "unknown_experiment",
        cartlift.InternalError: "internal",
    }
    for cls, code in expected.items():
        assert issubclass(cls, cartlift.CartliftError) and issubclass(cls, Exception)
        assert cls.code == code
        assert cls.__module__ == "cartlift"


def test_error_fields(engine: cartlift.Engine) -> None:
    with pytest.raises(cartlift.InvalidInput) as info:
        engine.cross_sell([{"product_id": "camera", "quantity": 0}])
    e = info.value
    assert (e.code, e.field, e.line, e.file) == ("invalid_input", "cart[0].quantity", None, None)
    assert "cart[0].quantity" in str(e)


def test_a_value_of_the_wrong_type_names_its_field(engine: cartlift.Engine) -> None:
    for kwargs, field in [({"limit": "ten"}, "limit"), ({"declined": [True]}, "declined[0]"), ({"placement": "home"}, "placement")]:
        with pytest.raises(cartlift.InvalidInput) as info:
            engine.cross_sell(["camera"], **kwargs)
        assert info.value.field == field, str(info.value)
        assert str(info.value).startswith(f"{field}: "), str(info.value)


def test_integer_ids_read_as_their_digits(engine: cartlift.Engine) -> None:
    # Orders take Shopify's numeric customer and product ids; so do queries.
    as_text = engine.cross_sell(["camera"], customer_id="207119551", visitor_id="42", viewed=["7"], declined=["8"])
    as_numbers = engine.cross_sell(["camera"], customer_id=207119551, visitor_id=42, viewed=[7], declined=[8])
    assert as_numbers == as_text
    with pytest.raises(cartlift.InvalidInput) as info:
        engine.cross_sell(["camera"], viewed=[7.5])
    assert info.value.field == "viewed[0]"


def test_absurd_requests_are_errors_and_the_process_lives_on(engine: cartlift.Engine) -> None:
    # An offset this large once sized an allocation whose failure aborted the host process.
    with pytest.raises(cartlift.InvalidInput) as info:
        engine.cross_sell(["camera"], offset=10_000_000_000_000, limit=5)
    assert info.value.field == "offset"
    with pytest.raises(cartlift.InvalidInput) as info:
        engine.price_cart([{"product_id": "camera", "quantity": 1_000_000}])
    assert info.value.field == "cart[0].quantity"
    with pytest.raises(cartlift.InvalidInput) as info:
        engine.price_cart([{"product_id": "camera", "price": "90000000000000.00"}])
    assert info.value.field == "cart[0].price"
    assert ids(engine.cross_sell(["camera"]))[0] == "lens"


def test_error_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "products.jsonl"
    bad.write_text('{"id":"a","title":"A","price":"1.00"}\n{"id":"b","title":"B","price":"1.00"}\n{"id":"c","title":"C","price":"abc"}\n')
    with pytest.raises(cartlift.InvalidInput) as info:
        cartlift.Engine.train(bad)
    assert info.value.line == 3
    assert info.value.file is not None and info.value.file.endswith("products.jsonl")
    assert info.value.field is not None and "price" in info.value.field
    # skip_invalid keeps the good rows and counts the bad one.
    e = cartlift.Engine.train(bad, skip_invalid=True)
    assert e.stats()["products"]["skipped"] == 1


def test_unconvertible_values_are_invalid_input(engine: cartlift.Engine) -> None:
    with pytest.raises(cartlift.InvalidInput) as info:
        engine.cross_sell([{"product_id": "camera", "price": object()}])
    assert info.value.field == "cart[0].price"
    with pytest.raises(cartlift.InvalidInput):
        engine.cross_sell([b"camera"])
    with pytest.raises(cartlift.InvalidInput):
        engine.cross_sell(["camera"], filters={1: "x"})
    with pytest.raises(cartlift.InvalidInput):
        engine.cross_sell(["camera"], limit=2**70)
    with pytest.raises(cartlift.InvalidInput):
        engine.cross_sell(["camera"], placement="sidebar")
    with pytest.raises(cartlift.InvalidInput):
        engine.cross_sell(["camera"], limit=-1)


def test_missing_file_is_io_error(tmp_path: Path) -> None:
    with pytest.raises(cartlift.IoError) as info:
        cartlift.Engine.load(tmp_path / "missing.cartlift")
    assert info.value.code == "io"
    with pytest.raises(cartlift.IoError):
        cartlift.Engine.train(tmp_path / "missing.csv")


def test_unknown_train_argument_is_rejected_by_the_core() -> None:
    with pytest.raises(cartlift.InvalidInput):
        cartlift.Engine.train(PRODUCTS, ORDERS, config={"no_such_setting": 1})


# --- persistence ----------------------------------------------------------------------------------


def test_save_load_and_bytes_round_trip(engine: cartlift.Engine, tmp_path: Path) -> None:
    path = tmp_path / "model.cartlift"
    engine.save(path)
    assert cartlift.Engine.load(str(path)).cross_sell(["camera"]) == engine.cross_sell(["camera"])
    data = engine.to_bytes()
    assert isinstance(data, bytes) and data[:8] == b"CARTLIFT"
    assert cartlift.Engine.from_bytes(data).cross_sell(["card"]) == engine.cross_sell(["card"])


CARTS: list[list[str]] = [["camera"], ["lens"], ["camera", "card"], ["bag", "tripod"], ["strap"]]


def test_open_answers_as_load(engine: cartlift.Engine, tmp_path: Path) -> None:
    path = tmp_path / "model.cartlift"
    engine.save(path)
    opened, loaded = cartlift.Engine.open(path), cartlift.Engine.load(path)
    for cart in CARTS:
        assert opened.cross_sell(cart) == loaded.cross_sell(cart) == engine.cross_sell(cart)
        assert opened.price_cart(cart) == loaded.price_cart(cart)
    assert opened.upsell("camera") == loaded.upsell("camera")
    assert opened.to_bytes() == engine.to_bytes()


def test_open_damaged_or_truncated_file_is_corrupt_model(engine: cartlift.Engine, tmp_path: Path) -> None:
    path = tmp_path / "model.cartlift"
    engine.save(path)
    data = bytearray(path.read_bytes())
    for cut in (0, 10, 31, len(data) // 2, len(data) - 1):
        path.write_bytes(bytes(data[:cut]))
        with pytest.raises(cartlift.CorruptModel):
            cartlift.Engine.open(path)
    for at in (12, 20, 40, len(data) - 1):  # a length, the tables' length, a table, the directory
        damaged = bytearray(data)
        damaged[at] ^= 0x5A
        path.write_bytes(bytes(damaged))
        with pytest.raises(cartlift.CorruptModel) as info:
            cartlift.Engine.open(path)
        assert info.value.code == "corrupt_model"


def test_open_engine_keeps_answering_while_the_file_is_replaced(engine: cartlift.Engine, tmp_path: Path) -> None:
    path = tmp_path / "model.cartlift"
    engine.save(path)
    worker = cartlift.Engine.open(path)
    before = [worker.cross_sell(c) for c in CARTS]
    # A retrain on other orders replaces the file by rename (what `save` does) while the worker serves.
    retrained = cartlift.Engine.train(PRODUCTS, ORDERS[: len(ORDERS) // 3] + [ORDERS[0]] * 5)
    retrained.save(path)
    assert [worker.cross_sell(c) for c in CARTS] == before
    reopened = cartlift.Engine.open(path)
    assert [reopened.cross_sell(c) for c in CARTS] == [retrained.cross_sell(c) for c in CARTS]
    assert reopened.to_bytes() == retrained.to_bytes() != worker.to_bytes()


def test_corrupt_model_file(engine: cartlift.Engine, tmp_path: Path) -> None:
    path = tmp_path / "model.cartlift"
    engine.save(path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(cartlift.CorruptModel) as info:
        cartlift.Engine.load(path)
    assert info.value.code == "corrupt_model"
    path.write_bytes(bytes(data[: len(data) // 3]))
    with pytest.raises(cartlift.CorruptModel):
        cartlift.Engine.load(path)
    with pytest.raises(cartlift.CorruptModel):
        cartlift.Engine.from_bytes(b"not a model at all")


def test_pickle_round_trip(engine: cartlift.Engine) -> None:
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        clone = pickle.loads(pickle.dumps(engine, protocol=protocol))
        assert isinstance(clone, cartlift.Engine)
        assert clone.cross_sell(["camera", "bag"]) == engine.cross_sell(["camera", "bag"])


def _worker_answer(e: cartlift.Engine, cart: list[str]) -> Any:
    return e.cross_sell(cart)


def test_multiprocessing_with_spawn(engine: cartlift.Engine) -> None:
    ctx = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
        got = pool.submit(_worker_answer, engine, ["tripod"]).result(timeout=120)
    assert got == engine.cross_sell(["tripod"])


# --- threads --------------------------------------------------------------------------------------


def test_threads_share_one_engine(engine: cartlift.Engine) -> None:
    carts = [["camera"], ["tripod"], ["camera", "bag"], ["card"], ["lens"]]
    want = [engine.cross_sell(c) for c in carts]
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(200):
                for c, w in zip(carts, want):
                    assert engine.cross_sell(c) == w
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


# Run in a child process: were the GIL held, it would deadlock, and the timeout turns that into a failure.
GIL_CHECK = """
import json, sys, threading, cartlift
fifo = sys.argv[1]
products = [{"id": "camera", "title": "Camera", "price": "499.00"}, {"id": "lens", "title": "Lens", "price": "249.50"}]
trained = []
worker = threading.Thread(target=lambda: trained.append(cartlift.Engine.train(products, fifo)))
worker.start()
# Opening blocks until training opens the pipe for reading; training then waits for these lines.
with open(fifo, "w") as pipe:
    for i in range(20):
        order = {"id": str(i), "created_at": "2026-01-02T10:00:00Z", "lines": [{"product_id": "camera"}, {"product_id": "lens"}]}
        pipe.write(json.dumps(order) + "\\n")
worker.join()
print(trained[0].cross_sell(["camera"])["recommendations"][0]["product_id"])
"""


def test_gil_is_released_during_training(tmp_path: Path) -> None:
    """Training reads its orders from a pipe that only the main Python thread fills: it can only finish if the
    GIL is released while it runs. Nothing is timed."""
    fifo = tmp_path / "orders.jsonl"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-c", GIL_CHECK, str(fifo)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "lens"


def test_unknown_keyword_is_invalid_input_naming_it(engine: cartlift.Engine) -> None:
    with pytest.raises(cartlift.InvalidInput) as info:
        engine.cross_sell(["camera"], colour="red")  # type: ignore[call-arg]
    assert "colour" in str(info.value)


def test_personalize_off_ignores_history(engine: cartlift.Engine) -> None:
    plain = engine.cross_sell(["tripod"])
    assert engine.cross_sell(["tripod"], customer_history=["bag"], personalize=False) == plain


# --- measurement ----------------------------------------------------------------------------------

# Pinned in core/src/measure/experiment.rs (`exp(&[50, 50]).assign_index("visitor-42") == 1`): the hash is a
# stable contract (docs/measurement.md), so every binding must give this visitor "v1".
PINNED_EXPERIMENT: dict[str, Any] = {"id": "e", "variants": [{"id": "v0", "weight": 50}, {"id": "v1", "weight": 50}]}


def test_assign_matches_the_pinned_core_answer(engine: cartlift.Engine) -> None:
    out = engine.assign("e", "visitor-42", experiments=[PINNED_EXPERIMENT])
    assert out == {"experiment": "e", "variant": "v1"}
    assert engine.assign("e", "visitor-42", experiments=(x for x in [PINNED_EXPERIMENT])) == out  # any iterable
    variants = {engine.assign("e", f"visitor-{i}", experiments=[PINNED_EXPERIMENT])["variant"] for i in range(50)}
    assert variants == {"v0", "v1"}


def test_assign_errors(engine: cartlift.Engine) -> None:
    with pytest.raises(cartlift.UnknownExperiment):
        engine.assign("e", "visitor-42")  # the fixture engine was trained without experiments
    with pytest.raises(cartlift.UnknownExperiment):
        engine.assign("nope", "visitor-42", experiments=[PINNED_EXPERIMENT])
    with pytest.raises(cartlift.InvalidInput) as info:
        engine.assign("e", "v", experiments=[{"id": "e", "variants": [{"id": "a", "weight": 0}]}])
    assert info.value.field == "experiments[0].variants"


def test_report_on_a_tiny_event_list(engine: cartlift.Engine) -> None:
    visitor = "visitor-42"  # in variant v1 (pinned above)
    events = [
        {"type": "impression", "at": "2026-03-01T10:00:00Z", "visitor_id": visitor, "list_id": "L1",
         "placement": "cart", "product_ids": ["lens"], "experiment": "e", "variant": "v1"},
        {"type": "order", "at": "2026-03-01T10:05:00Z", "visitor_id": visitor, "order_id": "o1", "total": "12.50",
         "lines": [{"product_id": "lens", "quantity": 1, "price": "12.50"}]},
        {"type": "order", "at": "not a time", "visitor_id": visitor, "order_id": "o2", "total": "1.00", "lines": []},
    ]
    out = engine.report(experiments=[PINNED_EXPERIMENT], events=events)
    assert out["events"]["malformed"] == 1
    (exp,) = out["experiments"]
    by_id = {v["variant"]: v for v in exp["variants"]}
    assert set(by_id) == {"v0", "v1"}
    assert by_id["v1"]["orders"] == 1 and by_id["v1"]["aov"] == "12.50"
    assert by_id["v0"]["orders"] == 0
    with pytest.raises(cartlift.InvalidInput):
        engine.report(experiments=[PINNED_EXPERIMENT], events=events, mde=0)
    with pytest.raises(TypeError):
        engine.report(experiments=[PINNED_EXPERIMENT])  # type: ignore[call-arg]


def test_train_passes_experiments_only_when_given() -> None:
    plain = cartlift.Engine.train(PRODUCTS, experiments=None)  # not sent: trains as before
    with pytest.raises(cartlift.UnknownExperiment):
        plain.assign("e", "visitor-42")
    stored = cartlift.Engine.train(PRODUCTS, experiments=[PINNED_EXPERIMENT])
    assert stored.assign("e", "visitor-42") == {"experiment": "e", "variant": "v1"}
