"""The output folder always holds one whole site: the previous one or the new one.

Builds of changed content are killed with SIGKILL at random moments across a build's
duration; after each kill the output folder is exactly the old site or exactly the new one,
never a mix, and the next build clears what the killed ones left behind. Two builds of
different content started at once into the same folder leave one of the two whole sites.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
KILLS = 16


def digest(folder: Path) -> str:
    """One hash of every folder and file under ``folder``: names, kinds and bytes."""
    total = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_dir():
            total.update(f"dir {name}\n".encode())
        else:
            total.update(f"file {name} {hashlib.sha256(path.read_bytes()).hexdigest()}\n".encode())
    return total.hexdigest()


def start_build(content: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "build",
            "--content",
            str(content),
            "--out",
            str(out),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def build(content: Path, out: Path) -> float:
    """Build to completion; the seconds it took."""
    started = time.monotonic()
    process = start_build(content, out)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr.decode()
    return time.monotonic() - started


@pytest.fixture(scope="module")
def two_contents(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The real content, and a copy whose site title differs (so every page differs)."""
    folder = tmp_path_factory.mktemp("contents")
    old = folder / "old"
    new = folder / "new"
    shutil.copytree(CONTENT, old)
    shutil.copytree(CONTENT, new)
    site = new / "site.yaml"
    lines = site.read_text(encoding="utf-8").splitlines(keepends=True)
    titled = [i for i, line in enumerate(lines) if line.startswith("title:")]
    assert titled, "site.yaml has no title line"
    lines[titled[0]] = "title: A Changed Title\n"
    site.write_text("".join(lines), encoding="utf-8")
    return old, new


@pytest.fixture(scope="module")
def two_sites(
    two_contents: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, str, float]:
    """The digests of the old and new sites, and how long a whole build takes."""
    folder = tmp_path_factory.mktemp("reference")
    old, new = two_contents
    seconds = build(old, folder / "old")
    build(new, folder / "new")
    old_digest, new_digest = digest(folder / "old"), digest(folder / "new")
    assert old_digest != new_digest
    return old_digest, new_digest, seconds


def leftovers(out: Path) -> list[str]:
    return sorted(
        p.name
        for p in out.parent.iterdir()
        if p.name
        not in (
            out.name,
            f".{out.name}.lock",
            f".{out.name}.stamp",
            f".{out.name}.cache",
            f".{out.name}.search",
        )
    )


def test_a_build_killed_at_any_moment_leaves_the_old_or_the_new_site_whole(
    two_contents: tuple[Path, Path], two_sites: tuple[str, str, float], tmp_path: Path
) -> None:
    old, new = two_contents
    old_digest, new_digest, seconds = two_sites
    out = tmp_path / "out" / "site"
    build(old, out)
    rng = random.Random(20261120)
    outcomes = {"old": 0, "new": 0}
    for kill in range(KILLS):
        process = start_build(new, out)
        time.sleep(rng.uniform(0.2, 1.1) * seconds)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        found = digest(out)
        assert found in (old_digest, new_digest), f"kill {kill}: a mixed site"
        outcomes["old" if found == old_digest else "new"] += 1
        if found == new_digest:
            build(old, out)  # back to the old site for the next kill
            assert digest(out) == old_digest
    build(new, out)
    assert digest(out) == new_digest
    assert leftovers(out) == [], "the next build clears what killed builds left"
    assert sum(outcomes.values()) == KILLS


def test_a_failed_build_leaves_the_site_and_clears_leftovers(
    two_contents: tuple[Path, Path], two_sites: tuple[str, str, float], tmp_path: Path
) -> None:
    old, _ = two_contents
    out = tmp_path / "out" / "site"
    build(old, out)
    (out.parent / ".site.tmp-killed").mkdir()  # what a killed build leaves
    broken = tmp_path / "broken"
    shutil.copytree(old, broken)
    (broken / "site.yaml").write_text("title: [\n", encoding="utf-8")
    process = start_build(broken, out)
    assert process.wait(timeout=120) == 1
    assert digest(out) == two_sites[0]
    build(old, out)
    assert leftovers(out) == []


def test_two_builds_at_once_into_one_folder_leave_one_whole_site(
    two_contents: tuple[Path, Path], two_sites: tuple[str, str, float], tmp_path: Path
) -> None:
    old, new = two_contents
    old_digest, new_digest, _ = two_sites
    out = tmp_path / "site"
    for _ in range(3):
        first, second = start_build(old, out), start_build(new, out)
        for process in (first, second):
            _, stderr = process.communicate(timeout=120)
            assert process.returncode == 0, stderr.decode()
        assert digest(out) in (old_digest, new_digest)
        assert leftovers(out) == []


def test_the_output_is_never_missing_while_a_build_swaps_it(
    two_contents: tuple[Path, Path], tmp_path: Path
) -> None:
    """A reader polling the folder during builds always finds the index page."""
    old, new = two_contents
    out = tmp_path / "site"
    build(old, out)
    index = out / "index.html"
    misses = 0
    for content in (new, old, new):
        process = start_build(content, out)
        while process.poll() is None:
            misses += not os.path.isfile(index)
            time.sleep(0.001)
        assert process.returncode == 0
    assert misses == 0
