#!/usr/bin/env bash
# Smoke run of the bench scripts so they do not rot: bench/compare.py and bench/scale.py on a generated store of a
# few hundred orders. Checks that they run end to end and produce their tables; times nothing (the numbers of a
# run this small mean nothing). Installs what it needs in build/venv-bench-smoke: bench/requirements-smoke.txt
# (bench/requirements.txt without the Complete Journey download; ~20 s of pip) and the cartlift wheel built by
# tests/python/run.sh (built here when missing). Works from a clean clone; exits non-zero on failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
PY=${PYTHON:-python3}
VENV=$ROOT/build/venv-bench-smoke
WORK=$ROOT/build/bench-smoke
start=$SECONDS
step() { printf '\n== %s (%ss)\n' "$*" $((SECONDS - start)); }

step "cartlift CLI (debug build)"
cargo build -q --locked -p cartlift-cli
CARTLIFT=${CARGO_TARGET_DIR:-$ROOT/target}/debug/cartlift
"$CARTLIFT" --version

step "venv with the smoke peers"
rm -rf "$VENV" "$WORK"
"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q -r bench/requirements-smoke.txt
if ! ls build/wheels/cartlift-*.whl >/dev/null 2>&1; then
    step "no wheel in build/wheels: building one (tests/python/run.sh normally does)"
    "$VENV/bin/python" -m pip install -q maturin==1.16.0
    "$VENV/bin/maturin" build -q -m bindings-python/Cargo.toml -o build/wheels -i "$VENV/bin/python"
fi
"$VENV/bin/python" -m pip install -q build/wheels/cartlift-*.whl

step "compare.py on a generated store (100 products, 400 orders)"
mkdir -p "$WORK"
"$CARTLIFT" gen --products 100 --orders 400 --seed 1 --out "$WORK/store"
# Every peer must run here: a missing one is an error (--require), not a skipped row.
"$VENV/bin/python" bench/compare.py --products "$WORK/store/products.jsonl" --orders "$WORK/store/orders.jsonl" \
    --cartlift "$CARTLIFT" --require cartlift,implicit,mlxtend --mlxtend-items 50 --out "$WORK/compare.md" \
    2>"$WORK/compare.err" || { cat "$WORK/compare.err" >&2; exit 1; }
for row in "cartlift default (Python binding)" "popularity (numpy)" "SAR jaccard (scipy)" "SAR lift (scipy)" \
           "implicit Cosine" "implicit BM25" "implicit TF-IDF" "mlxtend rules (top 50 items)"; do
    grep -qF "| $row |" "$WORK/compare.md" || { echo "compare.py: no row for '$row'" >&2; cat "$WORK/compare.err" >&2; exit 1; }
done

step "scale.py --smoke"
"$VENV/bin/python" bench/scale.py --smoke --cartlift "$CARTLIFT" --work "$WORK/scale" --out-dir "$WORK/scale-out" \
    >"$WORK/scale.out" 2>"$WORK/scale.err" || { cat "$WORK/scale.err" >&2; exit 1; }
"$VENV/bin/python" - "$WORK/scale-out/scale.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert [x["orders"] for x in r["orders_curve"]] == [300, 600], r["orders_curve"]
assert all(x["implicit"] and x["implicit"]["fit_s"] > 0 for x in r["orders_curve"]), "implicit's fit did not run"
assert all(x["p50_us"] > 0 and x["p99_us"] >= x["p50_us"] for x in r["catalog_curve"]), r["catalog_curve"]
assert all(x["train_peak_mb"] > 0 for x in r["orders_curve"] + r["catalog_curve"])
assert r["plots"] == ["scale-build-time.png", "scale-peak-memory.png", "scale-latency-catalog.png"], r["plots"]
PY

step "bench smoke passed"
