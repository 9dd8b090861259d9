"""Where the project's own files are: the engine and its default templates."""

from __future__ import annotations

from pathlib import Path

ENGINE = Path(__file__).resolve().parent
DEFAULT_TEMPLATES = ENGINE.parent / "templates"
