"""A search document as Pagefind's indexer reads it, worked out here: a record to add as is.

Pagefind parses each HTML document it is handed into a record: the text of its body (its
"digest", headings marked with their weight), its metadata and filters, and its language.
Handed that record instead (the service's ``AddRecord``), it indexes the document the same
way without parsing it: it takes the documents of a part in about two fifths less time.

``record_of`` reads the documents this project renders (``templates/search/record.html``) as
Pagefind does: the text of each element joined into its parent's, a space around each block
and a full stop after one that ends in a word, a weight around each heading, entities
decoded and spaces folded, the ``data-pagefind-meta`` and ``data-pagefind-filter`` values
taken from the attributes they name. A document with anything else in it (another kind of
element, an ``id``, an attribute of Pagefind's not listed here, an entity other than the
five HTML escapes, whitespace or a last letter outside ASCII that the two regular expression
engines might class differently) has no record: the indexer is handed its HTML. The tests
build the same documents both ways and compare the bundles byte for byte.
"""

from __future__ import annotations

import re
import unicodedata
from html import unescape

# the elements Pagefind ends with a space (and a full stop after a word), and its weights
BLOCKS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "p", "td", "div", "ul", "li"})
BLOCKS |= {"article", "section"}
WEIGHTS = {"h1": "7", "h2": "6", "h3": "5", "h4": "4", "h5": "3", "h6": "2"}
# the inline elements whose text is simply joined to their parent's (br adds a space)
INLINE = frozenset({"a", "abbr", "b", "cite", "code", "em", "i", "q", "small", "span"})
INLINE |= {"strong", "sub", "sup", "time", "var", "bdo", "dfn", "kbd", "samp", "tt"}
VOID = frozenset({"br"})
ALLOWED = BLOCKS | INLINE | VOID

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^<>]*?)?)\s*(/?)>")
_ATTRIBUTE = re.compile(r'\s*([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*"([^"]*)"')
_ENTITY = re.compile(r"&(?!(?:amp|lt|gt|quot|#3[49]|#x2[27]);)")
_HEAD = re.compile(
    r'\A<!doctype html>\s*<html lang="([^"<>&]*)">\s*<head>(?:(?!</?body|<!--|<script|<style)'
    r".)*</head>\s*<body>(.*)</body>\s*</html>\s*\Z",
    re.DOTALL | re.IGNORECASE,
)
_NAMED_ATTRIBUTE = re.compile(r"\s*([^:\[\]]+)\[(.+)\]\s*")  # name[attribute]
_SENTENCE_END = re.compile(r"[A-Za-z0-9_'\"\)\$\*]")
_NEWLINES = re.compile(r"(\n|\r\n)+")
_TRIM = re.compile(r"^[\n\r\s]+|[\n\r\s]+$")
_SPACES = re.compile(r"\s{2,}")
# whitespace the two engines class differently (Python's \s holds \x1c-\x1f, Rust's not),
# and any outside ASCII
_UNSURE_SPACE = re.compile(r"[\x1c-\x1f]|[^\x00-\x7f](?<=\s)")
# attributes with a meaning to Pagefind that the record would have to reproduce
_PAGEFIND = re.compile(r"\bdata-pagefind-(?!meta\b|filter\b)|\bid\s*=", re.IGNORECASE)


class _NoRecordError(Exception):
    """The document holds something ``record_of`` does not reproduce."""


def record_of(html: str) -> dict[str, object] | None:
    """The record Pagefind would make of ``html``: its ``content``, ``language``, ``meta``
    and ``filters``, as ``AddRecord`` takes them; None for a document of another shape."""
    if _UNSURE_SPACE.search(html):
        return None
    found = _HEAD.match(html)
    if found is None or _ENTITY.search(html) or _PAGEFIND.search(found.group(2)):
        return None
    try:
        return _record(found.group(1), found.group(2))
    except _NoRecordError:
        return None


