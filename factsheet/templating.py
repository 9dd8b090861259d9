"""The Jinja2 environment: autoescaped, strict about unknown names, one per templates folder.

Templates are loaded once per environment and not checked again for changes: each build
starts with new environments (``environment.cache_clear()``).
"""

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
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Expr
from markupsafe import escape as _markup_escape

try:  # MarkupSafe's C escaping of a plain string, without making it Markup
    from markupsafe._speedups import _escape_inner
except ImportError:  # pragma: no cover - the pure-Python build of MarkupSafe

    def _escape_inner(s: str, /) -> str:
        return str(_markup_escape(s))


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


_MONTHS = tuple(dt.date(2000, month, 1).strftime("%B") for month in range(1, 13))


def long_date(value: dt.date | None) -> str:
    """``4 December 2026``."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}" if value else ""


def escape_output(value: object, /) -> str:
    """What ``{{ value }}`` writes in an autoescaped template: ``value`` escaped, unless it is
    markup already (``__html__``), as MarkupSafe's ``escape`` does, but as a plain string.

    Jinja2 only joins what its outputs write, and marks the result safe where it keeps it (a
    macro's result, a ``{% set %}`` block), so the output need not be ``Markup`` itself; not
    making one for each of a page's hundreds of values saves a tenth of rendering it.
    """
    if type(value) is str:
        return _escape_inner(value)
    html = getattr(value, "__html__", None)
    if html is not None:
        return str(html())
    return _escape_inner(str(value))


class _OutputCodeGenerator(CodeGenerator):
    """Compiles each output of an autoescaped template to ``escape_output``.

    It overrides the one hook of Jinja2 3.1's generator that writes an output's escaping; a
    Jinja2 without it compiles to MarkupSafe's ``escape`` as before, and renders the same.
    """

    def _output_child_pre(self, node: Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write("environment.escape_output(")
            if finalize.src is not None:
                self.write(finalize.src)
        else:
            super()._output_child_pre(node, frame, finalize)


class _Environment(Environment):
    code_generator_class = _OutputCodeGenerator
    escape_output = staticmethod(escape_output)


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
    # named for the code generator, so that code compiled by another one is not taken
    return _CompiledTemplates(str(folder), "__factsheet_output_escape_%s.cache")


@lru_cache(maxsize=4)
def environment(templates: Path) -> Environment:
    env = _Environment(
        loader=FileSystemLoader(str(templates)),
        auto_reload=False,
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
