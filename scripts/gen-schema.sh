#!/usr/bin/env bash
# Regenerate every file made from the Rust request and answer types: include/cartlift.schema.json (`cartlift
# schema`), the Python types bindings-python/python/cartlift/schema.py (scripts/gen_python_types.py) and the
# TypeScript types bindings-node/schema.d.ts (json-schema-to-typescript, bindings-node/gen-schema-types.js).
# `cargo test` (cli/tests/schema.rs), tests/python/run.sh and tests/node/run.sh fail when a committed one drifted.
set -euo pipefail
cd "$(dirname "$0")/.."
# The package selection of scripts/test.sh's `cargo test` (the default members), so both share one build.
cargo test --locked -q --no-run --test schema
"${CARGO_TARGET_DIR:-target}/debug/cartlift" schema --out include/cartlift.schema.json
python3 scripts/gen_python_types.py
(cd bindings-node && { [ -d node_modules/json-schema-to-typescript ] || npm ci --no-audit --no-fund; } \
  && node gen-schema-types.js)
echo "regenerated include/cartlift.schema.json, bindings-python/python/cartlift/schema.py, bindings-node/schema.d.ts"
