"""A source with an archived copy, as a reader meets it: visible, named for screen readers,
and still free of axe violations and HTML errors."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator

from tests.conftest import build_site, serve
from tests.helpers import write_tree
from tests.test_archived_copy import ARCHIVED, with_archived_copy

from .conftest import WIDTHS, NewPage
from .test_markup import VNU_JAR

AXE = Axe()
PAGES = ["articles/cruise-orbit.html", "claims/cruise-orbit/mission-impossible-year.html"]


@pytest.fixture(scope="module")
def archived_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A small site whose first claim has a source with an archived copy, served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("archived-site")
    out = root / "site"
    out.mkdir()
    server, url = serve(out)
    try:
        content = write_tree(root / "content", with_archived_copy())
        result = build_site(content, out, "--base-url", url)
        assert result.returncode == 0, result.stderr
        yield out, url
    finally:
        server.shutdown()
        server.server_close()


def seen_text(element: Locator) -> str:
    """The element's text as it shows on screen: without what only screen readers hear."""
    text: str = element.evaluate(
        """element => {
            const copy = element.cloneNode(true);
            copy.querySelectorAll(".visually-hidden").forEach(hidden => hidden.remove());
            return copy.textContent;
        }"""
    )
    return " ".join(text.split())


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page_path", PAGES)
def test_the_archived_copy_is_a_visible_link_named_for_its_source(
    new_page: NewPage, archived_site: tuple[Path, str], page_path: str, width: int
) -> None:
    page = new_page(width, javascript=False)
    page.goto(archived_site[1] + page_path)
    if page_path.startswith("articles/"):  # in the article, once its note is opened
        page.click("#note-mission-impossible-year > summary")
    link = page.get_by_role("link", name="archived copy of Mission: Impossible (1996)")
    assert link.is_visible()
    assert link.get_attribute("href") == ARCHIVED
    assert seen_text(link) == "archived copy"
    assert seen_text(link.locator("xpath=ancestor::li[1]")) == (
        "Mission: Impossible (1996) (archived copy), Film Archive, 5 May 2020"
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page_path", PAGES)
def test_axe_finds_no_violation_with_an_archived_copy(
    new_page: NewPage, archived_site: tuple[Path, str], page_path: str, width: int, scheme: str
) -> None:
    page = new_page(width, color_scheme=scheme)
    page.goto(archived_site[1] + page_path)
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()


def test_the_nu_html_checker_finds_no_error_with_an_archived_copy(
    archived_site: tuple[Path, str],
) -> None:
    assert VNU_JAR.is_file(), f"{VNU_JAR} is missing: run `npm ci` in tools/"
    pages = [str(archived_site[0] / path) for path in PAGES]
    command = ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout"]
    result = subprocess.run(
        [*command, *pages], capture_output=True, text=True, timeout=180, check=False
    )
    assert json.loads(result.stdout)["messages"] == []
    assert result.returncode == 0, result.stderr
