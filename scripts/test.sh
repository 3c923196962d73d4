#!/usr/bin/env bash
# Every test of the project: the fmt and clippy gates, Rust (core, CLI, C ABI crate), conformance vectors in every language,
# Python, Node, browser (the example shop and the experiment report in chromium), C and PHP suites, the drift checks
# of generated files, and an untimed smoke run of the bench scripts.
# Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

start=$(date +%s)
section() { printf '\n==> %s (at %s s)\n' "$*" $(( $(date +%s) - start )); }

# The fuzz targets' build (nightly, instrumented, in its own target dir: it shares nothing with the other builds)
# runs in the background from the start at the lowest priority, on the CPU the suites leave idle (test runs, pip
# and npm, mypy, valgrind, PHP); the fuzz suite's own build then finds it done or waits for cargo's lock, and
# reports any error. Its output: build/fuzz/build.log.
mkdir -p build/fuzz
setsid nice -n 19 tests/fuzz/run.sh --build-only >build/fuzz/build.log 2>&1 &
fuzz_build=$!
trap 'kill -- -"$fuzz_build" 2>/dev/null || true' EXIT

section "Lint gates: cargo fmt, cargo clippy -D warnings"
cargo fmt --all --check
# Every target: libraries, binaries, tests, benches. On a warm build it costs 16 s against 5 s for --lib --bins
# after a change to core (2 cores, 2026-12-04); a cold run (a fresh clone, as in CI) also checks the
# dev-dependencies (criterion, proptest, cbindgen) and the test targets once: 8 min past a warm --lib --bins on
# two cores shared with other builds (load 6).
cargo clippy --locked --workspace --all-targets -- -D warnings

section "Rust: core, CLI, C ABI crate (unit, property, integration, conformance vectors, header drift)"
# The workspace's default members (core, CLI, C ABI crate). The C, fuzz and bench suites take libcartlift and the
# CLI from this same build (`cargo test --no-run`): any other package selection unifies the dependencies' features
# differently and compiles the core and most of its dependencies again.
cargo test --locked
# The optimizer against its brute-force oracles in an optimized build too (debug and release run the same search;
# this catches what only optimization exposes, such as float bounds or overflow checks compiled out).
cargo test --locked --release -p cartlift-core --test pricing

for suite in python node browser c fuzz bench; do
  if [ -x "tests/$suite/run.sh" ]; then
    section "$suite suite (tests/$suite/run.sh)"
    "tests/$suite/run.sh"
  else
    echo "missing test suite tests/$suite/run.sh" >&2
    exit 1
  fi
done

section "all tests passed in $(( $(date +%s) - start )) s"
