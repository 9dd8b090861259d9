#!/usr/bin/env bash
# The project's test command: installs what the tests need (quickly when it is already there),
# then runs the linters, the type checker and the test suite. Exits non-zero on any failure.
#
#   bash scripts/test.sh [PYTEST ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 # the browser tests use the system's Chromium
export DEBIAN_FRONTEND=noninteractive
export PIP_DISABLE_PIP_VERSION_CHECK=1
PYTHON=${PYTHON:-python}

step() { printf '\n== %s\n' "$*"; }

step "Chromium"
if [ ! -x /usr/bin/chromium ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q chromium
fi
/usr/bin/chromium --version 2>/dev/null

step "Python packages"
# Reinstall only when pyproject.toml changed since the last successful install.
stamp=".pytest_cache/.installed-pyproject"
want="$(sha256sum pyproject.toml | cut -d' ' -f1) $("$PYTHON" -c 'import sys; print(sys.executable)')"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || ! "$PYTHON" -c 'import factsheet, playwright, axe_playwright_python' 2>/dev/null; then
    "$PYTHON" -m pip install -q -e '.[test]'
    mkdir -p "$(dirname "$stamp")"
    printf '%s' "$want" >"$stamp"
else
    echo "up to date"
fi

step "Node tools (tools/)"
if ! cmp -s tools/package-lock.json tools/node_modules/.lock-installed 2>/dev/null; then
    (cd tools && npm ci --no-audit --no-fund --loglevel=error)
    cp tools/package-lock.json tools/node_modules/.lock-installed
else
    echo "up to date"
fi

status=0
run() {
    step "$*"
    "$@" || { echo "FAILED: $*"; status=1; }
}
run "$PYTHON" -m ruff check .
run "$PYTHON" -m ruff format --check .
run "$PYTHON" -m mypy
run "$PYTHON" -m pytest "$@"
exit $status
