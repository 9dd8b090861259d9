"""The build, stage by stage: load, validate, anchor, render, write.

The content folder is surveyed once (site config, pages, which articles exist); then each
article's job (load, validate, anchor, render, write its pages) runs on a pool of processes;
the site-wide outputs are assembled from the jobs' small results, in article order; and the
new site is swapped in whole. Any problem anywhere leaves the output folder untouched.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.pool import Pool
from pathlib import Path

from .article_cache import ArticleCache, shared_inputs, signing_key
from .article_job import JobSettings, run_and_write
from .baseline import Baseline, LoadedClaims, read_baseline
from .build_stamp import BuildReport, record_build, skip_if_unchanged
from .load import ContentPlan, plan_content
from .problems import ContentError, Problem
from .records import ArticleOutcome
from .search_index import SearchCost, StagedSearch
from .site_pages import SiteAssembler, SitePage, render_site_page
from .templating import DEFAULT_TEMPLATES, template_errors
from .write import StagedOutput, write_file

PARALLEL_FROM = 24  # articles; fewer are done in this process, sooner than a pool starts

Pair = tuple[Path, Path | None]

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
        if self.baseline is not None:
            self.claims[outcome.slug] = (outcome.versions, outcome.versions_complete)

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
) -> BuildReport:
    """Build the site into ``out_dir``; on any problem raise ContentError, leaving it untouched.

    With a ``baseline`` (a published claims.json), a silent change or a removed claim is a
    problem too. When nothing changed since the last build into ``out_dir``, nothing is done.
    """
    templates = templates or DEFAULT_TEMPLATES
    inputs, unchanged = skip_if_unchanged(content_dir, out_dir, templates, base_url, baseline)
    if unchanged is not None:
        return unchanged
    plan = plan_content(content_dir, base_url=base_url)
    published = read_baseline(baseline) if baseline is not None else None
    report = build_planned(plan, out_dir, templates, jobs, reuse=True, baseline=published)
    record_build(out_dir, inputs, report)
    return report


def build_planned(
    plan: ContentPlan,
    out_dir: Path,
    templates: Path,
    jobs: int | None = None,
    on_outcome: Callable[[ArticleOutcome], None] | None = None,
    reuse: bool = False,
    baseline: Baseline | None = None,
) -> BuildReport:
    """Build the surveyed content into ``out_dir``, swapped in whole; ContentError on problems.

    ``on_outcome`` is handed each article's outcome, in article order (a live preview keeps
    them, to update the site later article by article). With ``reuse``, articles whose
    inputs are those of the last build keep their pages (see ``article_cache``). With a
    ``baseline``, the content is compared with it as well.
    """
    jobs = jobs or default_jobs()
    unusable_baseline = baseline is not None and bool(baseline.problems)
    if plan.site is None or plan.problems or unusable_baseline:  # report all; write nothing
        raise ContentError(_check(plan, templates, jobs, baseline)[0])
    with template_errors(), StagedOutput(out_dir) as out:
        settings = JobSettings(plan.root, plan.site, plan.pages, templates, out.staging)
        cache = _article_cache(plan, out_dir, templates) if reuse else None
        search = StagedSearch(out.staging, out.out)
        try:
            report = _assemble(
                plan, settings, out, jobs, cache, on_outcome, _Loaded(baseline), search
            )
            out.commit()
        except BaseException:
            if cache is not None:
                cache.discard()
            search.discard()
            raise
        if cache is not None:
            cache.save()
        search.save()
    return report


def _assemble(
    plan: ContentPlan,
    settings: JobSettings,
    out: StagedOutput,
    jobs: int,
    cache: ArticleCache | None,
    on_outcome: Callable[[ArticleOutcome], None] | None,
    loaded: _Loaded,
    search: StagedSearch,
) -> BuildReport:
    """Every article's pages (rendered, or kept from the last build), then the site-wide ones."""
    assert plan.site is not None
    with _Workers(settings, jobs, len(plan.pairs)) as workers:
        if cache is not None:
            cache.load()  # once the pool has started: its processes need none of it
        keys, kept = _reusable(cache, plan.pairs)
        slugs = [article.stem for article, _ in plan.pairs]
        search.start(slugs, None if cache is None else dict(zip(slugs, keys, strict=True)))
        todo = tuple(pair for pair, keep in zip(plan.pairs, kept, strict=True) if not keep)
        assembler = SiteAssembler(
            plan.site,
            plan.pages,
            settings.templates,
            out,
            render_elsewhere=workers.render_pages,
            search=search,
        )
        rendered = workers.outcomes(todo)
        problems: list[Problem] = []
        files = claims = 0
        for (article, _), key, keep in zip(plan.pairs, keys, kept, strict=True):
            if cache is not None and keep:
                outcome = cache.reuse(article.stem, out.staging)
            else:
                outcome = next(rendered)
                if cache is not None and not outcome.problems:
                    cache.record(key, outcome, out.staging)
            problems.extend(outcome.problems)
            loaded.add(outcome)
            if on_outcome is not None:
                on_outcome(outcome)
            if not problems:
                assembler.add(outcome)
                files += len(outcome.files)
                claims += len(outcome.rows)
        problems.extend(loaded.problems(plan))
        if problems:
            raise ContentError(problems)
        assembler.finish()
    written = files + out.count + assembler.written_elsewhere
    reused = len(plan.pairs) - len(todo)
    return BuildReport(len(plan.pairs), claims, written, kept=reused, search=_cost(search.cost))


