"""Bad content is reported, never raised as a traceback: each problem at its file and line.

Every test starts from a valid content folder (``helpers.good_files``), breaks one thing, and
checks the problem: the exact file, the exact line, and the words that tell the editor what to
do. Paths are printed relative to the working directory, so each test runs from ``tmp_path``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import factsheet.yamlsource as yamlsource
from factsheet.load import load_content
from factsheet.problems import ContentError, Problem
from tests.helpers import ARTICLE_MD, good_files, write_tree

ANNOTATIONS = "content/annotations/cruise-orbit.yaml"
ARTICLE = "content/articles/cruise-orbit.md"


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(params=["libyaml", "python"])
def either_parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a YAML syntax test with libyaml (when PyYAML has it) and with the pure-Python parser."""
    if request.param == "python":
        monkeypatch.setattr(yamlsource, "_LOADER", yamlsource._Loader)
    elif getattr(yamlsource, "_CLoader", None) is None:
        pytest.skip("PyYAML was built without libyaml")
    return str(request.param)


def problems(changes: dict[str, str | bytes]) -> list[Problem]:
    """Load the good content folder with some files replaced; the problems reported."""
    root = write_tree(Path("content"), {**good_files(), **changes})
    with pytest.raises(ContentError) as caught:
        load_content(root)
    return caught.value.problems


def annotation_problems(yaml_text: str) -> list[Problem]:
    return problems({"annotations/cruise-orbit.yaml": yaml_text})


def the_problem(found: list[Problem]) -> Problem:
    assert len(found) == 1, "\n".join(p.format() for p in found)
    return found[0]


def assert_at(problem: Problem, path: str, line: int, *words: str) -> None:
    assert (problem.location.path, problem.location.line) == (path, line), problem.format()
    for word in words:
        assert word in problem.message, problem.format()


CLAIM = """\
reviewed: 2026-11-20
claims:
  - id: budget
    quote: "cost $200 million"
    verdict: disputed
    note: Estimates vary.
    sources:
      - title: Budget report
        url: https://example.org/budget
"""


def test_the_good_folder_loads() -> None:
    root = write_tree(Path("content"), good_files())
    assert load_content(root).articles


# --- claims ----------------------------------------------------------------------------------


def test_unknown_verdict_suggests_the_nearest() -> None:
    problem = the_problem(annotation_problems(CLAIM.replace("disputed", "erroneus")))
    assert_at(problem, ANNOTATIONS, 5, "unknown verdict 'erroneus'", "did you mean 'erroneous'?")
    assert "one of: corroborated, disputed, erroneous" in problem.message
    assert problem.location.col == 14


def test_misspelt_key_suggests_the_nearest_at_the_key() -> None:
    problem = the_problem(annotation_problems(CLAIM.replace("quote:", "qoute:")))
    assert_at(problem, ANNOTATIONS, 4, "unknown key 'qoute' in claim", "did you mean 'quote'?")
    assert problem.location.col == 5


def test_misspelt_required_key_in_front_matter_is_one_problem() -> None:
    text = ARTICLE_MD.replace("retrieved:", "retrived:")
    problem = the_problem(problems({"articles/cruise-orbit.md": text}))
    assert_at(problem, ARTICLE, 7, "unknown key 'retrived'", "did you mean 'retrieved'?")


def test_unknown_key_with_nothing_close_lists_the_allowed_keys() -> None:
    problem = the_problem(annotation_problems(CLAIM + "    colour: red\n"))
    assert_at(problem, ANNOTATIONS, 10, "unknown key 'colour'", "id, note, prefix, quote")


def test_unquoted_colon_in_a_value_asks_for_double_quotes(either_parser: str) -> None:
    text = CLAIM.replace('"cost $200 million"', "first Mission: Impossible film")
    problem = the_problem(annotation_problems(text))
    assert_at(problem, ANNOTATIONS, 4, "contains ': '", "double quotes")


def test_tab_indentation_asks_for_spaces(either_parser: str) -> None:
    problem = the_problem(annotation_problems(CLAIM.replace("    verdict", "\tverdict")))
    assert_at(problem, ANNOTATIONS, 5, "tab character used for indentation", "spaces")


