"""Files for machines: claims.json, annotations.jsonld, the Atom feed, sitemap and robots.txt.

Each article's part is made when the article is rendered (``article_*`` functions); the
site-wide files are then assembled from those parts without holding every article at once.
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
from collections.abc import Iterable
from typing import Any

from . import urls
from .model import SiteConfig
from .records import FeedEntry
from .structured_data import ANNOTATION_CONTEXT, POSITION_UNIT, web_annotation
from .templating import VERDICT_LABELS
from .views import ArticleView, ClaimView, WithdrawnView

FEED_ENTRIES = 200  # the newest reviews; a feed is a window, not an archive


def escape(text: str) -> str:
    """``text`` for XML character data: &, < and > escaped (as xml.sax.saxutils does,
    without importing urllib with it)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


# --- one article's parts --------------------------------------------------------------------


def article_claims_record(view: ArticleView) -> str:
    """The article's entry in claims.json."""
    article = view.article
    return _json(
        {
            "slug": view.slug,
            "title": article.title,
            "url": view.url,
            "outlet": article.outlet,
            "original_url": article.url,
            "published": _iso(article.published),
            "retrieved": article.retrieved.isoformat(),
            "counts": view.counts,
            "claims": [_claim_record(c) for c in _every_claim(view)],
        }
    )


def _every_claim(view: ArticleView) -> list[ClaimView | WithdrawnView]:
    """The claims marked and those withdrawn, in document order."""
    every: list[ClaimView | WithdrawnView] = [*view.claims, *view.withdrawn]
    return sorted(every, key=lambda c: (c.anchor.doc_start, -c.anchor.doc_end, c.anchor.order))


