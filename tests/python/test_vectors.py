"""The cross-language conformance vectors (tests/vectors), run through the native Python API as
tests/vectors/README.md specifies: answers compared whole (numbers within 1e-6), errors by code, field and line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import pytest

import cartlift

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
# Numbers agree when they differ by at most this (scores to 6 decimal places).
NUMBER_TOLERANCE = 1e-6


def same(expected: Any, actual: Any) -> bool:
    """Objects by key set, lists in order, numbers within NUMBER_TOLERANCE, everything else exactly."""
    numbers = (int, float)
    if isinstance(expected, numbers) and isinstance(actual, numbers) and not isinstance(expected, bool) \
            and not isinstance(actual, bool):
        return abs(expected - actual) <= NUMBER_TOLERANCE
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(same(e, a) for e, a in zip(expected, actual))
    if isinstance(expected, dict) and isinstance(actual, dict):
        return expected.keys() == actual.keys() and all(same(v, actual[k]) for k, v in expected.items())
    return type(expected) is type(actual) and expected == actual


def _stores() -> list[Path]:
    if not VECTORS.is_dir():
        return []
    return sorted(p for p in VECTORS.iterdir() if (p / "train.json").is_file())


def _cases() -> list[tuple[Path, Path]]:
    return [(store, case) for store in _stores() for case in sorted((store / "cases").glob("*.json"))]


def test_vectors_directory_exists() -> None:
    assert VECTORS.is_dir(), f"{VECTORS} is missing: the conformance vectors must be present"
    assert _stores(), f"no store under {VECTORS}"
    assert all((s / "cases").is_dir() for s in _stores())
    assert _cases(), f"no case under {VECTORS}/*/cases: test_vector would run nothing"


_engines: dict[tuple[Path, str], cartlift.Engine] = {}


def _engine(store: Path, how: str, tmp: Path) -> cartlift.Engine:
    """The store's engine as trained, or saved and then mapped with `open` (the same answers)."""
    if (store, how) not in _engines:
        request = json.loads((store / "train.json").read_text())
        engine = cartlift.Engine.train(**request)
        if how == "opened":
            path = tmp / f"{store.name}.cartlift"
            engine.save(path)
            engine = cartlift.Engine.open(path)
        _engines[(store, how)] = engine
    return _engines[(store, how)]


def _call(store: Path, op: str, request: dict[str, Any], how: str, tmp: Path) -> Any:
    if op == "train":
        return cartlift.Engine.train(**request)
    engine = _engine(store, how, tmp)
    method: Callable[..., Any] = getattr(engine, op)
    return method(**request)


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.mark.parametrize("how", ["trained", "opened"])
@pytest.mark.parametrize(
    "store,case", _cases(), ids=[f"{s.name}/{c.stem}" for s, c in _cases()]
)
def test_vector(store: Path, case: Path, how: str, model_dir: Path) -> None:
    spec = json.loads(case.read_text())
    op, request = spec["op"], spec["request"]
    assert op in ("train", "cross_sell", "upsell", "upgrade_path", "suggest_decoy_price", "price_cart", "suggest_bundles", "assign", "report")
    if "error" in spec:
        with pytest.raises(cartlift.CartliftError) as info:
            _call(store, op, request, how, model_dir)
        want = spec["error"]
        got_error = {"code": info.value.code, "field": info.value.field, "line": info.value.line}
        expected = {"code": want["code"], "field": want.get("field"), "line": want.get("line")}
        assert got_error == expected, str(info.value)
    elif op == "train":
        _call(store, op, request, how, model_dir)  # succeeds; nothing to compare
    else:
        got = _call(store, op, request, how, model_dir)
        assert same(spec["response"], got), f"expected {spec['response']!r}\n got {got!r}"
        # Answers are plain JSON values as they are.
        assert json.loads(json.dumps(got)) == spec["response"]
