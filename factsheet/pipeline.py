"""The build, stage by stage: load, validate, anchor, render, write.

The content folder is surveyed once (site config, pages, which articles exist); then each
article's job (load, validate, anchor, render, write its pages) runs on a pool of processes;
the site-wide outputs are assembled from the jobs' small results, in article order; and the
new site is swapped in whole. Any problem anywhere leaves the output folder untouched.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .article_cache import (
    BuildCache,
    DamagedCache,
    GenerationState,
    PendingSave,
    shared_inputs,
    signing_key,
    tidy,
)
from .article_job import JobSettings, run_and_write, run_job, write_pages
from .baseline import Baseline, LoadedClaims, read_baseline
from .build_stamp import (
    BuildInputs,
    BuildReport,
    OutputFingerprint,
    record_build,
    skip_if_unchanged,
)
from .generations import (
    GENERATIONS,
    GenerationOutput,
    Stat,
    generation_path,
    live_generation,
    write_in,
)
from .incremental import GenerationWriter, IntactCheck
from .load import ContentPlan, as_paths, plan_content
from .problems import ContentError, Problem
from .records import (
    ArticleOutcome,
    ArticleRecord,
    ArticleSummary,
    ClaimVersion,
    FeedEntry,
    SearchDoc,
    summarize,
)
from .search_index import Documents, GenerationSearch
from .site_pages import (
    CONCATENATED,
    ArticleParts,
    SiteAssembler,
    SitePage,
    render_site_page,
)
from .templating import DEFAULT_TEMPLATES, environment, template_errors

if TYPE_CHECKING:
    from multiprocessing.pool import Pool

PARALLEL_FROM = 24  # articles; fewer are done in this process, sooner than a pool starts

Pair = tuple[Path, Path | None]
# hears each rendered article's outcome and, when the content has no problem so far, its summary
# a build of at most this many changed articles (and kept ones) renders them before indexing
INDEX_FIRST = 8
OutcomeListener = Callable[[ArticleOutcome, ArticleSummary | None], None]

__all__ = ["BuildReport", "CheckReport", "build_planned", "build_site", "check_content"]


@dataclass(frozen=True)
class CheckReport:
    articles: int
    claims: int


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def check_content(
    content_dir: Path,
    *,
    base_url: str | None = None,
    jobs: int | None = None,
    baseline: Path | None = None,
) -> CheckReport:
    """Load, validate and anchor everything, and compare it with the published ``baseline``
    claims.json if given; raise ContentError listing every problem."""
    plan = plan_content(content_dir, base_url=base_url)
    published = read_baseline(baseline) if baseline is not None else None
    problems, claims = _check(plan, DEFAULT_TEMPLATES, jobs or default_jobs(), published)
    if problems:
        raise ContentError(problems)
    return CheckReport(len(plan.pairs), claims)


def _check(
    plan: ContentPlan, templates: Path, jobs: int, baseline: Baseline | None = None
) -> tuple[list[Problem], int]:
    """Every problem in the content, and the number of claims, without rendering."""
    settings = JobSettings(plan.root, plan.site, plan.pages, templates, staging=None)
    problems: list[Problem] = list(plan.problems)
    loaded = _Loaded(baseline)
    claims = 0
    for outcome in _outcomes(settings, plan.pairs, jobs):
        problems.extend(outcome.problems)
        claims += outcome.claim_count
        loaded.add(outcome)
    return problems + loaded.problems(plan), claims


class _Loaded:
    """Each article's claims as loaded, kept only when there is a baseline to compare with."""

    def __init__(self, baseline: Baseline | None) -> None:
        self.baseline = baseline
        self.claims: dict[str, LoadedClaims] = {}

    def add(self, outcome: ArticleOutcome) -> None:
        self.add_versions(outcome.slug, outcome.versions, outcome.versions_complete)

    def add_versions(self, slug: str, versions: tuple[ClaimVersion, ...], complete: bool) -> None:
        if self.baseline is not None:
            self.claims[slug] = (versions, complete)

    def problems(self, plan: ContentPlan) -> list[Problem]:
        """The silent changes and removals since the baseline (none without one)."""
        return [] if self.baseline is None else self.baseline.compare(plan, self.claims)


