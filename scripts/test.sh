#!/usr/bin/env bash
# Set up and run the whole test suite: lint (ruff), the import contracts (lint-imports), the
# declared dependencies (deptry), tsc, then pytest on two processes, including the PWA in
# headless Chromium (mongomock, or the real MongoDB named by TEST_MONGODB_URI). Extra arguments
# go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
setup_python
setup_pwa
setup_chromium

# tsc takes a few seconds on its own: it checks the PWA meanwhile, and is waited for below.
npm run --prefix pwa --silent typecheck > "$VENV/tsc.log" 2>&1 &
tsc=$!

echo "== ruff"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
echo "== imports"
# One way: worker -> api -> webpush (the contracts are in pyproject.toml).
"$VENV/bin/lint-imports"
# What production imports is declared, and what it declares it imports ([tool.deptry]). Then
# tests/ and bench/: every package they import is declared too, in [project] or the dev extras
# (there a dev package is what they should import, DEP004, and most of production's go unused).
"$VENV/bin/deptry" .
"$VENV/bin/deptry" tests bench --exclude '(^|/)__pycache__/' --extend-exclude '^pwa/' \
  -kf api -kf webpush -kf worker -kf tests --ignore DEP002,DEP004
echo "== tsc"
if ! wait "$tsc"; then
  cat "$VENV/tsc.log" >&2
  exit 1
fi

echo "== pytest${TEST_MONGODB_URI:+ (on $TEST_MONGODB_URI)}"
# Here the browser tests must run: a missing piece fails them instead of skipping them.
# Two processes, each taking whole test files (the PWA's server and browser are per file);
# `-n 0` after these (bash scripts/test.sh -n 0 ...) runs in this process, for pdb or -s.
PARTWISE_REQUIRE_BROWSER=1 "$VENV/bin/pytest" -n 2 --dist loadfile "$@"
