"""Matching a quote against rendered text the way a reader would.

Runs of white space match any run of white space, and straight and typographic quotes and
apostrophes match each other. Matching is case-sensitive.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

# typographic single and double quotes, folded to their straight forms
_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f"
_QUOTE_FOLD = str.maketrans(dict.fromkeys(_SINGLE_QUOTES, "'") | dict.fromkeys(_DOUBLE_QUOTES, '"'))


def straighten(text: str) -> str:
    """``text`` with typographic quotes made straight (``str.replace`` is faster than
    ``str.translate`` for these few characters)."""
    for typographic, straight in _QUOTE_PAIRS:
        if typographic in text:
            text = text.replace(typographic, straight)
    return text


_QUOTE_PAIRS = tuple((chr(k), v) for k, v in _QUOTE_FOLD.items())


def fold(text: str) -> str:
    """The normal form of a piece of text: quotes straightened, white space runs as one space."""
    return " ".join(straighten(text).split())


_LONG_SPACE_RUN = re.compile(r"\s{2,}")


@dataclass(frozen=True)
class FoldedText:
    """A text in normal form, with a map from each normal character back to the original.

    Each run of white space folds to one space. A run of one character keeps every offset
    where it was, so the map keeps only the longer runs: where each stands in both texts.
    Any original offset is then found with a binary search.
    """

    original: str
    folded: str
    run_folded: tuple[int, ...]  # folded offset of each long run's space
    run_start: tuple[int, ...]  # original offsets where each long run starts and ends
    run_end: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> FoldedText:
        straight = straighten(text)
        run_folded: list[int] = []
        run_start: list[int] = []
        run_end: list[int] = []
        removed = 0  # characters the long runs before this one lost in folding
        for match in _LONG_SPACE_RUN.finditer(straight):
            start, end = match.span()
            run_folded.append(start - removed)
            run_start.append(start)
            run_end.append(end)
            removed += end - start - 1
        folded = " ".join(straight.split())  # as re.sub(r"\s+", " ", ...), only faster
        if folded:
            folded = (" " if straight[0].isspace() else "") + folded
            folded += " " if straight[-1].isspace() else ""
        elif straight:
            folded = " "
        return cls(text, folded, tuple(run_folded), tuple(run_start), tuple(run_end))

    def _original(self, index: int) -> tuple[int, int]:
        """Original start and end of the folded character at ``index``."""
        run = bisect_right(self.run_folded, index) - 1
        if run < 0:
            return index, index + 1
        if self.run_folded[run] == index:
            return self.run_start[run], self.run_end[run]
        start = index - self.run_folded[run] - 1 + self.run_end[run]
        return start, start + 1

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of the folded span ``[start, end)``."""
        return self._original(start)[0], self._original(end - 1)[1]

    def find_all(self, needle: str) -> list[int]:
        """Folded offsets of every occurrence of ``needle`` (already folded), overlaps included."""
        found: list[int] = []
        if not needle:
            return found
        at = self.folded.find(needle)
        while at != -1:
            found.append(at)
            at = self.folded.find(needle, at + 1)
        return found

    def has_prefix_at(self, start: int, prefix: str) -> bool:
        """Whether the folded text just before ``start`` ends with ``prefix`` (folded)."""
        return self.folded[:start].rstrip().endswith(prefix.strip())

    def has_suffix_at(self, end: int, suffix: str) -> bool:
        """Whether the folded text just after ``end`` begins with ``suffix`` (folded)."""
        return self.folded[end:].lstrip().startswith(suffix.strip())