def build_site(
    content_dir: Path,
    out_dir: Path,
    *,
    base_url: str | None = None,
    templates: Path | None = None,
    jobs: int | None = None,
    baseline: Path | None = None,
    search: bool | None = None,
    inputs: BuildInputs | None = None,
) -> BuildReport:
    """Build the site into ``out_dir``; on any problem raise ContentError, leaving it untouched.

    With a ``baseline`` (a published claims.json), a silent change or a removed claim is a
    problem too. ``search`` overrides site.yaml's. When nothing changed since the last build
    into ``out_dir``, nothing is done; ``inputs`` are what the caller found when it asked
    (``skip_if_unchanged``), so that they are not read twice.
    """
    templates = templates or DEFAULT_TEMPLATES
    if inputs is None:
        inputs, unchanged = skip_if_unchanged(
            content_dir, out_dir, templates, base_url, baseline, search
        )
        if unchanged is not None:
            return unchanged
    cache = BuildCache(out_dir, signing_key(), inputs.content)
    cache.load()
    started = _check_target(out_dir, cache)  # beside the reading of the content
    try:
        plan = plan_content(content_dir, base_url=base_url)
        if search is not None and plan.site is not None:
            plan = replace(plan, site=replace(plan.site, search=search))
        published = read_baseline(baseline) if baseline is not None else None
        fingerprint = OutputFingerprint()
        report = build_planned(
            plan,
            out_dir,
            templates,
            jobs,
            reuse=True,
            baseline=published,
            fingerprint=fingerprint,
            cache=cache,
            started=started,
        )
    finally:
        if started is not None:
            started.close()
    record_build(out_dir, inputs, report, fingerprint)
    return report


def _check_target(out_dir: Path, cache: BuildCache) -> IntactCheck | None:
    """Start checking which pages of the generation the build will write are as the cache
    says (the one not served)."""
    out = Path(os.path.abspath(out_dir))
    name = GENERATIONS[1] if live_generation(out) == GENERATIONS[0] else GENERATIONS[0]
    state = cache.state(name)
    return None if state is None else IntactCheck(state, os.fspath(generation_path(out, name)))


def build_planned(
    plan: ContentPlan,
    out_dir: Path,
    templates: Path,
    jobs: int | None = None,
    on_outcome: OutcomeListener | None = None,
    reuse: bool = False,
    baseline: Baseline | None = None,
    fingerprint: OutputFingerprint | None = None,
    cache: BuildCache | None = None,
    started: IntactCheck | None = None,
) -> BuildReport:
    """Build the surveyed content into ``out_dir``, swapped in whole; ContentError on problems.

    ``on_outcome`` is handed each rendered article's outcome and summary, in article order (a
    live preview keeps them, to update the site later article by article). With ``reuse``,
    what the last builds made that is still right is kept (see ``article_cache``). With a
    ``baseline``, the content is compared with it as well. ``fingerprint`` is given every
    file of the new site, with its size and modification time.
    """
    jobs = jobs or default_jobs()
    environment.cache_clear()  # the templates as they are now, not as an earlier build found them
    unusable_baseline = baseline is not None and bool(baseline.problems)
    if plan.site is None or plan.problems or unusable_baseline:  # report all; write nothing
        raise ContentError(_check(plan, templates, jobs, baseline)[0])
    shared = shared_inputs(plan.site, plan.pages, os.getcwd(), templates=templates)
    if cache is None:
        cache = BuildCache(out_dir, signing_key() if reuse else None)
        cache.load()
    cache.share(shared)

    def once(started: IntactCheck | None) -> BuildReport:
        return _build_once(
            plan, templates, out_dir, cache, shared, jobs, reuse, baseline, on_outcome,
            fingerprint, started,
        )  # fmt: skip

    try:
        try:
            return once(started)
        except DamagedCache:  # a kept record is not as the cache says: build from nothing
            cache.close()
            cache.forget_last_build()
            cache.old.states.clear()
            return once(None)
    finally:
        cache.close()