def test_unclosed_quote_is_reported_where_it_opens(either_parser: str) -> None:
    problem = the_problem(annotation_problems(CLAIM.replace('million"', "million")))
    assert_at(problem, ANNOTATIONS, 4, "no closing quote")
    assert problem.location.col == 12


def test_unclosed_quote_at_the_end_of_the_file(either_parser: str) -> None:
    problem = the_problem(annotation_problems(CLAIM + '    reviewed: "2026-11-20\n'))
    assert_at(problem, ANNOTATIONS, 10, "no closing quote")


def test_missing_sources_is_reported_at_the_claim() -> None:
    text = CLAIM.split("    sources:")[0]
    problem = the_problem(annotation_problems(text))
    assert_at(problem, ANNOTATIONS, 3, "no sources", "at least one source")


def test_empty_sources_list() -> None:
    text = CLAIM.split("    sources:")[0] + "    sources: []\n"
    problem = the_problem(annotation_problems(text))
    assert_at(problem, ANNOTATIONS, 7, "sources is empty", "at least one")


def test_erroneous_claim_without_correction() -> None:
    problem = the_problem(annotation_problems(CLAIM.replace("disputed", "erroneous")))
    assert_at(problem, ANNOTATIONS, 3, "verdict erroneous but no correction", "add 'correction:'")


def test_correction_on_a_claim_that_is_not_erroneous() -> None:
    text = CLAIM.replace("    note:", "    correction: It cost less.\n    note:")
    problem = the_problem(annotation_problems(text))
    assert_at(problem, ANNOTATIONS, 6, "remove it, or change the verdict to erroneous")


def test_a_gist_with_a_line_break_is_an_error_at_its_line() -> None:
    text = CLAIM.replace("    note:", "    gist: |\n      One line,\n      and another.\n    note:")
    problem = the_problem(annotation_problems(text))
    assert_at(problem, ANNOTATIONS, 6, "gist runs over 2 lines", "a gist is one line")


def test_a_gist_that_ends_with_a_line_break_is_an_error() -> None:
    text = CLAIM.replace("    note:", '    gist: "Just one line.\\n"\n    note:')
    problem = the_problem(annotation_problems(text))
    assert_at(problem, ANNOTATIONS, 6, "gist ends with a line break")


def test_a_gist_on_one_line_is_loaded() -> None:
    text = CLAIM.replace("    note:", "    gist: The *estimates* differ.\n    note:")
    root = write_tree(Path("content"), {**good_files(), "annotations/cruise-orbit.yaml": text})
    claim = load_content(root).annotations["cruise-orbit"].claims[0]
    assert claim.gist == "The *estimates* differ."


def test_a_gist_on_an_erroneous_claim_is_an_error_its_correction_stands_instead() -> None:
    text = CLAIM.replace("disputed", "erroneous").replace(
        "    note:", "    correction: It cost less.\n    gist: Too high.\n    note:"
    )
    problem = the_problem(annotation_problems(text))
    assert_at(problem, ANNOTATIONS, 7, "gist given for an erroneous claim", "remove the gist")


def test_duplicate_claim_id_names_the_first() -> None:
    text = CLAIM + CLAIM.split("claims:\n")[1].replace("cost", "costs")
    problem = the_problem(annotation_problems(text))
    assert_at(problem, ANNOTATIONS, 10, "duplicate claim id 'budget'", "first used at line 3")


def test_malformed_id_suggests_a_slug() -> None:
    problem = the_problem(annotation_problems(CLAIM.replace("id: budget", "id: Bad_ID")))
    assert_at(problem, ANNOTATIONS, 3, "id 'Bad_ID' is not valid", "lowercase", "'bad-id'")


def test_javascript_url_in_a_source() -> None:
    text = CLAIM.replace("https://example.org/budget", "javascript:alert(1)")
    problem = the_problem(annotation_problems(text))
    assert_at(problem, ANNOTATIONS, 9, "javascript:alert(1)", "only http:// and https://")


def test_javascript_link_in_a_note_is_reported_at_its_line() -> None:
    note = "    note: |\n      Estimates vary.\n      See [this](javascript:alert(1)).\n"
    problem = the_problem(annotation_problems(CLAIM.replace("    note: Estimates vary.\n", note)))
    assert_at(problem, ANNOTATIONS, 8, "javascript:alert(1)", "only http:// and https://")


