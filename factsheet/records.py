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
from .model import Article
from .problems import Problem


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
    search: tuple[SearchDoc, ...] = ()  # the article and each claim, for the search index
    search_digest: str = ""  # a hash of ``search``: equal digests, equal documents


def packed(value: object) -> bytes:
    """Records made small to keep (pickled, then compressed fast): see ``unpacked``."""
    return zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpacked(data: bytes) -> Any:
    """The records ``packed`` made small. Only for data this program packed itself."""
    return pickle.loads(zlib.decompress(data))
