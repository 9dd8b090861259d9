"""A claim's gist: the one line its note shows while it is closed.

An editor may write it (``gist:``); otherwise it is the note's first sentence. Either way it
is inline Markdown rendered as the note is, except that a link shows as its text: the gist
stands in the note's toggle, and a toggle cannot hold a link.

Finding the first sentence: it ends at ``.``, ``!`` or ``?`` (and any closing quotes,
brackets or emphasis marks) followed by a space and a capital, a digit or an opening quote;
not after an abbreviation (``Dr.``, ``Jr.``, ``e.g.``), an initial (``J. K. Rowling``) or
initials (``U.S.``), and never inside a link's address. It is found in the text a reader
sees, so Markdown syntax never ends a sentence, and the formatting around the cut is closed.
"""

from __future__ import annotations

import re

from markdown_it.token import Token

from .blocks import LEAF_TYPES, leaf_text
from .markdown import inline_tokens, markdown

# words that end with a full stop without ending the sentence (compared in lower case)
ABBREVIATIONS = frozenset(
    {
        *("mr", "mrs", "ms", "mx", "dr", "prof", "sr", "jr", "st", "mt", "ft", "gen", "col"),
        *("lt", "sgt", "capt", "cmdr", "adm", "gov", "sen", "rep", "rev", "hon", "pres"),
        *("messrs", "mme", "mlle", "vs", "v", "etc", "e.g", "i.e", "cf", "al", "ca", "approx"),
        *("dept", "univ", "inc", "ltd", "co", "corp", "bros", "ed", "eds"),
        *("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
    }
)
# abbreviations only before a number: "No. 5", "p. 12"
NUMBERED = frozenset(("no", "nos", "p", "pp", "vol", "vols", "fig", "figs", "op"))

# a candidate end: the mark, what may close around it, then space and what may start a sentence
_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*\s+[\"'\u201c\u2018(\[]*(\w)")
_WORD_BEFORE = re.compile(r"(\S+)$")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]?|[A-Z]")


def first_sentence_end(text: str) -> int | None:
    """The offset just past the first sentence of ``text``, or None if it has one sentence."""
    for match in _END.finditer(text):
        start = match.group(1)
        if not (start.isupper() or start.isdigit()):
            continue
        if match.group().startswith(".") and _abbreviation(text, match.start(), start):
            continue
        return match.start() + len(match.group().split()[0])
    return None


def _abbreviation(text: str, stop: int, following: str) -> bool:
    """Does the full stop at ``stop`` end an abbreviation or an initial rather than a sentence?

    ``following`` is the first letter or digit after it.
    """
    if text[stop : stop + 2] == "..":
        return False  # an ellipsis
    found = _WORD_BEFORE.search(text[:stop])
    if not found:
        return False
    word = found.group(1).lstrip("\"'\u201c\u2018([*_")
    word = word.lower() if not _INITIALS.fullmatch(word) else word
    if word in NUMBERED:
        return following.isdigit()
    return word in ABBREVIATIONS or bool(_INITIALS.fullmatch(word))


def gist_html(gist: str | None, note: str) -> str:
    """The HTML of a claim's gist: ``gist`` if given, else the first sentence of ``note``."""
    if gist is not None:
        return _render_without_links(list(_children(gist)))
    children = list(_children(note))
    plain = "".join(leaf_text(c) if c.type in LEAF_TYPES else "" for c in children)
    end = first_sentence_end(plain)
    if end is not None:
        children = _cut(children, end)
    return _render_without_links(children)


def _children(text: str) -> list[Token]:
    tokens = inline_tokens(" ".join(text.split()))
    return list(tokens[0].children or []) if tokens else []


def _cut(children: list[Token], end: int) -> list[Token]:
    """The tokens of the first ``end`` characters of their text, with open formatting closed."""
    kept: list[Token] = []
    open_tags: list[Token] = []
    offset = 0
    for child in children:
        if offset >= end:
            break
        if child.type in LEAF_TYPES:
            text = leaf_text(child)
            if offset + len(text) > end:
                piece = Token(child.type, child.tag, child.nesting, content=text[: end - offset])
                piece.markup = child.markup
                child = piece
            kept.append(child)
            offset += len(text)
        else:
            kept.append(child)
            if child.nesting == 1:
                open_tags.append(child)
            elif child.nesting == -1 and open_tags:
                open_tags.pop()
    for opened in reversed(open_tags):
        close = Token(opened.type.replace("_open", "_close"), opened.tag, -1)
        close.markup = opened.markup
        kept.append(close)
    return kept


def _render_without_links(children: list[Token]) -> str:
    md = markdown()
    shown = [c for c in children if c.type not in ("link_open", "link_close")]
    return str(md.renderer.render(shown, md.options, {})).strip()
