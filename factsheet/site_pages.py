"""Site-wide pages and files, assembled as articles finish: index, fact sheet, corrections,
exports.

Nothing here holds an article's text: each article hands over small records (its card,
its fact-sheet rows, its export parts), the fact sheet is split into pages of
FACT_SHEET_PAGE claims and the list of articles into pages of ``index_articles`` (the
index, then ``articles/page-2.html`` and on), so no page grows without bound.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from . import corrections, exports, urls
from .markdown import render_block
from .model import VERDICTS, Page, SiteConfig
from .records import ArticleCard, ArticleOutcome, ClaimRow, CorrectionEntry
from .templating import environment
from .write import SiteOutput, TextSink

FACT_SHEET_PAGE = 500  # claims per fact-sheet page


def _slug(card: ArticleCard) -> str:
    return card.slug


def _retrieved(card: ArticleCard) -> dt.date:
    return card.article.retrieved


def _published(card: ArticleCard) -> dt.date:
    return card.article.published or dt.date.min  # an article of unknown date comes last


@dataclass(frozen=True)
class Pager:
    number: int  # 1-based
    count: int
    total: int  # claims in the whole list
    first: int  # 1-based position of this page's first claim
    prev_url: str | None
    next_url: str | None


@dataclass(frozen=True)
class SitePage:
    """One site-wide page to render: its template, where it goes, and what it shows."""

    template: str
    path: str
    context: Mapping[str, object]


def render_site_page(
    site: SiteConfig, nav_pages: tuple[Page, ...], templates: Path, page: SitePage
) -> str:
    return (
        environment(templates)
        .get_template(page.template)
        .render(
            site=site,
            root=urls.root_of(page.path),
            path=page.path,
            nav_pages=nav_pages,
            **page.context,
        )
    )


# Renders and writes many pages at once (a build hands them to its pool of processes).
PageRenderer = Callable[[list[SitePage]], None]


class SearchSink(Protocol):
    """The search index: fed each article's outcome, then written (see ``search_index``)."""

    def add(self, outcome: ArticleOutcome) -> None: ...

    def finish(self) -> tuple[str, ...]:
        """Write the index; the folders of its parts, relative to the site root."""
        ...


