"""The index, the fact sheet and the claim pages, as a reader uses them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from .conftest import VERDICTS, NewPage, SiteClaim


def words(text: str) -> str:
    return " ".join(text.split())


def test_the_index_shows_each_article_with_its_verdict_counts_as_numbers(
    new_page: NewPage, site_url: str, claims_json: dict[str, Any]
) -> None:
    page = new_page(375, javascript=False)
    page.goto(site_url + "index.html")
    for article in claims_json["articles"]:
        link = page.locator(f'a[href="{article["url"]}"]').first
        assert link.is_visible(), f"no visible link to {article['url']}"
        card = link.locator("xpath=ancestor::li[1]")
        text = words(card.inner_text()).lower()
        for verdict in VERDICTS:
            count = sum(c["verdict"] == verdict for c in article["claims"])
            assert re.search(rf"\b{count}\b\W*{verdict}", text), (article["slug"], verdict, text)


def test_the_index_explains_each_verdict(new_page: NewPage, site_url: str) -> None:
    page = new_page(1280, javascript=False)
    page.goto(site_url + "index.html")
    legend = words(page.inner_text(".legend")).lower()
    for verdict in VERDICTS:
        assert verdict in legend


def test_the_fact_sheet_lists_every_claim_with_its_verdict_and_correction(
    new_page: NewPage, site_url: str, site_claims: list[SiteClaim]
) -> None:
    page = new_page(1280, javascript=False)
    page.goto(site_url + "fact-sheet.html")
    rows = page.locator("table tbody tr")
    assert rows.count() == len(site_claims)
    texts = {
        words(quote).strip('"“”'): words(row)
        for quote, row in zip(
            page.locator("table tbody tr td:first-child").all_inner_texts(),
            rows.all_inner_texts(),
            strict=True,
        )
    }
    for claim in site_claims:
        row = texts.get(words(claim.quote).strip('"“”'))
        assert row is not None, f"no row for {claim.id}"
        assert claim.verdict in row.lower()
        if claim.correction:
            assert words(claim.correction) in row


@pytest.mark.parametrize("verdict", VERDICTS)
def test_the_fact_sheet_filters_by_verdict_without_javascript(
    new_page: NewPage, site_url: str, site_claims: list[SiteClaim], verdict: str
) -> None:
    page = new_page(375, javascript=False)
    page.goto(site_url + "fact-sheet.html")
    page.get_by_role("navigation", name=re.compile("verdict", re.I)).get_by_role(
        "link", name=re.compile(verdict, re.I)
    ).click()
    page.wait_for_url(re.compile(rf"{verdict}\.html$"))
    rows = page.locator("table tbody tr")
    expected = [c for c in site_claims if c.verdict == verdict]
    assert rows.count() == len(expected)
    for text in rows.all_inner_texts():
        assert verdict in text.lower()
        others = set(VERDICTS) - {verdict}
        assert not any(other in text.lower().split() for other in others)


def test_the_fact_sheet_sorts_by_a_column_when_javascript_is_on(
    new_page: NewPage, site_url: str
) -> None:
    page = new_page(1280)
    page.goto(site_url + "fact-sheet.html")
    header = page.get_by_role("columnheader", name=re.compile("verdict", re.I))
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    verdicts = [words(t).lower() for t in page.locator("tbody td:nth-child(2)").all_inner_texts()]
    assert verdicts == sorted(verdicts, key=lambda v: VERDICTS.index(v))
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    verdicts = [words(t).lower() for t in page.locator("tbody td:nth-child(2)").all_inner_texts()]
    assert verdicts == sorted(verdicts, key=lambda v: VERDICTS.index(v), reverse=True)


def test_each_fact_sheet_row_links_to_the_claim_in_its_article(
    new_page: NewPage, site_url: str, site_claims: list[SiteClaim]
) -> None:
    page = new_page(1280, javascript=False)
    page.goto(site_url + "fact-sheet.html")
    hrefs = set(
        page.eval_on_selector_all(
            "tbody a", "els => els.map(a => a.href.replace(location.origin + '/', ''))"
        )
    )
    for claim in site_claims:
        assert f"{claim.article}#claim-{claim.id}" in hrefs
        assert claim.page in hrefs


def test_a_claim_page_shows_the_claim_in_context_with_its_verdict_note_and_links(
    new_page: NewPage, site_url: str, site_claims: list[SiteClaim], built_site: Path
) -> None:
    page = new_page(375, javascript=False)
    for claim in site_claims[:: max(1, len(site_claims) // 6)]:
        page.goto(site_url + claim.page)
        marked = words(" ".join(page.locator(f'[data-claim="{claim.id}"]').all_text_contents()))
        assert marked, f"{claim.page}: the claim is not marked in its context"
        main = words(page.inner_text("main")).lower()
        assert claim.verdict in main
        if claim.correction:
            assert words(claim.correction).lower() in main
        hrefs = page.eval_on_selector_all(
            "main a", "els => els.map(a => a.href.replace(location.origin + '/', ''))"
        )
        assert f"{claim.article}#claim-{claim.id}" in hrefs, f"{claim.page}: no link to context"
        assert "fact-sheet.html" in hrefs, f"{claim.page}: no link to the fact sheet"
