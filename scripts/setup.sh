#!/usr/bin/env bash
# Installs what the site generator needs to run, exactly as locked in requirements/runtime.txt
# (versions and hashes), into the active virtual environment or else the project's .venv.
#
#   bash scripts/setup.sh
#
# build.py then runs in .venv by itself, from any shell (see factsheet/dependencies.py).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/python.sh
. scripts/python.sh
"$PYTHON" -m pip install -q --require-hashes -r requirements/runtime.txt
"$PYTHON" -m pip install -q --no-deps -e .
echo "installed into $("$PYTHON" -c 'import sys; print(sys.prefix)')"
