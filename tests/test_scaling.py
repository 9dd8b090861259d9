"""Large fact sheets: parallel builds, no work when nothing changed, bounded pages."""

from __future__ import annotations

import gc
import hashlib
from pathlib import Path
from typing import Any

import pytest

from factsheet import build_stamp, site_pages
from factsheet.load import plan_content
from factsheet.pipeline import PARALLEL_FROM, build_planned, build_site
from factsheet.preview import PreviewSite
from factsheet.records import ClaimRow
from factsheet.templating import DEFAULT_TEMPLATES
from tests.helpers import good_files, write_tree
from tests.test_build import run


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def many_articles(root: Path, count: int) -> Path:
    files = good_files()
    article = str(files.pop("articles/cruise-orbit.md"))
    annotations = str(files.pop("annotations/cruise-orbit.yaml"))
    for number in range(count):
        files[f"articles/story-{number:03d}.md"] = article.replace("orbit", f"orbit {number}")
        files[f"annotations/story-{number:03d}.yaml"] = annotations
    return write_tree(root, files)


def test_a_build_on_several_processes_is_byte_identical_to_one_on_one(tmp_path: Path) -> None:
    """Articles, the fact sheet's pages and the article list's pages (rendered on the pool,
    several at a time) come out as one process makes them."""
    content = many_articles(tmp_path / "content", PARALLEL_FROM + 6)
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "index_articles: 4\n")  # eight list pages
    one = build_site(content, tmp_path / "one", jobs=1)
    two = build_site(content, tmp_path / "two", jobs=2)
    assert one == two
    assert two.articles == PARALLEL_FROM + 6 and two.claims == 2 * two.articles
    assert (tmp_path / "two/articles/page-8.html").is_file()
    assert digest(tmp_path / "one") == digest(tmp_path / "two")


