"""No silent changes: ``check --baseline`` and ``build --baseline`` against a published site.

Each test publishes a small site (``helpers.good_files``), keeps its ``claims.json`` as the
baseline, edits the content as an editor would, and runs the command line from the folder
that holds both, so paths print as an editor sees them.
"""

from __future__ import annotations

import json
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tests.claim_html import claims_in
from tests.helpers import good_files, write_tree
from tests.test_build import run, tree_digest

ANNOTATIONS = "content/annotations/cruise-orbit.yaml"
ARTICLE = "content/articles/cruise-orbit.md"
BASELINE = "published/claims.json"
ATOM = "{http://www.w3.org/2005/Atom}"

BUDGET_END = "    reviewed: 2026-11-21\n"  # the film-budget claim's last line (the file's last)
YEAR_END = "        date: 2020-05-05\n"  # the mission-impossible-year claim's last line
UPDATE = (
    "    updates:\n"
    "      - date: 2026-12-01\n"
    '        note: "Verdict changed from disputed to corroborated: the '
    "[studio's filing](https://studio.example.com/budget) gives the figure.\"\n"
)
WITHDRAWAL = (
    "    withdrawn: The outlet had already corrected the year; our check was of an old copy.\n"
    "    updates:\n"
    "      - date: 2026-12-02\n"
    "        note: Withdrawn after the outlet showed its correction.\n"
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A content folder, built once as the published site whose claims.json is the baseline."""
    write_tree(tmp_path / "content", good_files())
    publish(tmp_path)
    return tmp_path


def publish(folder: Path) -> None:
    result = run("build", "--content", "content", "--out", "published", cwd=folder)
    assert result.returncode == 0, result.stderr


def edit(folder: Path, old: str, new: str, *, count: int = 1) -> str:
    """Replace ``old`` by ``new`` in the annotation file; return the file's new text."""
    path = folder / ANNOTATIONS
    text = path.read_text()
    assert old in text, old
    text = text.replace(old, new, count)
    path.write_text(text)
    return text


def check(
    folder: Path, *extra: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    result = run(
        "check", "--content", "content", "--baseline", BASELINE, *extra, cwd=folder, env=env
    )
    assert "Traceback" not in result.stdout + result.stderr
    return result


def build(folder: Path, out: str = "site") -> subprocess.CompletedProcess[str]:
    result = run("build", "--content", "content", "--out", out, "--baseline", BASELINE, cwd=folder)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def errors(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert result.returncode == 1, result.stdout + result.stderr
    return [line for line in result.stderr.splitlines() if ": error: " in line]


def where(text: str, needle: str) -> str:
    """``LINE:COL`` of ``needle`` in ``text``, as problems print it."""
    start = text.index(needle)
    line = text[:start].count("\n") + 1
    return f"{line}:{start - text.rfind(chr(10), 0, start)}"


def reviews(html: str) -> list[dict[str, Any]]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(data) for data in found]


def claims_json(site: Path) -> dict[str, dict[str, Any]]:
    data = json.loads((site / "claims.json").read_text())
    return {c["id"]: c for article in data["articles"] for c in article["claims"]}


# --- verdicts and corrections --------------------------------------------------------------


def test_unchanged_content_passes_against_its_own_baseline(folder: Path) -> None:
    result = check(folder)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: 1 articles, 2 claims")


def test_a_changed_verdict_fails_at_the_verdict_line(folder: Path) -> None:
    text = edit(folder, "verdict: disputed", "verdict: corroborated")
    [error] = errors(check(folder))
    assert error.startswith(f"{ANNOTATIONS}:{where(text, 'corroborated')}: error: ")
    assert "the verdict changed from disputed to corroborated" in error
    assert BASELINE in error
    assert "add under 'updates:' an entry dated the day of the change" in error


def test_on_github_actions_a_silent_change_is_shown_on_the_diff(folder: Path) -> None:
    text = edit(folder, "verdict: disputed", "verdict: corroborated")
    result = check(folder, env={"GITHUB_ACTIONS": "true"})
    line, col = where(text, "corroborated").split(":")
    assert f"::error file={ANNOTATIONS},line={line},col={col}::the verdict changed" in result.stdout


def test_a_changed_correction_fails_at_the_correction_line(folder: Path) -> None:
    text = edit(folder, "came out in 1996.", "was released in 1996.")
    [error] = errors(check(folder))
    at = where(text, '"The first Mission')
    assert error.startswith(f"{ANNOTATIONS}:{at}: error: ")
    assert "the correction changed since the published version" in error


def test_other_edits_need_no_update(folder: Path) -> None:
    edit(folder, "Estimates vary.", "Estimates vary widely.")
    assert check(folder).returncode == 0


def test_an_update_makes_a_changed_verdict_pass_and_shows_everywhere(folder: Path) -> None:
    edit(folder, "verdict: disputed", "verdict: corroborated")
    edit(folder, BUDGET_END, BUDGET_END + UPDATE)
    assert check(folder).returncode == 0
    result = build(folder)
    assert result.returncode == 0, result.stderr
    site = folder / "site"
    said = "Verdict changed from disputed to corroborated"

    page = (site / "claims/cruise-orbit/film-budget.html").read_text()
    assert re.search(
        r'Updated <time datetime="2026-12-01">1 December 2026</time>:</strong> ' + said, page
    )
    assert 'href="https://studio.example.com/budget"' in page  # the note is Markdown
    [review] = reviews(page)
    assert review["datePublished"] == "2026-11-21"
    assert review["dateModified"] == "2026-12-01"

    article = (site / "articles/cruise-orbit.html").read_text()
    note = article[article.index('id="note-film-budget"') :]
    note = note[: note.index('<div class="note-foot">')]
    assert 'Updated <time datetime="2026-12-01">' in note and said in note
    by_url = {r["url"].rsplit("#", 1)[-1]: r for r in reviews(article)}
    assert by_url["claim-film-budget"]["dateModified"] == "2026-12-01"
    assert "dateModified" not in by_url["claim-mission-impossible-year"]

    corrections = (site / "corrections.html").read_text()
    entry = corrections[corrections.index('id="cruise-orbit--film-budget--2026-12-01"') :]
    assert entry.index("Updated") < entry.index(said)
    assert 'href="claims/cruise-orbit/film-budget.html"' in entry
    assert 'href="articles/cruise-orbit.html#claim-film-budget"' in entry

    feed = ET.parse(site / "updates.xml").getroot()
    [item] = feed.findall(f"{ATOM}entry")
    assert (
        item.findtext(f"{ATOM}title")
        == "Updated: “cost $200 million” in Tom Cruise to film in orbit"
    )
    assert item.findtext(f"{ATOM}updated") == "2026-12-01T00:00:00+00:00"
    assert said in (item.findtext(f"{ATOM}content") or "")
    assert feed.findtext(f"{ATOM}updated") == "2026-12-01T00:00:00+00:00"

    record = claims_json(site)["film-budget"]
    assert record["updates"][0]["date"] == "2026-12-01"
    assert record["updates"][0]["note"].startswith(said)
    assert record["withdrawn"] is None
    assert claims_json(site)["mission-impossible-year"]["updates"] == []


def test_an_update_no_newer_than_the_published_ones_does_not_count(folder: Path) -> None:
    edit(folder, BUDGET_END, BUDGET_END + UPDATE)
    publish(folder)  # the published site now has the update of 2026-12-01
    text = edit(folder, "verdict: disputed", "verdict: erroneous\n    correction: It cost less.")
    older = "      - date: 2026-11-30\n        note: Verdict changed again.\n"
    text = edit(folder, UPDATE, UPDATE + older)
    [error] = errors(check(folder))
    at = where(text, "erroneous\n    correction: It")
    assert error.startswith(f"{ANNOTATIONS}:{at}: error: ")
    assert "(after 2026-12-01, the newest published one)" in error
    # a second update on the day of the newest published one is new
    edit(folder, "2026-11-30", "2026-12-01")
    assert check(folder).returncode == 0


def test_a_published_update_may_not_be_removed(folder: Path) -> None:
    edit(folder, BUDGET_END, BUDGET_END + UPDATE)
    publish(folder)
    text = edit(folder, "2026-12-01", "2026-12-04")  # its date changed: the first is gone
    [error] = errors(check(folder))
    at = where(text, "- date: 2026-12-04")  # the list of updates
    assert error.startswith(f"{ANNOTATIONS}:{at}: error: ")
    assert "the update of 2026-12-01 is published" in error
    edit(folder, "2026-12-04", "2026-12-01")
    edit(folder, "gives the figure.", "gives the figure (its wording improved).")
    assert check(folder).returncode == 0


# --- removing and withdrawing --------------------------------------------------------------


def test_removing_a_claim_fails_at_its_annotation_file(folder: Path) -> None:
    text = (folder / ANNOTATIONS).read_text()
    (folder / ANNOTATIONS).write_text(text[: text.index("  - id: film-budget")])
    [error] = errors(check(folder))
    assert error.startswith(
        f"{ANNOTATIONS}:1: error: claim 'film-budget' of article 'cruise-orbit'"
    )
    assert "a published claim is never removed" in error
    assert "withdrawn" in error


def test_removing_the_annotation_file_fails_at_the_article(folder: Path) -> None:
    (folder / ANNOTATIONS).unlink()
    [error] = errors(check(folder))
    assert error.startswith(f"{ARTICLE}:1: error: claims 'mission-impossible-year', 'film-budget'")


def test_removing_the_article_and_its_annotations_fails_too(folder: Path) -> None:
    (folder / ANNOTATIONS).unlink()
    (folder / ARTICLE).unlink()
    [error] = errors(check(folder))
    assert error.startswith(f"{ARTICLE}:1: error: claims 'mission-impossible-year', 'film-budget'")


def test_claims_lost_to_a_broken_file_are_not_reported_as_removed(folder: Path) -> None:
    text = edit(folder, "verdict: disputed", "verdict: dispute")
    [error] = errors(check(folder))
    at = where(text, "dispute")
    assert error.startswith(f"{ANNOTATIONS}:{at}: error: unknown verdict")


def test_withdrawing_a_claim_passes_and_leaves_a_tombstone(folder: Path) -> None:
    edit(folder, YEAR_END, YEAR_END + WITHDRAWAL)
    checked = check(folder)
    assert checked.returncode == 0
    assert checked.stdout.startswith("OK: 1 articles, 1 claims")  # the withdrawn one not counted
    result = build(folder)
    assert result.returncode == 0, result.stderr
    assert "1 articles, 1 claims" in result.stdout
    site = folder / "site"

    tombstone = (site / "claims/cruise-orbit/mission-impossible-year.html").read_text()
    assert (
        'We withdrew this check on <time datetime="2026-12-02">2 December 2026</time>' in tombstone
    )
    assert "The outlet had already corrected the year; our check was of an old copy." in tombstone
    assert "Withdrawn after the outlet showed its correction." in tombstone  # its history
    assert "first Mission: Impossible film in 1992" in tombstone
    assert reviews(tombstone) == []  # no ClaimReview: the check no longer stands

    article = (site / "articles/cruise-orbit.html").read_text()
    assert set(claims_in(article)) == {"film-budget"}  # no longer marked
    notice = article[article.index('id="claim-mission-impossible-year"') :]
    notice = notice[: notice.index("</li>")]
    assert 'withdrawn <time datetime="2026-12-02">' in notice
    assert 'href="../claims/cruise-orbit/mission-impossible-year.html"' in notice
    assert [r["url"].rsplit("#", 1)[-1] for r in reviews(article)] == ["claim-film-budget"]

    sheet = (site / "fact-sheet.html").read_text()
    assert "mission-impossible-year" not in sheet
    data = json.loads((site / "claims.json").read_text())
    assert data["articles"][0]["counts"] == {"corroborated": 0, "disputed": 1, "erroneous": 0}
    record = claims_json(site)["mission-impossible-year"]
    assert record["withdrawn"].startswith("The outlet had already corrected the year")
    assert record["page"] == "claims/cruise-orbit/mission-impossible-year.html"
    assert "mission-impossible-year" not in (site / "annotations.jsonld").read_text()
    assert "mission-impossible-year" not in (site / "feed.xml").read_text()

    corrections = (site / "corrections.html").read_text()
    entry = corrections[
        corrections.index('id="cruise-orbit--mission-impossible-year--2026-12-02"') :
    ]
    assert entry.index("Withdrawn") < entry.index("The outlet had already corrected the year")
    [item] = ET.parse(site / "updates.xml").getroot().findall(f"{ATOM}entry")
    assert (item.findtext(f"{ATOM}title") or "").startswith("Withdrawn: “first Mission")


def test_withdrawing_needs_an_update_newer_than_the_published_ones(folder: Path) -> None:
    edit(
        folder,
        YEAR_END,
        YEAR_END + "    updates:\n      - date: 2026-12-01\n        note: Sources added.\n",
    )
    publish(folder)
    text = edit(
        folder, "    updates:\n", "    withdrawn: We were wrong to check it.\n    updates:\n"
    )
    [error] = errors(check(folder))
    at = where(text, "We were wrong")
    assert error.startswith(f"{ANNOTATIONS}:{at}: error: ")
    assert "the claim is withdrawn here but not in the published version" in error
    edit(
        folder,
        "    updates:\n",
        "    updates:\n      - date: 2026-12-03\n        note: Withdrawn.\n",
    )
    assert check(folder).returncode == 0


def test_a_withdrawn_claim_may_overlap_a_marked_one(folder: Path) -> None:
    edit(folder, YEAR_END, YEAR_END + WITHDRAWAL)
    edit(
        folder,
        "  - id: film-budget\n",
        "  - id: star-of-the-film\n"
        '    quote: "star of the first Mission"\n'
        "    verdict: corroborated\n"
        "    note: He starred in it.\n"
        "    sources:\n      - title: A film guide\n"
        "  - id: film-budget\n",
    )
    assert check(folder).returncode == 0


# --- the baseline itself -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "location", "words"),
    [
        (None, f"{BASELINE}:1", "the baseline file does not exist"),
        ('{"site": {},\n"articles": [}', f"{BASELINE}:2:14", "the baseline is not valid JSON"),
        ("[1, 2]", f"{BASELINE}:1", 'expected an object with an "articles" list'),
        (
            '{"articles": [{"slug": "cruise-orbit", "claims": [{"id": "x"}]}]}',
            f"{BASELINE}:1",
            'articles[0].claims[0] ("x") has no "verdict"',
        ),
        (
            '{"articles": [{"slug": "a", "claims": [{"id": "x", "verdict": "disputed", '
            '"updates": [{"date": "soon"}]}]}]}',
            f"{BASELINE}:1",
            'has no "date" as YYYY-MM-DD',
        ),
        (b"\xff\xfe", f"{BASELINE}:1", "not UTF-8"),
    ],
)
@pytest.mark.parametrize("command", ["check", "build"])
def test_a_baseline_that_cannot_be_used_is_a_clear_error_naming_it(
    folder: Path, content: str | bytes | None, location: str, words: str, command: str
) -> None:
    path = folder / BASELINE
    if content is None:
        path.unlink()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    result = check(folder) if command == "check" else build(folder, out="published-site")
    [error] = errors(result)
    assert error.startswith(f"{location}: error: ") and words in error
    assert not (folder / "published-site").exists()


def test_a_baseline_without_updates_from_an_older_site_counts_as_none(folder: Path) -> None:
    path = folder / BASELINE
    data = json.loads(path.read_text())
    for article in data["articles"]:
        for claim in article["claims"]:
            del claim["updates"], claim["withdrawn"]
    path.write_text(json.dumps(data))
    assert check(folder).returncode == 0
    edit(folder, "verdict: disputed", "verdict: corroborated")
    assert len(errors(check(folder))) == 1
    edit(folder, BUDGET_END, BUDGET_END + UPDATE)
    assert check(folder).returncode == 0


def test_a_failed_build_against_a_baseline_leaves_the_site_as_it_was(folder: Path) -> None:
    assert build(folder).returncode == 0
    before = tree_digest(folder / "site")
    edit(folder, "verdict: disputed", "verdict: corroborated")
    assert len(errors(build(folder))) == 1
    assert tree_digest(folder / "site") == before


def test_a_build_that_had_nothing_to_do_is_still_checked_against_a_new_baseline(
    folder: Path,
) -> None:
    edit(folder, "verdict: disputed", "verdict: corroborated")
    plain = run("build", "--content", "content", "--out", "site", cwd=folder)
    assert plain.returncode == 0, plain.stderr  # without a baseline nothing is compared
    [error] = errors(build(folder))  # the same content and output, now with a baseline
    assert "the verdict changed from disputed to corroborated" in error