class SiteAssembler:
    """Takes each article's outcome in turn, then writes the site-wide outputs.

    With a ``memo`` (kept by a live preview from one update to the next), a page whose
    template and inputs are the same as last time is not rendered again. With a
    ``render_elsewhere``, the fact sheet's pages are rendered and written by it (a pool of
    processes); ``written_elsewhere`` counts them.
    """

    def __init__(
        self,
        site: SiteConfig,
        pages: tuple[Page, ...],
        templates: Path,
        out: SiteOutput,
        memo: dict[str, object] | None = None,
        render_elsewhere: PageRenderer | None = None,
        search: SearchSink | None = None,
    ) -> None:
        self.site, self.pages, self.templates, self.out = site, pages, templates, out
        self.memo = memo
        self.render_elsewhere = render_elsewhere
        self.search = search
        self.written_elsewhere = 0
        self.cards: list[ArticleCard] = []
        self.rows: list[ClaimRow] = []
        self.feed = exports.NewestEntries()
        self.corrections: list[CorrectionEntry] = []
        self.annotation_count = 0
        self._claims: TextSink = out.open("claims.json")
        self._claims.write(exports.claims_json_head(site))
        self._annotations: TextSink = out.open("annotations.jsonld")
        self._annotations.write(exports.annotations_head(site))
        self._sitemap: TextSink = out.open("sitemap.xml")
        self._sitemap.write(exports.SITEMAP_HEAD)

    def add(self, outcome: ArticleOutcome) -> None:
        if outcome.card is None:
            return
        separator = ",\n" if self.cards else ""
        self.cards.append(outcome.card)
        self.rows.extend(outcome.rows)
        self.feed.add(outcome.feed)
        self.corrections.extend(outcome.corrections)
        self._claims.write(separator + outcome.claims_record)
        for annotation in outcome.annotations:
            self._annotations.write((",\n" if self.annotation_count else "") + annotation)
            self.annotation_count += 1
        self._sitemap.write(exports.sitemap_lines(self.site, outcome.files))
        if self.search is not None:
            self.search.add(outcome)

    def finish(self) -> None:
        site = self.site
        self._claims.write(exports.CLAIMS_JSON_TAIL)
        self._annotations.write(exports.annotations_tail(self.annotation_count))
        parts = self.search.finish() if self.search is not None else ()
        self._render(urls.SEARCH, urls.SEARCH, parts=parts, totals=self._totals())
        lists = self._article_lists()
        listed = [*lists, urls.SEARCH, *self._fact_sheets(), *self._standalone_pages()]
        listed.append(self._corrections())
        self.out.write(
            urls.NOT_FOUND,  # GitHub Pages serves it at any depth, so its links are absolute
            environment(self.templates)
            .get_template("404.html")
            .render(site=site, root=site.base_url, path=urls.NOT_FOUND, nav_pages=self.pages),
        )
        self._sitemap.write(exports.sitemap_lines(site, listed) + exports.SITEMAP_TAIL)
        for stream in (self._claims, self._annotations, self._sitemap):
            stream.close()
        self.out.write("feed.xml", exports.atom_feed(site, self.feed.newest_first()))
        self.out.write("robots.txt", exports.robots_txt(site))
        self.out.write(".nojekyll", "")
        static = self.templates / "static"
        for asset in sorted(static.rglob("*")):
            if asset.is_file():
                self.out.write(
                    urls.STATIC + asset.relative_to(static).as_posix(), asset.read_bytes()
                )

    def _totals(self) -> dict[str, int]:
        totals: dict[str, int] = dict.fromkeys(VERDICTS, 0)
        for card in self.cards:
            for verdict, count in card.counts.items():
                totals[verdict] += count
        return totals

    def _article_lists(self) -> list[str]:
        """Write the index and the further pages of the article list, newest first; their paths.

        The index lists the newest ``index_articles`` articles, each further page as many.
        """
        cards = sorted(self.cards, key=_slug)
        cards.sort(key=_retrieved, reverse=True)
        cards.sort(key=_published, reverse=True)
        size = self.site.index_articles
        count = max(1, -(-len(cards) // size))
        totals = self._totals()
        pages: list[SitePage] = []
        for number in range(1, count + 1):
            path = urls.article_list(number)
            start = (number - 1) * size
            pager = Pager(
                number,
                count,
                len(cards),
                start + 1,
                urls.article_list(number - 1) if number > 1 else None,
                urls.article_list(number + 1) if number < count else None,
            )
            chunk = cards[start : start + size]
            context = {
                "articles": chunk,
                "totals": totals,
                "pager": pager,
                "list_pages": [urls.article_list(n) for n in range(1, count + 1)],
            }
            template = "index.html" if number == 1 else "article_list.html"
            pages.append(SitePage(template, path, context))
        self._render(pages[0].template, pages[0].path, **pages[0].context)
        self._render_all(pages[1:])
        return [page.path for page in pages]

    def _render_all(self, pages: list[SitePage]) -> None:
        """Render pages on the pool when there is one, else here (remembering their inputs)."""
        if self.render_elsewhere is not None and self.memo is None:
            self.render_elsewhere(pages)
            self.written_elsewhere += len(pages)
        else:
            for page in pages:
                self._render(page.template, page.path, **page.context)

    def _fact_sheets(self) -> list[str]:
        """Write the fact sheet, whole and per verdict, page by page; return the paths."""
        totals = self._totals()
        sheets: list[SitePage] = []
        for verdict in (None, *VERDICTS):
            rows = self.rows if verdict is None else [r for r in self.rows if r.verdict == verdict]
            count = max(1, -(-len(rows) // FACT_SHEET_PAGE))
            for number in range(1, count + 1):
                path = urls.fact_sheet(verdict, number)
                start = (number - 1) * FACT_SHEET_PAGE
                pager = Pager(
                    number,
                    count,
                    len(rows),
                    start + 1,
                    urls.fact_sheet(verdict, number - 1) if number > 1 else None,
                    urls.fact_sheet(verdict, number + 1) if number < count else None,
                )
                chunk = rows[start : start + FACT_SHEET_PAGE]
                context = {"claims": chunk, "totals": totals, "verdict": verdict, "pager": pager}
                sheets.append(SitePage("fact_sheet.html", path, context))
        self._render_all(sheets)
        return [sheet.path for sheet in sheets]

    def _corrections(self) -> str:
        """Write the corrections page and the feed of updates; return the page's path."""
        entries = corrections.newest_first(self.corrections)
        self._render("corrections.html", corrections.CORRECTIONS_PAGE, entries=entries)
        self.out.write(corrections.UPDATES_FEED, corrections.updates_feed(self.site, entries))
        return corrections.CORRECTIONS_PAGE

    def _standalone_pages(self) -> list[str]:
        written = []
        for page in self.pages:
            path = urls.page(page.slug)
            self._render("page.html", path, page=page, body_html=render_block(page.body))
            written.append(path)
        return written

    def _render(self, template: str, path: str, **context: object) -> None:
        if self.memo is not None:
            inputs = (template, context)
            if self.memo.get(path) == inputs and self.out.keep(path):
                return
            self.memo[path] = inputs
        page = SitePage(template, path, context)
        self.out.write(path, render_site_page(self.site, self.pages, self.templates, page))
