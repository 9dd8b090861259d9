"""Whether the Python running the command line has the packages the engine needs.

Asked before anything is imported from them, so that a missing package is a message saying
what to run, not a traceback. When this Python lacks them and the project's own virtual
environment (``.venv`` beside ``build.py``, as ``scripts/setup.sh`` makes it) is another
one, the command runs again in that environment, as it was given.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

# The runtime dependencies of pyproject.toml, by the module each is imported as.
MODULES = {
    "jinja2": "jinja2",
    "markdown_it": "markdown-it-py",
    "yaml": "pyyaml",
    "click": "click",
    "jsonschema": "jsonschema",
    "jsonschema_rs": "jsonschema-rs",
    "rapidfuzz": "rapidfuzz",
    "watchfiles": "watchfiles",
    "feedgen": "feedgen",
    "httpx": "httpx",
    "pagefind": "pagefind",
    "cbor2": "cbor2",
}

EXIT_MISSING = 2


def missing_packages() -> list[str]:
    """The dependencies this Python cannot import, by their package names."""
    return [name for module, name in MODULES.items() if importlib.util.find_spec(module) is None]


def project_python(root: Path) -> Path:
    """The Python of the project's virtual environment, whether or not it exists."""
    if os.name == "nt":
        return root / ".venv" / "Scripts" / "python.exe"
    return root / ".venv" / "bin" / "python"


def ensure_dependencies(root: Path) -> None:
    """Return when this Python has every dependency; else run the command again in the
    project's virtual environment, or exit with what to do."""
    missing = missing_packages()
    if not missing:
        return
    python = project_python(root)
    venv = root / ".venv"
    if python.exists() and Path(sys.prefix).resolve() != venv.resolve():
        sys.stdout.flush()
        os.execv(python, [os.fspath(python), *sys.argv])
    sys.stderr.write(
        f"build.py: this Python ({sys.executable}) does not have the packages the site "
        f"generator needs: {', '.join(missing)}.\n"
        "Install them, at the versions of the lock, into the project's virtual environment:\n\n"
        "    bash scripts/setup.sh\n\n"
        "then run the command again (build.py uses .venv by itself).\n"
    )
    raise SystemExit(EXIT_MISSING)
