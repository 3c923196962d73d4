#!/usr/bin/env bash
# Write include/cartlift.h (C/C++) and include/cartlift_php.h (PHP FFI) from src/ with the pinned cbindgen (a
# dev-dependency of this crate, =0.29.4 in Cargo.toml: its output changes between versions). The generator is the
# header test, tests/headers.rs, which `cargo test` runs to fail on drift; CARTLIFT_HEADERS_OUT makes it write.
# Usage: gen-headers.sh [OUT_DIR]   (default: include/ at the repository root)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
out="${1:-$root/include}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cd "$root"
# The package selection of scripts/test.sh's `cargo test` (the workspace's default members), so both share one build.
CARTLIFT_HEADERS_OUT="$out" cargo test -q --test headers
