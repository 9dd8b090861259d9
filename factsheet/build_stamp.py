"""Knowing when nothing changed: a stamp of a build's inputs and of the output it wrote.

When a build's inputs (content, templates, the engine itself, the base URL) and the output
folder are exactly as the last build left them, the build has nothing to do.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

ENGINE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class BuildReport:
    articles: int
    claims: int
    files: int
    unchanged: bool = False  # True when the build found nothing to do


def _files(folder: Path) -> list[Path]:
    found: list[Path] = []
    for directory, subfolders, names in os.walk(folder):
        subfolders.sort()
        found.extend(Path(directory, name) for name in sorted(names))
    return found


def input_digest(content: Path, templates: Path, base_url: str | None) -> str:
    digest = hashlib.sha256(repr(base_url).encode())
    for label, folder in (("content", content), ("templates", templates), ("engine", ENGINE)):
        for path in _files(folder):
            if "__pycache__" in path.parts:
                continue
            digest.update(f"\0{label}/{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def output_fingerprint(out: Path) -> str:
    """Every file of the output with its size and modification time."""
    digest = hashlib.sha256()
    for path in _files(out):
        stat = path.stat()
        digest.update(
            f"{path.relative_to(out).as_posix()}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode()
        )
    return digest.hexdigest()


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
    return BuildReport(report["articles"], report["claims"], report["files"], unchanged=True)


def record_build(out: Path, inputs: str, report: BuildReport) -> None:
    out = Path(os.path.abspath(out))
    stamp = {"inputs": inputs, "output": output_fingerprint(out), "report": asdict(report)}
    with contextlib.suppress(OSError):  # without a stamp the next build does the work
        _stamp_path(out).write_text(json.dumps(stamp))
