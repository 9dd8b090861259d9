"""What one article contributes to the site-wide outputs, kept small.

Rendering an article yields its pages (written at once) and these records, which are all the
index, the fact sheet, the exports and the feed need; so memory does not grow with the text
of every article.
"""

from __future__ import annotations

import datetime as dt
import pickle
import zlib
from dataclasses import dataclass
from typing import Any

from . import urls
from .model import Article, Claim
from .problems import Location, Problem


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """One claim as the fact sheet lists it."""

    article_slug: str
    article_title: str
    id: str
    n: int
    verdict: str
    quote: str
    correction: str | None

    @property
    def page_url(self) -> str:
        return urls.claim_page(self.article_slug, self.id)

    @property
    def anchor_url(self) -> str:
        return urls.claim_anchor(self.article_slug, self.id)


@dataclass(frozen=True, slots=True)
class ArticleCard:
    """One article as the index shows it (its text left out)."""

    article: Article
    counts: dict[str, int]
    claim_count: int

    @property
    def slug(self) -> str:
        return self.article.slug

    @property
    def url(self) -> str:
        return urls.article(self.article.slug)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One claim as an Atom entry."""

    reviewed: dt.date
    article_slug: str
    n: int
    page: str  # the claim page, relative to the site root
    title: str
    summary: str
    html: str


@dataclass(frozen=True, slots=True)
class CorrectionEntry:
    """One revision of a check, or its withdrawal, as the corrections page and feed list it."""

    date: dt.date
    article_slug: str
    article_title: str
    position: int  # the claim's place among the article's claims, in document order
    index: int  # the update's place among the claim's updates, newest first
    claim_id: str
    quote: str
    verdict: str
    withdrawal: bool  # the update that dates the claim's withdrawal
    note_html: str
    reason_html: str  # why the claim was withdrawn ("" unless ``withdrawal``)

    @property
    def anchor(self) -> str:
        """The entry's id on the corrections page (also its feed entry's), stable as long
        as no update is inserted before it on the same day."""
        same_day = f"-{self.index + 1}" if self.index else ""
        return f"{self.article_slug}--{self.claim_id}--{self.date.isoformat()}{same_day}"

    @property
    def page_url(self) -> str:
        return urls.claim_page(self.article_slug, self.claim_id)

    @property
    def anchor_url(self) -> str:
        return urls.claim_anchor(self.article_slug, self.claim_id)

    def sort_key(self) -> tuple[int, str, int, int]:
        """Newest first; then by article, claim and the update's place."""
        return (-self.date.toordinal(), self.article_slug, self.position, self.index)


@dataclass(frozen=True, slots=True)
class ClaimVersion:
    """One claim as the check against a published ``claims.json`` compares it, with where
    its fields are written, so that a problem lands on the line to change."""

    id: str
    verdict: str
    correction: str | None
    withdrawn: bool
    update_dates: tuple[dt.date, ...]  # newest first
    location: Location  # the claim itself
    verdict_at: Location
    correction_at: Location
    withdrawn_at: Location
    updates_at: Location

    @classmethod
    def of(cls, claim: Claim) -> ClaimVersion:
        return cls(
            claim.id,
            claim.verdict,
            claim.correction,
            claim.withdrawn is not None,
            tuple(update.date for update in claim.updates),
            claim.location,
            claim.where("verdict"),
            claim.where("correction"),
            claim.where("withdrawn"),
            claim.where("updates"),
        )


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """One document for the search index: where a result links to, and the HTML indexed."""

    url: str  # relative to the site root, e.g. articles/<slug>.html#claim-<id>
    html: str


@dataclass(frozen=True)
class ArticleOutcome:
    """The result of one article's job: problems, or the records for site-wide outputs."""

    slug: str
    problems: tuple[Problem, ...] = ()
    card: ArticleCard | None = None
    rows: tuple[ClaimRow, ...] = ()
    feed: tuple[FeedEntry, ...] = ()
    claims_record: str = ""  # its entry in claims.json, as JSON
    annotations: tuple[str, ...] = ()  # its Web Annotations, each as JSON
    files: tuple[str, ...] = ()  # the pages it wrote, relative to the site root
    claim_count: int = 0
    corrections: tuple[CorrectionEntry, ...] = ()  # its updates and withdrawals
    # its claims as loaded (also when they have problems), for the check against a baseline;
    # ``versions_complete`` is False when its annotation file has problems, so that some
    # claims may be missing from ``versions`` without having been removed
    versions: tuple[ClaimVersion, ...] = ()
    versions_complete: bool = True
    search: tuple[SearchDoc, ...] = ()  # the article and each claim, for the search index
    search_digest: str = ""  # a hash of ``search``: equal digests, equal documents


def packed(value: object) -> bytes:
    """Records made small to keep (pickled, then compressed fast): see ``unpacked``."""
    return zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpacked(data: bytes) -> Any:
    """The records ``packed`` made small. Only for data this program packed itself."""
    return pickle.loads(zlib.decompress(data))
