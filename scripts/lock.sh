#!/usr/bin/env bash
# Regenerates the lock files from pyproject.toml's ranges:
#   requirements/test.txt     every runtime and test dependency (what the tests run on)
#   requirements/runtime.txt  the runtime ones alone, at the same versions
# Both pin exact versions with hashes, for every platform and Python >= 3.11. Run it after
# changing a dependency in pyproject.toml, and commit the result (needs uv: pip install uv).
# Versions already locked are kept where the ranges allow; --upgrade takes the newest of
# everything, --upgrade-package NAME the newest of one package.
#
#   bash scripts/lock.sh [--upgrade | --upgrade-package NAME ...]
set -euo pipefail
cd "$(dirname "$0")/.."

compile() {
    uv pip compile pyproject.toml --quiet --generate-hashes --universal --python-version 3.11 \
        --no-emit-index-url --custom-compile-command "bash scripts/lock.sh" "$@"
}
compile --extra test --output-file requirements/test.txt "$@"
compile --constraint requirements/test.txt --output-file requirements/runtime.txt
echo "requirements/test.txt: $(grep -c '^[a-z0-9]' requirements/test.txt) packages"
echo "requirements/runtime.txt: $(grep -c '^[a-z0-9]' requirements/runtime.txt) packages"
