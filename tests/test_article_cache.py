"""A build after a change renders only the articles whose inputs changed, keeps the others'
pages, and makes byte for byte the site a cold build makes."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from factsheet import article_job, pipeline
from factsheet.article_cache import MAGIC
from factsheet.pipeline import build_site
from tests.helpers import articles_rendered, good_files, write_tree

SECOND = "---\ntitle: Second\nretrieved: 2026-11-20\n---\nThe second article says little.\n"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    files = good_files()
    files["articles/second.md"] = SECOND
    return write_tree(tmp_path / "content", files)


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The articles each build renders (as opposed to keeping from the last build): on a
    pool, in this process, or first of all (a few changed ones of a site with search)."""
    slugs = articles_rendered(monkeypatch, article_job, "run_job")
    monkeypatch.setattr(pipeline, "run_job", article_job.run_job)
    return slugs


@pytest.fixture
def site(content: Path, tmp_path: Path, rendered: list[str]) -> Path:
    """The content built once into ``site/``, as the last build before the test's."""
    build(content, tmp_path / "site")
    return tmp_path / "site"


def build(content: Path, out: Path) -> None:
    build_site(content, out, jobs=1)


def build_again(content: Path, site: Path, rendered: list[str]) -> list[str]:
    """Build once more, not as a no-op (a file is saved unchanged); what was rendered."""
    os.utime(content / "site.yaml")
    rendered.clear()
    build(content, site)
    return rendered


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_a_change_to_one_article_renders_only_that_article(
    content: Path, tmp_path: Path, rendered: list[str]
) -> None:
    build(content, tmp_path / "site")
    assert rendered == ["cruise-orbit", "second"]
    notes = content / "annotations/cruise-orbit.yaml"
    notes.write_text(notes.read_text().replace("Estimates vary.", "Estimates differ."))
    rendered.clear()
    build(content, tmp_path / "site")
    assert rendered == ["cruise-orbit"]
    build(content, tmp_path / "cold")  # no cache beside this folder: everything is rendered
    assert rendered == ["cruise-orbit", "cruise-orbit", "second"]
    assert tree(tmp_path / "site") == tree(tmp_path / "cold")


def test_the_command_says_how_many_articles_were_kept(content: Path, tmp_path: Path) -> None:
    from tests.test_build import run

    out = tmp_path / "site"
    assert "kept" not in run("build", "--content", str(content), "--out", str(out)).stdout
    notes = content / "annotations/cruise-orbit.yaml"
    notes.write_text(notes.read_text().replace("Estimates vary.", "Estimates differ."))
    again = run("build", "--content", str(content), "--out", str(out)).stdout
    assert "(1 unchanged article kept from the last build)" in again


