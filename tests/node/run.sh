#!/usr/bin/env bash
# Node binding checks, from a clean clone: install the pinned dev tools, build the addon, check the generated
# declarations for drift, type-check the typed example, then run every Node test (vectors included).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PKG="$ROOT/bindings-node"
APP="$ROOT/examples/node"

# Users run the addon on Node >= 18; building it takes @napi-rs/cli 3, which needs Node 20.17+ (README.md).
command -v node >/dev/null || { echo "run.sh: node (>= 20.17) is required" >&2; exit 1; }
command -v cargo >/dev/null || { echo "run.sh: cargo (Rust) is required to build the addon" >&2; exit 1; }
node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 17) ? 0 : 1)' \
  || { echo "run.sh: node >= 20.17 is required to build the addon (@napi-rs/cli), found $(node --version)" >&2; exit 1; }

cd "$PKG"
npm ci --no-audit --no-fund

# Release: the benchmark needs it, and on 2 cores it costs little more than a debug build once the
# workspace's dependencies are compiled (numbers in the report of the Node binding work).
# With the test-hooks feature (`__benchQuery`, `__testPanic`), which the addon users get from `npm run build` lacks.
# napi-rs writes the declarations relative to the package folder; the names are git-ignored (*.tmp-*).
generated="native.tmp-test.d.ts"
shipped="native.tmp-check.d.ts"
trap 'rm -f "$PKG/$generated" "$PKG/$shipped"' EXIT
npm run build:test

# The committed native.d.ts describes the shipped addon: the generated declarations less the hooks' (`__` names).
node -e '
  const fs = require("fs");
  const blocks = fs.readFileSync(process.argv[1], "utf8").split(/\n\n/);
  fs.writeFileSync(process.argv[2], blocks.filter((b) => !/export declare function __/.test(b)).join("\n\n"));
' "$generated" "$shipped"
if ! diff -u native.d.ts "$shipped"; then
  echo "run.sh: bindings-node/native.d.ts drifted from the addon's exports: run 'npm run build' in bindings-node," \
       "commit native.d.ts and update the hand-written index.d.ts to match" >&2
  exit 1
fi

# The request and answer types: what json-schema-to-typescript makes of include/cartlift.schema.json.
node gen-schema-types.js schema.tmp-check.d.ts
trap 'rm -f "$PKG/$generated" "$PKG/$shipped" "$PKG/schema.tmp-check.d.ts"' EXIT
if ! diff -u schema.d.ts schema.tmp-check.d.ts; then
  echo "run.sh: bindings-node/schema.d.ts drifted from include/cartlift.schema.json: run scripts/gen-schema.sh" >&2
  exit 1
fi

(cd "$APP" && npm ci --no-audit --no-fund)
"$PKG/node_modules/.bin/tsc" -p "$APP/tsconfig.json"

cd "$ROOT"
node --test tests/node/*.test.js
