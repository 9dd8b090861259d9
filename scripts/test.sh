#!/usr/bin/env bash
# The project's test command: installs what the tests need (quickly when it is already there),
# then runs the linters, the type checker and the test suite. Exits non-zero on any failure.
#
#   bash scripts/test.sh [PYTEST ARGS...]
#
# Python packages come from the lock, requirements/test.txt (exact versions, with hashes), into
# PYTHON, else the active virtual environment, else the project's .venv (made if missing). With
# DEPENDENCIES=newest they come instead from pyproject.toml's ranges, at the newest versions
# those allow, ignoring the lock (the weekly newest-dependencies workflow does that).
set -euo pipefail
cd "$(dirname "$0")/.."

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 # the browser tests use the system's Chromium
export DEBIAN_FRONTEND=noninteractive
# shellcheck source=scripts/python.sh
. scripts/python.sh
DEPENDENCIES=${DEPENDENCIES:-locked}

step() { printf '\n== %s\n' "$*"; }

step "System packages"
# Debian's Chromium for the browser tests, a Java runtime for the Nu HTML Checker, Node.js and
# npm for the checkers in tools/: each installed with apt only when it is missing.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v java >/dev/null || missing+=(default-jre-headless)
command -v npm >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
/usr/bin/chromium --version 2>/dev/null

step "Python packages ($DEPENDENCIES)"
# Reinstall only when the lock or pyproject.toml changed since the last successful install.
stamp=".pytest_cache/.installed-python"
want="$DEPENDENCIES $(cat requirements/test.txt pyproject.toml | sha256sum | cut -d' ' -f1) $("$PYTHON" -c 'import sys; print(sys.executable)')"
if [ "$DEPENDENCIES" = newest ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] \
    || ! "$PYTHON" -c 'import factsheet, playwright, axe_playwright_python' 2>/dev/null; then
    case "$DEPENDENCIES" in
    locked)
        "$PYTHON" -m pip install -q --require-hashes -r requirements/test.txt
        "$PYTHON" -m pip install -q --no-deps -e .
        ;;
    newest)
        "$PYTHON" -m pip install -q --upgrade --upgrade-strategy eager -e '.[test]'
        ;;
    *)
        echo "DEPENDENCIES must be 'locked' or 'newest', not '$DEPENDENCIES'" >&2
        exit 2
        ;;
    esac
    mkdir -p "$(dirname "$stamp")"
    printf '%s' "$want" >"$stamp"
else
    echo "up to date"
fi
"$PYTHON" -m pip freeze --exclude-editable | tr '\n' ' '
echo

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
