"""Nothing in the content can make the build read or write outside its folders.

Slugs come from file names and claim ids from the annotations; both become paths in the
built site. Anything but lowercase letters, digits and single hyphens is refused by
validation, with the file and line, before anything is written. Files and folders in the
content folder that are links to elsewhere, and files that are not regular files (a named
pipe would block the build forever), are refused too.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from factsheet.load import load_content
from factsheet.pipeline import build_site, check_content
from factsheet.problems import ContentError
from tests.helpers import good_files, write_tree
from tests.test_fuzz import deadline

# Ids and slugs that try to name a path elsewhere, or only look like a plain slug.
HOSTILE_NAMES = [
    "../x",
    "..",
    ".",
    "../../etc/passwd",
    "/tmp/x",
    "/",
    "a/b",
    "a\\b",
    "%2e%2e",
    "%2e%2e%2fx",
    "..%2f..%2fx",
    "x\n",
    "x\r",
    "x\x00",
    " x",
    "x ",
    "",
    "\u2024\u2024",  # ONE DOT LEADER, twice: looks like '..'
    "\uff0e\uff0e",  # FULLWIDTH FULL STOP, twice
    "x\u2215y",  # DIVISION SLASH
    "x\u2044y",  # FRACTION SLASH
    "x\uff0fy",  # FULLWIDTH SOLIDUS
    "caf\u00e9",  # non-ASCII letter
    "\u0430bc",  # Cyrillic a
    "ABC",
    "a--b",
    "-a",
    "a-",
    "a.html",
    "con",  # a valid slug everywhere: the control case below shows these are not refused blindly
]
REFUSED = [name for name in HOSTILE_NAMES if name != "con"]


def _claim_with_id(claim_id: str) -> dict[str, str | bytes]:
    files = good_files()
    annotations = files["annotations/cruise-orbit.yaml"]
    assert isinstance(annotations, str)
    quoted = '"' + claim_id.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    files["annotations/cruise-orbit.yaml"] = annotations.replace("id: film-budget", f"id: {quoted}")
    return files


def _problems(content: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        check_content(content)
    return [f"{p.location.path}:{p.location.line}: {p.message}" for p in caught.value.problems]


@pytest.mark.parametrize("claim_id", REFUSED, ids=ascii)
def test_a_claim_id_that_is_not_a_plain_slug_is_refused_at_its_line(
    tmp_path: Path, claim_id: str
) -> None:
    content = write_tree(tmp_path / "content", _claim_with_id(claim_id))
    problems = _problems(content)
    assert len(problems) == 1, problems
    assert "annotations/cruise-orbit.yaml:14: " in problems[0]
    assert "lowercase letters, digits and single hyphens" in problems[0]


def test_a_plain_slug_id_is_accepted(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", _claim_with_id("con"))
    ids = [c.id for c in load_content(content).annotations["cruise-orbit"].claims]
    assert ids == ["mission-impossible-year", "con"]


# File names that a file system will hold: no '/' or NUL. Names starting with '.' are hidden
# files (editors' backups), which the build skips, so they never become slugs either.
FILE_SLUGS = [
    n for n in REFUSED if n and "/" not in n and "\x00" not in n and not n.startswith(".")
]


@pytest.mark.parametrize("slug", FILE_SLUGS, ids=ascii)
def test_an_article_file_name_that_is_not_a_slug_is_refused(tmp_path: Path, slug: str) -> None:
    files = good_files()
    files[f"articles/{slug}.md"] = files.pop("articles/cruise-orbit.md")
    files[f"annotations/{slug}.yaml"] = files.pop("annotations/cruise-orbit.yaml")
    files[f"pages/{slug}.md"] = files.pop("pages/method.md")
    content = write_tree(tmp_path / "content", files)
    out = tmp_path / "out"
    with pytest.raises(ContentError) as caught:
        build_site(content, out)
    messages = [p.message for p in caught.value.problems]
    assert sum("is not a valid slug" in m for m in messages) == 3, messages
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]


def test_nothing_is_written_beside_or_above_the_output_folder(tmp_path: Path) -> None:
    """A good build writes its folder (a link to the generation it wrote), its lock, stamp and
    cache beside it, nothing else."""
    content = write_tree(tmp_path / "content", good_files())
    out = tmp_path / "deep" / "out"
    build_site(content, out)
    beside = sorted(p.name for p in (tmp_path / "deep").iterdir())
    assert beside == [
        ".out.a",
        ".out.b",
        ".out.cache",
        ".out.lock",
        ".out.records-a",
        ".out.stamp",
        "out",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "deep"]


def test_a_linked_file_pointing_outside_the_content_folder_is_refused(tmp_path: Path) -> None:
    elsewhere = write_tree(tmp_path / "elsewhere", {"secret.md": good_files()["pages/method.md"]})
    content = write_tree(tmp_path / "content", good_files())
    (content / "pages/leak.md").symlink_to(elsewhere / "secret.md")
    problems = _problems(content)
    assert len(problems) == 1, problems
    assert "pages/leak.md:1: " in problems[0]
    assert "link to somewhere outside the content folder" in problems[0]


def test_a_linked_site_yaml_pointing_outside_is_refused(tmp_path: Path) -> None:
    elsewhere = write_tree(tmp_path / "elsewhere", {"site.yaml": good_files()["site.yaml"]})
    files = good_files()
    del files["site.yaml"]
    content = write_tree(tmp_path / "content", files)
    (content / "site.yaml").symlink_to(elsewhere / "site.yaml")
    problems = _problems(content)
    assert any("site.yaml:1: " in p and "outside the content folder" in p for p in problems)


def test_a_linked_folder_pointing_outside_the_content_folder_is_refused(tmp_path: Path) -> None:
    files = good_files()
    elsewhere = write_tree(
        tmp_path / "elsewhere", {"cruise-orbit.md": files.pop("articles/cruise-orbit.md")}
    )
    content = write_tree(tmp_path / "content", files)
    (content / "articles").symlink_to(elsewhere, target_is_directory=True)
    problems = _problems(content)
    assert any(
        "articles/cruise-orbit.md:1: " in p and "outside the content folder" in p for p in problems
    ), problems
    out = tmp_path / "out"
    with pytest.raises(ContentError):
        build_site(content, out)
    assert not out.exists()


def test_links_that_stay_inside_the_content_folder_are_followed(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", good_files())
    (content / "pages/method-again.md").symlink_to(content / "pages/method.md")
    assert [p.slug for p in load_content(content).pages] == ["method", "method-again"]


def test_a_content_folder_that_is_itself_a_link_builds(tmp_path: Path) -> None:
    real = write_tree(tmp_path / "real", good_files())
    (tmp_path / "content").symlink_to(real, target_is_directory=True)
    assert build_site(tmp_path / "content", tmp_path / "out").claims == 2


def test_a_named_pipe_is_refused_instead_of_blocking_the_build(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", good_files())
    os.mkfifo(content / "pages/pipe.md")
    with deadline(10):
        problems = _problems(content)
    assert len(problems) == 1, problems
    assert "pages/pipe.md:1: " in problems[0]
    assert "not a regular file" in problems[0]


@pytest.mark.parametrize(
    "relative", ["/etc/passwd", "../x.html", "claims/../../x.html", "claims/a/..", "a\\b", "a\0b"]
)
def test_the_writer_refuses_a_path_that_could_leave_the_output_folder(relative: str) -> None:
    from factsheet.write import OutputError, safe_relative

    with pytest.raises(OutputError, match="outside the output folder"):
        safe_relative(relative)


@pytest.mark.parametrize("relative", ["index.html", "claims/a/b.html", "a..b/c..html", ".nojekyll"])
def test_the_writer_takes_a_path_inside_the_output_folder_as_it_is(relative: str) -> None:
    from factsheet.write import safe_relative

    assert safe_relative(relative) == relative
