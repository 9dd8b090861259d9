"""`check` and `build` report content problems by file and line, for people and for GitHub."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import good_files, write_tree
from tests.test_build import run

ANNOTATIONS = "content/annotations/cruise-orbit.yaml"


def content_with(tmp_path: Path, annotations: str) -> Path:
    files = good_files()
    files["annotations/cruise-orbit.yaml"] = annotations
    return write_tree(tmp_path / "content", files)


def check(tmp_path: Path, annotations: str, **env: str) -> tuple[int, str, str]:
    content_with(tmp_path, annotations)
    result = run("check", "--content", "content", cwd=tmp_path, env=env)
    assert "Traceback" not in result.stderr + result.stdout
    return result.returncode, result.stdout, result.stderr


BAD_QUOTE = """\
reviewed: 2026-11-20
claims:
  - id: mission-impossible-year
    quote: "first Mision Impossible film in 1992"
    verdict: erroneous
    correction: "It came out in 1996."
    note: The film was released in May 1996.
    sources:
      - title: A source
  - id: ambiguous
    quote: "film"
    verdict: disputed
    note: Which film?
    sources:
      - title: A source
"""


def test_check_passes_on_good_content(tmp_path: Path) -> None:
    write_tree(tmp_path / "content", good_files())
    result = run("check", "--content", "content", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: 1 articles, 2 claims")


def test_anchoring_problems_name_the_annotation_file_and_line(tmp_path: Path) -> None:
    status, _, err = check(tmp_path, BAD_QUOTE)
    assert status == 1
    lines = err.splitlines()
    assert lines[0].startswith(f"{ANNOTATIONS}:4:12: error: the quote is not in content/articles/")
    assert 'closest passage is on line 9: "first Mission: Impossible film in 1992,"' in lines[0]
    assert lines[1].startswith(f"{ANNOTATIONS}:11:12: error: the quote occurs 2 times")
    assert lines[-1] == "2 errors in 1 file; nothing was written."


def test_on_github_actions_each_error_is_also_a_workflow_command(tmp_path: Path) -> None:
    status, out, _ = check(tmp_path, BAD_QUOTE, GITHUB_ACTIONS="true")
    assert status == 1
    commands = out.splitlines()
    assert commands[0].startswith(f"::error file={ANNOTATIONS},line=4,col=12::the quote is not in")
    assert commands[1].startswith(f"::error file={ANNOTATIONS},line=11,col=12::the quote occurs")


def test_without_github_actions_no_workflow_commands_are_printed(tmp_path: Path) -> None:
    _, out, _ = check(tmp_path, BAD_QUOTE, GITHUB_ACTIONS="false")
    assert "::error" not in out


@pytest.mark.parametrize("command", ["check", "build"])
def test_broken_yaml_is_reported_at_its_line_without_a_traceback(
    tmp_path: Path, command: str
) -> None:
    content_with(
        tmp_path,
        BAD_QUOTE.replace('"first Mision Impossible film in 1992"', "first Mission: Impossible"),
    )
    result = run(command, "--content", "content", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(f"{ANNOTATIONS}:4:")
    assert "Traceback" not in result.stderr


def test_missing_content_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = run("check", "--content", "nowhere", cwd=tmp_path)
    assert result.returncode == 1
    assert "nowhere" in result.stderr and "Traceback" not in result.stderr


def test_problems_of_every_stage_and_file_are_reported_in_one_run(tmp_path: Path) -> None:
    files = good_files()
    files["articles/second.md"] = "---\ntitle: Second\nretrieved: 2026-11-20\n---\nSome text.\n"
    files["annotations/second.yaml"] = (
        "claims:\n  - id: x\n    quote: Some\n    verdict: erroneus\n    note: n\n"
        "    sources: [{title: t}]\n    reviewed: 2026-11-20\n"
    )
    files["annotations/cruise-orbit.yaml"] = str(files["annotations/cruise-orbit.yaml"]).replace(
        "cost $200 million", "cost $300 million"
    )
    write_tree(tmp_path / "content", files)
    result = run("check", "--content", "content", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{ANNOTATIONS}:15:12: error: the quote is not in")
    assert lines[1].startswith("content/annotations/second.yaml:4:14: error: unknown verdict")
    assert lines[2] == "2 errors in 2 files; nothing was written."


def test_a_schema_problem_and_a_quote_problem_in_one_file_are_told_in_one_run(
    tmp_path: Path,
) -> None:
    both = BAD_QUOTE.replace("verdict: disputed", "verdict: dubious")
    code, _, err = check(tmp_path, both)
    assert code == 1
    assert f"{ANNOTATIONS}:4:12: error: the quote is not in" in err  # the claim is anchored
    assert f"{ANNOTATIONS}:12:14: error: unknown verdict 'dubious'" in err
    assert "occurs 2 times" not in err  # a claim with a problem of its own is not anchored


def test_claims_are_not_anchored_when_the_files_review_date_is_wrong(tmp_path: Path) -> None:
    wrong_date = BAD_QUOTE.replace("reviewed: 2026-11-20", "reviewed: 2026-13-40")
    code, _, err = check(tmp_path, wrong_date)
    assert code == 1
    assert f"{ANNOTATIONS}:1:" in err
    assert "the quote is not in" not in err  # without a review date no claim is complete


def test_claims_written_in_flow_style_on_one_line_are_checked_without_a_traceback(
    tmp_path: Path,
) -> None:
    flow = (
        "reviewed: 2026-11-20\n"
        'claims: [{id: a, quote: 5, verdict: disputed, note: "n", sources: [{title: t}]},'
        ' {id: b, quote: "film", verdict: disputed, note: "n", sources: [{title: t}]}]\n'
    )
    code, _, err = check(tmp_path, flow)
    assert code == 1
    assert f"{ANNOTATIONS}:2:" in err
