"""The one Markdown dialect used everywhere: CommonMark with raw HTML switched off."""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    """A shared parser. Raw HTML is never interpreted: it comes out as text."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.disable("image")  # an article's copy is text; images would load from elsewhere
    return md


def render_inline(text: str) -> str:
    """Render inline Markdown (emphasis, links, code) to HTML, escaping everything else."""
    return str(markdown().renderInline(text))


def render_block(text: str) -> str:
    """Render block Markdown (paragraphs, headings, lists) to HTML, escaping raw HTML."""
    return str(markdown().render(text))
