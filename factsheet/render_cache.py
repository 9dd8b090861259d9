"""A cache of rendered articles, so that a rebuild renders only what changed.

An article's pages are a pure function of the article, its annotations, the site config, the
standalone pages (for navigation) and the templates, so those are the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .article_page import ArticleResult, process_article
from .model import Annotations, Article, Page, SiteConfig


def templates_stamp(templates: Path) -> tuple[tuple[str, int, int], ...]:
    """What identifies a version of the templates folder: each file's name, size and mtime."""
    return tuple(
        (p.relative_to(templates).as_posix(), p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(templates.rglob("*"))
        if p.is_file()
    )


@dataclass
class RenderCache:
    """Rendered articles by their inputs; kept in memory by a long-running preview."""

    entries: dict[str, tuple[object, ArticleResult]] = field(default_factory=dict)  # by slug
    hits: int = 0
    misses: int = 0

    def render(
        self,
        article: Article,
        annotations: Annotations | None,
        site: SiteConfig,
        templates: Path,
        pages: tuple[Page, ...],
        stamp: object,
    ) -> ArticleResult:
        key = (article, annotations, site, pages, str(templates), stamp)
        cached = self.entries.get(article.slug)
        if cached is not None and cached[0] == key:
            self.hits += 1
            return cached[1]
        self.misses += 1
        result = process_article(article, annotations, site, templates, pages)
        if not result.problems:
            self.entries[article.slug] = (key, result)
        return result
