"""A live preview's site: built whole once, then updated in place, article by article.

After a save, only the articles whose files changed are loaded, checked and rendered again,
and their pages are replaced in the served folder at once (``Update.changed`` says which);
then the site-wide pages (index, fact sheet, exports) are assembled again from every
article's kept outcome, rendering only the pages whose inputs changed and rewriting only
the files whose bytes changed. A change to anything else (site.yaml, the pages, the
templates, an article added or removed) rebuilds the whole site, swapped in as ``build``
does. While the content has problems nothing is written: the last good site stays.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from .article_job import JobSettings, run_job
from .load import ContentPlan, plan_content
from .pipeline import build_planned
from .problems import ContentError, Problem
from .records import ArticleOutcome, ArticleRecord, ArticleSummary, packed, summarize, unpacked
from .search_index import InPlaceSearch
from .site_pages import ArticleParts, SiteAssembler
from .templating import template_errors
from .write import InPlaceOutput

CONTENT_FOLDERS = {"articles": (".md",), "annotations": (".yaml", ".yml"), "pages": (".md",)}


@dataclass(frozen=True)
class Update:
    """What one update wrote; ``changed`` is None when the whole site was rebuilt."""

    articles: int
    claims: int
    changed: list[str] | None
    seconds: float


class _Spill:
    """Bytes kept in an unnamed temporary file instead of in memory, read back by their place.

    Space is not reused: a save adds only the changed articles' bytes, and a rebuild of the
    whole site starts a new file.
    """

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self.end = 0

    def put(self, data: bytes) -> tuple[int, int]:
        """Keep ``data``; return its place (offset, length)."""
        place = (self.end, len(data))
        view = memoryview(data)
        while view:  # a write may take less than it is given
            self.end += (written := os.pwrite(self.file.fileno(), view, self.end))
            view = view[written:]
        return place

    def get(self, place: tuple[int, int]) -> bytes:
        offset, length = place
        data = os.pread(self.file.fileno(), length, offset)
        if len(data) != length:
            raise OSError(f"the preview's records file ends at {offset + len(data)}")
        return data

    def close(self) -> None:
        self.file.close()


@dataclass(frozen=True)
class _Kept:
    """An article's outcome as the preview keeps it: what every update asks of it in memory,
    the rest compressed in the preview's ``_Spill``.

    The card, the fact-sheet rows, the claims.json entry, the Web Annotations, the feed
    entries and the search documents (tens of kilobytes an article) are only read when the
    site-wide files are assembled again, an article at a time.
    """

    slug: str
    problems: tuple[Problem, ...]
    claim_count: int  # its claims with a page (its rows)
    files: tuple[str, ...]  # the pages it wrote
    search_digest: str
    summary: ArticleSummary | None  # None when the article has problems
    place: tuple[int, int]  # of the rest of its outcome in the spill file
    record: tuple[int, int]  # of its card and fact-sheet rows, read alone by the fact sheet

    @classmethod
    def of(
        cls, outcome: ArticleOutcome, spill: _Spill, summary: ArticleSummary | None = None
    ) -> _Kept:
        """Keep ``outcome``, with its ``summary`` when the build made one already."""
        if summary is None and outcome.card is not None:
            summary = summarize(outcome, "")
        # what a preview never needs again (it has no baseline, and no cache of the pages) goes
        rest = replace(outcome, versions=(), stats=b"")
        return cls(
            outcome.slug,
            outcome.problems,
            len(outcome.rows),
            outcome.files,
            outcome.search_digest,
            summary,
            spill.put(packed(rest)),
            spill.put(packed(ArticleRecord(outcome.card, outcome.rows))),
        )

    def unpacked(self, spill: _Spill) -> ArticleOutcome:
        outcome: ArticleOutcome = unpacked(spill.get(self.place))
        return outcome

    def read_record(self, spill: _Spill) -> ArticleRecord:
        record: ArticleRecord = unpacked(spill.get(self.record))
        return record


class PreviewSite:
    """The served folder and what is needed to update it: each article's last outcome."""

    def __init__(
        self, content: Path, out: Path, templates: Path, base_url: str, jobs: int | None = None
    ) -> None:
        self.content = Path(os.path.abspath(content))
        self.out = Path(os.path.abspath(out))
        self.templates = Path(os.path.abspath(templates))
        self.base_url = base_url
        self.jobs = jobs
        self.plan: ContentPlan | None = None  # None: the next update rebuilds everything
        self.kept: list[_Kept] = []
        self.spill = _Spill()  # most of each kept outcome
        self.index: dict[str, int] = {}  # an article's or annotation file's path -> its pair
        self.pending: dict[int, dict[str, str]] = {}  # rendered, not written (content had problems)
        self.on_disk: list[tuple[str, ...]] = []  # each article's pages in the served folder
        self.digests: dict[str, bytes] = {}  # what the served folder holds
        self.memo: dict[str, bytes] = {}  # what each site-wide page was last made from
        self.site_files: set[str] = set()  # the site-wide files last written

    # --- what a change touches ---------------------------------------------------------------

    def affects_site(self, path: str) -> bool:
        """Whether a change to ``path`` can change the site (editors' swap files cannot)."""
        absolute = Path(os.path.abspath(path))
        for root in (self.templates, self.content):
            if absolute.is_relative_to(root):
                parts = absolute.relative_to(root).parts
                if any(part.startswith(".") for part in parts):
                    return False
                if root == self.templates:
                    return True
                if parts == ("site.yaml",):
                    return True
                if len(parts) == 2 and parts[0] in CONTENT_FOLDERS:
                    return absolute.suffix in CONTENT_FOLDERS[parts[0]]
                return False
        return False

    def _articles_changed(self, paths: Iterable[str]) -> set[int] | None:
        """The articles whose files alone changed; None when anything else changed too."""
        if self.plan is None:
            return None
        touched = set()
        for path in paths:
            absolute = os.path.abspath(path)
            pair = self.index.get(absolute)
            if pair is None or not os.path.isfile(absolute):
                return None  # a file added, removed, or outside articles and annotations
            touched.add(pair)
        return touched

    # --- updates -------------------------------------------------------------------------------

    def update(
        self,
        changed_paths: Iterable[str] | None = None,
        on_pages: Callable[[Update], None] = lambda update: None,
    ) -> Update:
        """Bring the served folder up to date; raise ContentError, writing nothing, on problems.

        ``on_pages`` hears as soon as the changed articles' pages are in place, before the
        site-wide pages are assembled again.
        """
        started = time.perf_counter()
        touched = None if changed_paths is None else self._articles_changed(changed_paths)
        if touched is None:
            return self._rebuild(started)
        with template_errors():
            changed = self._render_articles(touched)
            on_pages(self._report(changed, started))
            changed = changed + self._assemble()
        return self._report(changed, started)

    def _report(self, changed: list[str] | None, started: float) -> Update:
        claims = sum(kept.claim_count for kept in self.kept)
        return Update(len(self.kept), claims, changed, time.perf_counter() - started)

    def _rebuild(self, started: float) -> Update:
        self.plan = None
        plan = plan_content(self.content, base_url=self.base_url)
        kept: list[_Kept] = []
        spill = _Spill()

        def keep(outcome: ArticleOutcome, summary: ArticleSummary | None) -> None:
            kept.append(_Kept.of(outcome, spill, summary))

        try:
            build_planned(plan, self.out, self.templates, self.jobs, on_outcome=keep)
        except BaseException:
            spill.close()
            raise
        self.spill.close()
        self.spill = spill
        self.plan, self.kept, self.pending = plan, kept, {}
        self.on_disk = [k.files for k in kept]
        self.index = {}
        for number, pair in enumerate(plan.pairs):
            for path in pair:
                if path is not None:
                    self.index[os.path.abspath(path)] = number
        self.digests, self.memo, self.site_files = {}, {}, set()
        with template_errors():
            self._assemble()  # remembers what the site-wide files are and were made of
        return self._report(None, started)

    def _render_articles(self, touched: set[int]) -> list[str]:
        """Render the touched articles again; write their pages if the content has no problem."""
        assert self.plan is not None and self.plan.site is not None
        plan = self.plan
        settings = JobSettings(plan.root, plan.site, plan.pages, self.templates, self.out)
        for number in sorted(touched):
            outcome, pages = run_job(settings, *plan.pairs[number])
            self.kept[number] = _Kept.of(outcome, self.spill)
            self.pending.pop(number, None)
            if not outcome.problems:
                self.pending[number] = pages
        problems = [problem for kept in self.kept for problem in kept.problems]
        if problems:
            raise ContentError(problems)
        out = InPlaceOutput(self.out, self.digests)
        for number, pages in sorted(self.pending.items()):
            for relative, html in pages.items():
                out.write(relative, html)
            for relative in sorted(set(self.on_disk[number]) - set(pages)):
                out.remove(relative)  # e.g. the page of a claim since removed
            self.on_disk[number] = tuple(pages)
        self.pending = {}
        return out.changed

    def _assemble(self) -> list[str]:
        """Write the site-wide pages and files again where they changed; return what did."""
        assert self.plan is not None and self.plan.site is not None
        site = self.plan.site
        out = InPlaceOutput(self.out, self.digests, self.memo)
        by_slug = {kept.slug: kept for kept in self.kept}

        def record(slug: str) -> ArticleRecord:
            return by_slug[slug].read_record(self.spill)

        # the fact sheet reads each article's rows back when it needs them, not all at once
        assembler = SiteAssembler(
            site, self.plan.pages, self.templates, out, records=record, keep_fresh=False
        )
        members = [(k.slug, k.search_digest) for k in self.kept]
        members = members if site.search else []
        search = InPlaceSearch(self.out, members)  # indexes again the parts that changed
        for kept in self.kept:
            if kept.summary is None:
                continue
            outcome = kept.unpacked(self.spill)
            if site.search:
                search.add(outcome)
            parts = ArticleParts.of(site, outcome.claims_record, outcome.annotations, outcome.files)
            assembler.add(
                kept.summary, parts, ArticleRecord(outcome.card, outcome.rows, outcome.feed)
            )
        assembler.finish(search.finish())
        for relative in sorted(self.site_files - out.written):
            out.remove(relative)
        self.site_files = out.written
        return out.changed + search.remove_stale()
