"""The cross-language conformance vectors (tests/vectors), run through the native Python API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import pytest

import cartlift

VECTORS = Path(__file__).resolve().parents[1] / "vectors"


def _stores() -> list[Path]:
    if not VECTORS.is_dir():
        return []
    return sorted(p for p in VECTORS.iterdir() if (p / "train.json").is_file())


def _cases() -> list[tuple[Path, Path]]:
    return [(store, case) for store in _stores() for case in sorted((store / "cases").glob("*.json"))]


def test_vectors_directory_exists() -> None:
    assert VECTORS.is_dir(), f"{VECTORS} is missing: the conformance vectors must be present"
    assert all((s / "cases").is_dir() for s in _stores())


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
        assert info.value.code == want["code"], str(info.value)
        if "field" in want:
            assert info.value.field == want["field"], str(info.value)
        if "line" in want:
            assert info.value.line == want["line"], str(info.value)
    else:
        got = _call(store, op, request, how, model_dir)
        assert got == spec["response"]
        # Answers are plain JSON values as they are.
        assert json.loads(json.dumps(got)) == spec["response"]
