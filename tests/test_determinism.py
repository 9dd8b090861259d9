"""The same content builds to the same bytes, wherever and whenever it is built.

Nothing in the output comes from the build's clock, time zone, locale, working directory,
output folder or hash seed: the dates shown come from the content. The real ``content/`` is
built twice at once, in two different folders, from two different working directories and
with different environments; the two sites are identical, file for file and byte for byte.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
BUILD = [sys.executable, str(ROOT / "build.py"), "build"]

ENVIRONMENTS: list[dict[str, str]] = [
    {
        "TZ": "UTC",
        "LC_ALL": "C.UTF-8",
        "LANG": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "SOURCE_DATE_EPOCH": "0",
    },
    {
        "TZ": "Pacific/Kiritimati",  # UTC+14: another calendar day than UTC for 14 hours
        "LC_ALL": "POSIX",
        "LANG": "de_DE.ISO-8859-1",
        "PYTHONHASHSEED": "4242",
        "SOURCE_DATE_EPOCH": "2000000000",
    },
]


def files_of(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_two_builds_in_different_places_and_environments_are_byte_identical(
    tmp_path: Path,
) -> None:
    runs = []
    for index, extra in enumerate(ENVIRONMENTS):
        cwd = tmp_path / f"cwd{index}"
        cwd.mkdir()
        out = Path("nested") / f"site{index}"  # relative to its own working directory
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "TZ"))}
        process = subprocess.Popen(
            [*BUILD, "--content", str(CONTENT), "--out", str(out)],
            cwd=cwd,
            env={**env, **extra},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        runs.append((process, cwd / out))
    sites = []
    for process, out in runs:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr.decode()
        sites.append(files_of(out))
    first, second = sites
    assert len(first) > 20, "the real content builds a whole site"
    assert first.keys() == second.keys()
    differing = sorted(name for name in first if first[name] != second[name])
    assert differing == []
