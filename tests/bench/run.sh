#!/usr/bin/env bash
# Smoke runs of the bench scripts, so they do not rot: bench/compare.py on 3,000 real grocery baskets from tests/data
# (cartlift, CLI for the split and Python wheel for the answers, against popularity, SAR co-occurrence and implicit)
# and bench/scale.py on two tiny generated stores. Not timed: it checks that every strategy and size ran and that
# the numbers are well-formed.
# Installs bench/requirements-smoke.txt (every peer and matplotlib; ~20 s of pip) into its own venv, and the wheel
# from tests/python/run.sh (build/wheels; built here with maturin when missing, which takes minutes). Exits non-zero
# on failure, also when a peer is missing: the smoke requires them all.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
PY=${PYTHON:-python3}
VENV=$ROOT/build/venv-bench-smoke
OUT=$ROOT/build/bench-smoke
SAMPLE=$ROOT/tests/data/completejourney-3000

rm -rf "$VENV" "$OUT"
mkdir -p "$OUT"
"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q -r bench/requirements-smoke.txt
if ! ls build/wheels/cartlift-*.whl >/dev/null 2>&1; then
    echo "bench smoke: no wheel in build/wheels (tests/python/run.sh builds it); building one with maturin"
    "$VENV/bin/python" -m pip install -q maturin==1.16.0
    "$VENV/bin/maturin" build -q --features test-hooks -m bindings-python/Cargo.toml -o build/wheels -i "$VENV/bin/python"
fi
"$VENV/bin/python" -m pip install -q build/wheels/cartlift-*.whl

# The CLI from the build of scripts/test.sh's `cargo test` (see tests/fuzz/run.sh): no second build of the core.
cargo test --locked -q --no-run --test cli
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/debug/cartlift

"$VENV/bin/python" bench/compare.py --products "$SAMPLE/products.jsonl" --orders "$SAMPLE/orders.jsonl" \
    --cartlift "$BIN" --out "$OUT/compare.md" --json "$OUT/compare.json" --require cartlift,implicit,mlxtend

"$VENV/bin/python" - "$OUT/compare.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
rows = {r["strategy"]: r for r in report["results"]}
expected = ["cartlift default (Python binding)", "popularity (numpy)", "SAR jaccard (scipy)", "SAR lift (scipy)",
            "implicit Cosine", "implicit BM25", "implicit TF-IDF", "mlxtend rules (top 300 items)"]
missing = [name for name in expected if name not in rows]
assert not missing, f"strategies missing from the comparison: {missing} (have {sorted(rows)})"
assert report["queries"] > 100, report["queries"]
for name, r in rows.items():
    for m in ("hit_rate", "ndcg", "mrr", "coverage"):
        assert 0.0 <= r[m] <= 1.0, (name, m, r[m])
    assert r["ndcg"] <= r["hit_rate"] + 1e-12, (name, r)
# On real baskets a co-occurrence model must beat nothing at all; a broken pipeline scores 0.
assert rows["cartlift default (Python binding)"]["hit_rate"] > 0.02, rows["cartlift default (Python binding)"]
assert rows["cartlift default (Python binding)"]["query_p50_us"] > 0
print(f"bench smoke: {len(rows)} strategies on {report['queries']} queries; "
      f"cartlift hit@{report['k']} {rows['cartlift default (Python binding)']['hit_rate']:.4f}")
PY

# The scale script on two tiny stores, plots included.
"$VENV/bin/python" bench/scale.py --smoke --cartlift "$BIN" --work "$OUT/scale" --out "$OUT/scale" --plots "$OUT/plots" > /dev/null
"$VENV/bin/python" - "$OUT/scale.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert len(r["catalogs"]) == 2 and len(r["orders"]) == 2, r
for row in r["catalogs"]:
    assert 0 < row["p50_us"] <= row["p99_us"], row
for row in r["orders"]:
    assert row["cartlift"]["peak_mb"] > 0 and row["implicit"] and row["implicit"]["fit_s"] > 0, row
assert [p.rsplit("/", 1)[-1] for p in r["plots"]] == ["scale-orders.png", "scale-catalog.png"], r["plots"]
print(f"bench smoke: scale.py measured {len(r['catalogs'])} catalogs and {len(r['orders'])} order counts")
PY
