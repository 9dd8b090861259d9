"""Files for machines: claims.json, annotations.jsonld, the Atom feed, sitemap and robots.txt."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from xml.sax.saxutils import escape

from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]

from . import urls
from .model import SiteConfig
from .structured_data import annotation_collection
from .templating import VERDICT_LABELS
from .views import ArticleView, ClaimView


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def claims_json(site: SiteConfig, articles: list[ArticleView]) -> str:
    return _dump(
        {
            "site": {
                "title": site.title,
                "base_url": site.base_url,
                "description": site.description,
            },
            "articles": [
                {
                    "slug": a.slug,
                    "title": a.article.title,
                    "url": a.url,
                    "outlet": a.article.outlet,
                    "original_url": a.article.url,
                    "published": _iso(a.article.published),
                    "retrieved": a.article.retrieved.isoformat(),
                    "counts": a.counts,
                    "claims": [_claim_record(c) for c in a.claims],
                }
                for a in articles
            ],
        }
    )


def _claim_record(claim: ClaimView) -> dict[str, Any]:
    return {
        "id": claim.id,
        "verdict": claim.verdict,
        "quote": claim.anchor.exact,
        "correction": claim.claim.correction,
        "note": claim.claim.note.strip(),
        "reviewed": claim.claim.reviewed.isoformat(),
        "sources": [
            {"title": s.title, "url": s.url, "publisher": s.publisher, "date": _iso(s.date)}
            for s in claim.claim.sources
        ],
        "url": claim.anchor_url,
        "page": claim.page_url,
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def annotations_jsonld(site: SiteConfig, articles: list[ArticleView]) -> str:
    return _dump(annotation_collection(site, [c for a in articles for c in a.claims]))


def atom_feed(site: SiteConfig, articles: list[ArticleView]) -> str:
    """One entry per claim, newest review first; dates come from the content only."""
    claims = [c for a in articles for c in a.claims]
    claims.sort(key=lambda c: (c.claim.reviewed, c.article.slug, c.n), reverse=True)
    feed = FeedGenerator()
    feed.id(site.base_url)
    feed.title(site.title)
    feed.subtitle(site.description)
    feed.language(site.language)
    feed.link(href=site.base_url, rel="alternate")
    feed.link(href=urls.absolute(site.base_url, "feed.xml"), rel="self")
    if site.publisher:
        feed.author(
            {
                "name": site.publisher.name,
                **({"uri": site.publisher.url} if site.publisher.url else {}),
            }
        )
    else:
        feed.author({"name": site.title})
    newest = max((c.claim.reviewed for c in claims), default=dt.date(1970, 1, 1))
    feed.updated(_datetime(newest))
    feed.generator("factsheet")
    for claim in reversed(claims):  # feedgen prepends each entry
        entry = feed.add_entry()
        link = urls.absolute(site.base_url, claim.page_url)
        entry.id(link)
        entry.title(f"{VERDICT_LABELS[claim.verdict]}: {claim.anchor.exact}")
        # one link only: feedgen 1.0 drops the rel of entry links, and an entry may have
        # only one alternate link; the claim in its article is linked from the content
        entry.link(href=link)
        entry.updated(_datetime(claim.claim.reviewed))
        entry.published(_datetime(claim.claim.reviewed))
        summary = claim.claim.correction or " ".join(claim.claim.note.split())
        entry.summary(summary)
        entry.content(
            _entry_html(claim, urls.absolute(site.base_url, claim.anchor_url)), type="html"
        )
    xml: bytes = feed.atom_str(pretty=True)
    return xml.decode("utf-8")


def _entry_html(claim: ClaimView, in_context: str) -> str:
    parts = [
        f"<p><strong>{VERDICT_LABELS[claim.verdict]}</strong>: “{escape(claim.anchor.exact)}”</p>"
    ]
    if claim.claim.correction:
        parts.append(f"<p>Correction: {escape(claim.claim.correction)}</p>")
    parts.append(f"<p>{claim.note_html}</p>")
    article = escape(claim.article.title)
    parts.append(f'<p>In <a href="{escape(in_context)}">{article}</a></p>')
    return "".join(parts)


def _datetime(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def sitemap(site: SiteConfig, paths: list[str]) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for path in sorted(paths):
        lines.append(f"  <url><loc>{escape(urls.absolute(site.base_url, path))}</loc></url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(site: SiteConfig) -> str:
    return f"User-agent: *\nAllow: /\nSitemap: {urls.absolute(site.base_url, 'sitemap.xml')}\n"
