"""The one Markdown dialect used everywhere: CommonMark with raw HTML switched off."""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    """A shared parser. Raw HTML is never interpreted: it comes out as text."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.disable("image")  # an article's copy is text; images would load from elsewhere
    return md


_PLAIN_CHAR = r"[^*_`\[\]<>&\\!\n\r\t~]"  # a character of text in which Markdown does nothing
_PLAIN = re.compile(rf"{_PLAIN_CHAR}*")


def render_inline(text: str) -> str:
    """Render inline Markdown (emphasis, links, code) to HTML, escaping everything else."""
    line, newline = (text[:-1], "\n") if text.endswith("\n") else (text, "")
    if _PLAIN.fullmatch(line) and "  " not in line and not (newline and line.endswith(" ")):
        return line.replace('"', "&quot;") + newline  # what the parser would make of it
    md = markdown()
    return str(md.renderer.render(list(inline_tokens(text)), md.options, {}))


@lru_cache(maxsize=256)
def inline_tokens(text: str) -> tuple[Token, ...]:
    """Inline Markdown parsed once, for both checking its links and rendering it."""
    simple = simple_inline_tokens(text)
    if simple is not None:
        return simple
    return tuple(markdown().parseInline(text))


# The inline Markdown most notes are written in, whose tokens are known without the parser:
# plain text, links of plain text to plain web addresses, and emphasis of plain words with
# single asterisks (which, between a space or the start and a letter or digit, always open
# and close as CommonMark says). Anything else goes to the parser.
_SIMPLE_PIECE = re.compile(
    rf"(?P<text>{_PLAIN_CHAR}+)"
    rf"|\[(?P<label>{_PLAIN_CHAR}+)\]\((?P<href>https?://[A-Za-z0-9.-]+(?:/[A-Za-z0-9._~/-]*)?)\)"
    rf"|(?:(?<=\s)|(?<=^))\*(?P<em>[^\W_](?:{_PLAIN_CHAR}*[^\W_])?)\*(?=[\s.,;:?]|$)"
)


def simple_inline_tokens(text: str) -> tuple[Token, ...] | None:
    """The tokens ``parseInline`` makes of ``text`` when it is simple inline Markdown (see
    above); None when it is not."""
    children: list[Token] = []
    position = 0
    for match in _SIMPLE_PIECE.finditer(text):
        if match.start() != position:
            return None
        position = match.end()
        kind = match.lastgroup
        if kind == "text":
            children.append(Token("text", "", 0, content=match.group("text")))
        elif kind == "em":
            children.append(Token("em_open", "em", 1, markup="*"))
            children.append(Token("text", "", 0, content=match.group("em"), level=1))
            children.append(Token("em_close", "em", -1, markup="*"))
        else:
            children.append(Token("link_open", "a", 1, attrs={"href": match.group("href")}))
            children.append(Token("text", "", 0, content=match.group("label"), level=1))
            children.append(Token("link_close", "a", -1))
    if position != len(text) or not text or text.endswith(" "):
        return None
    joined: list[Token] = []  # adjacent text tokens as one, as the parser's text_join makes
    for child in children:
        if joined and child.type == "text" == joined[-1].type and child.level == joined[-1].level:
            joined[-1].content += child.content
        else:
            joined.append(child)
    return (Token("inline", "", 0, map=[0, 1], content=text, children=joined),)


def render_block(text: str) -> str:
    """Render block Markdown (paragraphs, headings, lists) to HTML, escaping raw HTML."""
    return str(markdown().render(text))
