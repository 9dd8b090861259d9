"""The Jinja2 environment: autoescaped, strict about unknown names, one per templates folder."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    select_autoescape,
)
from jinja2.bccache import Bucket

from .model import VERDICTS
from .project import DEFAULT_TEMPLATES, user_cache_folder

__all__ = ["DEFAULT_TEMPLATES", "TemplateProblem", "environment", "template_errors"]


VERDICT_LABELS = {"corroborated": "Corroborated", "disputed": "Disputed", "erroneous": "Erroneous"}
VERDICT_ICONS = {"corroborated": "✓", "disputed": "?", "erroneous": "✗"}
VERDICT_MEANINGS = {
    "corroborated": "Public evidence supports it.",
    "disputed": "Contested, unverifiable, or the evidence conflicts.",
    "erroneous": "The evidence shows it is wrong; a correction is given.",
}


class TemplateProblem(Exception):  # noqa: N818 - a problem report, like ContentError
    """A template that cannot be loaded or rendered (a problem of the theme, not the content)."""


@contextlib.contextmanager
def template_errors() -> Iterator[None]:
    """Turn Jinja2's errors into a TemplateProblem naming the template and line."""
    try:
        yield
    except TemplateSyntaxError as err:
        where = f"{err.filename or err.name}:{err.lineno}"
        raise TemplateProblem(f"{where}: error: {err.message}") from err
    except TemplateNotFound as err:
        raise TemplateProblem(f"template not found: {err.name}") from err
    except TemplateError as err:
        raise TemplateProblem(f"template error: {err}") from err


def long_date(value: dt.date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


class _CompiledTemplates(FileSystemBytecodeCache):
    """Templates compiled once and kept in the user's cache folder, so that a build that
    renders one article does not compile every template again. Where the folder cannot be
    written, templates are simply compiled each time."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)

    def load_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError, EOFError, ValueError, TypeError):
            super().load_bytecode(bucket)


def _compiled_templates() -> _CompiledTemplates | None:
    folder = user_cache_folder() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return _CompiledTemplates(str(folder))


@lru_cache(maxsize=4)
def environment(templates: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        bytecode_cache=_compiled_templates(),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["long_date"] = long_date
    globals_: dict[str, Any] = {
        "VERDICTS": VERDICTS,
        "VERDICT_LABELS": VERDICT_LABELS,
        "VERDICT_ICONS": VERDICT_ICONS,
        "VERDICT_MEANINGS": VERDICT_MEANINGS,
    }
    env.globals.update(globals_)
    return env
