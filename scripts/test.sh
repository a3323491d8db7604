#!/usr/bin/env bash
# Set up and run the whole test suite: lint, then pytest (mongomock, or the real MongoDB named by
# TEST_MONGODB_URI). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

echo "== ruff"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .

echo "== pytest${TEST_MONGODB_URI:+ (on $TEST_MONGODB_URI)}"
"$VENV/bin/pytest" "$@"
