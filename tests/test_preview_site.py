"""The preview's site after a save: only the touched articles render again, in place,
and the folder always ends up exactly as a fresh build would make it."""

from __future__ import annotations

import filecmp
import os
from pathlib import Path

import pytest

from factsheet import preview as preview_module
from factsheet.pipeline import build_site
from factsheet.preview import PreviewSite, Update
from factsheet.problems import ContentError
from factsheet.project import DEFAULT_TEMPLATES
from factsheet.serve import BuildState
from tests.helpers import articles_rendered, good_files, write_tree

BASE = "http://127.0.0.1:8000/"
SECOND = "---\ntitle: Second\nretrieved: 2026-11-20\n---\nThe second article says little.\n"
SECOND_NOTES = """\
claims:
  - id: says-little
    quote: says little
    verdict: corroborated
    note: It does.
    reviewed: 2026-11-20
    sources:
      - title: A reading
"""


@pytest.fixture
def content(tmp_path: Path) -> Path:
    files = good_files()
    files["articles/second.md"] = SECOND
    files["annotations/second.yaml"] = SECOND_NOTES
    return write_tree(tmp_path / "content", files)


@pytest.fixture
def site(content: Path, tmp_path: Path) -> PreviewSite:
    preview = PreviewSite(content, tmp_path / "preview", DEFAULT_TEMPLATES, BASE, jobs=1)
    preview.update()
    return preview


def edit(path: Path, old: str, new: str) -> str:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    return str(path)


