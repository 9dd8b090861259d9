"""Anchor stage: find each claim's quote in the article's rendered text.

The result is, for each claim, a span of one block's text. Every problem (not found,
ambiguous, across blocks, partial overlap) is collected with its place in the annotation
file and a hint that says what to do.
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it.token import Token

from .blocks import Block, blocks_of
from .markdown import markdown
from .model import Article, Claim
from .problems import Location, Problem
from .textmatch import FoldedText, fold

BLOCK_SEPARATOR = "\n\n"  # between blocks in the document text (TextPositionSelector offsets)
CONTEXT = 32  # characters of context shown around an occurrence, and exported as prefix/suffix


@dataclass(frozen=True)
class ArticleText:
    """An article parsed once: its tokens, its blocks and the whole text a reader sees."""

    article: Article
    tokens: list[Token]
    blocks: list[Block]
    text: str  # blocks joined by BLOCK_SEPARATOR
    block_starts: tuple[int, ...]
    folded: FoldedText

    @classmethod
    def parse(cls, article: Article) -> ArticleText:
        tokens = markdown().parse(article.body)
        blocks = blocks_of(tokens)
        starts: list[int] = []
        offset = 0
        for block in blocks:
            starts.append(offset)
            offset += len(block.text) + len(BLOCK_SEPARATOR)
        text = BLOCK_SEPARATOR.join(b.text for b in blocks)
        return cls(article, tokens, blocks, text, tuple(starts), FoldedText.of(text))

    def block_at(self, offset: int) -> Block:
        """The block holding document offset ``offset`` (or the one before a separator)."""
        index = 0
        for i, start in enumerate(self.block_starts):
            if start <= offset:
                index = i
            else:
                break
        return self.blocks[index]

    def line_at(self, offset: int) -> int:
        """The article file's line number for a document offset."""
        block = self.block_at(offset)
        return self.article.body_line + block.line_of(offset - self.block_starts[block.index])

    def location_at(self, offset: int) -> Location:
        return self.article.location.at(self.line_at(offset))

    def snippet(self, start: int, end: int) -> str:
        """The passage ``[start, end)`` of the document with a little context, on one line."""
        before = fold(self.text[max(0, start - CONTEXT) : start])
        after = fold(self.text[end : end + CONTEXT])
        lead = "…" if start > CONTEXT else ""
        tail = "…" if end + CONTEXT < len(self.text) else ""
        return f"{lead}{before} [{fold(self.text[start:end])}] {after}{tail}".replace("  ", " ")


@dataclass(frozen=True)
class Anchor:
    """Where one claim's quote stands in its article."""

    claim: Claim
    order: int  # the claim's position in the annotation file
    block: int  # index of the block holding it
    start: int  # offsets in that block's text
    end: int
    doc_start: int  # offsets in the document text (code points)
    doc_end: int
    line: int  # the article file's line where the quote begins
    exact: str  # the quote as the article has it
    prefix: str  # up to CONTEXT characters of document text before it
    suffix: str  # up to CONTEXT characters after it


def anchor_claims(
    text: ArticleText, claims: tuple[Claim, ...]
) -> tuple[list[Anchor], list[Problem]]:
    """Anchor every claim; return the anchors in document order and all problems found."""
    anchors: list[Anchor] = []
    problems: list[Problem] = []
    for order, claim in enumerate(claims):
        result = _anchor_one(text, claim, order)
        if isinstance(result, Problem):
            problems.append(result)
        else:
            anchors.append(result)
    anchors.sort(key=lambda a: (a.doc_start, -a.doc_end, a.order))
    # a withdrawn claim still anchors (the article's text never changes) but is not marked,
    # so it may overlap the claims that are
    problems.extend(_overlaps([a for a in anchors if a.claim.withdrawn is None]))
    return anchors, problems