def _claim_record(claim: ClaimView | WithdrawnView) -> dict[str, Any]:
    data = claim.claim
    return {
        "id": claim.id,
        "verdict": data.verdict,
        "quote": claim.anchor.exact,
        "correction": data.correction,
        "note": data.note.strip(),
        "gist": data.gist,
        "reviewed": data.reviewed.isoformat(),
        "sources": [
            {
                "title": s.title,
                "url": s.url,
                "publisher": s.publisher,
                "date": _iso(s.date),
                "archived": s.archived,
            }
            for s in data.sources
        ],
        "updates": [{"date": u.date.isoformat(), "note": u.note.strip()} for u in data.updates],
        "withdrawn": data.withdrawn.strip() if data.withdrawn is not None else None,
        "url": claim.anchor_url,
        "page": claim.page_url,
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def article_annotations(site: SiteConfig, view: ArticleView) -> tuple[str, ...]:
    """The article's claims as W3C Web Annotations, each as JSON."""
    return tuple(_json(web_annotation(site, c)) for c in view.claims)


def article_feed_entries(site: SiteConfig, view: ArticleView) -> tuple[FeedEntry, ...]:
    return tuple(
        FeedEntry(
            reviewed=c.claim.reviewed,
            article_slug=view.slug,
            n=c.n,
            page=c.page_url,
            title=f"{VERDICT_LABELS[c.verdict]}: {c.anchor.exact}",
            summary=c.claim.correction or " ".join(c.claim.note.split()),
            html=_entry_html(c, urls.absolute(site.base_url, c.anchor_url)),
        )
        for c in view.claims
    )


def _entry_html(claim: ClaimView, in_context: str) -> str:
    verdict = VERDICT_LABELS[claim.verdict]
    parts = [f"<p><strong>{verdict}</strong>: “{escape(claim.anchor.exact)}”</p>"]
    if claim.claim.correction:
        parts.append(f"<p>Correction: {escape(claim.claim.correction)}</p>")
    parts.append(f"<p>{claim.note_html}</p>")
    parts.append(f'<p>In <a href="{escape(in_context)}">{escape(claim.article.title)}</a></p>')
    return "".join(parts)


# --- site-wide files --------------------------------------------------------------------------


def claims_json_head(site: SiteConfig) -> str:
    meta = {"title": site.title, "base_url": site.base_url, "description": site.description}
    return '{"site":' + _json(meta) + ',\n"articles":[\n'


CLAIMS_JSON_TAIL = "\n]}\n"


def annotations_head(site: SiteConfig) -> str:
    head = {
        "@context": ANNOTATION_CONTEXT,
        "id": urls.absolute(site.base_url, "annotations.jsonld"),
        "type": "AnnotationCollection",
        "label": f"{site.title}: every claim as a Web Annotation",
        "summary": POSITION_UNIT,
    }
    page = {
        "id": urls.absolute(site.base_url, "annotations.jsonld#page-1"),
        "type": "AnnotationPage",
        "startIndex": 0,
    }
    return _json(head)[:-1] + ',\n"first":' + _json(page)[:-1] + ',"items":[\n'


def annotations_tail(total: int) -> str:
    return f'\n]}},\n"total":{total}}}\n'


class NewestEntries:
    """Keeps the newest FEED_ENTRIES entries seen, whatever their order of arrival."""

    def __init__(self, limit: int = FEED_ENTRIES) -> None:
        self.limit = limit
        self._heap: list[tuple[dt.date, str, int, FeedEntry]] = []

    def add(self, entries: Iterable[FeedEntry]) -> None:
        for entry in entries:
            item = (entry.reviewed, entry.article_slug, entry.n, entry)
            if len(self._heap) < self.limit:
                heapq.heappush(self._heap, item)
            elif item[:3] > self._heap[0][:3]:
                heapq.heapreplace(self._heap, item)

    def newest_first(self) -> list[FeedEntry]:
        return [item[3] for item in sorted(self._heap, key=lambda i: i[:3], reverse=True)]


def atom_feed(site: SiteConfig, entries: list[FeedEntry]) -> str:
    """Entries newest first; every date comes from the content."""
    feed = new_feed(site, site.base_url, site.title, site.description, "feed.xml")
    newest = max((e.reviewed for e in entries), default=dt.date(1970, 1, 1))
    feed.updated(_datetime(newest))
    for entry in reversed(entries):  # feedgen prepends each entry
        item = feed.add_entry()
        link = urls.absolute(site.base_url, entry.page)
        item.id(link)
        item.title(entry.title)
        # one link only: feedgen 1.0 drops the rel of entry links, and an entry may have
        # only one alternate link; the claim in its article is linked from the content
        item.link(href=link)
        item.updated(_datetime(entry.reviewed))
        item.published(_datetime(entry.reviewed))
        item.summary(entry.summary)
        item.content(entry.html, type="html")
    xml: bytes = feed.atom_str(pretty=True)
    return xml.decode("utf-8")


def new_feed(site: SiteConfig, page: str, title: str, subtitle: str, path: str) -> Any:
    """An Atom feed of the site, at ``path``, about the page at the absolute URL ``page``: its
    id, title, language, links and author (the publisher, else the site)."""
    from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]  # only when written

    feed = FeedGenerator()
    feed.id(page)
    feed.title(title)
    feed.subtitle(subtitle)
    feed.language(site.language)
    feed.link(href=page, rel="alternate")
    feed.link(href=urls.absolute(site.base_url, path), rel="self")
    if site.publisher:
        author = {"name": site.publisher.name}
        if site.publisher.url:
            author["uri"] = site.publisher.url
        feed.author(author)
    else:
        feed.author({"name": site.title})
    feed.generator("factsheet")
    return feed


def _datetime(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


SITEMAP_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
)
SITEMAP_TAIL = "</urlset>\n"


def sitemap_lines(site: SiteConfig, paths: Iterable[str]) -> str:
    return "".join(
        f"  <url><loc>{escape(urls.absolute(site.base_url, p))}</loc></url>\n" for p in paths
    )


def robots_txt(site: SiteConfig) -> str:
    return f"User-agent: *\nAllow: /\nSitemap: {urls.absolute(site.base_url, 'sitemap.xml')}\n"
