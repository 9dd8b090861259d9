"""The site-wide pages: index, fact sheet (whole and per verdict), standalone pages, 404."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from . import urls
from .markdown import render_block
from .model import VERDICTS, Page, SiteConfig
from .templating import environment
from .views import ArticleView


def site_pages(
    site: SiteConfig, articles: list[ArticleView], pages: tuple[Page, ...], templates: Path
) -> Iterator[tuple[str, str]]:
    """Yield (path, HTML) for every page that lists or links the whole site."""
    env = environment(templates)
    claims = [c for a in articles for c in a.claims]
    totals = dict.fromkeys(VERDICTS, 0)
    for claim in claims:
        totals[claim.verdict] += 1

    def render(template: str, path: str, **context: object) -> tuple[str, str]:
        html = env.get_template(template).render(
            site=site, root=urls.root_of(path), path=path, nav_pages=pages, **context
        )
        return path, html

    yield render("index.html", urls.INDEX, articles=articles, totals=totals)
    yield render("fact_sheet.html", urls.FACT_SHEET, claims=claims, totals=totals, verdict=None)
    for verdict in VERDICTS:
        chosen = [c for c in claims if c.verdict == verdict]
        yield render(
            "fact_sheet.html",
            urls.fact_sheet_verdict(verdict),
            claims=chosen,
            totals=totals,
            verdict=verdict,
        )
    for page in pages:
        yield render(
            "page.html", urls.page(page.slug), page=page, body_html=render_block(page.body)
        )
    # GitHub Pages serves 404.html at any depth, so its links are absolute
    yield (
        urls.NOT_FOUND,
        env.get_template("404.html").render(
            site=site, root=site.base_url, path=urls.NOT_FOUND, nav_pages=pages
        ),
    )
