# Sourced by run.sh and test.sh. Idempotent and quick when nothing changed: each step remembers
# the hash of what it installed from (pyproject.toml, pwa/package-lock.json).
#   setup_python    .venv with the project and its dev tools (pip install -e '.[dev]')
#   setup_pwa       pwa/node_modules (npm ci) and the built app in pwa/dist (npm run build)
#   setup_chromium  Debian's chromium and chromium-headless-shell, for the PWA's browser tests
set -euo pipefail

PYTHON="${PYTHON:-python3}"
VENV="${PARTWISE_VENV:-.venv}"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# Run a step quietly into a log; show the log's end and stop when it fails.
quietly() {
  local log="$1"; shift
  if ! "$@" > "$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "Failed: $* (full log: $log)" >&2
    exit 1
  fi
}

setup_python() {
  if ! "$PYTHON" -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null; then
    echo "Partwise needs Python 3.11 or newer as '$PYTHON' (set PYTHON=... to choose another)." >&2
    exit 1
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
      echo "Installing python3-venv (Debian ships venv separately)..."
      apt_install python3-venv
      rm -rf "$VENV"
      "$PYTHON" -m venv "$VENV"
    fi
  fi
  local stamp="$VENV/.partwise-installed" want
  want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "Installing Python dependencies into $VENV (log: $VENV/pip.log) ..."
    quietly "$VENV/pip.log" sh -c \
      "'$VENV/bin/python' -m pip install --upgrade pip && '$VENV/bin/python' -m pip install -e '.[dev]'"
    echo "$want" > "$stamp"
  fi
}

setup_pwa() {
  if ! command -v npm >/dev/null 2>&1 || ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 20 ? 1 : 0)'; then
    echo "Partwise's PWA needs Node.js 20 or newer with npm on the PATH." >&2
    exit 1
  fi
  mkdir -p "$VENV"
  local stamp="pwa/node_modules/.partwise-installed" want
  want="$(sha256sum pwa/package-lock.json | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "Installing the PWA's packages into pwa/node_modules (log: $VENV/npm.log) ..."
    quietly "$VENV/npm.log" npm ci --prefix pwa --no-audit --no-fund
    echo "$want" > "$stamp"
  fi
  echo "Building the PWA into pwa/dist ..."
  quietly "$VENV/npm-build.log" npm run --prefix pwa build
}

setup_chromium() {
  local missing=()
  if [ -z "${PARTWISE_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
    missing+=(chromium)
  fi
  # The same Chromium without the browser around it, lighter: most browser tests run in it.
  if [ -z "${PARTWISE_CHROMIUM_HEADLESS_SHELL:-}" ] && ! command -v chromium-headless-shell >/dev/null 2>&1; then
    missing+=(chromium-headless-shell)
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing Debian's ${missing[*]} for the browser tests ..."
    apt_install "${missing[@]}"
  fi
}
