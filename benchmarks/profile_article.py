#!/usr/bin/env python3
"""Where the CPU time of a build goes, per article and per stage, in one process.

Usage: ``python benchmarks/profile_article.py [--n 1000] [--top 25] [--no-cprofile]
[--search]`` (or ``--content DIR`` for another content folder).

Builds the benchmark corpus of N articles (``gen_corpus.py``, kept under the work folder
as ``run.py`` keeps it) into an empty folder with ``build_site(..., jobs=1)``: the same
work a cold build does (without the search index, as ``run.py``'s ``factsheet-cold``,
unless ``--search``), with the articles' jobs run in this process instead of on a pool.
Then prints:

1. the CPU time (user + system, ``time.process_time``) of each stage, in milliseconds per
   article: load (reading files, YAML, schema validation), anchoring, the article's view,
   rendering the article page and the claim pages, the records for the site-wide exports,
   writing, and the site-wide work (index, fact sheet, exports, feed, sitemap, cache,
   stamp, swap). A stage's time excludes the stages timed inside it; what no stage
   covers is "other";
2. the same for the floor that writes the same pages (``floor.py --extra-pages``), on the
   same articles;
3. unless ``--no-cprofile``, the functions with the most CPU time of their own in a
   second, profiled build of the first 200 articles (``--cprofile-articles``; cProfile
   makes Python code slower than C code, so these are shares, not timings).

Stages are timed by wrapping the engine's functions where they are called; one that is no
longer there is named in a warning, and its time falls to its caller's stage.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import importlib
import os
import pstats
import re
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
sys.path.insert(0, str(REPO))

import floor  # noqa: E402
import gen_corpus  # noqa: E402
import jinja2  # noqa: E402
import run  # noqa: E402

# (stage, where it is called: "module:name" or "module:Class.method"), in the order shown.
ARTICLE_STAGES = (
    ("load: read files, front matter", "factsheet.article_job:load_pair"),
    ("load: YAML", "factsheet.load:parse_yaml"),
    ("validate: schema", "factsheet.load:validate"),
    ("validate: annotation checks", "factsheet.load:check_annotations"),
    ("validate: links in notes (Markdown)", "factsheet.validate:bad_links"),
    ("anchor: parse Markdown", "factsheet.anchor:ArticleText.parse"),
    ("anchor: find the quotes", "factsheet.article_job:anchor_article"),
    ("build_view", "factsheet.article_job:build_view"),
    ("build_view: notes' Markdown", "factsheet.article_page:render_inline"),
    ("build_view: note bodies (macro)", "factsheet.article_html:ClaimMarkup.note_body"),
    ("marked tokens to HTML (contexts, body)", "factsheet.article_page:render_marked"),
    ("mark the claims in the article's tokens", "factsheet.article_page:mark_claims"),
    ("render_pages", "factsheet.article_job:render_pages"),
    ("render article page: template", "template:article.html"),
    ("render claim pages: template", "template:claim.html"),
    ("render: ClaimReview JSON-LD", "factsheet.article_page:claim_review_json"),
    ("exports: feed entries", "factsheet.article_job:article_feed_entries"),
    ("exports: claims.json record", "factsheet.article_job:article_claims_record"),
    ("exports: web annotations", "factsheet.article_job:article_annotations"),
    ("exports: corrections", "factsheet.article_job:article_corrections"),
    ("search: the article's documents", "factsheet.article_job:search_documents"),
    ("write article pages", "factsheet.article_job:write_in"),
)
SITE_STAGES = (
    ("survey the content folder", "factsheet.pipeline:plan_content"),
    ("build stamp: hash inputs", "factsheet.pipeline:skip_if_unchanged"),
    ("build stamp: record", "factsheet.pipeline:record_build"),
    ("build cache: keys", "factsheet.article_cache:BuildCache.key"),
    ("build cache: records", "factsheet.article_cache:BuildCache.record"),
    ("build cache: save", "factsheet.article_cache:BuildCache.save"),
    ("site-wide: collect records, stream exports", "factsheet.site_pages:SiteAssembler.add"),
    ("site-wide: finish (feed, sitemap, 404, static)", "factsheet.site_pages:SiteAssembler.finish"),
    ("site-wide: render index, fact sheet, pages", "factsheet.site_pages:render_site_page"),
    ("site-wide: write files", "factsheet.pipeline:write_in"),
    ("site-wide: write files (generation)", "factsheet.incremental:GenerationWriter.write"),
    ("swap the output in", "factsheet.generations:GenerationOutput.commit"),
)
FLOOR_STAGES = (
    ("read + front matter YAML", "floor:split_front_matter"),
    ("Markdown", "markdown_it.main:MarkdownIt.render"),
    ("template", "template:<floor>"),
    ("write", "pathlib:Path.write_text"),
)


def cpu_now() -> float:
    """This process's CPU seconds so far, user and system."""
    return time.process_time()


