"""`find`: where a piece of text anchors, and a claim ready to paste that does anchor."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.helpers import good_files, write_tree
from tests.test_build import run

ARTICLE = """\
---
title: A film
retrieved: 2026-11-20
---
The film came out in 1992. Critics liked the film.

The *film* was long.
"""


def content(tmp_path: Path) -> Path:
    files = good_files()
    files["articles/film.md"] = ARTICLE
    return write_tree(tmp_path / "content", files)


def test_text_found_once_prints_its_line_and_a_claim_skeleton(tmp_path: Path) -> None:
    content(tmp_path)
    result = run("find", "film", "came out in 1992", "--content", "content", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("content/articles/film.md:5: The film [came out in 1992] .")
    assert '    quote: "came out in 1992"' in result.stdout
    assert "verdict:" in result.stdout and "sources:" in result.stdout


def test_text_found_several_times_proposes_a_prefix_or_suffix_for_each(tmp_path: Path) -> None:
    root = content(tmp_path)
    result = run("find", "film", "film", "--content", "content", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("Found 3 times in content/articles/film.md:")
    skeletons = ["  - id:" + part for part in result.stdout.split("  - id:")[1:]]
    assert len(skeletons) == 3
    # each proposed claim, pasted into the annotation file, anchors exactly once
    claims = []
    for number, skeleton in enumerate(skeletons):
        claim = yaml.safe_load(skeleton.split("\n\n")[0])[0]
        assert "prefix" in claim or "suffix" in claim
        claim.update(id=f"film-{number}", note="A note.", sources=[{"title": "A source"}])
        claims.append(claim)
    annotations = {"reviewed": "2026-11-20", "claims": claims}
    (root / "annotations/film.yaml").write_text(yaml.safe_dump(annotations))
    check = run("check", "--content", "content", cwd=tmp_path)
    assert check.returncode == 0, check.stderr


def test_text_not_found_names_the_closest_passage(tmp_path: Path) -> None:
    content(tmp_path)
    result = run("find", "film", "came out in 1993", "--content", "content", cwd=tmp_path)
    assert result.returncode == 1
    assert 'closest passage is on line 5: "came out in 1992."' in result.stderr


def test_unknown_article_lists_the_known_ones(tmp_path: Path) -> None:
    content(tmp_path)
    result = run("find", "nope", "film", "--content", "content", cwd=tmp_path)
    assert result.returncode == 1
    assert "no article 'nope'" in result.stderr and "cruise-orbit, film" in result.stderr