@pytest.mark.parametrize(
    "link", ["<javascript:alert(1)>", "[x][1]\n\n      [1]: data:text/html,hi", "[x](vbscript:y)"]
)
def test_other_unsafe_links_in_a_note(link: str) -> None:
    note = f"    note: |\n      See {link}\n"
    found = annotation_problems(CLAIM.replace("    note: Estimates vary.\n", note))
    assert found and all("only http:// and https://" in p.message for p in found)


def test_impossible_review_date() -> None:
    problem = the_problem(annotation_problems(CLAIM.replace("2026-11-20", "2026-13-45")))
    assert_at(problem, ANNOTATIONS, 1, "'2026-13-45' is not a real date", "YYYY-MM-DD")


def test_impossible_source_date() -> None:
    problem = the_problem(annotation_problems(CLAIM + "        date: 2026-13-45\n"))
    assert_at(problem, ANNOTATIONS, 10, "'2026-13-45' is not a real date", "YYYY-MM-DD")


def test_date_in_another_format() -> None:
    problem = the_problem(annotation_problems(CLAIM.replace("2026-11-20", "20 Nov 2026")))
    assert_at(problem, ANNOTATIONS, 1, "YYYY-MM-DD")


def test_claim_without_any_review_date() -> None:
    problem = the_problem(annotation_problems(CLAIM.replace("reviewed: 2026-11-20\n", "")))
    assert_at(problem, ANNOTATIONS, 2, "no review date", "reviewed: YYYY-MM-DD")


def test_number_where_text_is_expected() -> None:
    problem = the_problem(annotation_problems(CLAIM.replace("Budget report", "1984")))
    assert_at(problem, ANNOTATIONS, 8, "title must be text", "double quotes")


@pytest.mark.parametrize(("tagged", "kind"), [("!!bool maybe", "bool"), ("!!int many", "int")])
def test_a_tagged_value_that_is_not_of_its_type(tagged: str, kind: str) -> None:
    yaml_text = CLAIM.replace(
        "reviewed: 2026-11-20\n", f"reviewed: 2026-11-20\nextra: {tagged}\n", 1
    )
    problem = the_problem(annotation_problems(yaml_text))
    assert_at(problem, ANNOTATIONS, 2, f"cannot be read as {kind}")


def test_an_escape_that_makes_a_control_character_is_refused_at_its_value() -> None:
    yaml_text = CLAIM.replace("note: Estimates vary.", 'note: "Estimates \\a vary."')
    problem = the_problem(annotation_problems(yaml_text))
    assert_at(problem, ANNOTATIONS, 6, "invisible control character (U+0007)", "remove it")


def test_a_control_character_in_an_article_is_refused_at_its_place() -> None:
    article = ARTICLE_MD.replace("will fly to orbit", "will fly\x07 to orbit")
    problem = the_problem(problems({"articles/cruise-orbit.md": article}))
    assert_at(problem, "content/articles/cruise-orbit.md", 9, "control character (U+0007)")


def test_empty_value() -> None:
    problem = the_problem(annotation_problems(CLAIM.replace("note: Estimates vary.", "note:")))
    assert_at(problem, ANNOTATIONS, 6, "note is empty")


def test_misspelt_top_level_key() -> None:
    problem = the_problem(annotation_problems(CLAIM.replace("claims:", "claim:")))
    assert_at(problem, ANNOTATIONS, 2, "unknown key 'claim'", "did you mean 'claims'?")


def test_second_yaml_document_is_refused() -> None:
    problem = the_problem(annotation_problems(CLAIM + "---\nclaims: []\n"))
    assert_at(problem, ANNOTATIONS, 10, "one document per file")


def test_messages_stay_on_one_line_whatever_the_value() -> None:
    problem = the_problem(annotation_problems(CLAIM.replace("disputed", '"disputed\\nreally"')))
    assert_at(problem, ANNOTATIONS, 5, "unknown verdict 'disputed\\nreally'")
    assert "\n" not in problem.format()


def test_empty_annotation_file() -> None:
    problem = the_problem(annotation_problems(""))
    assert_at(problem, ANNOTATIONS, 1, "is empty")