def _anchor_one(text: ArticleText, claim: Claim, order: int) -> Anchor | Problem:
    quote = fold(claim.quote)
    path = text.article.location.path
    if not quote:
        return Problem(
            claim.where("quote"), "the quote is empty; copy the claim's words from the article"
        )
    hits = text.folded.find_all(quote)
    if not hits:
        return Problem(claim.where("quote"), not_found_message(text, quote))
    spans = [text.folded.original_span(h, h + len(quote)) for h in hits]
    chosen = [
        (h, span)
        for h, span in zip(hits, spans, strict=True)
        if (claim.prefix is None or text.folded.has_prefix_at(h, fold(claim.prefix)))
        and (claim.suffix is None or text.folded.has_suffix_at(h + len(quote), fold(claim.suffix)))
    ]
    if not chosen:
        field = "prefix" if claim.prefix is not None else "suffix"
        places = "; ".join(_place(text, s) for s in spans)
        return Problem(
            claim.where(field),
            f"no occurrence of the quote in {path} has this prefix/suffix; "
            f"fix the {field} to match the words next to the quote: {places}",
        )
    if len(chosen) > 1:
        places = "; ".join(_place(text, s) for _, s in chosen)
        how = (
            "a prefix or suffix"
            if claim.prefix is None and claim.suffix is None
            else "a longer prefix or suffix"
        )
        return Problem(
            claim.where("quote"),
            f"the quote occurs {len(chosen)} times in {path}; add {how} that picks one "
            f"(`python build.py find` proposes one): {places}",
        )
    _, (start, end) = chosen[0]
    first, last = text.block_at(start), text.block_at(end - 1)
    if first.index != last.index or end - text.block_starts[first.index] > len(first.text):
        return Problem(
            claim.where("quote"),
            f"the quote runs across two blocks of {path} (lines {text.line_at(start)} and "
            f"{text.line_at(end - 1)}); a quote must stay inside one paragraph, heading or "
            "list item: split it into two claims",
        )
    block_start = text.block_starts[first.index]
    return Anchor(
        claim=claim,
        order=order,
        block=first.index,
        start=start - block_start,
        end=end - block_start,
        doc_start=start,
        doc_end=end,
        line=text.line_at(start),
        exact=text.text[start:end],
        prefix=text.text[max(0, start - CONTEXT) : start],
        suffix=text.text[end : end + CONTEXT],
    )


def _place(text: ArticleText, span: tuple[int, int]) -> str:
    return f'line {text.line_at(span[0])}: "{text.snippet(*span)}"'


def not_found_message(text: ArticleText, quote: str) -> str:
    path = text.article.location.path
    if not text.folded.folded:
        return f"the quote is not in {path}: the article has no text"
    from rapidfuzz import fuzz  # only to say where a quote that is not found comes closest

    best = fuzz.partial_ratio_alignment(quote, text.folded.folded)
    if best is None or best.score < 50:
        return (
            f"the quote is not in {path} and nothing there comes close; "
            "check that the annotation file's name matches the article"
        )
    folded = text.folded.folded
    begin, finish = best.dest_start, max(best.dest_end, best.dest_start + 1)
    while begin > 0 and not folded[begin - 1].isspace():  # widen to whole words
        begin -= 1
    while finish < len(folded) and not folded[finish].isspace():
        finish += 1
    start, end = text.folded.original_span(begin, finish)
    passage = fold(text.text[start:end])
    return (
        f"the quote is not in {path}; the closest passage is on line {text.line_at(start)}: "
        f'"{passage}" ({best.score:.0f}% alike); copy the words exactly as the article has them'
    )


def _overlaps(anchors: list[Anchor]) -> list[Problem]:
    """Claims in one block must nest or be disjoint; report each partial overlap once."""
    problems: list[Problem] = []
    for i, a in enumerate(anchors):
        for b in anchors[i + 1 :]:
            if b.doc_start >= a.doc_end:
                break
            if b.doc_end > a.doc_end:  # starts inside a, ends after it
                later, earlier = (a, b) if a.order > b.order else (b, a)
                problems.append(
                    Problem(
                        later.claim.where("quote"),
                        f"claim '{later.claim.id}' partially overlaps claim '{earlier.claim.id}' "
                        f"(line {earlier.claim.location.line}); claims must nest or be disjoint: "
                        "shorten one of the quotes",
                    )
                )
    return problems