def test_a_build_with_nothing_changed_does_nothing(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", good_files())
    out = tmp_path / "out"
    assert "Built" in run("build", "--content", str(content), "--out", str(out)).stdout
    before, inode = digest(out), out.stat().st_ino
    again = run("build", "--content", str(content), "--out", str(out))
    assert again.returncode == 0
    assert again.stdout.strip() == f"Nothing changed since the last build of {out}."
    assert out.stat().st_ino == inode and digest(out) == before


def test_a_rebuild_stamps_the_output_from_what_it_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stamp of a rebuild is the one a reading of the whole output makes (so the build
    after it has nothing to do), worked out from the files it changed alone."""
    content = many_articles(tmp_path / "content", 12)
    out = tmp_path / "out"
    notes = content / "annotations" / "story-004.yaml"
    for n in range(3):  # both generations written, then each rebuilt from the other
        notes.write_text(notes.read_text().replace("Estimates vary", f"Estimates vary {n}"))
        build_site(content, out, jobs=1)
    hashed: list[str] = []
    add = build_stamp.OutputFingerprint.add

    def counting(fingerprint: build_stamp.OutputFingerprint, files: Any, sign: int = 1) -> None:
        files = list(files)
        hashed.extend(relative for relative, _, _ in files)
        add(fingerprint, files, sign)

    monkeypatch.setattr(build_stamp.OutputFingerprint, "add", counting)
    notes.write_text(notes.read_text().replace("Estimates vary", "Estimates differ"))
    report = build_site(content, out, jobs=1)
    assert report.kept == 11
    assert "articles/story-004.html" in hashed  # removed as it was, added as it is
    kept = [h for h in hashed if "story-" in h and "story-004" not in h]
    assert kept == []  # none of the eleven other articles' pages
    hashed.clear()
    assert build_site(content, out, jobs=1).unchanged
    assert len(hashed) == report.files  # the next build reads the whole output to compare


@pytest.mark.parametrize(
    "change",
    ["content", "output", "base-url"],
)
def test_any_change_to_inputs_or_output_means_a_real_build(tmp_path: Path, change: str) -> None:
    content = write_tree(tmp_path / "content", good_files())
    out = tmp_path / "out"
    build_site(content, out)
    base_url = None
    if change == "content":
        page = content / "pages/method.md"
        page.write_text(page.read_text() + "\nOne more sentence.\n")
    elif change == "output":
        (out / "articles/cruise-orbit.html").write_text("edited by hand")
    else:
        base_url = "https://elsewhere.example.org/"
    report = build_site(content, out, base_url=base_url)
    assert not report.unchanged
    assert "edited by hand" not in (out / "articles/cruise-orbit.html").read_text()


def test_the_fact_sheet_is_split_into_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(site_pages, "FACT_SHEET_PAGE", 3)
    content = many_articles(tmp_path / "content", 4)  # 8 claims: 4 erroneous, 4 disputed
    out = tmp_path / "out"
    build_site(content, out, jobs=1)
    assert (out / "fact-sheet.html").is_file()
    assert (out / "fact-sheet/page-2.html").is_file()
    assert (out / "fact-sheet/page-3.html").is_file()
    assert not (out / "fact-sheet/page-4.html").exists()
    assert (out / "fact-sheet/erroneous-2.html").is_file()
    first = (out / "fact-sheet.html").read_text()
    assert first.count('<tr data-row-verdict="') == 3
    assert "8 claims, 1 to 3 on this page" in first
    assert 'href="fact-sheet/page-2.html" rel="next"' in first
    last = (out / "fact-sheet/page-3.html").read_text()
    assert last.count('<tr data-row-verdict="') == 2
    assert 'href="../fact-sheet/page-2.html" rel="prev"' in last
    sitemap = (out / "sitemap.xml").read_text()
    assert "fact-sheet/page-3.html</loc>" in sitemap


def rows_alive_at_each_fact_sheet_page(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Pages of one claim, one at a time; the list fills, as the build goes, with how many
    fact-sheet rows are in memory as each fact-sheet page is rendered."""
    monkeypatch.setattr(site_pages, "FACT_SHEET_PAGE", 1)
    monkeypatch.setattr(site_pages, "PAGES_AT_ONCE", 1)
    alive: list[int] = []
    render = site_pages.render_site_page

    def counting(*args: object) -> str:
        if args[3].template == "fact_sheet.html":  # type: ignore[attr-defined]
            alive.append(sum(isinstance(o, ClaimRow) for o in gc.get_objects()))
        return render(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(site_pages, "render_site_page", counting)
    return alive


def test_a_fact_sheet_page_holds_its_rows_only_until_it_is_rendered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Memory holds the rows of the pages being filled, not of every page made so far."""
    content = many_articles(tmp_path / "content", 6)  # 12 claims: a page each, whole and by verdict
    alive = rows_alive_at_each_fact_sheet_page(monkeypatch)
    build_site(content, tmp_path / "out", jobs=1)
    assert len(alive) == 25  # and the one, empty, of corroborated claims
    assert max(alive) <= 4  # two articles' rows at most, however many pages were made


def test_a_build_that_keeps_no_cache_reads_the_fact_sheets_rows_back_from_a_scratch_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview's first build keeps no cache for the next one; it still does not hold
    every article's rows until the fact sheet is made: it writes them to an unnamed file."""
    content = many_articles(tmp_path / "content", 6)
    alive = rows_alive_at_each_fact_sheet_page(monkeypatch)
    heard: list[str] = []
    plan = plan_content(content)
    build_planned(
        plan, tmp_path / "out", DEFAULT_TEMPLATES, 1, on_outcome=lambda o, s: heard.append(o.slug)
    )
    assert len(heard) == 6 and len(alive) == 25
    assert max(alive) <= 4  # held all 12 when they were kept in memory
    assert not [p.name for p in tmp_path.iterdir() if "records" in p.name]  # nothing left beside


def test_the_preview_assembles_the_fact_sheet_reading_each_articles_rows_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview makes the site-wide pages again from its kept records: the fact sheet
    reads an article's rows from its spill file when it needs them."""
    content = many_articles(tmp_path / "content", 6)
    alive = rows_alive_at_each_fact_sheet_page(monkeypatch)
    site = PreviewSite(content, tmp_path / "preview", DEFAULT_TEMPLATES, "http://127.0.0.1:8000/")
    site.update()  # its build, then its own assembly of the site-wide pages
    assert len(alive) == 50  # every fact-sheet page, made by each
    assert max(alive) <= 4  # held all 12 while the assembly kept every article's rows