# --- files -----------------------------------------------------------------------------------


def test_annotation_file_without_its_article() -> None:
    found = problems({"annotations/cruise-orbits.yaml": CLAIM})
    problem = the_problem(found)
    assert_at(
        problem,
        "content/annotations/cruise-orbits.yaml",
        1,
        "no article content/articles/cruise-orbits.md",
        "rename the file",
        "cruise-orbit.yaml",
    )


def test_article_front_matter_without_title() -> None:
    text = ARTICLE_MD.replace('title: "Tom Cruise to film in orbit"\n', "")
    problem = the_problem(problems({"articles/cruise-orbit.md": text}))
    assert_at(problem, ARTICLE, 2, "no 'title'")


def test_article_without_front_matter() -> None:
    problem = the_problem(problems({"articles/cruise-orbit.md": "Just the text.\n"}))
    assert_at(problem, ARTICLE, 1, "no front matter", "'---'")


def test_article_with_unclosed_front_matter() -> None:
    text = "---\ntitle: A\nretrieved: 2026-11-20\nThe text.\n"
    problem = the_problem(problems({"articles/cruise-orbit.md": text}))
    assert_at(problem, ARTICLE, 1, "never closed", "'---'")


def test_front_matter_yaml_error_is_at_the_markdown_files_line(either_parser: str) -> None:
    text = ARTICLE_MD.replace("outlet: Example News", "outlet: Example: News")
    problem = the_problem(problems({"articles/cruise-orbit.md": text}))
    assert_at(problem, ARTICLE, 4, "double quotes")


def test_front_matter_date_error_is_at_the_markdown_files_line() -> None:
    text = ARTICLE_MD.replace("retrieved: 2026-11-20", "retrieved: 2026-02-30")
    problem = the_problem(problems({"articles/cruise-orbit.md": text}))
    assert_at(problem, ARTICLE, 7, "not a real date")


def test_file_that_is_not_utf8() -> None:
    text = ARTICLE_MD.replace("Example News", "Le Caf\xe9").encode("latin-1")
    problem = the_problem(problems({"articles/cruise-orbit.md": text}))
    assert_at(problem, ARTICLE, 4, "not UTF-8", "re-save it as UTF-8")
    assert problem.location.col == 15


def test_anchor_and_alias_are_refused(either_parser: str) -> None:
    text = CLAIM.replace("title: Budget report", "title: &t Budget report")
    problem = the_problem(annotation_problems(text + "  - *t\n"))
    assert_at(problem, ANNOTATIONS, 8, "anchors", "not supported")


def test_alias_is_refused(either_parser: str) -> None:
    problem = the_problem(annotation_problems(CLAIM + "    suffix: *t\n"))
    assert_at(problem, ANNOTATIONS, 10, "aliases", "not supported")


def test_duplicate_key_is_reported_at_the_second(either_parser: str) -> None:
    problem = the_problem(annotation_problems(CLAIM + "    note: Again.\n"))
    assert_at(problem, ANNOTATIONS, 10, "duplicate key 'note'", "first at line 6")


def test_deep_nesting_is_refused() -> None:
    problem = the_problem(annotation_problems("claims: " + "[" * 60 + "]" * 60 + "\n"))
    assert_at(problem, ANNOTATIONS, 1, "nested more than 50 levels")


def test_file_over_a_megabyte_is_refused() -> None:
    text = CLAIM + "# " + "x" * 1_100_000 + "\n"
    problem = the_problem(annotation_problems(text))
    assert_at(problem, ANNOTATIONS, 1, "larger than 1 MB")


def test_file_name_that_is_not_a_slug() -> None:
    problem = the_problem(problems({"pages/About_Us.md": "---\ntitle: About\n---\nUs.\n"}))
    assert_at(problem, "content/pages/About_Us.md", 1, "not a valid slug", "about-us.md")


def test_yml_extension_is_refused() -> None:
    problem = the_problem(problems({"annotations/other.yml": CLAIM}))
    assert_at(problem, "content/annotations/other.yml", 1, "rename it other.yaml")


