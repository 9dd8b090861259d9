"""Knowing when nothing changed: a stamp of a build's inputs and of the output it wrote.

When a build's inputs (content, templates, the engine itself, the base URL) and the output
folder are exactly as the last build left them, the build has nothing to do.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .project import ENGINE


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


def _listing(folder: Path, *, skip: str | None = None) -> Iterator[str]:
    """One line per file below ``folder``: its relative path, size and modification time."""
    top = os.fspath(folder)
    for directory, subfolders, names in os.walk(top):
        subfolders.sort()
        if skip is not None and skip in subfolders:
            subfolders.remove(skip)
        prefix = os.path.relpath(directory, top)
        for name in sorted(names):
            stat = os.stat(os.path.join(directory, name))
            yield f"{prefix}/{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n"


def input_digest(
    content: Path, templates: Path, base_url: str | None, baseline: Path | None = None
) -> str:
    """What a build reads: the content, the templates, the engine's own files, the base URL,
    and the baseline it is compared with.

    Files are known by size and modification time, as make knows them: cheap to read for
    thousands of files, and any save changes them.
    """
    digest = hashlib.sha256(repr(base_url).encode())
    for label, folder in (("content", content), ("templates", templates), ("engine", ENGINE)):
        digest.update(f"\0{label}\0{os.path.abspath(folder)}\n".encode())
        digest.update("".join(_listing(folder, skip="__pycache__")).encode())
    if baseline is not None:
        try:
            stat = os.stat(baseline)
            known = f"{stat.st_size}\0{stat.st_mtime_ns}"
        except OSError:
            known = "missing"
        digest.update(f"\0baseline\0{os.path.abspath(baseline)}\0{known}\n".encode())
    return digest.hexdigest()


def output_fingerprint(out: Path) -> str:
    """Every file of the output with its size and modification time."""
    return hashlib.sha256("".join(_listing(out)).encode()).hexdigest()


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
    content: Path, out: Path, templates: Path, base_url: str | None, baseline: Path | None = None
) -> tuple[str, BuildReport | None]:
    """The digest of the inputs, and the last report when the build has nothing to do."""
    from .write import remove_leftovers

    inputs = input_digest(content, templates, base_url, baseline)
    report = unchanged_build(out, inputs)
    if report is not None:
        remove_leftovers(out)  # as every build does
    return inputs, report


def record_build(out: Path, inputs: str, report: BuildReport) -> None:
    out = Path(os.path.abspath(out))
    stamp = {"inputs": inputs, "output": output_fingerprint(out), "report": asdict(report)}
    with contextlib.suppress(OSError):  # without a stamp the next build does the work
        _stamp_path(out).write_text(json.dumps(stamp))
