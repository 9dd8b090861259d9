"""Matching a quote against rendered text the way a reader would.

Runs of white space match any run of white space, and straight and typographic quotes and
apostrophes match each other. Matching is case-sensitive.
"""

from __future__ import annotations

from dataclasses import dataclass

# typographic single and double quotes, folded to their straight forms
_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f"
_QUOTE_FOLD = str.maketrans(dict.fromkeys(_SINGLE_QUOTES, "'") | dict.fromkeys(_DOUBLE_QUOTES, '"'))


def fold(text: str) -> str:
    """The normal form of a piece of text: quotes straightened, white space runs as one space."""
    return " ".join(text.translate(_QUOTE_FOLD).split())


@dataclass(frozen=True)
class FoldedText:
    """A text in normal form, with a map from each normal character back to the original."""

    original: str
    folded: str
    starts: tuple[int, ...]  # original offset where each folded character starts
    ends: tuple[int, ...]  # original offset where each folded character ends

    @classmethod
    def of(cls, text: str) -> FoldedText:
        folded: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        i, n = 0, len(text)
        while i < n:
            ch = text[i]
            if ch.isspace():
                j = i
                while j < n and text[j].isspace():
                    j += 1
                folded.append(" ")
                starts.append(i)
                ends.append(j)
                i = j
            else:
                folded.append(ch.translate(_QUOTE_FOLD))
                starts.append(i)
                ends.append(i + 1)
                i += 1
        return cls(text, "".join(folded), tuple(starts), tuple(ends))

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of the folded span ``[start, end)``."""
        return self.starts[start], self.ends[end - 1]

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
