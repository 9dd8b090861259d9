"""Knowing when nothing changed: a stamp of a build's inputs and of the output it wrote.

When a build's inputs (content, templates, the engine itself, the base URL) and the output
folder are exactly as the last build left them, the build has nothing to do.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .project import ENGINE

_MODULUS = 1 << 128  # the sum of the files' digests is kept to their size


@dataclass(frozen=True)
class BuildReport:
    articles: int
    claims: int
    files: int
    unchanged: bool = False  # True when the build found nothing to do
    kept: int = 0  # articles whose pages were kept from the last build
    # the search index: its parts, how many this build indexed, the indexers' CPU seconds and
    # the largest one's peak memory in MiB
    search: tuple[int, int, float, float] = field(default=(0, 0, 0.0, 0.0), compare=False)


def _listing(
    folder: Path, *, skip: str | None = None, stats: dict[str, tuple[int, int]] | None = None
) -> Iterator[str]:
    """One line per file below ``folder``: its relative path, size and modification time
    (also put in ``stats``, by absolute path)."""
    top = os.path.abspath(folder)
    for directory, subfolders, names in os.walk(top):
        subfolders.sort()
        if skip is not None and skip in subfolders:
            subfolders.remove(skip)
        prefix = os.path.relpath(directory, top)
        for name in sorted(names):
            path = os.path.join(directory, name)
            stat = os.stat(path)
            if stats is not None:
                stats[path] = (stat.st_size, stat.st_mtime_ns)
            yield f"{prefix}/{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n"


@dataclass(frozen=True)
class BuildInputs:
    """What a build reads, as one digest; and the size and modification time of each file
    of the content folder, by absolute path (the build cache hashes again only the files
    whose size or time changed)."""

    digest: str
    content: dict[str, tuple[int, int]] = field(compare=False)


def input_digest(
    content: Path,
    templates: Path,
    base_url: str | None,
    baseline: Path | None = None,
    search: bool | None = None,
) -> BuildInputs:
    """What a build reads: the content, the templates, the engine's own files, the base URL
    and search setting given to it, and the baseline it is compared with.

    Files are known by size and modification time, as make knows them: cheap to read for
    thousands of files, and any save changes them.
    """
    digest = hashlib.sha256(repr((base_url, search)).encode())
    content_stats: dict[str, tuple[int, int]] = {}
    for label, folder in (("content", content), ("templates", templates), ("engine", ENGINE)):
        digest.update(f"\0{label}\0{os.path.abspath(folder)}\n".encode())
        stats = content_stats if label == "content" else None
        digest.update("".join(_listing(folder, skip="__pycache__", stats=stats)).encode())
    if baseline is not None:
        try:
            stat = os.stat(baseline)
            known = f"{stat.st_size}\0{stat.st_mtime_ns}"
        except OSError:
            known = "missing"
        digest.update(f"\0baseline\0{os.path.abspath(baseline)}\0{known}\n".encode())
    return BuildInputs(digest.hexdigest(), content_stats)


class OutputFingerprint:
    """A digest of the output's files, each with its size and modification time, in whatever
    order they are added: the sum of each file's own digest. A build adds what it knows it
    holds while the last parts of its search index are still being made, and those parts
    once they are; the next build adds what it finds on disk."""

    def __init__(self, known: tuple[int, int] = (0, 0)) -> None:
        self.total, self.count = known  # the sum of the files' digests, and their number

    def add(self, files: Iterable[tuple[str, int, int]], sign: int = 1) -> None:
        total, count, digest = self.total, self.count, hashlib.blake2b
        for relative, size, mtime in files:
            line = f"{relative}\0{size}\0{mtime}".encode()
            total += sign * int.from_bytes(digest(line, digest_size=16).digest(), "big")
            count += sign
        self.total, self.count = total % _MODULUS, count

    def remove(self, files: Iterable[tuple[str, int, int]]) -> None:
        """Take away files that were added."""
        self.add(files, -1)

    def merge(self, other: OutputFingerprint) -> None:
        """Add the files ``other`` was given."""
        self.total = (self.total + other.total) % _MODULUS
        self.count += other.count

    def hexdigest(self, out: Path) -> str:
        """The digest, with where the output ``out`` links to."""
        try:
            link = os.readlink(out)
        except OSError:
            link = ""
        return hashlib.sha256(f"{self.count}\0{self.total:x}\0{link}".encode()).hexdigest()


def output_fingerprint(out: Path, files: OutputFingerprint | None = None) -> str:
    """Every file of the output with its size and modification time, and where the output
    links to; ``files`` when they are known (as a build knows what it wrote), else read."""
    if files is None or not files.count:
        files = OutputFingerprint()
        files.add(_output_files(out))
    return files.hexdigest(out)


def _output_files(out: Path) -> Iterator[tuple[str, int, int]]:
    """Every file below ``out``: its path relative to it, size and mtime (one listing of each
    folder, as os.walk makes, without a relative path computed per file)."""
    folders = [(os.fspath(out), "")]
    while folders:
        folder, prefix = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, prefix + entry.name + "/"))
                elif entry.is_file(follow_symlinks=False):
                    stat = entry.stat(follow_symlinks=False)
                    yield prefix + entry.name, stat.st_size, stat.st_mtime_ns


def _stamp_path(out: Path) -> Path:
    return out.parent / f".{out.name}.stamp"


def unchanged_build(out: Path, inputs: str) -> BuildReport | None:
    """The last build's report, when its inputs and output are exactly as they are now."""
    out = Path(os.path.abspath(out))
    try:
        stamp = json.loads(_stamp_path(out).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(stamp, dict) or stamp.get("inputs") != inputs or not out.is_dir():
        return None
    if stamp.get("output") != output_fingerprint(out):
        return None
    report = stamp.get("report", {})
    return BuildReport(
        report["articles"],
        report["claims"],
        report["files"],
        unchanged=True,
        kept=report["articles"],
    )


def skip_if_unchanged(
    content: Path,
    out: Path,
    templates: Path,
    base_url: str | None,
    baseline: Path | None = None,
    search: bool | None = None,
) -> tuple[BuildInputs, BuildReport | None]:
    """The inputs, and the last report when the build has nothing to do."""
    from .generations import remove_leftovers

    inputs = input_digest(content, templates, base_url, baseline, search)
    report = unchanged_build(out, inputs.digest)
    if report is not None:
        remove_leftovers(out)  # as every build does
    return inputs, report


def record_build(
    out: Path,
    inputs: BuildInputs,
    report: BuildReport,
    files: OutputFingerprint | None = None,
) -> None:
    """Remember the build; ``files``: every file it left in the output, if known."""
    out = Path(os.path.abspath(out))
    fingerprint = output_fingerprint(out, files)
    stamp = {"inputs": inputs.digest, "output": fingerprint, "report": asdict(report)}
    with contextlib.suppress(OSError):  # without a stamp the next build does the work
        _stamp_path(out).write_text(json.dumps(stamp))
