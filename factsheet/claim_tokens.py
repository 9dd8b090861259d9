"""Mark anchored claims in an article's token stream.

Each claim's span becomes ``claim_open``/``claim_close`` tokens around the text it covers.
A claim that crosses inline formatting (emphasis, links, code) is split into one pair per
stretch of plain text, so the HTML stays well nested; nested claims nest. Each claim's
``claim_badge`` follows its end, but never inside another claim's text (so every claim's
elements hold exactly its quote) nor inside a link (links cannot nest). After each block
that holds claims comes a ``claim_notes`` token, and the two are wrapped in ``annotated_open``
and ``annotated_close``: the block and its notes, which stand under it or beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

from markdown_it.token import Token

from .anchor import Anchor, ArticleText
from .blocks import LEAF_TYPES, leaf_text

BlockMarker = Callable[[ArticleText, int, list[Anchor]], Token]


def mark_claims(
    text: ArticleText, anchors: list[Anchor], mark: BlockMarker | None = None
) -> list[Token]:
    """A copy of the article's tokens with every anchored claim marked.

    Each block is marked by ``mark`` (default ``mark_block``), given its claims in document order.
    """
    mark = mark or mark_block
    by_block: dict[int, list[Anchor]] = {}
    for anchor in anchors:
        by_block.setdefault(anchor.block, []).append(anchor)
    tokens = list(text.tokens)
    # walk blocks from last to first so earlier token indexes stay valid while inserting
    for block_index in sorted(by_block, reverse=True):
        block = text.blocks[block_index]
        in_block = sorted(by_block[block_index], key=_document_order)
        tokens[block.token_index] = mark(text, block_index, in_block)
        notes = Token("claim_notes", "", 0, meta={"anchors": in_block})
        tokens[block.token_index + 2 : block.token_index + 2] = [
            notes,
            Token("annotated_close", "div", -1),
        ]
        tokens.insert(block.token_index - 1, Token("annotated_open", "div", 1))
    return tokens


def mark_block(text: ArticleText, block_index: int, anchors: list[Anchor]) -> Token:
    """A copy of one block's ``inline`` token with the given claims (all in it) marked."""
    inline = text.tokens[text.blocks[block_index].token_index]
    marked = Token("inline", "", 0, map=inline.map, content=inline.content)
    marked.children = _Marker(sorted(anchors, key=_document_order)).mark(inline.children or [])
    return marked


def _document_order(anchor: Anchor) -> tuple[int, int, int]:
    return (anchor.start, -anchor.end, anchor.order)


@dataclass(frozen=True)
class _Cut:
    """The part of one claim that falls in one stretch of plain text."""

    start: int
    end: int
    anchor: Anchor


@dataclass
class _Marker:
    """Rewrites one block's inline children; offsets are in the block's rendered text."""

    anchors: list[Anchor]
    out: list[Token] = field(default_factory=list)
    offset: int = 0
    link_depth: int = 0
    opened: set[str] = field(default_factory=set)
    waiting_badges: list[Anchor] = field(default_factory=list)

    def mark(self, children: list[Token]) -> list[Token]:
        run: list[Token] = []
        for child in children:
            if child.type in LEAF_TYPES:
                run.append(child)
                continue
            self._run(run)
            run = []
            self.out.append(child)
            if child.type == "link_open":
                self.link_depth += 1
            elif child.type == "link_close":
                self.link_depth -= 1
                self._release_badges(self.offset)
        self._run(run)
        self._release_badges(self.offset)
        return self.out

    def _run(self, run: list[Token]) -> None:
        """Emit a stretch of leaf tokens, split where claims begin and end."""
        start = self.offset
        end = start + sum(len(leaf_text(t)) for t in run)
        if not any(a.start < end and start < a.end for a in self.anchors) and (
            self.link_depth or not self.waiting_badges
        ):
            # no claim in this stretch and no badge to place: it stays as it is
            self.out.extend(run)
            self.offset = end
            return
        cuts = sorted(
            (
                _Cut(max(a.start, start), min(a.end, end), a)
                for a in self.anchors
                if max(a.start, start) < min(a.end, end)
            ),
            key=lambda c: (c.start, -c.end, c.anchor.order),
        )
        points = sorted({c.start for c in cuts} | {c.end for c in cuts})
        stack: list[_Cut] = []
        position = start
        for token in run:
            for piece_start, piece in _split(token, position, points):
                self._close(stack, piece_start)
                while cuts and cuts[0].start == piece_start:
                    cut = cuts.pop(0)
                    first = cut.anchor.claim.id not in self.opened
                    self.opened.add(cut.anchor.claim.id)
                    self.out.append(
                        Token("claim_open", "mark", 1, meta={"anchor": cut.anchor, "first": first})
                    )
                    stack.append(cut)
                self.out.append(piece)
            position += len(leaf_text(token))
        self._close(stack, end)
        self.offset = end

    def _close(self, stack: list[_Cut], position: int) -> None:
        while stack and stack[-1].end <= position:
            cut = stack.pop()
            last = cut.end == cut.anchor.end
            self.out.append(
                Token("claim_close", "mark", -1, meta={"anchor": cut.anchor, "last": last})
            )
            if last:
                self.waiting_badges.append(cut.anchor)
        self._release_badges(position)

    def _release_badges(self, position: int) -> None:
        """Emit waiting badges once no claim continues past ``position`` and no link is open."""
        if not self.waiting_badges or self.link_depth:
            return
        if any(a.start < position < a.end for a in self.anchors):
            return
        for anchor in sorted(self.waiting_badges, key=_document_order):
            self.out.append(Token("claim_badge", "", 0, meta={"anchor": anchor}))
        self.waiting_badges.clear()


def _split(token: Token, start: int, points: list[int]) -> list[tuple[int, Token]]:
    """Split a leaf token at the cut points that fall strictly inside it."""
    text = leaf_text(token)
    end = start + len(text)
    inner = [p for p in points if start < p < end]
    if not inner or token.type not in ("text", "code_inline"):
        return [(start, token)]
    pieces: list[tuple[int, Token]] = []
    bounds = [start, *inner, end]
    for a, b in pairwise(bounds):
        piece = Token(token.type, token.tag, token.nesting, content=text[a - start : b - start])
        piece.markup = token.markup
        pieces.append((a, piece))
    return pieces