class StageClock:
    """CPU time per stage, each stage's own: time in stages timed inside it is theirs."""

    def __init__(self) -> None:
        self.own: defaultdict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()
        self._stack: list[list[Any]] = []  # [stage, CPU at start, CPU in inner stages]

    def start(self, stage: str) -> None:
        self._stack.append([stage, cpu_now(), 0.0])

    def stop(self) -> None:
        stage, start, inner = self._stack.pop()
        spent = cpu_now() - start
        self.own[stage] += spent - inner
        self.calls[stage] += 1
        if self._stack:
            self._stack[-1][2] += spent

    def wrap(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.start(stage)
            try:
                return function(*args, **kwargs)
            finally:
                self.stop()

        return timed


@contextmanager
def patched(clock: StageClock, stages: tuple[tuple[str, str], ...]) -> Iterator[list[str]]:
    """Wrap each stage's function where it is called; yields the ones not found."""
    missing: list[str] = []
    undo: list[Callable[[], None]] = []
    templates: dict[str, str] = {}
    for stage, where in stages:
        module_name, _, name = where.partition(":")
        if module_name == "template":
            templates[name] = stage
            continue
        try:
            owner: Any = importlib.import_module(module_name)
            *outer, attr = name.split(".")
            for part in outer:
                owner = getattr(owner, part)
            raw = vars(owner)[attr] if isinstance(owner, type) else getattr(owner, attr)
        except (ImportError, AttributeError, KeyError):
            missing.append(where)
            continue
        if isinstance(raw, classmethod):
            replacement: Any = classmethod(clock.wrap(stage, raw.__func__))
        elif isinstance(raw, staticmethod):
            replacement = staticmethod(clock.wrap(stage, raw.__func__))
        else:
            replacement = clock.wrap(stage, raw)
        setattr(owner, attr, replacement)
        undo.append(functools.partial(setattr, owner, attr, raw))
    if templates:
        render = jinja2.Template.render

        def timed_render(self: jinja2.Template, *args: Any, **kwargs: Any) -> str:
            stage = templates.get(self.name or "<floor>")
            if stage is None:
                return render(self, *args, **kwargs)
            clock.start(stage)
            try:
                return render(self, *args, **kwargs)
            finally:
                clock.stop()

        jinja2.Template.render = timed_render  # type: ignore[method-assign]
        undo.append(functools.partial(setattr, jinja2.Template, "render", render))
    try:
        yield missing
    finally:
        for step in reversed(undo):
            step()


def build_once(content: Path, out: Path, search: bool) -> None:
    from factsheet.pipeline import build_site

    build_site(content, out, jobs=1, search=search)


def stage_profile(
    content: Path, scratch: Path, search: bool
) -> tuple[StageClock, float, float, list[str]]:
    """The build, stage by stage: the clock, total CPU s, wall s, and stages not found."""
    import factsheet.pipeline  # noqa: F401  (imported before timing, as a build has it)

    clock = StageClock()
    out = scratch / "site"
    with ExitStack() as stack:
        missing = stack.enter_context(patched(clock, ARTICLE_STAGES + SITE_STAGES))
        wall, cpu = time.perf_counter(), cpu_now()
        build_once(content, out, search)
        cpu, wall = cpu_now() - cpu, time.perf_counter() - wall
    shutil.rmtree(out, ignore_errors=True)
    return clock, cpu, wall, missing


def floor_profile(plain: Path, scratch: Path, extra: int) -> tuple[StageClock, float, int]:
    """The floor's pages on the same articles in this process: clock, CPU s, articles."""
    clock = StageClock()
    out = scratch / "floor"
    renderer = floor.Renderer(plain, out, extra)
    paths = list(floor.sources(plain))
    with patched(clock, FLOOR_STAGES):
        cpu = cpu_now()
        for path in paths:
            renderer.render(path)
        cpu = cpu_now() - cpu
    shutil.rmtree(out, ignore_errors=True)
    return clock, cpu, len(paths)


def stage_table(
    clock: StageClock, groups: list[tuple[str, tuple[tuple[str, str], ...]]], cpu: float, n: int
) -> str:
    def ms(seconds: float) -> str:
        return f"{seconds / n * 1000:.2f}"

    lines = ["| stage | ms CPU / article | share | calls / article |", "|---|---|---|---|"]
    covered = 0.0
    for title, stages in groups:
        subtotal = sum(clock.own.get(stage, 0.0) for stage, _ in stages)
        covered += subtotal
        lines.append(f"| **{title}** | **{ms(subtotal)}** | {subtotal / cpu:.0%} | |")
        for stage, _ in stages:
            spent, calls = clock.own.get(stage, 0.0), clock.calls.get(stage, 0) / n
            lines.append(f"| {stage} | {ms(spent)} | {spent / cpu:.0%} | {calls:.1f} |")
    other = cpu - covered
    lines.append(f"| other (in no stage) | {ms(other)} | {other / cpu:.0%} | |")
    lines.append(f"| **total** | **{ms(cpu)}** | 100% | |")
    # creating files is kernel time, which other processes' disk work makes vary the most
    writing = sum(
        clock.own.get(stage, 0.0) for _, st in groups for stage, _ in st if "write" in stage
    )
    lines.append(
        f"| total without writing files | {ms(cpu - writing)} | {1 - writing / cpu:.0%} | |"
    )
    return "\n".join(lines)


def first_articles(content: Path, count: int, into: Path) -> tuple[Path, int]:
    """A copy of ``content`` with only its first ``count`` articles; and how many it has."""
    for item in content.iterdir():
        if item.name not in ("articles", "annotations") and not item.name.startswith("."):
            if item.is_dir():
                shutil.copytree(item, into / item.name)
            else:
                into.mkdir(parents=True, exist_ok=True)
                shutil.copy2(item, into / item.name)
    articles = sorted((content / "articles").glob("*.md"))[:count]
    for article in articles:
        notes = content / "annotations" / f"{article.stem}.yaml"
        for source, folder in ((article, "articles"), (notes, "annotations")):
            if source.exists():
                (into / folder).mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, into / folder / source.name)
    return into, len(articles)


