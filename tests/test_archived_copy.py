"""A source's `archived:` copy is published beside its link, on the article and claim pages,
and in claims.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import ANNOTATIONS_YAML, good_files, write_tree
from tests.test_build import run

ARCHIVED = "https://web.archive.org/web/20200505000000/https://films.example.org/mi-1996"


def with_archived_copy() -> dict[str, str | bytes]:
    """The good content, with an archived copy for the first claim's source."""
    files = good_files()
    files["annotations/cruise-orbit.yaml"] = ANNOTATIONS_YAML.replace(
        "        publisher: Film Archive\n",
        f"        publisher: Film Archive\n        archived: {ARCHIVED}\n",
    )
    return files


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("archived")
    write_tree(root / "content", with_archived_copy())
    result = run("build", "--content", "content", "--out", "site", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "site"


SOURCE_ITEM = (
    '<li><a href="https://films.example.org/mi-1996">Mission: Impossible (1996)</a> '
    f'(<a class="archived" href="{ARCHIVED}">archived copy<span class="visually-hidden"> of '
    "Mission: Impossible (1996)</span></a>), Film Archive, "
    '<time datetime="2020-05-05">5 May 2020</time></li>'
)


@pytest.mark.parametrize(
    "page", ["articles/cruise-orbit.html", "claims/cruise-orbit/mission-impossible-year.html"]
)
def test_the_archived_copy_is_linked_beside_the_source_link(built: Path, page: str) -> None:
    html = (built / page).read_text(encoding="utf-8")
    assert SOURCE_ITEM in html
    assert html.count("archived copy") == 1  # the other claim's source has none


def test_a_source_without_an_archived_copy_shows_none(built: Path) -> None:
    html = (built / "claims/cruise-orbit/film-budget.html").read_text(encoding="utf-8")
    assert "<li>Budget report</li>" in html
    assert "archived" not in html


def test_claims_json_carries_the_archived_copy(built: Path) -> None:
    claims = json.loads((built / "claims.json").read_text(encoding="utf-8"))["articles"][0][
        "claims"
    ]
    assert [[s["archived"] for s in claim["sources"]] for claim in claims] == [[ARCHIVED], [None]]


def test_a_source_with_only_an_archived_copy_links_the_copy(tmp_path: Path) -> None:
    files = with_archived_copy()
    yaml = str(files["annotations/cruise-orbit.yaml"])
    files["annotations/cruise-orbit.yaml"] = yaml.replace(
        "        url: https://films.example.org/mi-1996\n", ""
    )
    write_tree(tmp_path / "content", files)
    assert run("build", "--content", "content", "--out", "site", cwd=tmp_path).returncode == 0
    page = tmp_path / "site/claims/cruise-orbit/mission-impossible-year.html"
    assert (
        f'<li>Mission: Impossible (1996) (<a class="archived" href="{ARCHIVED}">archived copy'
        in page.read_text(encoding="utf-8")
    )
