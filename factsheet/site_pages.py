"""Site-wide pages and files, assembled as articles finish: index, fact sheet, corrections,
exports.

Nothing here holds an article's text: each article hands over its summary (its card, the
digests of its fact-sheet rows and feed entries) and its parts of the concatenated exports
(claims.json, annotations.jsonld, sitemap.xml), either as text or, for an article kept from
the last build, as the place of its part in the last build's file, which is copied from there.
Every other site-wide page is known by a digest of what it shows; it is made again only when
that digest is not the one the output already holds (``SiteWriter.needs``), and the records it
needs of each article (its fact-sheet rows, its feed entries) are then fetched: from this
build's articles, or from the build cache for the others. The fact sheet is split into pages of
FACT_SHEET_PAGE claims, so no page grows without bound.
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from . import corrections, exports, urls
from .markdown import render_block
from .model import VERDICTS, Page, SiteConfig
from .records import (
    ArticleCard,
    ArticleRecord,
    ArticleSummary,
    ClaimRow,
    CorrectionEntry,
    FeedEntry,
)
from .templating import environment

FACT_SHEET_PAGE = 500  # claims per fact-sheet page
PAGES_AT_ONCE = 8  # pages of the fact sheet or the article list handed to the pool at once
CONCATENATED = ("claims.json", "annotations.jsonld", "sitemap.xml")


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


@dataclass
class _Sheet:
    """A fact-sheet page to make: where, from what, and its rows as they are gathered."""

    path: str
    digest: bytes
    verdict: str | None
    pager: Pager
    span: list[tuple[ArticleSummary, int, int]]
    rows: list[ClaimRow] = field(default_factory=list)


# An article's part of a concatenated file: its text, or where it stands in the last build's
# copy of the file (start, end), as the article's summary keeps it.
Part = str | tuple[int, int]


@dataclass(frozen=True)
class ArticleParts:
    """An article's parts of claims.json, annotations.jsonld and sitemap.xml, in that order."""

    parts: tuple[Part, Part, Part]

    @classmethod
    def of(
        cls, site: SiteConfig, claims_record: str, annotations: Sequence[str], files: Sequence[str]
    ) -> ArticleParts:
        return cls((claims_record, ",\n".join(annotations), exports.sitemap_lines(site, files)))


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


class ConcatSink(Protocol):
    """A file written as a run of parts: text, or ranges of the last build's copy of it."""

    position: int

    def write(self, text: str) -> None: ...

    def separator(self, text: str) -> None: ...

    def copy(self, start: int, end: int) -> None: ...

    def close(self) -> None: ...


class SiteWriter(Protocol):
    """Where the site-wide files go: a generation of the output, or a live preview's folder."""

    def needs(self, relative: str, digest: bytes) -> bool:
        """False when the output already holds (or has just kept) the file made from
        ``digest``; True when it must be written."""
        ...

    def write(self, relative: str, content: str | bytes, digest: bytes) -> None: ...

    def concat(self, relative: str) -> ConcatSink: ...


# Renders and writes many pages at once (a build hands them to its pool of processes).
PageRenderer = Callable[[list[tuple[SitePage, bytes]]], None]
# The records of a kept article, fetched from the build cache.
RecordSource = Callable[[str], ArticleRecord]  # an article's card and fact-sheet rows
FeedSource = Callable[[str], tuple[FeedEntry, ...]]  # an article's feed entries


def _digest(*parts: object) -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part if isinstance(part, bytes) else repr(part).encode("utf-8"))
        digest.update(b"\0")
    return digest.digest()


class _Concatenation:
    """One concatenated file being written: its head, the articles' parts, its tail."""

    def __init__(self, sink: ConcatSink, separator: str) -> None:
        self.sink = sink
        self.separator = separator
        self.first = True

    def add(self, part: Part) -> tuple[int, int]:
        """Append one article's part; where it stands in the new file."""
        if part == "" or (isinstance(part, tuple) and part[0] == part[1]):
            return self.sink.position, self.sink.position
        if not self.first and self.separator:
            self.sink.separator(self.separator)
        self.first = False
        start = self.sink.position
        if isinstance(part, tuple):
            self.sink.copy(*part)
        else:
            self.sink.write(part)
        return start, self.sink.position


