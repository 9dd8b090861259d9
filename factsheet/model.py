"""The records that flow through the pipeline: load -> validate -> anchor -> render -> write.

Every record is immutable and picklable, so a stage can hand it to another process.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .problems import Location

Verdict = Literal["corroborated", "disputed", "erroneous"]
VERDICTS: tuple[Verdict, ...] = ("corroborated", "disputed", "erroneous")


@dataclass(frozen=True)
class Publisher:
    name: str
    url: str | None = None


@dataclass(frozen=True)
class SiteConfig:
    title: str
    description: str
    base_url: str  # absolute, always ends with "/"
    language: str = "en"
    publisher: Publisher | None = None
    index_articles: int = 50  # the newest articles on the index; the rest on pages of as many
    search: bool = True  # whether the site has a search page (and its index)


@dataclass(frozen=True)
class Source:
    title: str
    url: str | None = None
    publisher: str | None = None
    date: dt.date | None = None
    archived: str | None = None  # the address of an archived copy
    # where the url's value stands in the annotation file (not part of what the source is)
    url_location: Location | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Update:
    """A revision of our own check of a claim, said openly: when, and what changed and why."""

    date: dt.date
    note: str  # Markdown, inline formatting and links only
    location: Location  # the entry in the annotation file


@dataclass(frozen=True)
class Claim:
    id: str
    quote: str
    verdict: Verdict
    note: str  # Markdown, inline formatting and links only
    sources: tuple[Source, ...]
    reviewed: dt.date
    location: Location  # the claim's entry in the annotation file
    prefix: str | None = None
    suffix: str | None = None
    correction: str | None = None
    gist: str | None = None  # one line shown while the note is closed; else its first sentence
    updates: tuple[Update, ...] = ()  # newest first (same-day entries in the file's order)
    withdrawn: str | None = None  # why the check was withdrawn (Markdown, inline only)
    # where each field's value stands in the annotation file ("quote", "prefix", ...)
    field_locations: tuple[tuple[str, Location], ...] = ()

    def where(self, field_name: str) -> Location:
        """The location of a field's value, or of the claim itself when the field is absent."""
        for name, loc in self.field_locations:
            if name == field_name:
                return loc
        return self.location

    @property
    def modified(self) -> dt.date | None:
        """The date of the newest update, if the check was ever revised."""
        return self.updates[0].date if self.updates else None

    @property
    def withdrawn_on(self) -> dt.date | None:
        """When a withdrawn claim was withdrawn: the date of its newest update."""
        return self.modified if self.withdrawn is not None else None


@dataclass(frozen=True)
class Annotations:
    """One annotation file: the claims made about one article."""

    slug: str
    location: Location
    claims: tuple[Claim, ...]


@dataclass(frozen=True)
class Article:
    slug: str
    location: Location  # the article file itself (line 1)
    title: str
    retrieved: dt.date
    body: str  # the Markdown after the front matter
    body_line: int  # the file's line number of the body's first line
    dek: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    notes: str | None = None


@dataclass(frozen=True)
class Page:
    """A standalone page from content/pages/ (method, about, corrections policy)."""

    slug: str
    location: Location
    title: str
    body: str
    body_line: int
    description: str | None = None


@dataclass(frozen=True)
class Content:
    """Everything in a content folder, loaded and validated."""

    root: Path
    site: SiteConfig
    articles: tuple[Article, ...]  # sorted by slug
    annotations: dict[str, Annotations] = field(default_factory=dict)  # by article slug
    pages: tuple[Page, ...] = ()  # sorted by slug
