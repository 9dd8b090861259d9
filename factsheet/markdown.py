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


_PLAIN = re.compile(r"[^*_`\[\]<>&\\!\n\r\t~]*")  # text in which Markdown has nothing to do


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
    return tuple(markdown().parseInline(text))


def render_block(text: str) -> str:
    """Render block Markdown (paragraphs, headings, lists) to HTML, escaping raw HTML."""
    return str(markdown().render(text))
