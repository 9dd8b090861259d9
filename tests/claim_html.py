"""Reading claims back out of built HTML, the way an outside tool would."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class ClaimElements:
    verdicts: set[str] = field(default_factory=set)
    text: str = ""
    elements: int = 0
    ids: list[str] = field(default_factory=list)


class _ClaimParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str | None] = []
        self.claims: dict[str, ClaimElements] = {}
        self.order: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        found = dict(attrs)
        claim = found.get("data-claim")
        self.stack.append(claim)
        if claim is not None:
            info = self.claims.setdefault(claim, ClaimElements())
            if claim not in self.order:
                self.order.append(claim)
            info.elements += 1
            info.verdicts.add(found.get("data-verdict") or "")
            if found.get("id"):
                info.ids.append(found["id"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        for claim in {c for c in self.stack if c is not None}:
            self.claims[claim].text += data


def claims_in(html: str) -> dict[str, ClaimElements]:
    """Every claim marked in ``html``: its verdicts, its text in document order, its ids."""
    parser = _ClaimParser()
    parser.feed(html)
    return parser.claims


def claim_order(html: str) -> list[str]:
    parser = _ClaimParser()
    parser.feed(html)
    return parser.order