def cprofile_top(content: Path, scratch: Path, count: int, top: int, search: bool) -> str:
    """The functions with the most CPU time of their own, in a build of ``count`` articles."""
    subset, n = first_articles(content, count, scratch / "subset")
    out = scratch / "site-profiled"
    profiler = cProfile.Profile(time.process_time)  # CPU time, not time spent waiting
    profiler.enable()
    build_once(subset, out, search)
    profiler.disable()
    shutil.rmtree(out, ignore_errors=True)
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)  # type: ignore[attr-defined]
    lines = [
        "| function | own ms / article | own share | with callees ms / article | calls / article |",
        "|---|---|---|---|---|",
    ]
    for (filename, line, name), (_, calls, own, cumulative, _) in rows[:top]:
        where = short_path(filename)
        label = f"{where}:{line}({name})" if line else name
        lines.append(
            f"| `{label}` | {own / n * 1000:.3f} | {own / total:.1%} | "
            f"{cumulative / n * 1000:.3f} | {calls / n:.1f} |"
        )
    by_package: Counter[str] = Counter()
    for (filename, _, name), (_, _, own, _, _) in rows:
        by_package[package_of(filename, name)] += own
    lines += ["", "| code | own share |", "|---|---|"]
    lines += [f"| {package} | {own / total:.1%} |" for package, own in by_package.most_common(12)]
    return "\n".join(lines)