class SiteAssembler:
    """Takes each article's summary and parts in turn, then writes the site-wide outputs.

    ``records`` fetches what a kept article's fact-sheet rows and feed entries are, when a page
    showing them must be made again. With a ``render_elsewhere``, the pages of the fact sheet
    and of the article list are rendered and written by it (a pool of processes), a few
    at a time; ``written_elsewhere`` counts them.
    """

    def __init__(
        self,
        site: SiteConfig,
        pages: tuple[Page, ...],
        templates: Path,
        out: SiteWriter,
        records: RecordSource | None = None,
        render_elsewhere: PageRenderer | None = None,
        keep_fresh: bool = True,
        feeds: FeedSource | None = None,
    ) -> None:
        self.site, self.pages, self.templates, self.out = site, pages, templates, out
        self.records = records
        self.feeds = feeds
        self.keep_fresh = keep_fresh  # else the records of this build's articles are fetched too
        self.render_elsewhere = render_elsewhere
        self.written_elsewhere = 0
        self.summaries: list[ArticleSummary] = []
        self.fresh: dict[str, ArticleRecord] = {}  # the records of the articles rendered now
        self.rendered: set[str] = set()  # their slugs
        self.feed = exports.NewestEntries()  # the newest entries of the articles rendered now
        self.corrections: list[CorrectionEntry] = []
        self.annotation_count = 0
        self._claims = _Concatenation(out.concat("claims.json"), ",\n")
        self._claims.sink.write(exports.claims_json_head(site))
        self._annotations = _Concatenation(out.concat("annotations.jsonld"), ",\n")
        self._annotations.sink.write(exports.annotations_head(site))
        self._sitemap = _Concatenation(out.concat("sitemap.xml"), "")
        self._sitemap.sink.write(exports.SITEMAP_HEAD)

    def add(
        self, summary: ArticleSummary, parts: ArticleParts, record: ArticleRecord | None = None
    ) -> ArticleSummary:
        """Add one article (``record`` when it was rendered by this build); returns its
        summary with the place of its parts in the new concatenated files."""
        claims, annotations, sitemap = parts.parts
        segments = (
            self._claims.add(claims),
            self._annotations.add(annotations),
            self._sitemap.add(sitemap),
        )
        self.annotation_count += summary.annotation_count
        if record is not None:  # its rows kept for the fact sheet; of its feed, the newest
            if self.keep_fresh:
                self.fresh[summary.slug] = ArticleRecord(record.card, record.rows)
            self.feed.add(record.feed)
            self.rendered.add(summary.slug)
        self.corrections.extend(summary.corrections)
        placed = ArticleSummary._make((*summary[:-1], segments))  # as _replace, faster
        self.summaries.append(placed)
        return placed

    def _record(self, slug: str) -> ArticleRecord:
        fresh = self.fresh.get(slug)
        if fresh is not None:
            return fresh
        assert self.records is not None, f"no records for {slug}"
        return self.records(slug)

    def finish(self, search_parts: tuple[str, ...] = ()) -> None:
        """Write the site-wide files; ``search_parts``: the folders of the search index."""
        site = self.site
        self._claims.sink.write(exports.CLAIMS_JSON_TAIL)
        self._annotations.sink.write(exports.annotations_tail(self.annotation_count))
        totals = self._totals()
        searched = [urls.SEARCH] if site.search else []
        if site.search:
            self._render(
                urls.SEARCH,
                urls.SEARCH,
                _digest("search", search_parts, totals),
                lambda: {"parts": search_parts, "totals": totals},
            )
        listed = [*self._article_lists(), *searched, *self._fact_sheets()]
        listed += self._standalone_pages()
        listed.append(self._corrections())
        self._sitemap.sink.write(exports.sitemap_lines(site, listed) + exports.SITEMAP_TAIL)
        for concatenation in (self._claims, self._annotations, self._sitemap):
            concatenation.sink.close()
        self._file(
            urls.NOT_FOUND,  # GitHub Pages serves it at any depth, so its links are absolute
            _digest("404"),
            lambda: (
                environment(self.templates)
                .get_template("404.html")
                .render(site=site, root=site.base_url, path=urls.NOT_FOUND, nav_pages=self.pages)
            ),
        )
        self._feed()
        self._file("robots.txt", _digest("robots"), lambda: exports.robots_txt(site))
        self._file(".nojekyll", _digest("nojekyll"), lambda: "")
        static = self.templates / "static"
        for asset in sorted(static.rglob("*")):
            if asset.is_file():
                relative = urls.STATIC + asset.relative_to(static).as_posix()
                self._file(relative, _digest("static", relative), asset.read_bytes)

    def _file(self, relative: str, digest: bytes, make: Callable[[], str | bytes]) -> None:
        if self.out.needs(relative, digest):
            self.out.write(relative, make(), digest)

    def _render(
        self,
        template: str,
        path: str,
        digest: bytes,
        context: Callable[[], Mapping[str, object]],
    ) -> None:
        if self.out.needs(path, digest):
            page = SitePage(template, path, context())
            html = render_site_page(self.site, self.pages, self.templates, page)
            self.out.write(path, html, digest)

    def _article_lists(self) -> list[str]:
        """Write the index and the further pages of the article list, newest first; their paths.

        The index lists the newest ``index_articles`` articles, each further page as many.
        """
        ordered = sorted(self.summaries, key=_slug)
        ordered.sort(key=_retrieved, reverse=True)
        ordered.sort(key=_published, reverse=True)
        size = self.site.index_articles
        count = max(1, -(-len(ordered) // size))
        totals = self._totals()
        list_pages = [urls.article_list(n) for n in range(1, count + 1)]
        batch: list[tuple[SitePage, bytes]] = []
        for number, path in enumerate(list_pages, start=1):
            start = (number - 1) * size
            pager = Pager(
                number,
                count,
                len(ordered),
                start + 1,
                urls.article_list(number - 1) if number > 1 else None,
                urls.article_list(number + 1) if number < count else None,
            )
            chunk = ordered[start : start + size]
            digest = _digest("list", pager, totals, *(s.card_digest for s in chunk))
            if not self.out.needs(path, digest):
                continue
            context = {
                "articles": self._cards(chunk),
                "totals": totals,
                "pager": pager,
                "list_pages": list_pages,
            }
            template = "index.html" if number == 1 else "article_list.html"
            batch.append((SitePage(template, path, context), digest))
            if len(batch) >= PAGES_AT_ONCE:
                self._render_batch(batch)
                batch = []
        self._render_batch(batch)
        return list_pages

    def _cards(self, summaries: Sequence[ArticleSummary]) -> list[ArticleCard]:
        cards = []
        for summary in summaries:
            card = self._record(summary.slug).card
            assert card is not None
            cards.append(card)
        return cards

    def _totals(self) -> dict[str, int]:
        sums = [sum(column) for column in zip(*(s.counts for s in self.summaries), strict=True)]
        return dict(zip(VERDICTS, sums or [0, 0, 0], strict=True))

    def _feed(self) -> None:
        """The newest FEED_ENTRIES entries, newest first, of every article."""
        chosen = _newest_keys(self.summaries, exports.FEED_ENTRIES)
        involved = {slug: None for _, slug, _ in chosen}
        by_slug = {s.slug: s for s in self.summaries if s.slug in involved}
        digest = _digest("feed", *((slug, n, by_slug[slug].feed_digest) for _, slug, n in chosen))
        if not self.out.needs("feed.xml", digest):
            return
        entries: dict[tuple[str, int], FeedEntry] = {
            (e.article_slug, e.n): e for e in self.feed.newest_first()
        }
        for slug in involved:
            if slug not in self.rendered:
                assert self.feeds is not None, f"no feed entries for {slug}"
                for entry in self.feeds(slug):
                    entries[(entry.article_slug, entry.n)] = entry
        newest = [entries[(slug, n)] for _, slug, n in chosen]
        self.out.write("feed.xml", exports.atom_feed(self.site, newest), digest)

    def _fact_sheets(self) -> list[str]:
        """Write the fact sheet, whole and per verdict, page by page; return the paths.

        Which pages must be made again is known from the summaries alone. Their rows are then
        gathered in one pass over the articles, each article's records read once, and the
        pages are rendered a batch at a time, as they fill: memory holds a few pages' rows,
        not the whole fact sheet's.
        """
        totals = self._totals()
        paths: list[str] = []
        wanted: list[_Sheet] = []
        for verdict in (None, *VERDICTS):
            column = None if verdict is None else VERDICTS.index(verdict)
            counts = [
                (s, s.claim_count if column is None else s.counts[column]) for s in self.summaries
            ]
            total = sum(n for _, n in counts)
            count = max(1, -(-total // FACT_SHEET_PAGE))
            spans = _page_spans(counts, FACT_SHEET_PAGE, count)
            for number, span in enumerate(spans, start=1):
                path = urls.fact_sheet(verdict, number)
                paths.append(path)
                start = (number - 1) * FACT_SHEET_PAGE
                pager = Pager(
                    number,
                    count,
                    total,
                    start + 1,
                    urls.fact_sheet(verdict, number - 1) if number > 1 else None,
                    urls.fact_sheet(verdict, number + 1) if number < count else None,
                )
                digest = _digest(
                    "fact-sheet",
                    verdict,
                    pager,
                    totals,
                    b"".join(  # bytes, not the repr of a tuple per article: a page has many
                        b"%s\0%s\0%d\0%d\0" % (s.slug.encode(), s.rows_digest, first, last)
                        for s, first, last in span
                    ),
                )
                if self.out.needs(path, digest):
                    wanted.append(_Sheet(path, digest, verdict, pager, span))
        batch: list[tuple[SitePage, bytes]] = []
        for sheet in self._filled(wanted):
            rows, sheet.rows = sheet.rows, []  # the sheet stays listed; its rows, until rendered
            context: dict[str, object] = {
                "claims": rows,
                "totals": totals,
                "verdict": sheet.verdict,
                "pager": sheet.pager,
            }
            batch.append((SitePage("fact_sheet.html", sheet.path, context), sheet.digest))
            if len(batch) >= PAGES_AT_ONCE:
                self._render_batch(batch)
                batch = []
        self._render_batch(batch)
        return paths

    def _filled(self, sheets: list[_Sheet]) -> Iterator[_Sheet]:
        """The sheets, each with its rows, as soon as the pass over the articles fills it."""
        waiting: dict[str, list[tuple[_Sheet, int, int]]] = {}  # slug -> where its rows go
        last: dict[int, str] = {}  # a sheet (its index) -> the slug that completes it
        for index, sheet in enumerate(sheets):
            for summary, first, end in sheet.span:
                waiting.setdefault(summary.slug, []).append((sheet, first, end))
            if sheet.span:
                last[index] = sheet.span[-1][0].slug
            else:
                yield sheet  # a page of no claims
        done = {slug: [i for i, s in last.items() if s == slug] for slug in set(last.values())}
        for summary in self.summaries:
            places = waiting.get(summary.slug)
            if not places:
                continue
            rows = self._record(summary.slug).rows
            for sheet, first, end in places:
                mine = (
                    rows
                    if sheet.verdict is None
                    else [r for r in rows if r.verdict == sheet.verdict]
                )
                sheet.rows.extend(mine[first:end])
            for index in done.get(summary.slug, ()):
                yield sheets[index]

    def _render_batch(self, batch: list[tuple[SitePage, bytes]]) -> None:
        """Render and write pages: on the pool, when there is one and more than one page."""
        if self.render_elsewhere is not None and len(batch) > 1:
            self.render_elsewhere(batch)
            self.written_elsewhere += len(batch)
        else:
            for sheet, digest in batch:
                html = render_site_page(self.site, self.pages, self.templates, sheet)
                self.out.write(sheet.path, html, digest)

    def _corrections(self) -> str:
        """Write the corrections page and the feed of updates; return the page's path."""
        entries = corrections.newest_first(self.corrections)
        digest = _digest("corrections", entries)
        self._render(
            "corrections.html", corrections.CORRECTIONS_PAGE, digest, lambda: {"entries": entries}
        )
        self._file(
            corrections.UPDATES_FEED, digest, lambda: corrections.updates_feed(self.site, entries)
        )
        return corrections.CORRECTIONS_PAGE

    def _standalone_pages(self) -> list[str]:
        written = []
        for page in self.pages:
            path = urls.page(page.slug)
            self._render(
                "page.html",
                path,
                _digest("page", page.slug),
                lambda page=page: {"page": page, "body_html": render_block(page.body)},  # type: ignore[misc]
            )
            written.append(path)
        return written


def _slug(summary: ArticleSummary) -> str:
    return summary.slug


def _retrieved(summary: ArticleSummary) -> int:
    return summary.order[1]


def _published(summary: ArticleSummary) -> int:
    return summary.order[0]  # 0, before any day, when it is not known: such an article comes last


def _page_spans(
    counts: list[tuple[ArticleSummary, int]], size: int, pages: int
) -> list[list[tuple[ArticleSummary, int, int]]]:
    """For each page of ``size`` rows, the articles on it: each with the range of its rows."""
    spans: list[list[tuple[ArticleSummary, int, int]]] = [[] for _ in range(pages)]
    position = 0
    for summary, count in counts:
        first = 0
        while first < count:
            page = position // size
            take = min(count - first, size - position % size)
            spans[page].append((summary, first, first + take))
            first += take
            position += take
    return spans


def _newest_keys(summaries: list[ArticleSummary], limit: int) -> list[tuple[int, str, int]]:
    """The ``limit`` newest feed entries of all articles as (day, slug, n), newest first.

    Articles are taken newest entry first, until no article left can have an entry newer than
    the ``limit``-th found, so a site of many articles reads the entries of few.
    """
    best = sorted(
        ((max(s.feed_keys), s) for s in summaries if s.feed_keys),
        key=lambda item: (item[0][0], item[1].slug, item[0][1]),
        reverse=True,
    )
    found: list[tuple[int, str, int]] = []
    for (day, n), summary in best:
        if len(found) >= limit and (day, summary.slug, n) < found[0]:
            break
        for entry_day, entry_n in summary.feed_keys:
            item = (entry_day, summary.slug, entry_n)
            if len(found) < limit:
                heapq.heappush(found, item)
            elif item > found[0]:
                heapq.heapreplace(found, item)
    return sorted(found, reverse=True)


__all__ = ["ArticleCard", "ArticleParts", "SiteAssembler", "SitePage", "render_site_page"]
