"""The one Markdown dialect used everywhere: CommonMark with raw HTML switched off."""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    """A shared parser. Raw HTML is never interpreted: it comes out as text."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.disable("image")  # an article's copy is text; images would load from elsewhere
    md.core.ruler.at("inline", _inline_children)
    return md


# A character of text in which Markdown does nothing. ``!`` is one: with images off, it only
# ever stays text, even before a link.
_PLAIN_CHAR = r"[^*_`\[\]<>&\\\n\r\t~]"
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


# The inline Markdown most notes and paragraphs are written in, whose tokens are known without
# the parser: plain text; links of plain text to plain web addresses; emphasis and strong
# emphasis of plain words with single and double asterisks, which, between a space or the
# start and a letter or digit, always open and close as CommonMark says; and line breaks
# between two characters that are not spaces (soft breaks). Anything else goes to the parser.
_CLOSES = r"(?=[\s.,;:?!]|$)"  # what may follow a closing run of asterisks here
_WORDS = rf"[^\W_](?:{_PLAIN_CHAR}*[^\W_])?"  # plain text from a letter or digit to another
_SIMPLE_PIECE = re.compile(
    rf"(?P<text>{_PLAIN_CHAR}+)"
    rf"|\[(?P<label>{_PLAIN_CHAR}+)\]\((?P<href>https?://[A-Za-z0-9.-]+(?:/[A-Za-z0-9._~/-]*)?)\)"
    rf"|(?:(?<=\s)|(?<=^))\*\*(?P<strong>{_WORDS})\*\*{_CLOSES}"
    rf"|(?:(?<=\s)|(?<=^))\*(?P<em>{_WORDS})\*{_CLOSES}"
    r"|(?<=[^ \n])(?P<softbreak>\n)(?=[^ \n])"
)


def simple_inline_tokens(text: str) -> tuple[Token, ...] | None:
    """The tokens ``parseInline`` makes of ``text`` when it is simple inline Markdown (see
    above); None when it is not."""
    children = _simple_children(text)
    if children is None:
        return None
    return (Token("inline", "", 0, map=[0, 1], content=text, children=children),)


def _simple_children(text: str) -> list[Token] | None:
    """The inline tokens of ``text`` when it is simple inline Markdown; None when it is not."""
    children: list[Token] = []

    def add_text(content: str) -> None:  # adjacent text is one token, as the parser joins it
        if children and children[-1].type == "text" and children[-1].level == 0:
            children[-1].content += content
        else:
            children.append(Token("text", "", 0, content=content))

    position = 0
    for match in _SIMPLE_PIECE.finditer(text):
        if match.start() != position:
            return None
        position = match.end()
        kind = match.lastgroup
        if kind == "text":
            add_text(match.group("text"))
        elif kind == "softbreak":
            children.append(Token("softbreak", "br", 0))
        elif kind == "em":
            children.append(Token("em_open", "em", 1, markup="*"))
            children.append(Token("text", "", 0, content=match.group("em"), level=1))
            children.append(Token("em_close", "em", -1, markup="*"))
        elif kind == "strong":
            # the parser turns the outer asterisk of each run into empty text, which it joins
            # to the text beside it, if any
            add_text("")
            children.append(Token("strong_open", "strong", 1, markup="**"))
            children.append(Token("text", "", 0, content=match.group("strong"), level=1))
            children.append(Token("strong_close", "strong", -1, markup="**"))
            add_text("")
        else:
            children.append(Token("link_open", "a", 1, attrs={"href": match.group("href")}))
            children.append(Token("text", "", 0, content=match.group("label"), level=1))
            children.append(Token("link_close", "a", -1))
    if position != len(text) or not text or text.endswith(" "):
        return None
    return children


def _inline_children(state: StateCore) -> None:
    """The parser's ``inline`` rule, with the short cut above for simple inline Markdown."""
    md = state.md
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            simple = _simple_children(token.content)
            if simple is not None:
                token.children.extend(simple)
            else:
                md.inline.parse(token.content, md, state.env, token.children)


def render_block(text: str) -> str:
    """Render block Markdown (paragraphs, headings, lists) to HTML, escaping raw HTML."""
    return str(markdown().render(text))