def package_of(filename: str, name: str) -> str:
    """What a profiled function belongs to: a package, an engine module, the templates."""
    if filename == "~":
        return f"C: {name.removeprefix('<built-in method ').strip('<>')}"
    where = short_path(filename)
    if where.startswith(("factsheet/", "templates/")):
        return "templates (compiled)" if where.startswith("templates/") else where
    return where.split("/", 1)[0].removesuffix(".py") if "/" in where else where


def short_path(filename: str) -> str:
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1]
    stdlib = re.search(r"/lib/python3\.\d+/(.+)", filename)
    if stdlib:
        return "stdlib " + stdlib.group(1)
    try:
        return str(Path(filename).relative_to(REPO))
    except ValueError:
        return filename


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="articles in the corpus")
    parser.add_argument("--content", type=Path, help="a content folder instead of the corpus")
    parser.add_argument("--seed", type=int, default=gen_corpus.DEFAULT_SEED)
    parser.add_argument("--top", type=int, default=25, help="functions to list from cProfile")
    parser.add_argument(
        "--cprofile-articles", type=int, default=200, help="articles in the profiled build"
    )
    parser.add_argument("--no-cprofile", action="store_true", help="only the stage timers")
    parser.add_argument(
        "--search",
        action="store_true",
        help="build the search index too (its documents are rendered here; Pagefind's indexer "
        "is a process of its own, whose CPU time is not counted)",
    )
    parser.add_argument("--work", type=Path, default=BENCH_DIR / ".work")
    parser.add_argument(
        "--scratch",
        type=Path,
        help="where the sites are written (default: in the work folder); e.g. a tmpfs, "
        "to take the disk out of the figures",
    )
    args = parser.parse_args(argv)

    args.work.mkdir(parents=True, exist_ok=True)
    os.environ["XDG_CACHE_HOME"] = str(args.work.resolve() / "xdg-cache")  # as run.py's builds
    plain: Path | None = None
    if args.content is not None:
        content = args.content
    else:
        root = run.Bench(args.work.resolve(), args.seed, None).corpus(args.n)
        content, plain = root / "factsheet", root / "plain"
    n = len(list((content / "articles").glob("*.md")))
    scratch = Path(tempfile.mkdtemp(prefix="profile-", dir=args.scratch or args.work))
    try:
        clock, cpu, wall, missing = stage_profile(content, scratch, args.search)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        index = "with" if args.search else "without"
        print(f"factsheet engine at {run.engine_revision()}; {n} articles, one process")
        print(
            f"\nCold build (`build_site(jobs=1)`, {index} the search index): {cpu:.2f} s CPU, "
            f"{wall:.2f} s wall, "
            f"{cpu / n * 1000:.2f} ms CPU per article; process so far: user "
            f"{usage.ru_utime:.2f} s, system {usage.ru_stime:.2f} s, peak RSS "
            f"{usage.ru_maxrss / 1024:.0f} MiB\n"
        )
        for where in missing:
            print(
                f"warning: {where} is not in the engine; its time is its caller's", file=sys.stderr
            )
        groups = [("article job", ARTICLE_STAGES), ("site-wide, per article", SITE_STAGES)]
        print(stage_table(clock, groups, cpu, n))
        if plain is not None:
            extra = gen_corpus.CLAIMS_PER_ARTICLE
            f_clock, f_cpu, f_n = floor_profile(plain, scratch, extra)
            print(
                f"\nfloor-pages (`floor.py --extra-pages {extra}`), same articles, one process: "
                f"{f_cpu / f_n * 1000:.2f} ms CPU per article\n"
            )
            print(stage_table(f_clock, [("floor-pages", FLOOR_STAGES)], f_cpu, f_n))
        if not args.no_cprofile:
            count = min(n, args.cprofile_articles)
            print(
                f"\nTop {args.top} functions by own CPU time (cProfile, a build of the first "
                f"{count} articles; profiling slows Python code more than C code):\n"
            )
            print(cprofile_top(content, scratch, count, args.top, args.search))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
