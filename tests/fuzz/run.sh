#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer, through libfuzzer-sys) of every JSON operation of the API, every reader,
# model bytes and the C ABI entry points: a short run per target, seeded from the repository's fixtures. A panic
# or abort fails the suite and leaves the input in build/fuzz/artifacts/<target>/ (replay: the target binary with
# that file as argument).
# Needs the nightly toolchain (rustup's `nightly`). CARTLIFT_FUZZ_SECONDS sets the time per target (default 5);
# the corpus grows across runs in build/fuzz/corpus. `run.sh --build-only` builds the targets and stops (what
# scripts/test.sh runs in the background from its start).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/build/fuzz
SECONDS_EACH=${CARTLIFT_FUZZ_SECONDS:-5}

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  echo "fuzz: the nightly toolchain is missing (rustup toolchain install nightly)" >&2
  exit 1
fi
HOST=$(rustc -vV | sed -n 's/^host: //p')
# The instrumentation cargo-fuzz applies, without AddressSanitizer: the engine has no unsafe code to check, and
# the fuzzers look for panics, aborts and runaway memory.
FUZZ_FLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing"
RUSTFLAGS="$FUZZ_FLAGS" cargo +nightly build --locked --release --manifest-path tests/fuzz/Cargo.toml --target "$HOST" \
  --target-dir "$OUT/target"
[[ ${1:-} == --build-only ]] && exit 0

rm -rf "$OUT/seeds"
python3 tests/fuzz/seeds.py "$OUT/seeds"
mkdir -p "$OUT/seeds/model_bytes"
# The CLI from the build of scripts/test.sh's `cargo test` (the default members; their integration tests need the
# binary): `cargo run -p cartlift-cli` unifies dependency features differently and compiled the core again.
cargo test --locked -q --no-run --test cli
"${CARGO_TARGET_DIR:-$ROOT/target}/debug/cartlift" train --products "$OUT/seeds/store/products.jsonl" \
  --orders "$OUT/seeds/store/orders.jsonl" --out "$OUT/seeds/model_bytes/basic.cartlift" >/dev/null 2>&1
# c_abi: the API requests under the same first bytes (the same order of operations), and the model after byte 8.
cp -r "$OUT/seeds/api_json" "$OUT/seeds/c_abi"
{ printf '\010'; cat "$OUT/seeds/model_bytes/basic.cartlift"; } >"$OUT/seeds/c_abi/model"
for target in api_json readers model_bytes c_abi; do
  mkdir -p "$OUT/corpus/$target" "$OUT/artifacts/$target" "$OUT/seeds/$target"
  echo "fuzz: $target for ${SECONDS_EACH} s"
  if ! "$OUT/target/$HOST/release/$target" "$OUT/corpus/$target" "$OUT/seeds/$target" \
    -max_total_time="$SECONDS_EACH" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$OUT/artifacts/$target/" >"$OUT/$target.log" 2>&1; then
    tail -40 "$OUT/$target.log" >&2
    echo "fuzz: $target failed; the input is in $OUT/artifacts/$target/" >&2
    exit 1
  fi
  grep -E "^stat::(number_of_executed_units|peak_rss_mb)" "$OUT/$target.log" || true
done
echo "fuzz: no crash"
