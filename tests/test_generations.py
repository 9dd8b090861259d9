"""The output folder is a link to one of two generations; a build writes the other one and
switches the link, so a rebuild writes only what changed and the switch is one atomic step.

- ``site`` links to ``.site.a`` or ``.site.b`` beside it; each build that changes something
  switches it, and the served generation is never written.
- A first build makes both generations (the second as hard links), so the next build writes
  only the pages that changed, keeps every other file as it is, and is byte for byte what a
  cold build makes.
- Whatever a failed build, a killed one or a hand left in the generation being written is not
  in the next site; a folder from before generations is replaced whole.
- The site served is a plain folder of files to whatever reads it (GitHub Pages uploads it with
  ``tar --dereference``).
"""

from __future__ import annotations

import os
import subprocess
import tarfile
from pathlib import Path

import pytest

from factsheet import incremental
from factsheet.article_cache import GenerationState, Pages
from factsheet.generations import pack_stats
from factsheet.pipeline import build_site
from factsheet.problems import ContentError
from tests.helpers import good_files, write_tree

SECOND = "---\ntitle: Second\nretrieved: 2026-11-20\n---\nThe second article says little.\n"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    files = good_files()
    files["articles/second.md"] = SECOND
    return write_tree(tmp_path / "content", files)


def build(content: Path, out: Path) -> None:
    build_site(content, out, jobs=1)