def _cost(cost: SearchCost) -> tuple[int, int, float, float]:
    return cost.parts, cost.indexed, cost.cpu_seconds, cost.peak_rss_mib


def _reusable(cache: ArticleCache | None, pairs: tuple[Pair, ...]) -> tuple[list[str], list[bool]]:
    """Each article's cache key, and whether its pages from the last build can be kept."""
    if cache is None:
        return [""] * len(pairs), [False] * len(pairs)
    keys = [cache.key(*pair) for pair in pairs]
    kept = [cache.reusable(pair[0].stem, key) for pair, key in zip(pairs, keys, strict=True)]
    return keys, kept


def _article_cache(plan: ContentPlan, out_dir: Path, templates: Path) -> ArticleCache:
    return ArticleCache(
        out_dir, shared_inputs(plan.site, plan.pages, templates=templates), signing_key()
    )


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
        self.pool: Pool | None = None
        self.chunk = max(1, min(16, articles // (jobs * 8)))
        if jobs > 1 and articles >= PARALLEL_FROM:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            self.pool = context.Pool(jobs, initializer=_start_worker, initargs=(settings,))

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()

    def outcomes(self, pairs: tuple[Pair, ...]) -> Iterator[ArticleOutcome]:
        """Each article's outcome, in article order."""
        if self.pool is None:
            for article, annotations in pairs:
                yield run_and_write(self.settings, article, annotations)
        else:
            yield from self.pool.imap(_work, pairs, chunksize=self.chunk)

    def render_pages(self, pages: list[SitePage]) -> None:
        """Render and write site-wide pages (in any order: each is its own file)."""
        if self.pool is None:
            for page in pages:
                _write_site_page(self.settings, page)
        else:
            for _ in self.pool.imap_unordered(_render_page, pages):
                pass


_worker_settings: JobSettings | None = None


def _start_worker(settings: JobSettings) -> None:
    global _worker_settings
    _worker_settings = settings


def _work(pair: Pair) -> ArticleOutcome:
    assert _worker_settings is not None
    with template_errors():  # Jinja's own errors may not survive the trip back
        return run_and_write(_worker_settings, *pair)


def _render_page(page: SitePage) -> None:
    assert _worker_settings is not None
    with template_errors():
        _write_site_page(_worker_settings, page)


def _write_site_page(settings: JobSettings, page: SitePage) -> None:
    assert settings.site is not None and settings.staging is not None
    html = render_site_page(settings.site, settings.pages, settings.templates, page)
    write_file(settings.staging, page.path, html)
