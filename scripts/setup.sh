# Sourced by run.sh and test.sh: make .venv with the project and its dev tools installed.
# Idempotent and quick when nothing changed (pyproject.toml's hash is remembered).
set -euo pipefail

PYTHON="${PYTHON:-python3}"
VENV="${PARTWISE_VENV:-.venv}"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! "$PYTHON" -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null; then
  echo "Partwise needs Python 3.11 or newer as '$PYTHON' (set PYTHON=... to choose another)." >&2
  exit 1
fi

if [ ! -x "$VENV/bin/python" ]; then
  if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
    echo "Installing python3-venv (Debian ships venv separately)..."
    as_root apt-get update -qq && as_root apt-get install -y -qq python3-venv
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
  fi
fi

stamp="$VENV/.partwise-installed"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "Installing Python dependencies into $VENV (log: $VENV/pip.log) ..."
  if ! { "$VENV/bin/python" -m pip install --upgrade pip &&
         "$VENV/bin/python" -m pip install -e '.[dev]'; } > "$VENV/pip.log" 2>&1; then
    tail -n 40 "$VENV/pip.log" >&2
    echo "Installing the Python dependencies failed (full log: $VENV/pip.log)." >&2
    exit 1
  fi
  echo "$want" > "$stamp"
fi
