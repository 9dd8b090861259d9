#!/usr/bin/env python3
"""The Python floor: the least a markdown-it-py + Jinja2 generator must do.

Usage: ``python benchmarks/floor.py SRC OUT [--jobs 2]``

Reads every ``SRC/**/*.md`` (YAML front matter, then the body), renders the body with
``MarkdownIt("commonmark")`` into a six-line Jinja2 template (autoescape on), writes
``OUT/<relative path>.html`` and, at the end, one ``OUT/index.html`` listing every page.
With ``--jobs`` above 1 the pages are rendered on a fork pool in chunks of up to 64.
With ``--extra-pages K`` each source also yields K more pages, one per paragraph (the
first K), through the same template: the floor for a site of the same shape as
factsheet's, which writes a page per claim besides each article's page.
Prints the page count, the in-process rate and the peak RSS of each process to stderr.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, Template
from markdown_it import MarkdownIt

LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><article><h1>{{ title }}</h1><time>{{ date }}</time>
{{ body | safe }}
</article></main></body></html>
"""
INDEX = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Index</title></head>
<body><ul>{% for url, title in pages %}<li><a href="{{ url }}">{{ title }}</a></li>{% endfor %}\
</ul></body></html>
"""


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            return yaml.load(text[4:end], Loader=LOADER) or {}, text[end + 5 :]
    return {}, text


def sources(src: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(".md"):
                yield Path(dirpath, name)


class Renderer:
    """Renders one source file to one HTML file."""

    def __init__(self, src: Path, out: Path, extra_pages: int = 0) -> None:
        self.src = src
        self.out = out
        self.extra_pages = extra_pages
        self.md = MarkdownIt("commonmark")
        self.page: Template = Environment(autoescape=True).from_string(PAGE)

    def render(self, path: Path) -> tuple[str, str]:
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        rel = path.relative_to(self.src).with_suffix(".html").as_posix()
        dest = self.out / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        title = str(meta.get("title", ""))
        html = self.page.render(title=title, date=meta.get("date", ""), body=self.md.render(body))
        dest.write_text(html, encoding="utf-8")
        if self.extra_pages:
            paragraphs = [p for p in body.split("\n\n") if p and not p.startswith("#")]
            folder = dest.with_suffix("")
            folder.mkdir(parents=True, exist_ok=True)
            for number, paragraph in enumerate(paragraphs[: self.extra_pages], start=1):
                part = self.page.render(title=f"{title} ({number})", body=self.md.render(paragraph))
                (folder / f"{number}.html").write_text(part, encoding="utf-8")
        return rel, title


_worker: dict[str, Renderer] = {}


def _init_worker(src: Path, out: Path, extra_pages: int) -> None:
    _worker["renderer"] = Renderer(src, out, extra_pages)


def _work(path: Path) -> tuple[tuple[str, str], int, int]:
    page = _worker["renderer"].render(path)
    return page, os.getpid(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def build(src: Path, out: Path, jobs: int, extra_pages: int = 0) -> tuple[int, dict[int, int]]:
    """Render every page; return the page count and each worker's peak RSS in KiB."""
    paths = list(sources(src))
    pages: list[tuple[str, str]] = []
    peaks: dict[int, int] = {}
    if jobs <= 1:
        renderer = Renderer(src, out, extra_pages)
        pages = [renderer.render(p) for p in paths]
    else:
        chunk = max(1, min(64, len(paths) // (jobs * 8)))
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs, initializer=_init_worker, initargs=(src, out, extra_pages)) as pool:
            for page, pid, rss in pool.imap(_work, paths, chunksize=chunk):
                pages.append(page)
                peaks[pid] = max(peaks.get(pid, 0), rss)
    out.mkdir(parents=True, exist_ok=True)
    index = Environment(autoescape=True).from_string(INDEX).render(pages=pages)
    (out / "index.html").write_text(index, encoding="utf-8")
    return len(pages), peaks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("src", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--extra-pages", type=int, default=0, help="pages per paragraph, up to K")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    count, peaks = build(args.src, args.out, args.jobs, args.extra_pages)
    elapsed = time.perf_counter() - start
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = [round(v / 1024) for v in peaks.values()]
    print(
        f"{count} pages in {elapsed:.3f}s = {count / elapsed:.0f} pages/s (in-process); "
        f"peak RSS MiB parent={parent / 1024:.0f} workers={workers}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
