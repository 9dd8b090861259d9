"""Site-wide pages and files, assembled as articles finish: index, fact sheet, exports.

Nothing here holds an article's text: each article hands over small records (its card,
its fact-sheet rows, its export parts), and the fact sheet is split into pages of
FACT_SHEET_PAGE claims, so no page grows without bound.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import exports, urls
from .markdown import render_block
from .model import VERDICTS, Page, SiteConfig
from .records import ArticleCard, ArticleOutcome, ClaimRow
from .templating import environment
from .write import SiteOutput, TextSink

FACT_SHEET_PAGE = 500  # claims per fact-sheet page


@dataclass(frozen=True)
class Pager:
    number: int  # 1-based
    count: int
    total: int  # claims in the whole list
    first: int  # 1-based position of this page's first claim
    prev_url: str | None
    next_url: str | None


class SiteAssembler:
    """Takes each article's outcome in turn, then writes the site-wide outputs.

    With a ``memo`` (kept by a live preview from one update to the next), a page whose
    template and inputs are the same as last time is not rendered again.
    """

    def __init__(
        self,
        site: SiteConfig,
        pages: tuple[Page, ...],
        templates: Path,
        out: SiteOutput,
        memo: dict[str, object] | None = None,
    ) -> None:
        self.site, self.pages, self.templates, self.out = site, pages, templates, out
        self.memo = memo
        self.cards: list[ArticleCard] = []
        self.rows: list[ClaimRow] = []
        self.feed = exports.NewestEntries()
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
        self._claims.write(separator + outcome.claims_record)
        for annotation in outcome.annotations:
            self._annotations.write((",\n" if self.annotation_count else "") + annotation)
            self.annotation_count += 1
        self._sitemap.write(exports.sitemap_lines(self.site, outcome.files))

    def finish(self) -> None:
        site = self.site
        self._claims.write(exports.CLAIMS_JSON_TAIL)
        self._annotations.write(exports.annotations_tail(self.annotation_count))
        listed = [urls.INDEX, *self._fact_sheets(), *self._standalone_pages()]
        self._render("index.html", urls.INDEX, articles=self.cards, totals=self._totals())
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

    def _fact_sheets(self) -> list[str]:
        """Write the fact sheet, whole and per verdict, page by page; return the paths."""
        totals = self._totals()
        written: list[str] = []
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
                self._render(
                    "fact_sheet.html",
                    path,
                    claims=chunk,
                    totals=totals,
                    verdict=verdict,
                    pager=pager,
                )
                written.append(path)
        return written

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
        html = (
            environment(self.templates)
            .get_template(template)
            .render(
                site=self.site,
                root=urls.root_of(path),
                path=path,
                nav_pages=self.pages,
                **context,
            )
        )
        self.out.write(path, html)