def test_missing_site_yaml(tmp_path: Path) -> None:
    files = good_files()
    del files["site.yaml"]
    with pytest.raises(ContentError) as caught:
        load_content(write_tree(Path("content"), files))
    assert_at(the_problem(caught.value.problems), "content/site.yaml", 1, "site.yaml is missing")


def test_bad_base_url_in_site_yaml() -> None:
    site = good_files()["site.yaml"]
    assert isinstance(site, str)
    text = site.replace("https://example.github.io/factsheet", "example.github.io")
    problem = the_problem(problems({"site.yaml": text}))
    assert_at(problem, "content/site.yaml", 3, "base_url", "https://")


def test_bad_base_url_argument() -> None:
    root = write_tree(Path("content"), good_files())
    with pytest.raises(ContentError) as caught:
        load_content(root, base_url="ftp://example.org/")
    assert_at(the_problem(caught.value.problems), "content/site.yaml", 1, "ftp://example.org/")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_symlink_to_outside_the_content_folder(tmp_path: Path) -> None:
    outside = tmp_path / "secret.md"
    outside.write_text("---\ntitle: Secret\n---\nShh.\n", encoding="utf-8")
    root = write_tree(Path("content"), good_files())
    (root / "pages" / "secret.md").symlink_to(outside)
    with pytest.raises(ContentError) as caught:
        load_content(root)
    problem = the_problem(caught.value.problems)
    assert_at(problem, "content/pages/secret.md", 1, "outside the content folder")


def test_paths_outside_the_working_directory_are_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_tree(tmp_path / "content", {**good_files(), "pages/x.md": "no front matter\n"})
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    with pytest.raises(ContentError) as caught:
        load_content(root)
    assert the_problem(caught.value.problems).location.path == str(root / "pages" / "x.md")


# --- many problems at once -------------------------------------------------------------------


def test_several_errors_in_one_file_are_all_reported_each_at_its_line() -> None:
    text = (
        CLAIM.replace("disputed", "disputd")
        .replace("id: budget", "id: Budget")
        .replace("https://example.org/budget", "javascript:alert(1)")
    )
    found = annotation_problems(text)
    assert [(p.location.path, p.location.line) for p in found] == [
        (ANNOTATIONS, 3),
        (ANNOTATIONS, 5),
        (ANNOTATIONS, 9),
    ]
    assert ["not valid" in found[0].message, "did you mean" in found[1].message] == [True, True]
    assert "only http:// and https://" in found[2].message


def test_errors_in_several_files_are_all_reported() -> None:
    found = problems(
        {
            "annotations/cruise-orbit.yaml": CLAIM.replace("disputed", "unsure"),
            "articles/cruise-orbit.md": ARTICLE_MD.replace("retrieved: 2026-11-20\n", ""),
            "pages/method.md": "no front matter here\n",
            "site.yaml": "title: [unclosed\n",
        }
    )
    assert sorted((p.location.path, p.location.line) for p in found) == [
        (ANNOTATIONS, 5),
        (ARTICLE, 2),
        ("content/pages/method.md", 1),
        ("content/site.yaml", 2),
    ]


# --- arbitrary input never escapes as anything but ContentError -------------------------------

TOKENS = [*"ab:-#&*!|>'\"[]{},?@`%\\ \t\n\r\x00é", "claims:", "id: ", "- ", "  ", "2026-13-45"]
TEXT = st.lists(st.sampled_from(TOKENS), max_size=80).map("".join) | st.text(max_size=200)


def load_quietly(files: dict[str, str | bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        try:
            load_content(write_tree(Path(folder), files))
        except ContentError as error:
            assert error.problems
            for problem in error.problems:
                assert problem.location.line >= 1
                assert "\n" not in problem.message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_any_text_as_an_annotation_file_gives_problems_not_exceptions(text: str) -> None:
    load_quietly({**good_files(), "annotations/cruise-orbit.yaml": text})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_any_text_as_front_matter_gives_problems_not_exceptions(text: str) -> None:
    load_quietly({**good_files(), "articles/cruise-orbit.md": f"---\n{text}\n---\nBody.\n"})


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_as_an_article_give_problems_not_exceptions(data: bytes) -> None:
    load_quietly({**good_files(), "articles/cruise-orbit.md": data})