def same_as_a_fresh_build(preview: PreviewSite, content: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    build_site(content, fresh, base_url=BASE, jobs=1)
    differences: list[str] = []

    def compare(left: Path, right: Path, comparison: filecmp.dircmp[str]) -> None:
        for name in comparison.left_only + comparison.right_only:
            differences.append(f"only on one side: {left / name}")
        for name in comparison.common_files:
            if (left / name).read_bytes() != (right / name).read_bytes():
                differences.append(f"differs: {left / name}")
        for name, sub in comparison.subdirs.items():
            compare(left / name, right / name, sub)

    compare(preview.out, fresh, filecmp.dircmp(preview.out, fresh))
    assert differences == []


def test_the_first_update_builds_the_whole_site(site: PreviewSite, tmp_path: Path) -> None:
    assert (site.out / "articles/cruise-orbit.html").is_file()
    assert (site.out / "claims/second/says-little.html").is_file()
    same_as_a_fresh_build(site, site.content, tmp_path)


def test_a_save_renders_again_only_the_article_it_touched(
    site: PreviewSite, content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered = articles_rendered(monkeypatch, preview_module, "run_job")
    heard: list[Update] = []
    saved = edit(content / "annotations/cruise-orbit.yaml", "Estimates vary.", "Estimates differ.")
    update = site.update({saved}, on_pages=heard.append)
    assert rendered == ["cruise-orbit"]
    [pages] = heard  # the article's pages are in place before the site-wide pages
    assert pages.changed is not None
    assert set(pages.changed) == {
        "articles/cruise-orbit.html",
        "claims/cruise-orbit/film-budget.html",
    }
    assert update.changed is not None
    assert "claims.json" in update.changed  # the note is in the export
    assert "articles/second.html" not in update.changed
    assert "Estimates differ." in (site.out / "articles/cruise-orbit.html").read_text()
    same_as_a_fresh_build(site, content, tmp_path)


def test_a_save_that_changes_nothing_rewrites_nothing(site: PreviewSite, content: Path) -> None:
    path = content / "annotations/cruise-orbit.yaml"
    path.write_text(path.read_text())
    update = site.update({str(path)})
    assert update.changed == []


def test_a_removed_claim_loses_its_page(site: PreviewSite, content: Path, tmp_path: Path) -> None:
    path = content / "annotations/cruise-orbit.yaml"
    text = path.read_text()
    path.write_text(text[: text.index("  - id: film-budget")])
    update = site.update({str(path)})
    assert update.changed is not None
    assert "claims/cruise-orbit/film-budget.html" in update.changed
    assert not (site.out / "claims/cruise-orbit/film-budget.html").exists()
    same_as_a_fresh_build(site, content, tmp_path)


def test_a_verdict_change_reaches_the_fact_sheet_and_the_index(
    site: PreviewSite, content: Path, tmp_path: Path
) -> None:
    saved = edit(content / "annotations/second.yaml", "corroborated", "disputed")
    update = site.update({saved})
    assert update.changed is not None
    assert {"index.html", "fact-sheet.html", "fact-sheet/disputed.html"} <= set(update.changed)
    same_as_a_fresh_build(site, content, tmp_path)


UPDATE = "    updates:\n      - date: 2026-12-01\n        note: Verdict revised.\n"


def test_an_update_reaches_the_corrections_page_and_feed_in_place(
    site: PreviewSite, content: Path, tmp_path: Path
) -> None:
    notes = content / "annotations/cruise-orbit.yaml"
    saved = edit(notes, "    reviewed: 2026-11-21\n", "    reviewed: 2026-11-21\n" + UPDATE)
    update = site.update({saved})
    assert update.changed is not None
    assert {"corrections.html", "updates.xml"} <= set(update.changed)
    assert "Verdict revised." in (site.out / "corrections.html").read_text()
    same_as_a_fresh_build(site, content, tmp_path)


def test_a_claim_withdrawn_in_place_keeps_its_page_as_a_notice(
    site: PreviewSite, content: Path, tmp_path: Path
) -> None:
    notes = content / "annotations/second.yaml"
    saved = edit(notes, "    reviewed: 2026-11-20\n", "    reviewed: 2026-11-20\n" + UPDATE)
    saved = edit(
        notes, "    verdict: corroborated\n", "    verdict: corroborated\n    withdrawn: Wrong.\n"
    )
    update = site.update({saved})
    assert update.changed is not None
    assert "claims/second/says-little.html" in update.changed
    assert "We withdrew this check" in (site.out / "claims/second/says-little.html").read_text()
    assert 'data-claim="says-little"' not in (site.out / "articles/second.html").read_text()
    same_as_a_fresh_build(site, content, tmp_path)


@pytest.mark.parametrize(
    ("change", "relative"),
    [
        ("site config", "site.yaml"),
        ("a page", "pages/method.md"),
        ("a new article", "articles/third.md"),
    ],
)
def test_other_changes_rebuild_the_whole_site(
    site: PreviewSite, content: Path, tmp_path: Path, change: str, relative: str
) -> None:
    path = content / relative
    if path.exists():
        path.write_text(
            path.read_text().replace("Fact-Checked", "Checked").replace("every", "each")
        )
    else:
        path.write_text(SECOND.replace("Second", "Third"))
    update = site.update({str(path)})
    assert update.changed is None, change
    same_as_a_fresh_build(site, content, tmp_path)


def test_a_deleted_article_rebuilds_without_it(
    site: PreviewSite, content: Path, tmp_path: Path
) -> None:
    (content / "articles/second.md").unlink()
    (content / "annotations/second.yaml").unlink()
    update = site.update({str(content / "articles/second.md")})
    assert update.changed is None
    assert not (site.out / "articles/second.html").exists()
    same_as_a_fresh_build(site, content, tmp_path)


def test_a_broken_article_holds_back_every_write_until_it_is_fixed(
    site: PreviewSite, content: Path, tmp_path: Path
) -> None:
    orbit = content / "annotations/cruise-orbit.yaml"
    good = orbit.read_text()
    broken = edit(orbit, "cost $200 million", "cost $300 million")
    with pytest.raises(ContentError) as raised:
        site.update({broken})
    assert "the quote is not in" in raised.value.problems[0].message
    # the other article is saved meanwhile: still nothing is written, the error stays
    other = edit(content / "annotations/second.yaml", "It does.", "It does, briefly.")
    with pytest.raises(ContentError):
        site.update({other})
    assert "It does, briefly." not in (site.out / "articles/second.html").read_text()
    orbit.write_text(good)
    update = site.update({str(orbit)})
    assert update.changed is not None
    assert "articles/second.html" in update.changed  # held back, now written
    same_as_a_fresh_build(site, content, tmp_path)


def test_editors_swap_files_and_unrelated_files_do_not_count(
    site: PreviewSite, content: Path
) -> None:
    assert site.affects_site(str(content / "annotations/cruise-orbit.yaml"))
    assert site.affects_site(str(content / "site.yaml"))
    assert site.affects_site(str(DEFAULT_TEMPLATES / "claim.html"))
    assert not site.affects_site(str(content / "annotations/.cruise-orbit.yaml.swp"))
    assert not site.affects_site(str(content / "articles/cruise-orbit.md~"))
    assert not site.affects_site(str(content / "articles/4913"))
    assert not site.affects_site(str(content / "README.md"))


def test_an_open_page_learns_when_its_own_file_changed() -> None:
    state = BuildState()
    state.record([], None)  # the first build: every page is new
    assert state.snapshot(page="articles/a.html")["page"] == 1
    state.record([], ["articles/b.html"])
    assert state.snapshot(page="articles/a.html")["page"] == 1
    assert state.snapshot(page="articles/b.html")["page"] == 2
    state.record(["a.yaml:1:1: error: broken"])
    assert state.snapshot(page="articles/b.html")["page"] == 2
    state.record([], None)  # a whole rebuild reaches every page
    assert state.snapshot(page="articles/a.html")["page"] == 3


def test_the_preview_keeps_each_articles_exports_on_disk_not_in_memory(
    site: PreviewSite, content: Path, tmp_path: Path
) -> None:
    """An article's rows, exports and search documents, most of its records, are read back
    from the preview's spill file whenever the site-wide files are made again; its card and
    rows apart, for the fact sheet, which reads them an article at a time."""

    def spilled() -> int:
        return sum(k.place[1] + k.record[1] for k in site.kept)

    assert not any(hasattr(k, "outcome") for k in site.kept)
    assert site.spill.end == spilled() > 0
    site.update([edit(content / "annotations/second.yaml", "It does.", "It does, we checked.")])
    assert "It does, we checked." in (site.out / "claims.json").read_text()
    same_as_a_fresh_build(site, content, tmp_path)
    assert site.spill.end > spilled()  # the saved article's, added
    site.update()  # a whole rebuild starts a spill file of its own
    assert site.spill.end == spilled()


def test_the_spill_file_keeps_whole_records_when_writes_come_up_short(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write = os.pwrite
    monkeypatch.setattr(os, "pwrite", lambda fd, data, at: write(fd, bytes(data)[:3], at))
    spill = preview_module._Spill()
    places = [spill.put(b"first record"), spill.put(b"second")]
    assert [spill.get(place) for place in places] == [b"first record", b"second"]
    spill.close()
