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
from pathlib import Path

from .article_job import JobSettings, run_and_write
from .build_stamp import BuildReport, record_build, skip_if_unchanged
from .load import ContentPlan, plan_content
from .problems import ContentError, Problem
from .records import ArticleOutcome
from .site_pages import SiteAssembler
from .templating import DEFAULT_TEMPLATES, template_errors
from .write import StagedOutput

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
    content_dir: Path, *, base_url: str | None = None, jobs: int | None = None
) -> CheckReport:
    """Load, validate and anchor everything; raise ContentError listing every problem."""
    plan = plan_content(content_dir, base_url=base_url)
    problems, claims = _check(plan, DEFAULT_TEMPLATES, jobs or default_jobs())
    if problems:
        raise ContentError(problems)
    return CheckReport(len(plan.pairs), claims)


def _check(plan: ContentPlan, templates: Path, jobs: int) -> tuple[list[Problem], int]:
    """Every problem in the content, and the number of claims, without rendering."""
    settings = JobSettings(plan.root, plan.site, plan.pages, templates, staging=None)
    problems: list[Problem] = list(plan.problems)
    claims = 0
    for outcome in _outcomes(settings, plan.pairs, jobs):
        problems.extend(outcome.problems)
        claims += outcome.claim_count
    return problems, claims


def build_site(
    content_dir: Path,
    out_dir: Path,
    *,
    base_url: str | None = None,
    templates: Path | None = None,
    jobs: int | None = None,
) -> BuildReport:
    """Build the site into ``out_dir``; on any problem raise ContentError, leaving it untouched.

    When nothing changed since the last build into ``out_dir``, nothing is done.
    """
    templates = templates or DEFAULT_TEMPLATES
    inputs, unchanged = skip_if_unchanged(content_dir, out_dir, templates, base_url)
    if unchanged is not None:
        return unchanged
    plan = plan_content(content_dir, base_url=base_url)
    report = build_planned(plan, out_dir, templates, jobs)
    record_build(out_dir, inputs, report)
    return report


def build_planned(
    plan: ContentPlan,
    out_dir: Path,
    templates: Path,
    jobs: int | None = None,
    on_outcome: Callable[[ArticleOutcome], None] | None = None,
) -> BuildReport:
    """Build the surveyed content into ``out_dir``, swapped in whole; ContentError on problems.

    ``on_outcome`` is handed each article's outcome, in article order (a live preview keeps
    them, to update the site later article by article).
    """
    jobs = jobs or default_jobs()
    if plan.site is None or plan.problems:  # report every problem; write nothing
        raise ContentError(_check(plan, templates, jobs)[0])
    with template_errors(), StagedOutput(out_dir) as out:
        settings = JobSettings(plan.root, plan.site, plan.pages, templates, out.staging)
        assembler = SiteAssembler(plan.site, plan.pages, templates, out)
        problems: list[Problem] = []
        files = claims = 0
        for outcome in _outcomes(settings, plan.pairs, jobs):
            problems.extend(outcome.problems)
            if on_outcome is not None:
                on_outcome(outcome)
            if not problems:
                assembler.add(outcome)
                files += len(outcome.files)
                claims += len(outcome.rows)
        if problems:
            raise ContentError(problems)
        assembler.finish()
        out.commit()
    return BuildReport(len(plan.pairs), claims, files + out.count)


def _outcomes(
    settings: JobSettings, pairs: tuple[Pair, ...], jobs: int
) -> Iterator[ArticleOutcome]:
    """Each article's outcome, in article order, from this process or from a pool."""
    if jobs <= 1 or len(pairs) < PARALLEL_FROM:
        for article, annotations in pairs:
            yield run_and_write(settings, article, annotations)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    chunk = max(1, min(16, len(pairs) // (jobs * 8)))
    with context.Pool(jobs, initializer=_start_worker, initargs=(settings,)) as pool:
        yield from pool.imap(_work, pairs, chunksize=chunk)


_worker_settings: JobSettings | None = None


def _start_worker(settings: JobSettings) -> None:
    global _worker_settings
    _worker_settings = settings


def _work(pair: Pair) -> ArticleOutcome:
    assert _worker_settings is not None
    with template_errors():  # Jinja's own errors may not survive the trip back
        return run_and_write(_worker_settings, *pair)
