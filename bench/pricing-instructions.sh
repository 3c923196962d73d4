#!/usr/bin/env bash
# Instructions per `price_cart` on the pricing benchmark's cart (10 lines, 20 bundles, opportunities), counted by
# callgrind inside `price_cart` only. Steadier than wall time on a shared machine: use it to judge changes worth a
# few percent, then confirm with `cargo bench -p cartlift-core --bench pricing`. Needs valgrind (not part of CI).
# `bench/pricing-instructions.sh [RUNS] [pairwise]`: `pairwise` counts the speed probe's cart instead.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 1; }
runs=${1:-1000}
cargo build -q --release -p cartlift-core --example price_cart_loop
out=$(mktemp)
trap 'rm -f "$out"' EXIT
valgrind --tool=callgrind --toggle-collect='cartlift_core::pricing::price_cart' --callgrind-out-file="$out" \
  target/release/examples/price_cart_loop "$runs" ${2:-} >/dev/null 2>&1
total=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
echo "instructions per price_cart: $((total / runs))"
