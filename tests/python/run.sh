#!/usr/bin/env bash
# The Python binding's single test command: fresh venv, release wheel via maturin, install, stub checks, pytest.
# Works from a clean clone; needs python3 (>= 3.9, with venv) and a Rust toolchain. Exits non-zero on failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
PY=${PYTHON:-python3}
VENV=$ROOT/build/venv-python

if ! "$PY" -c 'import venv, ensurepip' 2>/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && apt-get install -y -qq python3-venv python3-pip
    else
        echo "run.sh: $PY lacks venv/ensurepip; install python3-venv" >&2
        exit 1
    fi
fi

rm -rf "$VENV" "$ROOT/build/wheels"
"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
# jsonschema: test_schema.py checks include/cartlift.schema.json against what the engine accepts.
"$VENV/bin/python" -m pip install -q maturin==1.16.0 pytest==9.2.0 mypy==2.4.1 flask==3.1.3 jsonschema==4.26.0
# pyspark for the Spark job's test (it needs Java 17 too, and fails without it unless CARTLIFT_SKIP_SPARK=1).
"$VENV/bin/python" -m pip install -q -r "$ROOT/tests/python/requirements-spark.txt"

# Release, so bench/python_bench.py numbers mean something. With the host triple as explicit target, as the Node
# addon's build (napi build always passes one): both then compile into target/<triple>/release and share every
# dependency they resolve alike, instead of compiling all of them twice.
HOST=$(rustc -vV | sed -n 's/^host: //p')
# The test-hooks feature adds Engine._time_query for bench/python_bench.py; wheels for users are built without it.
"$VENV/bin/maturin" build --release --features test-hooks -m bindings-python/Cargo.toml -o build/wheels -i "$VENV/bin/python" --target "$HOST"
"$VENV/bin/python" -m pip install -q --force-reinstall build/wheels/cartlift-*.whl

# The TypedDicts of cartlift/schema.py are what scripts/gen_python_types.py makes of include/cartlift.schema.json.
"$VENV/bin/python" scripts/gen_python_types.py --check

# The wheel carries the typing marker and the stubs.
"$VENV/bin/python" - <<'PY'
import pathlib, cartlift
pkg = pathlib.Path(cartlift.__file__).parent
for f in ("py.typed", "__init__.pyi"):
    assert (pkg / f).is_file(), f"wheel lacks {f}"
PY

# Stub drift check: the committed .pyi against the compiled module, then the examples under --strict.
(cd "$ROOT/build" && "$VENV/bin/python" -m mypy.stubtest cartlift --allowlist "$ROOT/tests/python/stubtest-allowlist.txt")
(cd "$ROOT/examples/python" && "$VENV/bin/python" -m mypy --strict --cache-dir "$ROOT/build/mypy-cache" .)

# Run from build/ so `import cartlift` is the installed wheel, never the source tree.
(cd "$ROOT/build" && "$VENV/bin/python" -m pytest -q -p no:cacheprovider "$ROOT/tests/python")
