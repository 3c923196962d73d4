#!/usr/bin/env bash
# Browser suite: the example shop (examples/storefront) and the HTML experiment report in Debian's chromium, driven
# by playwright-core with executablePath (no browser download), scanned by axe-core. It reuses the Node addon that
# tests/node/run.sh built and the CLI of scripts/test.sh's `cargo test` build.
# Screenshots of every page land in build/browser/screenshots; SCREENSHOTS_DIR=docs refreshes the committed ones
# (compress them before committing, e.g. pngquant --skip-if-larger --ext .png --force docs/storefront-*.png).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' \
  || { echo "run.sh: playwright-core needs node >= 20, found $(node --version)" >&2; exit 1; }
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
[[ -x "$CHROMIUM" ]] || { echo "run.sh: $CHROMIUM not found: apt-get install chromium (.ci/run does)" >&2; exit 1; }

if ! compgen -G "bindings-node/cartlift.*.node" >/dev/null; then
  echo "browser: no Node addon yet, building it as bindings-node/README.md says"
  (cd bindings-node && npm ci --no-audit --no-fund && npm run build)
fi

# The CLI (gen and report) from the same build as the C, fuzz and bench suites: no second build of the core.
cargo test --locked -q --no-run --test cli
export CARTLIFT_CLI="${CARGO_TARGET_DIR:-$ROOT/target}/debug/cartlift"

(cd examples/storefront && npm ci --no-audit --no-fund)
(cd tests/browser && npm ci --no-audit --no-fund)

node --test tests/browser/*.test.js
