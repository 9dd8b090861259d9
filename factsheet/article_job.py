"""One article's job, from its files to its pages: load, validate, anchor, render, write.

A job depends only on its article, its annotations and the shared settings (site config,
standalone pages, templates), so jobs run in any order, in parallel processes, or from a
cache. Its pages are written as soon as they are rendered; what the site-wide outputs
need comes back as small records.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from .article_page import anchor_article, build_view, render_pages
from .corrections import article_corrections
from .exports import article_annotations, article_claims_record, article_feed_entries
from .generations import pack_stats, write_in
from .load import load_pair
from .model import Annotations, Page, SiteConfig
from .problems import Problem
from .records import ArticleCard, ArticleOutcome, ClaimRow, ClaimVersion
from .search_docs import documents_digest, search_documents


@dataclass(frozen=True)
class JobSettings:
    """What every article's job shares."""

    root: Path  # the content folder
    site: SiteConfig | None  # None when site.yaml has problems: check only
    pages: tuple[Page, ...]
    templates: Path
    staging: Path | None  # where pages are written; None: check only
    mirror: Path | None = None  # where they are linked too (a first build's other generation)


def run_job(
    settings: JobSettings, article_path: Path, annotation_path: Path | None
) -> tuple[ArticleOutcome, dict[str, str]]:
    """Do one article's job; returns its outcome and its pages (path -> HTML)."""
    article, annotations, problems = load_pair(settings.root, article_path, annotation_path)
    slug = article_path.stem
    versions, complete = _versions(annotations, problems, annotation_path)
    if article is None:
        outcome = ArticleOutcome(
            slug, tuple(problems), versions=versions, versions_complete=complete
        )
        return outcome, {}
    text, anchors, anchor_problems = anchor_article(article, annotations)
    problems += anchor_problems
    if problems or settings.site is None or settings.staging is None:
        marked = sum(1 for anchor in anchors if anchor.claim.withdrawn is None)
        outcome = ArticleOutcome(
            slug, tuple(problems), claim_count=marked, versions=versions, versions_complete=complete
        )
        return outcome, {}
    view = build_view(article, text, anchors, settings.templates)
    files = render_pages(view, text, anchors, settings.site, settings.templates, settings.pages)
    site = settings.site
    search = search_documents(site, view, text, settings.templates) if site.search else ()
    outcome = ArticleOutcome(
        slug,
        card=ArticleCard(replace(article, body=""), view.counts, len(view.claims)),
        rows=tuple(
            ClaimRow(slug, article.title, c.id, c.n, c.verdict, c.anchor.exact, c.claim.correction)
            for c in view.claims
        ),
        feed=article_feed_entries(settings.site, view),
        claims_record=article_claims_record(view),
        annotations=article_annotations(settings.site, view),
        files=tuple(files),
        claim_count=len(view.claims),
        corrections=article_corrections(view),
        versions=versions,
        versions_complete=complete,
        search=search,
        search_digest=documents_digest(search),
    )
    return outcome, files


def _versions(
    annotations: Annotations | None, problems: list[Problem], annotation_path: Path | None
) -> tuple[tuple[ClaimVersion, ...], bool]:
    """The article's claims as the check against a baseline compares them, and whether
    they are all there (an annotation file with problems may have lost some)."""
    if annotations is None:
        return (), annotation_path is None
    path = annotations.location.path
    versions = tuple(ClaimVersion.of(claim) for claim in annotations.claims)
    return versions, not any(p.location.path == path for p in problems)


def run_and_write(
    settings: JobSettings, article_path: Path, annotation_path: Path | None
) -> ArticleOutcome:
    """Do one article's job and write its pages into the generation being built (each as a new file:
    the folder may share the old one with the site being served)."""
    return write_pages(settings, *run_job(settings, article_path, annotation_path))


def write_pages(
    settings: JobSettings, outcome: ArticleOutcome, files: dict[str, str]
) -> ArticleOutcome:
    """Write an article's pages (``run_job``'s) into the generation being built."""
    if settings.staging is None or not files:
        return outcome
    root = os.fspath(settings.staging)
    mirror = os.fspath(settings.mirror) if settings.mirror is not None else None
    stats = [
        write_in(root, relative, html.encode("utf-8"), mirror) for relative, html in files.items()
    ]
    return replace(outcome, stats=pack_stats(stats))
