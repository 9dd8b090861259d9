"""What the browser tests know about the built site: its page kinds and its claims.

Pages are found in the built folder (``claims.json``, ``**/*.html``), never by hard-coded slugs,
so the tests follow the content as editors change it.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.conftest import build_site, serve
from tests.helpers import revised_files, write_tree

# Every kind of page the site publishes; each browser check runs on one page of each kind.
PAGE_KINDS = ["index", "article", "fact-sheet", "claim", "page", "corrections", "404", "search"]
WIDTHS = [375, 1280]
VERDICTS = ["corroborated", "disputed", "erroneous"]

# The article's own blocks on its page (paragraphs, headings, list items, quotes), not its notes:
# a JavaScript expression for page.evaluate.
ARTICLE_BLOCKS = """[...document.querySelectorAll(
    '.article-body :is(p, h1, h2, h3, h4, h5, h6, li, blockquote)')]
    .filter(e => !e.closest('.notes') && !e.parentElement.closest('li, blockquote'))"""

# the type of the `new_page` fixture (tests/conftest.py)
NewPage = Callable[..., Page]


def wait_until(page: Page, condition: str) -> None:
    """Wait until the JavaScript expression `condition` holds on the page.

    The site's Content-Security-Policy forbids eval. Playwright evaluates a bare expression
    with eval on every poll, which the policy refuses once the first check has failed; it
    evaluates a function only once, while its evaluation is allowed, and calls it after.
    """
    page.wait_for_function(f"() => ({condition})")


@dataclass(frozen=True)
class SiteClaim:
    article: str  # the article page, relative to the site root
    id: str
    verdict: str
    quote: str
    correction: str | None
    page: str  # the claim's own page, relative to the site root
    data: dict[str, Any]


@pytest.fixture(scope="session")
def claims_json(built_site: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((built_site / "claims.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session")
def site_claims(claims_json: dict[str, Any]) -> list[SiteClaim]:
    """Every claim of every article, in the order of claims.json."""
    claims = [
        SiteClaim(
            article=article["url"],
            id=claim["id"],
            verdict=claim["verdict"],
            quote=claim["quote"],
            correction=claim.get("correction"),
            page=claim["page"],
            data=claim,
        )
        for article in claims_json["articles"]
        for claim in article["claims"]
    ]
    assert claims, "the built site has no claims at all"
    return claims


@pytest.fixture(scope="session")
def article_pages(claims_json: dict[str, Any]) -> list[str]:
    pages = [article["url"] for article in claims_json["articles"]]
    assert pages, "the built site has no articles"
    return pages


@pytest.fixture(scope="session")
def main_article(claims_json: dict[str, Any]) -> dict[str, Any]:
    """The article with the most claims (the richest page to test on)."""
    article: dict[str, Any] = max(claims_json["articles"], key=lambda a: len(a["claims"]))
    return article


@pytest.fixture(scope="session")
def all_pages(built_site: Path) -> list[str]:
    """Every HTML page of the site, relative to its root."""
    return sorted(p.relative_to(built_site).as_posix() for p in built_site.glob("**/*.html"))


@pytest.fixture(scope="session")
def page_of_kind(
    built_site: Path, main_article: dict[str, Any], all_pages: list[str]
) -> dict[str, str]:
    """One page of each kind in PAGE_KINDS, relative to the site root."""
    claims = main_article["claims"]
    with_correction = [c for c in claims if c.get("correction")]
    standalone = [p for p in all_pages if p.startswith("pages/")]
    kinds = {
        "index": "index.html",
        "article": main_article["url"],
        "fact-sheet": "fact-sheet.html",
        "claim": (with_correction or claims)[0]["page"],
        "page": standalone[0] if standalone else "pages/ (none built)",
        "corrections": "corrections.html",
        "404": "404.html",
        "search": "search.html",
    }
    missing = [f"{kind}: {rel}" for kind, rel in kinds.items() if not (built_site / rel).is_file()]
    assert not missing, f"pages missing from the build: {missing}"
    return kinds


# The pages of a revised check, in the site built from ``tests.helpers.revised_files``.
RECORD_PAGES = {
    "corrections": "corrections.html",
    "withdrawn-claim": "claims/cruise-orbit/fly-to-orbit.html",
    "updated-claim": "claims/cruise-orbit/film-budget.html",
    "article-with-both": "articles/cruise-orbit.html",
}


@dataclass(frozen=True)
class RevisedSite:
    out: Path
    url: str  # ends with a slash


@pytest.fixture(scope="session")
def revised_site() -> Iterator[RevisedSite]:
    """A small site whose checks were revised: one claim updated twice, one withdrawn;
    built for the address it is served at, and served over HTTP."""
    parent = Path(tempfile.mkdtemp(prefix="factsheet-revised-"))
    server, url = serve(parent / "site")
    try:
        content = write_tree(parent / "content", revised_files())
        result = build_site(content, parent / "site", "--base-url", url)
        assert result.returncode == 0, result.stdout + result.stderr
        missing = [rel for rel in RECORD_PAGES.values() if not (parent / "site" / rel).is_file()]
        assert not missing, f"pages missing from the revised site: {missing}"
        yield RevisedSite(parent / "site", url)
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(parent, ignore_errors=True)
