"""The text a reader sees in each block of an article, and where each character comes from.

A block is a paragraph or heading: one markdown-it ``inline`` token. Its rendered text is the
concatenation of its leaf children (text, code spans, line breaks). Quotes are anchored
against this text, never against the Markdown source.
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it.token import Token

# leaf children of an inline token, and the text each contributes
LEAF_TYPES = frozenset({"text", "code_inline", "softbreak", "hardbreak"})


def leaf_text(token: Token) -> str:
    if token.type in ("softbreak", "hardbreak"):
        return "\n"
    return token.content


@dataclass(frozen=True)
class Block:
    index: int  # position among the article's blocks, in document order
    token_index: int  # index of the ``inline`` token in the article's token stream
    kind: str  # "paragraph", "heading", ...
    text: str  # the rendered text
    source_line: int  # 0-based line of the block's first line in the Markdown body
    # start offset in ``text`` of each line break, to map offsets back to source lines
    breaks: tuple[int, ...]

    def line_of(self, offset: int) -> int:
        """0-based Markdown body line holding the character at ``offset``."""
        return self.source_line + sum(1 for b in self.breaks if b < offset)


def blocks_of(tokens: list[Token]) -> list[Block]:
    """Every block of rendered text, in document order."""
    blocks: list[Block] = []
    for i, token in enumerate(tokens):
        if token.type != "inline" or token.children is None:
            continue
        parent = tokens[i - 1].type.removesuffix("_open") if i else "paragraph"
        parts: list[str] = []
        breaks: list[int] = []
        offset = 0
        for child in token.children:
            if child.type not in LEAF_TYPES:
                continue
            piece = leaf_text(child)
            if child.type in ("softbreak", "hardbreak"):
                breaks.append(offset)
            parts.append(piece)
            offset += len(piece)
        line = token.map[0] if token.map else 0
        blocks.append(Block(len(blocks), i, parent, "".join(parts), line, tuple(breaks)))
    return blocks
