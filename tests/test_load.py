"""A valid content folder loads into complete records that remember where everything is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from factsheet.load import display_path, load_content, normalise_base_url
from factsheet.model import Content, Publisher, Source
from factsheet.problems import Location
from factsheet.validate import bad_links, load_schema
from tests.helpers import ANNOTATIONS_YAML, ARTICLE_MD, good_files, write_tree

ANNOTATIONS = "content/annotations/cruise-orbit.yaml"


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def load(changes: dict[str, str | bytes] | None = None, **options: str) -> Content:
    root = write_tree(Path("content"), {**good_files(), **(changes or {})})
    return load_content(root, **options)


def test_site_settings() -> None:
    site = load().site
    assert site.title == "Tom Cruise in Orbit, Fact-Checked"
    assert site.description == "Claim-by-claim annotations of one news story."
    assert site.base_url == "https://example.github.io/factsheet/"  # a '/' is added
    assert site.language == "en"
    assert site.publisher == Publisher("The Fact Desk", "https://factdesk.example.org/")


def test_base_url_argument_overrides_site_yaml() -> None:
    content = load(base_url="https://user.github.io/repo")
    assert content.site.base_url == "https://user.github.io/repo/"


def test_base_url_may_come_from_the_argument_alone() -> None:
    site = "title: T\ndescription: D\n"
    assert load({"site.yaml": site}, base_url="http://localhost:8000/").site.base_url == (
        "http://localhost:8000/"
    )


def test_article_record() -> None:
    (article,) = load().articles
    assert article.slug == "cruise-orbit"
    assert article.location == Location("content/articles/cruise-orbit.md", 1)
    assert article.title == "Tom Cruise to film in orbit"
    assert article.dek == "The actor will shoot scenes on the space station"
    assert article.outlet == "Example News"
    assert article.url == "https://news.example.com/cruise"
    assert article.published == dt.date(2025, 9, 18)
    assert article.retrieved == dt.date(2026, 11, 20)
    assert article.notes is None
    assert article.body_line == 9
    assert article.body.startswith("Tom Cruise, star of the first Mission: Impossible film")
    assert ARTICLE_MD.split("\n")[article.body_line - 1] == article.body.split("\n")[0]


def test_claims_are_filled_in_and_the_file_date_is_the_default() -> None:
    annotations = load().annotations["cruise-orbit"]
    assert annotations.location == Location(ANNOTATIONS, 1)
    first, second = annotations.claims
    assert first.id == "mission-impossible-year"
    assert first.quote == "first Mission: Impossible film in 1992"
    assert first.verdict == "erroneous"
    assert first.correction == "The first Mission: Impossible film came out in 1996."
    assert first.note == (
        "The film was released in May 1996; see [the studio](https://studio.example.com/mi)."
    )
    assert first.sources == (
        Source(
            "Mission: Impossible (1996)",
            "https://films.example.org/mi-1996",
            "Film Archive",
            dt.date(2020, 5, 5),
        ),
    )
    assert first.sources[0].url_location == Location(ANNOTATIONS, 11, 14)
    assert first.sources[0].archived is None
    assert second.sources[0].url_location is None  # it has no url
    assert first.reviewed == dt.date(2026, 11, 20)  # from the file
    assert second.reviewed == dt.date(2026, 11, 21)  # its own
    assert second.prefix == "is said to "
    assert second.suffix is None
    assert second.correction is None
    assert second.sources == (Source("Budget report"),)


def test_a_source_may_name_an_archived_copy() -> None:
    archived = "https://web.archive.org/web/20200505000000/https://films.example.org/mi-1996"
    yaml = ANNOTATIONS_YAML.replace(
        "        publisher: Film Archive\n",
        f"        publisher: Film Archive\n        archived: {archived}\n",
    )
    (source,) = (
        load({"annotations/cruise-orbit.yaml": yaml}).annotations["cruise-orbit"].claims[0].sources
    )
    assert source.archived == archived
    assert source.url == "https://films.example.org/mi-1996"


def test_claim_locations_point_at_the_list_item_and_at_each_value() -> None:
    first, second = load().annotations["cruise-orbit"].claims
    assert first.location == Location(ANNOTATIONS, 3, 5)
    assert first.where("id") == Location(ANNOTATIONS, 3, 9)
    assert first.where("quote") == Location(ANNOTATIONS, 4, 12)
    assert first.where("verdict") == Location(ANNOTATIONS, 5, 14)
    assert first.where("note") == Location(ANNOTATIONS, 7, 11)
    assert first.where("prefix") == first.location  # absent: the claim itself
    assert second.location == Location(ANNOTATIONS, 14, 5)
    assert second.where("prefix") == Location(ANNOTATIONS, 16, 13)
    assert [name for name, _ in second.field_locations] == [
        "id",
        "quote",
        "prefix",
        "verdict",
        "note",
        "sources",
        "reviewed",
    ]


def test_strings_are_kept_exactly_as_written() -> None:
    text = """\
