#!/usr/bin/env bash
# Write include/cartlift.h (C/C++) and include/cartlift_php.h (PHP FFI) from src/ with the pinned cbindgen.
# Usage: gen-headers.sh [OUT_DIR]   (default: include/ at the repository root; tests/c/run.sh passes a temp dir to check drift)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
out="${1:-$here/../include}"
want="0.29.4"
cbindgen="${CBINDGEN:-$root/build/tools/bin/cbindgen}"
if [[ ! -x "$cbindgen" ]]; then
    echo "cbindgen not found at $cbindgen; install it with:" >&2
    echo "  cargo install cbindgen --version $want --locked --root $root/build/tools" >&2
    exit 1
fi
have="$("$cbindgen" --version | awk '{print $2}')"
if [[ "$have" != "$want" ]]; then
    echo "cbindgen $have found, $want required (its output changes between versions)" >&2
    exit 1
fi
mkdir -p "$out"
"$cbindgen" --quiet --config "$here/cbindgen.toml" --crate cartlift-c --output "$out/cartlift.h" "$here"
"$cbindgen" --quiet --config "$here/cbindgen-php.toml" --crate cartlift-c --output "$out/cartlift_php.h" "$here"