def _build_once(
    plan: ContentPlan,
    templates: Path,
    out_dir: Path,
    cache: BuildCache,
    shared: str,
    jobs: int,
    reuse: bool,
    baseline: Baseline | None,
    on_outcome: OutcomeListener | None,
    fingerprint: OutputFingerprint | None,
    started: IntactCheck | None = None,
) -> BuildReport:
    with template_errors(), GenerationOutput(out_dir, fresh=not reuse) as out:
        build = _Build(plan, templates, out, cache, shared, jobs, _Loaded(baseline), started)
        report = build.run(on_outcome)
        out.commit()
        assert build.saving is not None
        build.saving.save(out.name, build.state, build.writer.mirror_state())
        if fingerprint is not None:
            fingerprint.merge(build.writer.fingerprint)
    return report


class _Build:
    """One build into the target generation of the output."""

    def __init__(
        self,
        plan: ContentPlan,
        templates: Path,
        out: GenerationOutput,
        cache: BuildCache,
        shared: str,
        jobs: int,
        loaded: _Loaded,
        started: IntactCheck | None = None,
    ) -> None:
        assert plan.site is not None
        self.plan, self.templates, self.out, self.cache, self.jobs = (
            plan,
            templates,
            out,
            cache,
            jobs,
        )
        self.loaded = loaded
        if cache.old.live != out.live or not _exports_intact(cache, out):
            cache.forget_last_build()  # its summaries describe another site than the one served
        target = cache.state(out.name)
        self.tidied: set[str] = set()
        mirror = None
        if target is None:
            out.empty_target()
            if cache.signing_key is not None:
                mirror = out.prepare_mirror()
        self.mirror = mirror
        mirror_root = os.fspath(mirror) if mirror is not None else None
        self.writer = GenerationWriter(out, target, cache.state(out.live), shared, mirror_root)
        self.writer.check_target(started)
        self.target = target
        self.settings = JobSettings(
            plan.root, plan.site, plan.pages, templates, out.target, mirror=mirror
        )
        self.summaries: dict[str, ArticleSummary] = {}
        self.records = cache.record_writer(out.name)
        self.saving: PendingSave | None = None  # the cache file, but for the states
        self.state = GenerationState()

    def run(self, on_outcome: OutcomeListener | None) -> BuildReport:
        plan, cache, writer = self.plan, self.cache, self.writer
        assert plan.site is not None
        keys = [cache.key(*files) for files in plan.files]
        slugs = plan.slugs
        known = [cache.summary(slug, key) for slug, key in zip(slugs, keys, strict=True)]
        search = GenerationSearch(writer)
        early: dict[int, ArticleOutcome] = {}
        changed = [number for number, summary in enumerate(known) if summary is None]
        problems: list[Problem] = []
        claims = 0
        try:
            pages: dict[int, dict[str, str]] = {}
            if plan.site.search and len(changed) <= min(INDEX_FIRST, len(slugs) - 1):
                # a few changed articles: render them first, and hand the parts they are in
                # all their documents, so that those parts are indexed beside the rest of the
                # build, from before the target is tidied and the answer of which kept pages
                # are intact comes (on a large site each takes a tenth of a second)
                for number in changed:
                    early[number], pages[number] = run_job(
                        self.settings, *as_paths(plan.files[number])
                    )
                search.start(slugs, keys, self._documents(known, early))
            if self.target is not None:  # before anything is written into it
                self.tidied = tidy(os.fspath(self.out.target), self.target)
            if search.started:
                search.keep()  # the parts a generation holds: kept, or linked from the other
            for number, files in pages.items():
                early[number] = write_pages(self.settings, early[number], files)
            kept: list[ArticleSummary | None] = []
            for slug, key, summary in zip(slugs, keys, known, strict=True):
                if summary is not None and not (
                    writer.kept_in_place(slug, key) or writer.linked_from_live(slug, key)
                ):
                    summary = None
                kept.append(summary)
            todo = tuple(
                as_paths(files)
                for number, (files, summary) in enumerate(zip(plan.files, kept, strict=True))
                if summary is None and number not in early
            )
            with _Workers(self.settings, self.jobs, len(todo)) as workers:
                rendered = workers.outcomes(todo)
                if plan.site.search and not search.started:
                    search.start(slugs, keys)
                assembler = SiteAssembler(
                    plan.site,
                    plan.pages,
                    self.templates,
                    writer,
                    records=self._record,
                    feeds=self._feed,
                    render_elsewhere=workers.render_pages,
                    keep_fresh=not self.records.writing,  # else read back from the records file
                )
                for number, (key, summary) in enumerate(zip(keys, kept, strict=True)):
                    if summary is not None:
                        parts = ArticleParts(summary.segments)  # type: ignore[arg-type]  # three
                        self.records.keep(summary.slug)
                        for part in ("feed", "versions", "search"):
                            self.records.keep(_part_of(summary.slug, part))
                        search.add(summary.slug, summary.search_digest, self._docs(summary.slug))
                        if self.loaded.baseline is not None:
                            versions = self.records.read(_part_of(summary.slug, "versions"))
                            self.loaded.add_versions(summary.slug, versions, True)
                        placed = assembler.add(summary, parts)
                    else:
                        outcome = early.pop(number) if number in early else next(rendered)
                        problems.extend(outcome.problems)
                        self.loaded.add(outcome)
                        if problems:
                            if on_outcome is not None:
                                on_outcome(outcome, None)
                            continue
                        placed = self._rendered(assembler, outcome, key)
                        if on_outcome is not None:
                            on_outcome(outcome, placed)
                        search.add(
                            outcome.slug,
                            outcome.search_digest,
                            functools.partial(_docs_of, outcome),
                        )
                    self.summaries[placed.slug] = placed
                    claims += placed.claim_count
                problems.extend(self.loaded.problems(plan))
                if problems:
                    raise ContentError(problems)
                assembler.finish(search.folders())  # while the parts are being indexed
                writer.remove_parts_not_kept()
                for path, digest, stat in workers.written:
                    writer.wrote(path, digest, stat)
                # what is left but the parts being indexed: done while they are
                writer.settle(self.tidied)
                self.saving = cache.prepare_save(self.summaries, self.records)
                search.finish()
        except BaseException:
            search.discard()
            self.records.abandon()
            raise
        self.state = writer.finish(self.tidied)
        cost = search.cost
        return BuildReport(
            len(plan.files),
            claims,
            writer.count,
            kept=sum(summary is not None for summary in kept),
            search=(cost.parts, cost.indexed, cost.cpu_seconds, cost.peak_rss_mib),
        )

    def _rendered(
        self, assembler: SiteAssembler, outcome: ArticleOutcome, key: str
    ) -> ArticleSummary:
        assert self.plan.site is not None
        self.writer.wrote_article(outcome.slug, key, outcome.files, outcome.stats)
        record = ArticleRecord(outcome.card, outcome.rows, outcome.feed, outcome.versions)
        slug = outcome.slug
        self.records.add(slug, ArticleRecord(outcome.card, outcome.rows))  # read most often
        self.records.add(_part_of(slug, "feed"), outcome.feed)
        if not self.records.scratch:  # read by the next build only
            self.records.add(_part_of(slug, "versions"), outcome.versions)
            self.records.add(_part_of(slug, "search"), outcome.search)
        parts = ArticleParts.of(
            self.plan.site, outcome.claims_record, outcome.annotations, outcome.files
        )
        return assembler.add(summarize(outcome, key), parts, record)

    def _documents(
        self, known: list[ArticleSummary | None], rendered: dict[int, ArticleOutcome]
    ) -> Documents:
        """Each article's search documents and their digest, by its number: a rendered one's
        from its outcome, the others' from the build cache (an article made from the same
        inputs has the same documents, whether its pages are intact or not)."""

        def documents(number: int) -> tuple[tuple[SearchDoc, ...], str]:
            outcome = rendered.get(number)
            if outcome is not None:
                return outcome.search, outcome.search_digest
            summary = known[number]
            assert summary is not None
            return self._docs(summary.slug)(), summary.search_digest

        return documents

    def _docs(self, slug: str) -> Callable[[], tuple[SearchDoc, ...]]:
        def docs() -> tuple[SearchDoc, ...]:
            found: tuple[SearchDoc, ...] = self.cache.record(_part_of(slug, "search"))
            return found

        return docs

    def _record(self, slug: str) -> ArticleRecord:
        """An article's card and fact-sheet rows, as this build wrote or carried them over."""
        record: ArticleRecord = self.records.read(slug)
        return record

    def _feed(self, slug: str) -> tuple[FeedEntry, ...]:
        entries: tuple[FeedEntry, ...] = self.records.read(_part_of(slug, "feed"))
        return entries


