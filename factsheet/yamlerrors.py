"""YAML syntax errors in plain words, at the line where the editor should look.

PyYAML (and libyaml, whose wording differs) report errors in parser terms, sometimes lines
after the actual mistake. ``syntax_problem`` names the usual mistakes in content files
(a tab, an unquoted ': ', a quote left open) and says what to do about each.
"""

from __future__ import annotations

import re

from yaml.error import MarkedYAMLError

from .problems import Location, Problem


def syntax_problem(error: MarkedYAMLError, text: str, path: str, offset: int) -> Problem:
    """A YAML syntax error, at the line where the editor should look, in plain words."""
    mark = error.problem_mark or error.context_mark
    line = (mark.line + 1) if mark is not None else 1
    col = (mark.column + 1) if mark is not None else None
    lines = text.split("\n")
    problem = error.problem or ""
    context = error.context or ""

    unclosed = _unclosed_quote_line(lines, line)
    if unclosed is not None and "quoted scalar" not in context:
        line, col = unclosed
        message = _UNCLOSED
    elif "tab" in problem or _char_at(lines, line, col) == "\t" or _tab_indented(lines, line):
        col = None
        message = "tab character used for indentation; indent with spaces"
    elif "mapping values are not allowed" in problem:
        message = "a value contains ': ' — put the whole value in double quotes"
    elif "quoted scalar" in context and "end of stream" in problem:
        assert error.context_mark is not None
        line, col = error.context_mark.line + 1, error.context_mark.column + 1
        message = _UNCLOSED
    elif "unknown escape" in problem:
        message = (
            "unknown backslash escape in a double-quoted value; write \\\\ for a backslash, "
            "or use single quotes"
        )
    elif "cannot start any token" in problem:
        char = _char_at(lines, line, col) or "?"
        message = (
            f"a value starts with '{char}', which YAML reserves; "
            "put the whole value in double quotes"
        )
    elif "could not find expected ':'" in problem and error.context_mark is not None:
        line, col = error.context_mark.line + 1, error.context_mark.column + 1
        message = (
            "this line is not 'key: value'; add the missing ': ' after the key, "
            "or indent a continued value under its key"
        )
    elif "expected <block end>" in problem or "did not find expected key" in problem:
        message = (
            "unexpected text here; check the indentation, and that a quoted value "
            "has nothing after its closing quote"
        )
    elif "expected '-' indicator" in problem or "did not find expected '-'" in problem:
        message = "this line does not fit the list above it; check its indentation"
    else:
        message = f"YAML syntax error ({problem or context}); check the quoting and indentation"
    return Problem(Location(path, line + offset, col), message)


_UNCLOSED = (
    "this quoted value has no closing quote; add it at the end of the value "
    '(inside double quotes, write \\" for a quote mark)'
)


def _char_at(lines: list[str], line: int, col: int | None) -> str | None:
    if col is None or not 1 <= line <= len(lines):
        return None
    text = lines[line - 1]
    return text[col - 1] if 1 <= col <= len(text) else None


def _tab_indented(lines: list[str], line: int) -> bool:
    if not 1 <= line <= len(lines):
        return False
    text = lines[line - 1]
    indent = text[: len(text) - len(text.lstrip(" \t"))]
    return "\t" in indent


_OPENS_QUOTE = re.compile(r"""^\s*(?:-\s+)*(?:[^\s'"#:][^:#]*:\s+)?(["'])(.*)$""")
_KEY_LINE = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][\w-]*:(?:\s|$)")


def _unclosed_quote_line(lines: list[str], error_line: int) -> tuple[int, int] | None:
    """The line of a quote left open, when the error probably comes from it.

    YAML lets a quoted value run over several lines, so a missing closing quote is only
    noticed later. A value that opens a quote, does not close it on the same line, and is
    followed by a line that looks like the next key is almost certainly the culprit.
    """
    for number in range(1, min(error_line, len(lines) - 1) + 1):
        match = _OPENS_QUOTE.match(lines[number - 1])
        if match is None:
            continue
        quote, rest = match.group(1), match.group(2)
        closed = _closes(rest, quote)
        if not closed and _KEY_LINE.match(lines[number]):
            return number, match.start(1) + 1
    return None


def _closes(rest: str, quote: str) -> bool:
    if quote == "'":
        return "'" in rest.replace("''", "")
    escaped = False
    for char in rest:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            return True
    return False
