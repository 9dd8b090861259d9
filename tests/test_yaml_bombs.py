"""Hostile YAML is refused fast, in little memory, with one clear problem at its line.

Each bomb replaces the annotation file of a good content folder (or the front matter of its
article), and the whole check runs in-process. Aliases are refused at the first anchor, so
"billion laughs" never expands; nesting is refused at 50 levels; files over 1 MB are refused
before they are read; and a file of more than 20,000 values (a runaway list or mapping) is
refused while it is parsed, which bounds the work of every later stage.
"""

from __future__ import annotations

import resource
import time
import tracemalloc
from pathlib import Path

import pytest
import yaml

from factsheet import yamlsource
from factsheet.pipeline import check_content
from factsheet.problems import ContentError
from tests.helpers import good_files, write_tree
from tests.test_fuzz import deadline

MAX_SECONDS = 2.0
MAX_EXTRA_BYTES = 50_000_000

ANNOTATIONS = "annotations/cruise-orbit.yaml"


def _billion_laughs() -> str:
    lines = ['lol: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        items = ", ".join([f"*lol{level - 1}"] * 9)
        lines.append(f"lol{level}: &lol{level} [{items}]")
    return "\n".join(lines) + "\n"


def _quadratic_blowup() -> str:
    """One long anchored value, referred to many times: small file, huge expansion."""
    return f"note: &big {'x' * 100_000}\nclaims: [{', '.join(['*big'] * 5_000)}]\n"


BOMBS: dict[str, tuple[str, str]] = {
    # name: (annotation file text, what the one problem says)
    "billion laughs": (_billion_laughs(), "anchors (&lol0) are not supported"),
    "alias expansion of a long value": (_quadratic_blowup(), "anchors (&big) are not supported"),
    "alias without anchor": ("claims: *nowhere\n", "aliases (*nowhere) are not supported"),
    "merge key": ("base: &b {a: 1}\nclaims: [{<<: *b}]\n", "anchors (&b) are not supported"),
    "deep flow lists": ("claims: " + "[" * 900_000 + "\n", "nested more than 50 levels"),
    "deep flow mappings": ("claims: " + "{a: " * 200_000 + "\n", "nested more than 50 levels"),
    "deep block mappings": (
        "".join("  " * i + "a:\n" for i in range(990)),
        "nested more than 50 levels",
    ),
    "deep block lists": (
        "claims:\n" + "".join("  " * i + "-\n" for i in range(990)),
        "nested more than 50 levels",
    ),
    "huge file": ("# " + "x" * 20_000_000 + "\n", "larger than 1 MB"),
    "huge flow list": ("claims: [" + "1, " * 330_000 + "1]\n", "more than 20,000 values"),
    "huge mapping": ("".join(f"k{i}: v\n" for i in range(90_000)), "more than 20,000 values"),
    "huge block list": ("claims:\n" + "  - x\n" * 160_000, "more than 20,000 values"),
    "python object tag": ("claims: !!python/object/apply:os.system [ls]\n", "tags"),
}


def _measure(content: Path) -> tuple[ContentError, float, int, int]:
    """Check ``content``: the error, CPU seconds, peak traced bytes, growth of peak RSS bytes."""
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    started = time.process_time()
    try:
        with deadline(60), pytest.raises(ContentError) as caught:
            check_content(content)
        seconds = time.process_time() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    rss_growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) * 1024
    return caught.value, seconds, peak, rss_growth


@pytest.mark.parametrize("name", BOMBS)
def test_a_yaml_bomb_in_an_annotation_file_is_refused_quickly_in_bounded_memory(
    tmp_path: Path, name: str
) -> None:
    text, expected = BOMBS[name]
    content = write_tree(tmp_path / "content", {**good_files(), ANNOTATIONS: text})
    error, seconds, peak, rss_growth = _measure(content)
    assert [p.location.path.endswith(ANNOTATIONS) for p in error.problems] == [True]
    assert expected in error.problems[0].message
    assert seconds < MAX_SECONDS, f"{seconds:.2f} s of CPU"
    assert peak < MAX_EXTRA_BYTES, f"{peak / 1e6:.1f} MB traced"
    assert rss_growth < MAX_EXTRA_BYTES, f"{rss_growth / 1e6:.1f} MB more resident memory"


