"""The content format of the living record: ``updates`` and ``withdrawn`` on a claim.

Updates may be written in any order and come out newest first; their mistakes are reported at
their line like any other; a withdrawn claim needs an update that dates the withdrawal.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from factsheet.load import load_content
from factsheet.model import Claim
from factsheet.problems import ContentError, Problem
from factsheet.validate import load_schema
from tests.helpers import ANNOTATIONS_YAML, good_files, write_tree

ANNOTATIONS = "content/annotations/cruise-orbit.yaml"
BUDGET = "    reviewed: 2026-11-21\n"  # the last line of the film-budget claim


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def with_budget_lines(lines: str) -> str:
    """The good annotation file with ``lines`` added to the film-budget claim."""
    assert ANNOTATIONS_YAML.endswith(BUDGET)
    return ANNOTATIONS_YAML + lines


def budget_claim(annotations: str) -> Claim:
    root = write_tree(
        Path("content"), {**good_files(), "annotations/cruise-orbit.yaml": annotations}
    )
    content = load_content(root)
    [claim] = [c for c in content.annotations["cruise-orbit"].claims if c.id == "film-budget"]
    return claim


def problems_of(annotations: str) -> list[Problem]:
    root = write_tree(
        Path("content"), {**good_files(), "annotations/cruise-orbit.yaml": annotations}
    )
    with pytest.raises(ContentError) as caught:
        load_content(root)
    return caught.value.problems


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_updates_written_in_any_order_come_out_newest_first() -> None:
    claim = budget_claim(
        with_budget_lines(
            "    updates:\n"
            "      - date: 2026-11-25\n        note: First.\n"
            "      - date: 2026-12-03\n        note: Third.\n"
            "      - date: 2026-12-01\n        note: Second, same day A.\n"
            "      - date: 2026-12-01\n        note: Second, same day B.\n"
        )
    )
    assert [(u.date.isoformat(), u.note) for u in claim.updates] == [
        ("2026-12-03", "Third."),
        ("2026-12-01", "Second, same day A."),
        ("2026-12-01", "Second, same day B."),
        ("2026-11-25", "First."),
    ]
    assert claim.modified == dt.date(2026, 12, 3)
    assert claim.withdrawn is None and claim.withdrawn_on is None
    assert claim.updates[0].location.path == ANNOTATIONS


def test_a_claim_without_updates_was_never_modified() -> None:
    claim = budget_claim(ANNOTATIONS_YAML)
    assert claim.updates == () and claim.modified is None


def test_a_withdrawn_claim_is_dated_by_its_newest_update() -> None:
    claim = budget_claim(
        with_budget_lines(
            '    withdrawn: "We misread the article."\n'
            "    updates:\n      - date: 2026-12-05\n        note: Withdrawn.\n"
        )
    )
    assert claim.withdrawn == "We misread the article."
    assert claim.withdrawn_on == dt.date(2026, 12, 5)


def test_a_withdrawn_claim_without_an_update_is_an_error_at_the_withdrawn_line() -> None:
    text = with_budget_lines('    withdrawn: "We misread the article."\n')
    [problem] = problems_of(text)
    assert problem.location.path == ANNOTATIONS
    assert problem.location.line == line_of(text, "withdrawn:")
    assert "needs an update entry that dates the withdrawal" in problem.message
    assert "date: YYYY-MM-DD" in problem.message


def test_an_update_dated_before_the_review_is_an_error_at_its_date() -> None:
    text = with_budget_lines("    updates:\n      - date: 2026-11-01\n        note: Too early.\n")
    [problem] = problems_of(text)
    assert problem.location.line == line_of(text, "2026-11-01")
    assert "before the claim's review (2026-11-21)" in problem.message


@pytest.mark.parametrize(
    ("entry", "needle", "words"),
    [
        ("      - date: 2026-12-01\n        nte: Typo.\n", "nte:", "did you mean 'note'?"),
        ("      - date: 2026-12-01\n", "- date", "update has no 'note'"),
        ("      - note: No date.\n", "- note", "update has no 'date'"),
        ("      - date: 2026-13-01\n        note: Bad.\n", "2026-13-01", "not a real date"),
        ("      - date: 1 Dec 2026\n        note: Bad.\n", "1 Dec 2026", "YYYY-MM-DD"),
        (
            "      - date: 2026-12-01\n        note: See [this](javascript:alert(1)).\n",
            "javascript:",
            "link 'javascript:alert(1)' in the note is not allowed",
        ),
    ],
)
def test_a_broken_update_is_reported_at_its_line(entry: str, needle: str, words: str) -> None:
    text = with_budget_lines("    updates:\n" + entry)
    found = problems_of(text)
    assert any(p.location.line == line_of(text, needle) and words in p.message for p in found), (
        "\n".join(p.format() for p in found)
    )


def test_an_empty_updates_list_is_an_error() -> None:
    text = with_budget_lines("    updates: []\n")
    [problem] = problems_of(text)
    assert problem.location.line == line_of(text, "updates:")
    assert "updates is empty" in problem.message


def test_an_unsafe_link_in_the_withdrawal_reason_is_an_error() -> None:
    text = with_budget_lines(
        "    withdrawn: See [why](data:text/html,x).\n"
        "    updates:\n      - date: 2026-12-01\n        note: Withdrawn.\n"
    )
    [problem] = problems_of(text)
    assert problem.location.line == line_of(text, "withdrawn:")
    assert "in the reason for the withdrawal is not allowed" in problem.message


def test_the_schema_describes_updates_and_withdrawn_for_editors() -> None:
    schema = load_schema("annotations")
    claim = schema["$defs"]["claim"]["properties"]
    assert "--baseline" in claim["updates"]["description"]
    assert "tombstone" not in claim["withdrawn"]["description"]  # plain words for editors
    assert "never deleted" in claim["withdrawn"]["description"]
    update = schema["$defs"]["update"]
    assert update["required"] == ["date", "note"]
    assert all(p.get("description") for p in update["properties"].values())
