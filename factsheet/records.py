"""What one article contributes to the site-wide outputs, kept small.

Rendering an article yields its pages (written at once) and these records, which are all the
index, the fact sheet, the exports and the feed need; so memory does not grow with the text
of every article.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
import zlib
from dataclasses import dataclass
from typing import Any, NamedTuple

from . import urls
from .model import Article, Claim
from .problems import Location, Problem


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class FeedEntry:
    """One claim as an Atom entry."""

    reviewed: dt.date
    article_slug: str
    n: int
    page: str  # the claim page, relative to the site root
    title: str
    summary: str
    html: str


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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
    """One document for the search index: where a result links to, and what the indexer is
    handed: the record Pagefind would make of the document's HTML, as JSON (see
    ``pagefind_record``), or the HTML itself where none is made."""

    url: str  # relative to the site root, e.g. articles/<slug>.html#claim-<id>
    text: str  # the record's JSON, or the HTML
    record: bool = False


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
    stats: bytes = b""  # each page's size and modification time as written (see article_cache)
    corrections: tuple[CorrectionEntry, ...] = ()  # its updates and withdrawals
    # its claims as loaded (also when they have problems), for the check against a baseline;
    # ``versions_complete`` is False when its annotation file has problems, so that some
    # claims may be missing from ``versions`` without having been removed
    versions: tuple[ClaimVersion, ...] = ()
    versions_complete: bool = True
    search: tuple[SearchDoc, ...] = ()  # the article and each claim, for the search index
    search_digest: str = ""  # a hash of ``search``: equal digests, equal documents


@dataclass(frozen=True)
class ArticleRecord:
    """What pages showing many articles may need of one again: kept in the build cache and
    read only when such a page must be made again (see ``site_pages``)."""

    card: ArticleCard | None
    rows: tuple[ClaimRow, ...]
    feed: tuple[FeedEntry, ...] = ()
    versions: tuple[ClaimVersion, ...] = ()  # its claims, for the check against a baseline


class ArticleSummary(NamedTuple):
    """One article as the site-wide files see it, small enough to keep (and read back fast)
    for every article.

    The digests say whether what a site-wide page shows of the article changed; ``segments``
    locate the article's part of each concatenated file (claims.json, annotations.jsonld,
    sitemap.xml) in the build that wrote them.
    """

    slug: str
    key: str  # the hash of the article's inputs; "" when not known
    counts: tuple[int, int, int]  # its claims per verdict, in the order of VERDICTS
    claim_count: int
    card_digest: bytes
    rows_digest: bytes
    feed_digest: bytes
    feed_keys: tuple[tuple[int, int], ...]  # each feed entry's review day (ordinal) and number
    annotation_count: int
    corrections: tuple[CorrectionEntry, ...]  # its updates and withdrawals
    search_digest: str  # of its documents for the search index
    order: tuple[int, int]  # its publication and retrieval days: the article list's order
    segments: tuple[tuple[int, int], ...] = ()


def digest_of(value: object) -> bytes:
    """A short digest of records (strings, numbers, dates, dataclasses of them), by their repr:
    the same for equal records, whichever process made them."""
    return hashlib.blake2b(repr(value).encode("utf-8"), digest_size=16).digest()


def summarize(outcome: ArticleOutcome, key: str) -> ArticleSummary:
    card = outcome.card
    assert card is not None
    return ArticleSummary(
        slug=outcome.slug,
        key=key,
        counts=(card.counts["corroborated"], card.counts["disputed"], card.counts["erroneous"]),
        claim_count=card.claim_count,
        card_digest=digest_of(card),
        rows_digest=digest_of(outcome.rows),
        feed_digest=digest_of(outcome.feed),
        feed_keys=tuple((entry.reviewed.toordinal(), entry.n) for entry in outcome.feed),
        annotation_count=len(outcome.annotations),
        corrections=outcome.corrections,
        search_digest=outcome.search_digest,
        order=(
            card.article.published.toordinal() if card.article.published else 0,
            card.article.retrieved.toordinal(),
        ),
    )


def packed(value: object) -> bytes:
    """Records made small to keep (pickled, then compressed fast): see ``unpacked``."""
    return zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpacked(data: bytes) -> Any:
    """The records ``packed`` made small. Only for data this program packed itself."""
    return pickle.loads(zlib.decompress(data))
