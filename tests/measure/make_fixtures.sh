#!/usr/bin/env bash
# Regenerate tests/measure/fixtures.json with scipy + statsmodels in a throwaway venv.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${VENV:-$(mktemp -d)/venv}"
python3 -m venv "$venv"
"$venv/bin/pip" install -q scipy statsmodels numpy
"$venv/bin/python" "$here/make_fixtures.py"