def _docs_of(outcome: ArticleOutcome) -> tuple[SearchDoc, ...]:
    return outcome.search


def _part_of(slug: str, part: str) -> str:
    """The name of one part of an article's records in the build cache (its feed entries, its
    claims' versions, its search documents); the card and rows go by the slug alone."""
    return f"{slug}\0{part}"


def _exports_intact(cache: BuildCache, out: GenerationOutput) -> bool:
    """Whether the served site's concatenated files are as the last build wrote them (the
    parts of kept articles are copied from them)."""
    live = cache.state(out.live)
    root = out.live_path
    if live is None or root is None:
        return False
    for relative in CONCATENATED:
        known = live.files.get(relative)
        if known is None or not live.file_intact(os.fspath(root), relative, known[0]):
            return False
    return True


def _outcomes(
    settings: JobSettings, pairs: tuple[Pair, ...], jobs: int
) -> Iterator[ArticleOutcome]:
    """Each article's outcome, in article order, from this process or from a pool."""
    with _Workers(settings, jobs, len(pairs)) as workers:
        yield from workers.outcomes(pairs)


class _Workers:
    """The processes a build renders on: a pool, or this process alone for a small site."""

    def __init__(self, settings: JobSettings, jobs: int, articles: int) -> None:
        self.settings = settings
        self.written: list[tuple[str, bytes, Stat]] = []  # site-wide pages: path, digest, stat
        self.pool: Pool | None = None
        self.chunk = max(1, min(16, articles // (jobs * 8)))
        # articles handed to the pool and not yet taken back: the pool would otherwise keep
        # every outcome the processes finish before this one takes it (memory grows with N)
        self.window = threading.Semaphore(jobs * self.chunk * 4)
        self.jobs = jobs
        if jobs > 1 and articles >= PARALLEL_FROM:
            import multiprocessing  # a small site, or an edit, renders here alone

            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            self.pool = context.Pool(jobs, initializer=_start_worker, initargs=(settings,))

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            for _ in range(self.jobs * self.chunk * 4 + 1):  # let the feeding thread finish
                self.window.release()
            self.pool.terminate()
            self.pool.join()

    def outcomes(self, pairs: tuple[Pair, ...]) -> Iterator[ArticleOutcome]:
        """Each article's outcome, in article order."""
        if self.pool is None:
            for article, annotations in pairs:
                yield run_and_write(self.settings, article, annotations)
        else:

            def fed() -> Iterator[Pair]:
                for pair in pairs:
                    self.window.acquire()
                    yield pair

            for outcome in self.pool.imap(_work, fed(), chunksize=self.chunk):
                self.window.release()
                yield outcome

    def render_pages(self, pages: list[tuple[SitePage, bytes]]) -> None:
        """Render and write site-wide pages (in any order: each is its own file)."""
        if self.pool is None:
            done = map(_write_site_page, [self.settings] * len(pages), pages)
            self.written.extend(done)
        else:
            self.written.extend(self.pool.imap_unordered(_render_page, pages))


_worker_settings: JobSettings | None = None


def _start_worker(settings: JobSettings) -> None:
    global _worker_settings
    _worker_settings = settings


def _work(pair: Pair) -> ArticleOutcome:
    assert _worker_settings is not None
    with template_errors():  # Jinja's own errors may not survive the trip back
        return run_and_write(_worker_settings, *pair)


def _render_page(page: tuple[SitePage, bytes]) -> tuple[str, bytes, Stat]:
    assert _worker_settings is not None
    with template_errors():
        return _write_site_page(_worker_settings, page)


def _write_site_page(
    settings: JobSettings, item: tuple[SitePage, bytes]
) -> tuple[str, bytes, Stat]:
    assert settings.site is not None and settings.staging is not None
    page, digest = item
    html = render_site_page(settings.site, settings.pages, settings.templates, page)
    mirror = os.fspath(settings.mirror) if settings.mirror is not None else None
    stat = write_in(os.fspath(settings.staging), page.path, html.encode("utf-8"), mirror)
    return page.path, digest, stat
