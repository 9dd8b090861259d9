"""The record of our own corrections: every update and withdrawal of every claim.

Each article's entries are made when the article is rendered (``article_corrections``); the
corrections page and the Atom feed of updates (``updates.xml``) are then assembled from them,
newest first. Every date comes from the content, so the output is the same on every build.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from . import urls
from .exports import escape, new_feed
from .model import SiteConfig
from .records import CorrectionEntry
from .views import ArticleView, ClaimView, WithdrawnView

CORRECTIONS_PAGE = "corrections.html"
UPDATES_FEED = "updates.xml"


def article_corrections(view: ArticleView) -> tuple[CorrectionEntry, ...]:
    """One entry per update of each of the article's claims; a withdrawn claim's newest
    update is its withdrawal."""
    every: list[ClaimView | WithdrawnView] = [*view.claims, *view.withdrawn]
    every.sort(key=lambda c: (c.anchor.doc_start, -c.anchor.doc_end, c.anchor.order))
    entries: list[CorrectionEntry] = []
    for position, claim in enumerate(every):
        withdrawn = isinstance(claim, WithdrawnView)
        reason = claim.reason_html if isinstance(claim, WithdrawnView) else ""
        same_day = 0
        for index, update in enumerate(claim.updates):
            if index and claim.updates[index - 1].date == update.date:
                same_day += 1
            else:
                same_day = 0
            entries.append(
                CorrectionEntry(
                    date=update.date,
                    article_slug=view.slug,
                    article_title=view.article.title,
                    position=position,
                    index=same_day,
                    claim_id=claim.id,
                    quote=claim.anchor.exact,
                    verdict=claim.claim.verdict,
                    withdrawal=withdrawn and index == 0,
                    note_html=update.note_html,
                    reason_html=reason if withdrawn and index == 0 else "",
                )
            )
    return tuple(entries)


def newest_first(entries: Iterable[CorrectionEntry]) -> list[CorrectionEntry]:
    return sorted(entries, key=CorrectionEntry.sort_key)


def updates_feed(site: SiteConfig, entries: list[CorrectionEntry]) -> str:
    """The Atom feed of every update and withdrawal, ``entries`` newest first."""
    page = urls.absolute(site.base_url, CORRECTIONS_PAGE)
    feed = new_feed(
        site,
        page,
        f"{site.title}: corrections and updates",
        "Every revision of our fact checks and every withdrawal, newest first.",
        UPDATES_FEED,
    )
    newest = entries[0].date if entries else dt.date(1970, 1, 1)
    feed.updated(_datetime(newest))
    for entry in reversed(entries):  # feedgen prepends each entry
        item = feed.add_entry()
        item.id(f"{page}#{entry.anchor}")
        kind = "Withdrawn" if entry.withdrawal else "Updated"
        item.title(f"{kind}: “{entry.quote}” in {entry.article_title}")
        item.link(href=urls.absolute(site.base_url, entry.page_url))
        item.updated(_datetime(entry.date))
        item.published(_datetime(entry.date))
        item.content(_entry_html(entry, site.base_url), type="html")
    xml: bytes = feed.atom_str(pretty=True)
    return xml.decode("utf-8")


def _entry_html(entry: CorrectionEntry, base_url: str) -> str:
    parts = []
    if entry.withdrawal:
        parts.append(f"<p><strong>Withdrawn:</strong> {entry.reason_html}</p>")
    parts.append(f"<p>{entry.note_html}</p>")
    page = escape(urls.absolute(base_url, entry.page_url))
    article = escape(urls.absolute(base_url, entry.anchor_url))
    parts.append(
        f'<p><a href="{page}">The claim</a> in <a href="{article}">'
        f"{escape(entry.article_title)}</a></p>"
    )
    return "".join(parts)


def _datetime(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
