"""What the templates see: an article with its claims anchored, numbered and linked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from markupsafe import Markup

from . import urls
from .anchor import Anchor
from .gist import gist_html
from .model import VERDICTS, Article, Claim, Update, Verdict

if TYPE_CHECKING:
    from .article_html import ClaimMarkup


@dataclass(frozen=True)
class UpdateView:
    """One revision of a claim's check, as the pages show it."""

    update: Update
    note_html: str  # the note rendered from inline Markdown, raw HTML escaped

    @property
    def date(self) -> dt.date:
        return self.update.date


class _ClaimAddress:
    """Where a claim of an article is: its id, its mark in the article, its own page."""

    claim: Claim
    article: Article

    @property
    def id(self) -> str:
        return self.claim.id

    @property
    def anchor_url(self) -> str:
        return urls.claim_anchor(self.article.slug, self.claim.id)

    @property
    def page_url(self) -> str:
        return urls.claim_page(self.article.slug, self.claim.id)


@dataclass(frozen=True)
class ClaimView(_ClaimAddress):
    claim: Claim
    anchor: Anchor
    article: Article
    n: int  # 1-based, in document order
    note_html: str  # the note rendered from inline Markdown, raw HTML escaped
    context_html: str  # the block holding the claim, with only this claim marked
    prev_id: str | None
    next_id: str | None
    # rendered once by the macros of partials/claims.html, for the notes and the claim page
    verdict_html: Markup  # verdict_label(verdict)
    note_body_html: Markup  # note_body(claim): the correction, the note and the sources
    updates: tuple[UpdateView, ...] = ()  # newest first
    at: int = 1  # 1-based, among the claims of its block, in document order

    @property
    def verdict(self) -> Verdict:
        return self.claim.verdict

    @cached_property
    def gist_html(self) -> Markup:
        """What the closed note says besides the verdict: the editor's gist or the note's
        first sentence (inline Markdown, links shown as their text)."""
        return Markup(gist_html(self.claim.gist, self.claim.note))

    @cached_property
    def original_url(self) -> str | None:
        """A link to this passage in the article as first published, if its URL is known."""
        if not self.article.url:
            return None
        return urls.text_fragment(self.article.url, self.anchor.exact)


@dataclass(frozen=True)
class WithdrawnView(_ClaimAddress):
    """A claim whose check was withdrawn: no longer marked, its page kept as a notice."""

    claim: Claim
    anchor: Anchor
    article: Article
    reason_html: str  # why, rendered from inline Markdown
    context_html: str  # the block that held the claim, unmarked
    updates: tuple[UpdateView, ...]  # newest first; the first dates the withdrawal

    @property
    def withdrawn_on(self) -> dt.date:
        return self.updates[0].date


@dataclass(frozen=True)
class ArticleView:
    article: Article
    claims: tuple[ClaimView, ...]  # the claims marked in the article, in document order
    # the article's pieces of HTML made for its view (macros' output, marked blocks), which
    # its page reuses
    markup: ClaimMarkup | None = field(default=None, compare=False, repr=False)
    withdrawn: tuple[WithdrawnView, ...] = ()  # in document order

    @property
    def slug(self) -> str:
        return self.article.slug

    @property
    def url(self) -> str:
        return urls.article(self.article.slug)

    @cached_property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = dict.fromkeys(VERDICTS, 0)
        for claim in self.claims:
            counts[claim.verdict] += 1
        return counts
