"""Checking loaded YAML against the content schemas, with problems an editor can act on.

The JSON Schemas in ``factsheet/schemas/`` say what the files may contain; this module turns
each schema error into a ``Problem`` at the offending line, and adds the checks a schema
cannot express: unique claim ids, review dates, and the links inside a claim's note.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Iterator, Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from .markdown import inline_tokens
from .problems import Location, Problem
from .yamlsource import YamlDoc, YamlPath, shown

if TYPE_CHECKING:  # imported when a file has problems to explain: most builds need it not
    from jsonschema import Draft202012Validator, ValidationError

SCHEMAS = ("annotations", "article", "site", "page")


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The JSON Schema ``factsheet/schemas/<name>.schema.json``."""
    text = (
        resources.files(__package__).joinpath("schemas", f"{name}.schema.json").read_text("utf-8")
    )
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _validator(name: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(load_schema(name), format_checker=FormatChecker())


@cache
def _fast_validator(name: str) -> Any:
    """A compiled validator that only says yes or no, fast: the common case is a good file."""
    return jsonschema_rs.validator_for(load_schema(name), validate_formats=True)


# Characters no page or feed may hold (what YAML refuses in a file, less tab and line breaks);
# in double quotes an escape such as "\a" still makes one.
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")


def validate(doc: YamlDoc, schema: str) -> list[Problem]:
    """Every way ``doc`` breaks the named schema, each at its place in the file."""
    escaped = _control_characters(doc.data, ())
    if _fast_validator(schema).is_valid(doc.data):
        return [_control_problem(doc, path, char) for path, char in escaped]
    errors = sorted(_validator(schema).iter_errors(doc.data), key=lambda e: list(e.path))
    flagged = {tuple(e.absolute_path) for e in errors if e.validator in ("type", "pattern")}
    problems: dict[Problem, None] = {}  # in order, each once (a set would lose the order)
    for error in errors:
        path: YamlPath = tuple(error.absolute_path)
        if error.validator == "format" and path in flagged:
            continue  # already said what is wrong with this value
        problems.update(dict.fromkeys(_explain(error, path, doc)))
    unexplained = [_control_problem(doc, p, char) for p, char in escaped if p not in flagged]
    return unexplained + list(problems)


def _control_characters(value: object, path: YamlPath) -> list[tuple[YamlPath, str]]:
    """Where text values hold a control character (made by an escape), and which."""
    if isinstance(value, str):
        bad = CONTROL_CHARACTER.search(value)
        return [] if bad is None else [(path, bad.group())]
    found: list[tuple[YamlPath, str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _control_characters(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _control_characters(item, (*path, index))
    return found


def _control_problem(doc: YamlDoc, path: YamlPath, char: str) -> Problem:
    message = (
        f"the text holds an invisible control character (U+{ord(char):04X}), "
        "made by an escape such as \\a in double quotes; remove it"
    )
    return Problem(doc.location(path), message)


def check_annotations(doc: YamlDoc) -> list[Problem]:
    """What the annotation schema cannot say: unique ids, a review date, safe links in notes."""
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list):
        return []
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    for index, claim in enumerate(data["claims"]):
        if not isinstance(claim, dict):
            continue
        path: YamlPath = ("claims", index)
        claim_id = claim.get("id")
        if isinstance(claim_id, str):
            where = doc.location((*path, "id"))
            if claim_id in first_line:
                problems.append(
                    Problem(
                        where,
                        f"duplicate claim id {shown(claim_id)} (first used at line "
                        f"{first_line[claim_id]}); give each claim its own id",
                    )
                )
            else:
                first_line[claim_id] = where.line
        if "reviewed" not in claim and "reviewed" not in data:
            problems.append(
                Problem(
                    doc.location(path),
                    "claim has no review date; add 'reviewed: YYYY-MM-DD' to the claim "
                    "or at the top of the file",
                )
            )
        note = claim.get("note")
        if isinstance(note, str):
            problems.extend(_note_link_problems(doc, (*path, "note"), note))
        problems.extend(_record_problems(doc, path, claim, data.get("reviewed")))
    return problems


def _record_problems(
    doc: YamlDoc, path: YamlPath, claim: dict[str, Any], default_review: object
) -> Iterator[Problem]:
    """A claim's updates and withdrawal: safe links, dates after the review, a dated withdrawal."""
    updates = claim.get("updates")
    updates = updates if isinstance(updates, list) else []
    reviewed = claim.get("reviewed", default_review)
    review_date = parse_date(reviewed) if isinstance(reviewed, str) else None
    for index, update in enumerate(updates):
        if not isinstance(update, dict):
            continue
        where: YamlPath = (*path, "updates", index)
        note = update.get("note")
        if isinstance(note, str):
            yield from _note_link_problems(doc, (*where, "note"), note)
        date = update.get("date")
        day = parse_date(date) if isinstance(date, str) else None
        if day is not None and review_date is not None and day < review_date:
            yield Problem(
                doc.location((*where, "date")),
                f"the update is dated {day}, before the claim's review ({review_date}); an "
                "update revises a published check, so date it on or after the review "
                "(keep 'reviewed' as the date of the first review)",
            )
    withdrawn = claim.get("withdrawn")
    if isinstance(withdrawn, str):
        yield from _note_link_problems(doc, (*path, "withdrawn"), withdrawn)
        if "updates" not in claim:
            yield Problem(
                doc.location((*path, "withdrawn")),
                "a withdrawn claim needs an update entry that dates the withdrawal; add "
                "'updates:' with an entry '- date: YYYY-MM-DD' (the day you withdraw it) and "
                "'note:' saying what was withdrawn and why",
            )


def parse_date(text: str) -> dt.date | None:
    """A YYYY-MM-DD date, or None when the text is not a real one."""
    if not _DATE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# --- links in Markdown ---------------------------------------------------------------------

# Link targets as written, including those markdown-it drops silently (javascript: etc.).
_LINK_TARGETS = (
    re.compile(r"\]\(\s*<([^>\n]*)>"),  # [text](<target>)
    re.compile(r"\]\(\s*((?:[^\s()<]|\([^\s()]*\))+)"),  # [text](target "title")
    re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*<?([^\s>]+)", re.MULTILINE),  # [label]: target
    re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*)>"),  # <scheme:autolink>
)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


def unsafe_link(target: str) -> bool:
    """True for a link target that is neither http(s) nor relative (a path or #fragment)."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", target)  # browsers ignore these inside schemes
    scheme = _SCHEME.match(cleaned)
    if scheme is not None:
        return scheme.group(1).lower() not in ("http", "https")
    return False


_LINK_SYNTAX = ("](", "]:", "<")  # inline links, reference definitions, autolinks


def bad_links(markdown: str) -> list[str]:
    """The link targets in ``markdown`` that are not allowed, in order of appearance."""
    found: list[str] = []
    for pattern in _LINK_TARGETS:
        found.extend(match.group(1) for match in pattern.finditer(markdown))
    if not found and not any(syntax in markdown for syntax in _LINK_SYNTAX):
        return []  # no link can be written without one of these
    for token in inline_tokens(markdown):
        for child in token.children or []:
            if child.type in ("link_open", "image"):
                found.append(str(child.attrGet("href") or child.attrGet("src") or ""))
    seen: list[str] = []
    for target in found:
        if unsafe_link(target) and target not in seen:
            seen.append(target)
    return seen


def _note_link_problems(doc: YamlDoc, path: YamlPath, note: str) -> Iterator[Problem]:
    field = "reason for the withdrawal" if path[-1] == "withdrawn" else "note"
    for target in bad_links(note):
        yield Problem(
            _find_in_value(doc, path, target),
            f"link {shown(target)} in the {field} is not allowed; only http:// and https:// links "
            "(or links within the site) are allowed",
        )


def _find_in_value(doc: YamlDoc, path: YamlPath, text: str) -> Location:
    """The line and column where ``text`` is written inside the value at ``path``."""
    span = doc.span(path)
    if span is not None:
        needle = text[:20]
        for number, line in doc.source_lines(span):
            column = line.find(needle)
            if column >= 0:
                return Location(doc.path, number, column + 1)
    return doc.location(path)


# --- schema errors in plain words ------------------------------------------------------------


def _explain(error: ValidationError, path: YamlPath, doc: YamlDoc) -> Iterator[Problem]:
    kind = error.validator
    value = error.instance
    name = _name(path)
    schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    noun = _noun(schema, path)
    here = doc.location(path)
    rule: Any = error.validator_value

    if kind == "additionalProperties" and isinstance(value, dict):
        allowed = sorted(schema.get("properties", {}))
        for key in value:
            if key not in allowed:
                yield Problem(doc.key_location((*path, key)), _unknown_key(str(key), noun, allowed))
    elif kind == "required" and isinstance(value, dict):
        allowed = list(schema.get("properties", {}))
        misspelt = {_closest(str(k), allowed) for k in value if k not in allowed}
        for key in rule:
            if key not in value and key not in misspelt:  # a misspelling is reported already
                yield Problem(here, _missing(key, noun, value, error))
    elif kind == "not" and isinstance(value, dict) and "then" in error.relative_schema_path:
        if "gist" in value:
            yield Problem(
                doc.key_location((*path, "gist")),
                "gist given for an erroneous claim, whose closed note shows its correction; "
                "remove the gist (or put the right fact, in a few words, in 'correction')",
            )
    elif kind == "not" and isinstance(value, dict) and "correction" in value:
        verdict = value.get("verdict")
        if verdict in ("corroborated", "disputed"):
            yield Problem(
                doc.key_location((*path, "correction")),
                f"correction given for a claim whose verdict is {verdict}; remove it, "
                "or change the verdict to erroneous",
            )
    elif kind == "enum":
        yield Problem(here, _unknown_choice(name, value, [str(v) for v in rule]))
    elif kind == "type":
        yield Problem(here, _wrong_type(path, noun, value, rule))
    elif kind == "pattern":
        yield Problem(here, _bad_pattern(name, value, schema))
    elif kind == "format":
        yield Problem(here, f"{name} {shown(value)} is not a real date; write YYYY-MM-DD")
    elif kind == "minItems":
        yield Problem(here, f"{name} is empty; list at least one item under '{name}:'")
    elif kind in ("minimum", "maximum"):
        low, high = schema.get("minimum"), schema.get("maximum")
        yield Problem(
            here, f"{name} {shown(value)} is out of range; write a number from {low} to {high}"
        )
    else:
        yield Problem(here, f"{name}: {error.message}")


def _name(path: YamlPath) -> str:
    """The key the value at ``path`` belongs to, e.g. 'url' or, for list items, 'sources'."""
    for item in reversed(path):
        if isinstance(item, str):
            return shown(item)[1:-1]
    return "the file"


def _noun(schema: dict[str, Any], path: YamlPath) -> str:
    title = schema.get("title")
    if isinstance(title, str) and title:
        return title
    return _name(path)


def _closest(word: str, choices: Sequence[str]) -> str | None:
    close = difflib.get_close_matches(word.lower(), choices, n=1, cutoff=0.6)
    return close[0] if close else None


def _unknown_key(key: str, noun: str, allowed: Sequence[str]) -> str:
    close = _closest(key, allowed)
    if close:
        return f"unknown key {shown(key)} in {noun}; did you mean '{close}'?"
    return f"unknown key {shown(key)} in {noun}; the keys allowed are: {', '.join(allowed)}"


def _missing(key: str, noun: str, value: dict[str, Any], error: ValidationError) -> str:
    if key == "correction" and "then" in error.relative_schema_path:
        return (
            "claim has verdict erroneous but no correction; add 'correction:' "
            "with the right fact, in a few words"
        )
    if key == "sources":
        return "claim has no sources; add 'sources:' with at least one source (title, url)"
    if key == "verdict":
        return "claim has no verdict; add 'verdict:' (one of: corroborated, disputed, erroneous)"
    hints = {
        "id": "a short lowercase-hyphen name, e.g. mission-impossible-year",
        "quote": "the exact words as a reader sees them",
        "note": "the explanation",
        "date": "the date, YYYY-MM-DD",
        "title": "its title",
        "retrieved": "the date the text was taken, YYYY-MM-DD",
        "claims": "the list of claims",
        "name": "a name",
        "description": "one or two sentences",
    }
    hint = hints.get(key)
    return f"{noun} has no '{key}'; add '{key}:'" + (f" with {hint}" if hint else "")


def _unknown_choice(name: str, value: Any, choices: list[str]) -> str:
    listed = ", ".join(choices)
    if not isinstance(value, str):
        return f"{name} must be one of: {listed}"
    close = _closest(value, choices)
    suggestion = f"; did you mean '{close}'?" if close else ""
    return f"unknown {name} {shown(value)}{suggestion} (one of: {listed})"


def _wrong_type(path: YamlPath, noun: str, value: Any, expected: Any) -> str:
    name = _name(path)
    if name == "the file":
        if value is None:
            return f"the {noun} is empty; write its keys as 'key: value' lines"
        return f"the {noun} must be 'key: value' lines at the top level"
    if value is None and path and isinstance(path[-1], int):
        return f"empty {noun} in the {name} list; fill it in, or remove its '-' line"
    if value is None:
        return f"{name} is empty; write its value after '{name}:', or remove the line"
    if expected == "string":
        if isinstance(value, dict | list):
            return f"{name} must be text, not a list or mapping; put it in double quotes"
        return f"{name} must be text; put it in double quotes"
    if expected == "array":
        return f"{name} must be a list; start each item on its own line with '- '"
    if expected == "object":
        return f"this {noun} must be written as 'key: value' lines"
    if expected == "integer":
        return f"{name} must be a whole number, such as 50"
    return f"{name} must be of type {expected}"


def _bad_pattern(name: str, value: Any, schema: dict[str, Any]) -> str:
    advice = schema.get("patternErrorMessage", f"it must match {schema.get('pattern')}")
    if isinstance(value, str) and not value.strip():
        return f"{name} is blank; {advice}"
    if name == "gist" and isinstance(value, str):
        lines = len(value.rstrip("\n").splitlines()) or 1
        what = f"runs over {lines} lines" if lines > 1 else "ends with a line break"
        return (
            f"gist {what}; a gist is one line: join its lines (or write 'gist: >-', which "
            "joins them), or leave it out to show the note's first sentence"
        )
    if name == "id" and isinstance(value, str):
        slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
        if slug:
            advice = f"use lowercase letters, digits and single hyphens, e.g. '{slug}'"
    return f"{name} {shown(value)} is not valid; {advice}"