def _record(language: str, body: str) -> dict[str, object]:
    meta: dict[str, str] = {}
    filters: dict[str, list[str]] = {}
    # the open elements: each one's name, the text it holds so far, and its attributes
    stack: list[tuple[str, list[str], dict[str, str]]] = [("body", [], {})]
    position = 0
    for tag in _TAG.finditer(body):
        stack[-1][1].append(_text(body[position : tag.start()]))
        position = tag.end()
        closing, name, attributes, self_closing = tag.groups()
        name = name.lower()
        if name not in ALLOWED or self_closing:
            raise _NoRecordError
        if closing:
            if attributes.strip() or len(stack) == 1 or stack[-1][0] != name:
                raise _NoRecordError
            _, parts, values = stack.pop()
            _read_meta(values, meta, filters)  # as the element ends, as Pagefind reads it
            stack[-1][1].append(_closed(name, "".join(parts)))
            continue
        values = _attributes(attributes)
        if name in VOID:
            if values:
                raise _NoRecordError
            stack[-1][1].append(" ")
        else:
            stack.append((name, [], values))
    if len(stack) != 1:
        raise _NoRecordError
    stack[0][1].append(_text(body[position:]))
    if "title" not in meta:
        raise _NoRecordError  # Pagefind would take the first heading's text
    return {
        "content": normalize("".join(stack[0][1])),
        "language": language.lower() or "unknown",
        "meta": meta,
        "filters": filters,
    }


def _text(text: str) -> str:
    if "<" in text or ">" in text:
        raise _NoRecordError  # a comment, or markup not read as a tag
    return text


def _closed(name: str, value: str) -> str:
    """What an element adds to its parent's text once it ends (as Pagefind's parser does)."""
    if name in BLOCKS:
        value = " " + value
        if _ends_a_sentence(value[-1]):
            value += "."
        value += " "
    weight = WEIGHTS.get(name)
    if weight is not None:
        value = f" ___PAGEFIND_AUTO_WEIGHT___{weight} {value} ___END_PAGEFIND_WEIGHT___ "
    return value


def _ends_a_sentence(last: str) -> bool:
    """Whether Pagefind puts a full stop after a block ending in ``last``: a word character
    (in Rust's sense: a letter, mark, decimal digit or connector), a quote mark, a closing
    parenthesis, a dollar sign or an asterisk."""
    if last.isascii():
        return _SENTENCE_END.match(last) is not None
    category = unicodedata.category(last)
    if category[0] in "LM" or category in ("Nd", "Nl", "Pc"):
        return True
    if category[0] == "P" or category in ("Sm", "Sc", "Sk", "Zs"):
        return False
    raise _NoRecordError  # a symbol or a number Rust may count among letters


def _attributes(text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    position = 0
    for found in _ATTRIBUTE.finditer(text):
        if text[position : found.start()].strip():
            raise _NoRecordError
        values[found.group(1).lower()] = found.group(2)
        position = found.end()
    if text[position:].strip():
        raise _NoRecordError
    return values


def _read_meta(values: dict[str, str], meta: dict[str, str], filters: dict[str, list[str]]) -> None:
    for attribute, into in (("data-pagefind-meta", meta), ("data-pagefind-filter", filters)):
        spec = values.get(attribute)
        if spec is None:
            continue
        if ":" in spec:
            raise _NoRecordError  # a literal value
        for chunk in spec.split(","):
            found = _NAMED_ATTRIBUTE.fullmatch(chunk)
            if found is None:
                raise _NoRecordError  # the element's own text
            name, source = found.group(1).strip(), found.group(2)
            value = normalize(values.get(source, ""))
            if into is meta:
                meta[name] = value
            else:
                filters.setdefault(name, []).append(value)


def normalize(text: str) -> str:
    """Pagefind's ``normalize_content``: entities decoded, outer whitespace trimmed, each run
    of newlines and each run of two or more spaces made one space."""
    text = _TRIM.sub("", unescape(text))
    return _SPACES.sub(" ", _NEWLINES.sub(" ", text))