@pytest.mark.parametrize("name", ["billion laughs", "deep flow lists", "huge mapping"])
def test_a_yaml_bomb_in_an_articles_front_matter_is_refused_the_same_way(
    tmp_path: Path, name: str
) -> None:
    text, expected = BOMBS[name]
    article = f"---\n{text}---\nSome text.\n"
    content = write_tree(
        tmp_path / "content", {**good_files(), "articles/cruise-orbit.md": article}
    )
    error, seconds, peak, rss_growth = _measure(content)
    found = [p for p in error.problems if p.location.path.endswith("articles/cruise-orbit.md")]
    assert len(found) == 1 and expected in found[0].message, error.problems
    assert found[0].location.line >= 2  # the line in the Markdown file, past the '---'
    assert seconds < MAX_SECONDS and peak < MAX_EXTRA_BYTES and rss_growth < MAX_EXTRA_BYTES


def test_the_value_limit_leaves_room_for_real_files(tmp_path: Path) -> None:
    """Two hundred claims, far more than any article has, load without complaint."""
    article = "---\ntitle: Many\nretrieved: 2026-11-20\n---\n" + " ".join(
        f"word{i}." for i in range(200)
    )
    claims = "".join(
        f"  - id: c{i}\n    quote: word{i}.\n    verdict: disputed\n    note: N.\n"
        f"    sources:\n      - title: T\n        url: https://example.org/{i}\n"
        for i in range(200)
    )
    files = {
        **good_files(),
        "articles/many.md": article,
        "annotations/many.yaml": f"reviewed: 2026-11-20\nclaims:\n{claims}",
    }
    report = check_content(write_tree(tmp_path / "content", files))
    assert report.claims == 2 + 200


# --- the nesting bound is the project's, whatever the YAML library refuses itself ---------------


@pytest.mark.parametrize(
    ("shape", "text"),
    [
        ("flow lists", "claims: " + "[" * 60 + "]" * 60 + "\n"),
        ("flow mappings", "claims: " + "{a: " * 60 + "1" + "}" * 60 + "\n"),
        ("block mappings", "".join("  " * i + "a:\n" for i in range(60)) + "  " * 60 + "x\n"),
    ],
)
def test_nesting_past_fifty_levels_is_refused_by_the_projects_own_check(
    tmp_path: Path, shape: str, text: str
) -> None:
    # 60 levels: any version of PyYAML and libyaml reads this; the bound is ours alone
    content = write_tree(tmp_path / "content", {**good_files(), ANNOTATIONS: text})
    error, *_ = _measure(content)
    [problem] = error.problems
    assert problem.location.path.endswith(ANNOTATIONS)
    assert problem.message == "the YAML is nested more than 50 levels deep; flatten it"
    assert problem.location.line == (51 if shape == "block mappings" else 1)


class _RefusesDeepNesting(yamlsource._Loader):
    """A YAML parser with a nesting limit of its own, as libyaml has from PyYAML 6.0.4."""

    def get_event(self) -> object:
        mark = yaml.Mark("<unicode string>", 1002, 0, 1002, None, None)
        raise yaml.scanner.ScannerError(
            "while increasing flow level", mark, "exceeded maximum nesting depth", mark
        )


@pytest.mark.parametrize("where", ["annotation file", "front matter"])
def test_the_yaml_librarys_own_refusal_of_deep_nesting_is_the_same_located_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    monkeypatch.setattr(yamlsource, "_LOADER", _RefusesDeepNesting)
    files = good_files()
    if where == "annotation file":
        files[ANNOTATIONS] = "claims: " + "[" * 2000 + "\n"
        path, line = ANNOTATIONS, 1
    else:
        files["articles/cruise-orbit.md"] = "---\ntitle: " + "[" * 2000 + "\n---\nSome text.\n"
        path, line = "articles/cruise-orbit.md", 2  # the file's line, past the '---'
    error, *_ = _measure(write_tree(tmp_path / "content", files))
    found = [p for p in error.problems if p.location.path.endswith(path)]
    assert [p.message for p in found] == ["the YAML is nested more than 50 levels deep; flatten it"]
    assert (found[0].location.line, found[0].location.col) == (line, 1003)
