"""Where the project's own files are: the engine and its default templates; and where this
user's cache files go."""

from __future__ import annotations

import os
from pathlib import Path

ENGINE = Path(__file__).resolve().parent
DEFAULT_TEMPLATES = ENGINE.parent / "templates"


def user_cache_folder() -> Path:
    """``$XDG_CACHE_HOME/factsheet``, or ``~/.cache/factsheet`` without it (not made here)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "factsheet"
