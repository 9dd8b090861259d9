"""Searching the real site in Chromium, served from a sub-path as GitHub Pages serves it.

The real ``content/`` is built for ``http://127.0.0.1:PORT/repo/`` and served from the
folder above, so the search page, its script and the index all load from ``/repo/``.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.test_subpath_crawl import SUB_PATH, PagesLikeHandler, build

from .conftest import NewPage
from .test_csp import RECORD_VIOLATIONS

AXE = Axe()


@dataclass(frozen=True)
class Served:
    out: Path
    url: str  # the site's root, ending in /repo/
    claims: list[dict[str, Any]]  # every claim of claims.json, with its article's title


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    parent = tmp_path_factory.mktemp("search")
    handler = functools.partial(PagesLikeHandler, directory=str(parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    try:
        build(parent / SUB_PATH, url)
        thread.start()
        data = json.loads((parent / SUB_PATH / "claims.json").read_text(encoding="utf-8"))
        claims = [
            {**claim, "article_title": article["title"]}
            for article in data["articles"]
            for claim in article["claims"]
        ]
        yield Served(parent / SUB_PATH, url, claims)
    finally:
        if thread.is_alive():
            server.shutdown()
        server.server_close()


def misspelt_name_claim(served: Served) -> dict[str, Any]:
    """The claim about the misspelt name of NASA's administrator."""
    found = [c for c in served.claims if "Bridenstein" in c["quote"]]
    assert len(found) == 1, found
    return found[0]


def search_for(page: Page, served: Served, words: str) -> None:
    page.goto(served.url + "search.html")
    page.get_by_label("Search for").fill(words)
    expect(page.locator("#search-status")).to_contain_text("result")


def test_typing_a_misspelt_name_lists_its_claim_with_its_verdict_in_words_and_a_link(
    new_page: NewPage, served: Served
) -> None:
    claim = misspelt_name_claim(served)
    page = new_page(1280)
    search_for(page, served, "Bridenstein")
    result = page.locator(".search-result[data-result-verdict]").filter(has_text=claim["quote"])
    expect(result).to_have_count(1)
    expect(result.locator(".verdict")).to_have_text("Erroneous")
    link = result.get_by_role("link", name=claim["quote"])
    assert link.get_attribute("href") == f"/{SUB_PATH}/{claim['url']}"
    expect(result).to_contain_text(claim["correction"])
    link.click()
    page.wait_for_url(served.url + claim["url"])
    expect(page.locator(f"#claim-{claim['id']}")).to_be_visible()
    assert page.problems == []  # type: ignore[attr-defined]


def test_the_status_line_announces_how_many_results_were_found(
    new_page: NewPage, served: Served
) -> None:
    page = new_page(1280)
    search_for(page, served, "Bridenstein")
    status = page.locator("#search-status")
    assert status.get_attribute("role") == "status"
    count = page.locator(".search-result").count()
    expect(status).to_have_text(f"{count} results for “Bridenstein”.")


def test_filtering_by_erroneous_leaves_only_the_erroneous_claims(
    new_page: NewPage, served: Served
) -> None:
    page = new_page(1280)
    search_for(page, served, "Cruise")
    assert page.locator(".search-result:not([data-result-verdict='erroneous'])").count() > 0
    page.get_by_label("Verdict").select_option(label="Erroneous")
    expect(page.locator("#search-status")).to_contain_text("(erroneous)")
    results = page.locator(".search-result")
    assert results.count() > 0
    verdicts = results.evaluate_all("items => items.map(i => i.dataset.resultVerdict)")
    assert set(verdicts) == {"erroneous"}
    words = results.locator(".verdict").all_inner_texts()
    assert {w.strip() for w in words} == {"Erroneous"}
    assert "verdict=Erroneous" in page.url  # the search can be shared as it is


def test_a_verdict_alone_lists_every_claim_of_that_verdict(
    new_page: NewPage, served: Served
) -> None:
    erroneous = [c for c in served.claims if c["verdict"] == "erroneous"]
    page = new_page(1280)
    page.goto(served.url + "search.html?verdict=Erroneous")
    expect(page.locator("#search-status")).to_contain_text(f"{len(erroneous)} result")
    while page.locator("#search-more").is_visible():
        page.locator("#search-more").click()
    hrefs = page.locator(".search-result-title a").evaluate_all("links => links.map(a => a.href)")
    assert sorted(hrefs) == sorted(served.url + c["url"] for c in erroneous)


def test_filtering_by_article_leaves_only_its_claims_and_itself(
    new_page: NewPage, served: Served
) -> None:
    claim = misspelt_name_claim(served)
    page = new_page(1280)
    search_for(page, served, "NASA")
    page.get_by_label("Article").select_option(label=claim["article_title"])
    expect(page.locator("#search-status")).to_contain_text(claim["article_title"])
    hrefs = page.locator(".search-result-title a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    article = f"/{SUB_PATH}/{claim['url'].split('#')[0]}"
    assert hrefs and all(href.split("#")[0] == article for href in hrefs)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_axe_finds_no_violation_on_the_search_page_with_results(
    new_page: NewPage, served: Served, width: int, scheme: str
) -> None:
    page = new_page(width, color_scheme=scheme)
    search_for(page, served, "Bridenstein")
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()


def test_axe_finds_no_violation_on_the_empty_search_page_served_from_a_sub_path(
    new_page: NewPage, served: Served
) -> None:
    page = new_page(375)
    page.goto(served.url + "search.html")
    expect(page.get_by_label("Search for")).to_be_visible()
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()


def test_searching_breaks_no_rule_of_the_content_security_policy(
    new_page: NewPage, served: Served
) -> None:
    page = new_page(1280)
    page.context.add_init_script(RECORD_VIOLATIONS)
    search_for(page, served, "Bridenstein")
    page.get_by_label("Verdict").select_option(label="Erroneous")
    expect(page.locator("#search-status")).to_contain_text("(erroneous)")
    assert page.evaluate("window.__violations") == []
    assert page.problems == []  # type: ignore[attr-defined]


def test_without_javascript_the_page_says_so_and_links_to_the_fact_sheets(
    new_page: NewPage, served: Served
) -> None:
    page = new_page(375, javascript=False)
    page.goto(served.url + "search.html")
    fallback = page.locator("#search-fallback")
    expect(fallback).to_be_visible()
    expect(fallback).to_contain_text("Searching needs JavaScript")
    expect(page.get_by_label("Search for")).to_be_hidden()
    hrefs = fallback.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    expected = ["fact-sheet.html"] + [f"fact-sheet/{v}.html" for v in VERDICTS]
    assert hrefs == expected
    for href in hrefs:
        assert (served.out / href).is_file()


VERDICTS = ["corroborated", "disputed", "erroneous"]


def test_opened_from_disk_the_page_says_search_needs_the_site_served(
    new_page: NewPage, served: Served
) -> None:
    page = new_page(375)
    page.goto((served.out / "search.html").as_uri())
    fallback = page.locator("#search-fallback")
    expect(fallback).to_be_visible()
    expect(fallback).to_contain_text("does not run from a copy opened from disk")
    expect(page.get_by_label("Search for")).to_be_hidden()