reviewed: 2026-11-20
claims:
  - id: spaced
    quote: "  two  spaces  "
    verdict: corroborated
    note: |
      Line one.
      Line *two*.
    sources: [{title: "  T  "}]
"""
    (claim,) = load({"annotations/cruise-orbit.yaml": text}).annotations["cruise-orbit"].claims
    assert claim.quote == "  two  spaces  "
    assert claim.note == "Line one.\nLine *two*."  # only the block's final newline goes
    assert claim.sources[0].title == "  T  "


def test_dates_stay_text_until_validated_so_yaml_never_turns_them_into_dates() -> None:
    text = ARTICLE_MD.replace('title: "Tom Cruise to film in orbit"', "title: 2026-01-01")
    assert load({"articles/cruise-orbit.md": text}).articles[0].title == "2026-01-01"


def test_byte_order_mark_and_crlf_line_endings_are_accepted() -> None:
    files = good_files()
    crlf = {
        name: "\ufeff" + text.replace("\n", "\r\n")
        for name, text in files.items()
        if isinstance(text, str)
    }
    content = load(crlf)
    (article,) = content.articles
    assert article.body_line == 9
    assert "\r" not in article.body
    first = content.annotations["cruise-orbit"].claims[0]
    assert first.where("quote") == Location(ANNOTATIONS, 4, 12)
    assert first.note.endswith("(https://studio.example.com/mi).")


def test_article_without_annotations_has_no_claims() -> None:
    second = ARTICLE_MD.replace("Tom Cruise to film in orbit", "Another")
    content = load({"articles/another-story.md": second})
    assert [a.slug for a in content.articles] == ["another-story", "cruise-orbit"]
    assert "another-story" not in content.annotations


def test_pages_are_loaded_and_sorted_by_slug() -> None:
    content = load({"pages/about.md": "---\ntitle: About\n---\n\nWho we are.\n"})
    assert [p.slug for p in content.pages] == ["about", "method"]
    about, method = content.pages
    assert (about.title, about.description, about.body_line) == ("About", None, 4)
    assert about.body == "\nWho we are.\n"
    assert method.description == "How the claims are checked."
    assert method.location == Location("content/pages/method.md", 1)


def test_only_markdown_and_yaml_files_are_read() -> None:
    content = load({"articles/.draft.md": "junk", "pages/notes.txt": "junk"})
    assert [a.slug for a in content.articles] == ["cruise-orbit"]


def test_symlink_inside_the_content_folder_is_followed() -> None:
    root = write_tree(Path("content"), good_files())
    (root / "pages" / "method-again.md").symlink_to("method.md")
    assert [p.slug for p in load_content(root).pages] == ["method", "method-again"]


def test_display_path_is_relative_under_the_working_directory(tmp_path: Path) -> None:
    assert display_path(tmp_path / "content" / "site.yaml") == "content/site.yaml"
    assert display_path(Path("/elsewhere/site.yaml")) == "/elsewhere/site.yaml"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://example.org", "https://example.org/"),
        ("http://127.0.0.1:8000/sub/", "http://127.0.0.1:8000/sub/"),
    ],
)
def test_normalise_base_url(given: str, expected: str) -> None:
    assert normalise_base_url(given) == expected


@pytest.mark.parametrize("given", ["example.org", "/sub/", "ftp://example.org/", "https://"])
def test_normalise_base_url_refuses_non_absolute_http(given: str) -> None:
    with pytest.raises(ValueError, match="http"):
        normalise_base_url(given)


def test_note_link_check_allows_web_and_relative_links_only() -> None:
    note = (
        "[a](https://x.org) [b](#claim-x) [c](../about.html) [d](javascript:alert(1)) <mailto:a@b>"
    )
    assert bad_links(note) == ["javascript:alert(1)", "mailto:a@b"]


def test_every_schema_property_is_documented_for_editors() -> None:
    def walk(node: object) -> list[str]:
        missing: list[str] = []
        if isinstance(node, dict):
            for name, prop in node.get("properties", {}).items():
                if "title" not in prop or "description" not in prop:
                    missing.append(name)
            for key, value in node.items():
                if key not in ("if", "then", "else", "not"):  # conditions, not documentation
                    missing += walk(value)
        elif isinstance(node, list):
            for value in node:
                missing += walk(value)
        return missing

    for name in ("annotations", "article", "site", "page"):
        assert walk(load_schema(name)) == [], name