def edit(content: Path, old: str = "Estimates vary.", new: str = "Estimates differ.") -> None:
    notes = content / "annotations/cruise-orbit.yaml"
    text = notes.read_text()
    notes.write_text(text.replace(old, new) if old in text else text.replace(new, old))


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def inodes(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_ino
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_the_output_links_to_the_generation_each_build_wrote(content: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build(content, site)
    assert os.readlink(site) == ".site.a" and (tmp_path / ".site.a/index.html").is_file()
    edit(content)
    build(content, site)
    assert os.readlink(site) == ".site.b"
    edit(content)
    build(content, site)
    assert os.readlink(site) == ".site.a"


def test_a_first_build_makes_both_generations(content: Path, tmp_path: Path) -> None:
    build(content, tmp_path / "site")
    first, second = tmp_path / ".site.a", tmp_path / ".site.b"
    assert files(first) == files(second)
    assert inodes(first) == inodes(second)  # hard links: no page was written twice


def test_a_link_left_to_generations_that_are_gone_is_a_first_build(
    content: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    site.symlink_to(".site.a")  # the generations were deleted by hand, the link was not
    build(content, site)
    assert (tmp_path / ".site.a/index.html").is_file()
    first, second = tmp_path / ".site.a", tmp_path / ".site.b"
    assert inodes(first) == inodes(second)  # both made, so the next build writes what changed


def test_a_rebuild_writes_only_what_the_change_touches(content: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build(content, site)
    before = inodes(site)
    edit(content)
    build(content, site)
    after = inodes(site)
    rewritten = sorted(path for path in after if after[path] != before.get(path))
    assert "articles/cruise-orbit.html" in rewritten
    assert "articles/second.html" not in rewritten
    assert not [p for p in rewritten if p.startswith(("static/", "pages/", "fact-sheet"))]
    assert set(rewritten) <= {
        "articles/cruise-orbit.html",
        *(p for p in after if p.startswith("claims/cruise-orbit/")),
        *(p for p in after if p.startswith("search/")),  # the part of the index that holds it
        "search.html",  # which lists the parts of the index
        "claims.json",
        "annotations.jsonld",
        "sitemap.xml",
        "feed.xml",
    }
    build_site(content, tmp_path / "cold", jobs=1)
    assert files(site) == files(tmp_path / "cold")


def test_every_later_rebuild_is_byte_for_byte_a_cold_build(content: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build(content, site)
    for step in range(4):
        edit(content)
        if step == 2:  # a claim's verdict changes too: the index and the fact sheet follow
            edit(content, "verdict: disputed", "verdict: corroborated")
        build(content, site)
        cold = tmp_path / f"cold-{step}"
        build_site(content, cold, jobs=1)
        assert files(site) == files(cold), step


def test_what_a_failed_build_or_a_hand_left_in_a_generation_is_not_in_the_next_site(
    content: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    build(content, site)
    idle = tmp_path / ".site.b"
    (idle / "claims/cruise-orbit/stray.html").write_text("left behind")
    (idle / "claims/gone").mkdir()
    (idle / "claims/gone/page.html").write_text("left behind")
    (idle / "index.html").unlink()
    (idle / "articles/second.html").write_text("edited in the generation")
    edit(content)
    build(content, site)
    assert os.readlink(site) == ".site.b"
    build_site(content, tmp_path / "cold", jobs=1)
    assert files(site) == files(tmp_path / "cold")


def test_a_failed_build_leaves_the_served_site_and_the_next_one_is_whole(
    content: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    build(content, site)
    served = files(site)
    notes = content / "annotations/cruise-orbit.yaml"
    good = notes.read_text()
    notes.write_text(good.replace("verdict: disputed", "verdict: disputd"))
    with pytest.raises(ContentError):
        build(content, site)
    assert os.readlink(site) == ".site.a" and files(site) == served
    notes.write_text(good.replace("Estimates vary.", "Estimates differ."))
    build(content, site)
    build_site(content, tmp_path / "cold", jobs=1)
    assert files(site) == files(tmp_path / "cold")


def test_a_plain_output_folder_is_replaced_by_the_link(content: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "old-page.html").write_text("from before")
    build(content, site)
    assert site.is_symlink() and not (site / "old-page.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site.tmp")) == []


def test_the_served_site_uploads_as_a_plain_folder(content: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build(content, site)
    edit(content)
    build(content, site)
    archive = tmp_path / "artifact.tar"
    # what actions/upload-pages-artifact runs
    subprocess.run(
        [
            "tar",
            "--dereference",
            "--hard-dereference",
            "--directory",
            str(site),
            "-cf",
            str(archive),
            ".",
        ],
        check=True,
    )
    with tarfile.open(archive) as tar:
        members = tar.getmembers()
        names = {m.name.removeprefix("./") for m in members if m.isfile()}
        assert all(m.isfile() or m.isdir() for m in members)
    assert names == set(files(site))


def _generation_of(folder: Path, articles: int) -> GenerationState:
    """A generation of ``articles`` articles of three pages each, written in ``folder``."""
    state = GenerationState()
    for number in range(articles):
        paths = tuple(f"claims/a{number}/{page}.html" for page in ("one", "two", "three"))
        stats = []
        for relative in paths:
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(relative)
            status = path.stat()
            stats.append((status.st_size, status.st_mtime_ns))
        state.articles[f"a{number}"] = Pages(f"key{number}", paths, pack_stats(stats))
    return state


@pytest.mark.parametrize("forking", [True, False], ids=["a child process", "the build's own"])
def test_the_pages_a_generation_holds_as_written_are_known_by_their_status(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forking: bool
) -> None:
    state = _generation_of(tmp_path, 300)
    for number in range(3):  # the search index's parts are asked of too
        state.parts[f"part{number}"] = state.articles.pop(f"a{297 + number}")
    (tmp_path / "claims/a7/two.html").write_text("edited by hand")
    (tmp_path / "claims/a250/three.html").unlink()
    (tmp_path / "claims/a298/one.html").write_text("edited by hand")
    monkeypatch.setattr(incremental, "_can_fork", lambda: forking)  # on Linux, as the tests run
    check = incremental.IntactCheck(state, os.fspath(tmp_path))
    assert bool(check.articles.pid) == forking
    assert bool(check.parts.pid) == forking
    folder = os.open(tmp_path, os.O_RDONLY)
    try:
        stale = [slug for slug in state.articles if not check.intact(slug, folder)]
        stale_parts = [key for key in state.parts if not check.part_intact(key, folder)]
    finally:
        check.close()
        os.close(folder)
    assert stale == ["a7", "a250"]
    assert stale_parts == ["part1"]
