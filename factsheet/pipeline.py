"""The build, stage by stage: load, validate, anchor, render, write."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import exports, urls
from .article_page import anchor_article, process_article
from .load import load_what_loads
from .model import Content
from .problems import ContentError, Problem
from .render_cache import RenderCache, templates_stamp
from .site_pages import site_pages
from .templating import DEFAULT_TEMPLATES, template_errors
from .views import ArticleView
from .write import write_site


@dataclass(frozen=True)
class BuildReport:
    articles: int
    claims: int
    files: int


def check_content(content_dir: Path, *, base_url: str | None = None) -> Content:
    """Load, validate and anchor everything; raise ContentError listing every problem."""
    content, problems = load_what_loads(content_dir, base_url=base_url)
    if content is not None:
        for article in content.articles:
            problems.extend(anchor_article(article, content.annotations.get(article.slug))[2])
    if problems or content is None:
        raise ContentError(problems)
    return content


def build_site(
    content_dir: Path,
    out_dir: Path,
    *,
    base_url: str | None = None,
    templates: Path | None = None,
    cache: RenderCache | None = None,
) -> BuildReport:
    """Build the site into ``out_dir``; on any problem raise ContentError, leaving it untouched.

    With a ``cache`` (kept by a long-running preview), only articles whose inputs changed are
    rendered again.
    """
    templates = templates or DEFAULT_TEMPLATES
    content, problems = load_what_loads(content_dir, base_url=base_url)
    with template_errors():
        return _build(content, problems, out_dir, templates, cache)


def _build(
    content: Content | None,
    problems: list[Problem],
    out_dir: Path,
    templates: Path,
    cache: RenderCache | None,
) -> BuildReport:
    if content is None:
        raise ContentError(problems)
    stamp = templates_stamp(templates)
    views: list[ArticleView] = []
    article_files: list[dict[str, str]] = []
    for article in content.articles:
        annotations = content.annotations.get(article.slug)
        if cache is None:
            result = process_article(article, annotations, content.site, templates, content.pages)
        else:
            result = cache.render(
                article, annotations, content.site, templates, content.pages, stamp
            )
        problems.extend(result.problems)
        if result.view is not None:
            views.append(result.view)
            article_files.append(result.files)
    if problems:
        raise ContentError(problems)
    count = write_site(_site_files(content, views, article_files, templates), out_dir)
    return BuildReport(len(views), sum(len(v.claims) for v in views), count)


def _site_files(
    content: Content, views: list[ArticleView], article_files: list[dict[str, str]], templates: Path
) -> Iterator[tuple[str, str | bytes]]:
    site = content.site
    html_paths: list[str] = []
    for files in article_files:
        for path, html in files.items():
            html_paths.append(path)
            yield path, html
    for path, html in site_pages(site, views, content.pages, templates):
        if path != urls.NOT_FOUND:
            html_paths.append(path)
        yield path, html
    yield "claims.json", exports.claims_json(site, views)
    yield "annotations.jsonld", exports.annotations_jsonld(site, views)
    yield "feed.xml", exports.atom_feed(site, views)
    yield "sitemap.xml", exports.sitemap(site, html_paths)
    yield "robots.txt", exports.robots_txt(site)
    yield ".nojekyll", ""
    static = templates / "static"
    for asset in sorted(static.rglob("*")):
        if asset.is_file():
            yield urls.STATIC + asset.relative_to(static).as_posix(), asset.read_bytes()
