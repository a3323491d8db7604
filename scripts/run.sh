#!/usr/bin/env bash
# Set up and run Partwise on http://127.0.0.1:8000: the API, the worker and the PWA, on the
# embedded store with demo data, or on the MongoDB named by MONGODB_URI (no demo data then).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
setup_python
setup_pwa
exec "$VENV/bin/partwise" run "$@"