def test_kept_pages_are_not_written_again(content: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build(content, site)
    before = os.stat(site / "articles/second.html")
    notes = content / "annotations/cruise-orbit.yaml"
    notes.write_text(notes.read_text().replace("Estimates vary.", "Estimates differ."))
    build(content, site)
    after = os.stat(site / "articles/second.html")
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert "Estimates differ." in (site / "articles/cruise-orbit.html").read_text()


@pytest.mark.parametrize(
    ("what", "relative", "old", "new"),
    [
        ("site config", "site.yaml", "Fact-Checked", "Checked"),
        ("a standalone page", "pages/method.md", "every sentence", "each sentence"),
    ],
)
def test_a_change_shared_by_every_article_renders_them_all(
    content: Path,
    tmp_path: Path,
    rendered: list[str],
    what: str,
    relative: str,
    old: str,
    new: str,
) -> None:
    build(content, tmp_path / "site")
    path = content / relative
    path.write_text(path.read_text().replace(old, new))
    rendered.clear()
    build(content, tmp_path / "site")
    assert rendered == ["cruise-orbit", "second"], what


def test_other_templates_render_every_article(
    content: Path, tmp_path: Path, rendered: list[str]
) -> None:
    from factsheet.project import DEFAULT_TEMPLATES

    templates = tmp_path / "templates"
    templates.mkdir()
    for source in DEFAULT_TEMPLATES.rglob("*"):
        if source.is_file():
            target = templates / source.relative_to(DEFAULT_TEMPLATES)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    build_site(content, tmp_path / "site", templates=templates, jobs=1)
    claim = templates / "claim.html"
    claim.write_text(claim.read_text().replace("Our verdict:", "Verdict:"))
    rendered.clear()
    build_site(content, tmp_path / "site", templates=templates, jobs=1)
    assert rendered == ["cruise-orbit", "second"]
    assert "Verdict:" in (tmp_path / "site/claims/cruise-orbit/film-budget.html").read_text()


def test_a_page_edited_in_the_output_is_rendered_again(
    content: Path, site: Path, rendered: list[str]
) -> None:
    edited = site / "articles/second.html"
    edited.write_text(edited.read_text() + "<!-- edited by hand -->")
    assert build_again(content, site, rendered) == ["second"]
    assert "edited by hand" not in edited.read_text()


def test_a_cache_file_not_signed_by_this_user_is_never_unpickled(
    content: Path, site: Path, tmp_path: Path, rendered: list[str]
) -> None:
    marker = tmp_path / "unpickled"
    planted = pickle.dumps(_Plant(str(marker)))
    (tmp_path / ".site.cache").write_bytes(MAGIC + b"\0" * 32 + planted)
    assert build_again(content, site, rendered) == ["cruise-orbit", "second"]  # a cold build
    assert not marker.exists()


def test_a_damaged_cache_file_means_a_cold_build(
    content: Path, site: Path, tmp_path: Path, rendered: list[str]
) -> None:
    cache = tmp_path / ".site.cache"
    cache.write_bytes(cache.read_bytes()[:100])
    assert build_again(content, site, rendered) == ["cruise-orbit", "second"]


class _Plant:
    """A pickle that leaves a file behind when it is loaded."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (_touch, (self.path, "x"))


def _touch(path: str, text: str) -> None:
    Path(path).write_text(text)


def test_a_kept_article_still_lists_its_updates_on_the_corrections_page(
    content: Path, tmp_path: Path, rendered: list[str]
) -> None:
    notes = content / "annotations/cruise-orbit.yaml"
    update = "    updates:\n      - date: 2026-12-01\n        note: Estimates revised.\n"
    notes.write_text(notes.read_text() + update)
    build(content, tmp_path / "site")
    article = content / "articles/second.md"
    article.write_text(article.read_text().replace("says little", "says a little"))
    rendered.clear()
    build(content, tmp_path / "site")
    assert rendered == ["second"]  # cruise-orbit, with the update, was kept
    assert "Estimates revised." in (tmp_path / "site/corrections.html").read_text()
    assert "Estimates revised." in (tmp_path / "site/updates.xml").read_text()
    build(content, tmp_path / "cold")
    assert tree(tmp_path / "site") == tree(tmp_path / "cold")


def test_a_damaged_records_file_means_a_cold_build_not_a_failure(
    content: Path, site: Path, tmp_path: Path, rendered: list[str]
) -> None:
    records = next(tmp_path.glob(".site.records-*"))
    records.write_bytes(bytes(records.stat().st_size))  # every article's records, zeros
    notes = content / "annotations/cruise-orbit.yaml"  # a new verdict: every list needs them
    notes.write_text(notes.read_text().replace("verdict: disputed", "verdict: corroborated"))
    rendered.clear()
    build(content, site)
    assert rendered == ["cruise-orbit", "cruise-orbit", "second"]  # then again from nothing
    build(content, tmp_path / "cold")
    assert tree(site) == tree(tmp_path / "cold")


def _records(tmp_path: Path) -> Path:
    (found,) = tmp_path.glob(".site.records-*")
    return found


def test_a_rebuild_appends_the_changed_records_to_the_last_builds_file(
    content: Path, site: Path, tmp_path: Path, rendered: list[str]
) -> None:
    records = _records(tmp_path)
    before = records.stat()
    notes = content / "annotations/cruise-orbit.yaml"
    notes.write_text(notes.read_text().replace("Estimates vary.", "Estimates differ."))
    rendered.clear()
    build(content, site)
    assert rendered == ["cruise-orbit"]
    after = _records(tmp_path).stat()
    assert after.st_ino == before.st_ino  # the same file, not a copy of it
    assert before.st_size < after.st_size < 2 * before.st_size
    build(content, tmp_path / "cold")
    assert tree(site) == tree(tmp_path / "cold")


def test_a_failed_build_leaves_the_records_file_as_the_last_build_wrote_it(
    content: Path, site: Path, tmp_path: Path, rendered: list[str]
) -> None:
    before = _records(tmp_path).read_bytes()
    article = content / "articles/second.md"
    article.write_text(article.read_text() + "More text.\n")
    (content / "site.yaml").write_text((content / "site.yaml").read_text() + "nonsense: [\n")
    with pytest.raises(pipeline.ContentError):
        build(content, site)
    assert _records(tmp_path).read_bytes() == before


def test_when_most_of_the_records_file_is_stale_a_new_one_replaces_it(
    content: Path, site: Path, tmp_path: Path, rendered: list[str]
) -> None:
    first = _records(tmp_path)
    notes = content / "annotations/cruise-orbit.yaml"
    for number in range(12):  # each edit leaves the article's last records behind
        notes.write_text(notes.read_text().replace("Estimates vary", f"Estimates vary ({number})"))
        build(content, site)
        if _records(tmp_path).name != first.name:
            break
    else:
        pytest.fail("the records file only grew")
    assert not first.exists()
    build(content, tmp_path / "cold")
    assert tree(site) == tree(tmp_path / "cold")
    notes.write_text(notes.read_text().replace("Estimates vary", "Estimates differ"))
    rendered.clear()
    build(content, site)  # the new file's records serve the next build
    assert rendered == ["cruise-orbit"]
    build(content, tmp_path / "cold")
    assert tree(site) == tree(tmp_path / "cold")


def test_a_concatenated_file_that_gets_shorter_is_written_over_in_place_to_its_new_end(
    content: Path, site: Path, tmp_path: Path, rendered: list[str]
) -> None:
    (content / "articles/second.md").unlink()  # claims.json and the others lose an article
    build_again(content, site, rendered)  # into one generation
    other = Path(os.path.realpath(site)).with_suffix(
        ".a" if site.resolve().suffix == ".b" else ".b"
    )
    before = (other / "claims.json").stat()  # the other, still with both articles
    assert before.st_nlink == 1
    build_again(content, site, rendered)
    assert site.resolve() == other
    after = (other / "claims.json").stat()
    assert after.st_ino == before.st_ino and after.st_size < before.st_size
    build(content, tmp_path / "cold")
    assert tree(site) == tree(tmp_path / "cold")
