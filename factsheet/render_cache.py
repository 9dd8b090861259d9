"""A cache of rendered articles, so that a preview rebuilds only what changed.

An article's pages are a function of its two files and the shared settings (site config,
standalone pages, templates), so those are the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .article_job import JobSettings, run_job
from .records import ArticleOutcome


def templates_stamp(templates: Path) -> tuple[tuple[str, int, int], ...]:
    """What identifies a version of the templates folder: each file's name, size and mtime."""
    return tuple(
        (p.relative_to(templates).as_posix(), p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(templates.rglob("*"))
        if p.is_file()
    )


def _read(path: Path | None) -> bytes | None:
    try:
        return path.read_bytes() if path is not None else None
    except OSError:
        return None


@dataclass
class RenderCache:
    """Rendered articles by their inputs; kept in memory by a long-running preview."""

    entries: dict[Path, tuple[object, ArticleOutcome, dict[str, str]]] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0

    def run(
        self, settings: JobSettings, article: Path, annotations: Path | None
    ) -> tuple[ArticleOutcome, dict[str, str]]:
        shared = (settings.site, settings.pages, templates_stamp(settings.templates))
        key = (shared, _read(article), annotations, _read(annotations))
        cached = self.entries.get(article)
        if cached is not None and cached[0] == key and settings.staging is not None:
            self.hits += 1
            return cached[1], cached[2]
        self.misses += 1
        outcome, files = run_job(settings, article, annotations)
        if not outcome.problems and settings.staging is not None:
            self.entries[article] = (key, outcome, files)
        return outcome, files
