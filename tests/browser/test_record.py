"""The living record in a browser: updates before the note, corrections listed, a withdrawn
claim's permalinks landing on notices; accessible (axe) and valid (Nu) like every page."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import RECORD_PAGES, WIDTHS, NewPage, RevisedSite
from .test_markup import VNU_JAR

AXE = Axe()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", list(RECORD_PAGES))
def test_axe_finds_no_violation_on_the_pages_of_a_revised_check(
    new_page: NewPage, revised_site: RevisedSite, kind: str, width: int, scheme: str
) -> None:
    page = new_page(width, color_scheme=scheme)
    page.goto(revised_site.url + RECORD_PAGES[kind])
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()


def test_the_nu_html_checker_finds_no_error_in_a_revised_site(revised_site: RevisedSite) -> None:
    assert VNU_JAR.is_file(), f"{VNU_JAR} is missing: run `npm ci` in tools/"
    command = ["java", "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html"]
    result = subprocess.run(
        [*command, "--format", "json", "--stdout", str(revised_site.out)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    messages = json.loads(result.stdout)["messages"]
    report = "\n".join(
        f"{m.get('url', '').split(str(revised_site.out))[-1]}:{m.get('lastLine')}: "
        f"{m.get('message')}  [{m.get('extract', '').strip()}]"
        for m in messages
    )
    assert messages == [], f"{len(messages)} HTML errors:\n{report}"


@pytest.mark.parametrize("kind", list(RECORD_PAGES))
def test_no_page_of_a_revised_check_scrolls_sideways_at_320_px(
    new_page: NewPage, revised_site: RevisedSite, kind: str
) -> None:
    page = new_page(320)
    page.goto(revised_site.url + RECORD_PAGES[kind], wait_until="networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.problems == []  # type: ignore[attr-defined]


def test_an_updated_note_says_so_before_its_explanation(
    new_page: NewPage, revised_site: RevisedSite
) -> None:
    page = new_page(375)
    page.goto(revised_site.url + RECORD_PAGES["article-with-both"])
    # closed, the note says beside its verdict that it was updated (screen readers hear when)
    closed = page.locator("#note-film-budget > summary")
    assert "Updated" in closed.inner_text()
    assert "Updated 1 December 2026" in " ".join(closed.text_content().split())
    page.click("#note-film-budget > summary")
    note = page.locator("#note-film-budget .note-full").inner_text()
    assert note.index("Updated 1 December 2026") < note.index("Estimates vary.")
    assert "Verdict changed from disputed to erroneous" in note
    assert "28 November 2026: Sources added" in note  # the earlier update, with its date
    claim = new_page(375)
    claim.goto(revised_site.url + RECORD_PAGES["updated-claim"])
    text = claim.locator("main").inner_text()
    assert text.index("Updated 1 December 2026") < text.index("Estimates vary.")


def test_a_withdrawn_claims_permalink_lands_on_its_notice_which_leads_to_its_page(
    new_page: NewPage, revised_site: RevisedSite
) -> None:
    page = new_page(375, javascript=False)
    page.goto(revised_site.url + RECORD_PAGES["article-with-both"] + "#claim-fly-to-orbit")
    notice = page.locator("#claim-fly-to-orbit")
    assert notice.is_visible()
    assert (
        page.evaluate("document.querySelector('#claim-fly-to-orbit').getBoundingClientRect().top")
        < 800
    )
    assert "withdrawn 2 December 2026" in notice.inner_text()
    assert page.locator('[data-claim="fly-to-orbit"]').count() == 0  # no longer marked
    notice.get_by_role("link", name="The withdrawn claim's page").click()
    page.wait_for_load_state()
    assert page.url == revised_site.url + RECORD_PAGES["withdrawn-claim"]
    heading = page.get_by_role("heading", level=2, name="We withdrew this check on 2 December 2026")
    assert heading.is_visible()
    assert "We had checked an announcement, not an event" in page.locator("main").inner_text()


def test_the_corrections_page_lists_every_revision_newest_first(
    new_page: NewPage, revised_site: RevisedSite
) -> None:
    page = new_page(1280)
    page.goto(revised_site.url + "index.html")
    page.get_by_role("contentinfo").get_by_role("link", name="Corrections and updates").click()
    page.wait_for_load_state()
    assert page.url == revised_site.url + "corrections.html"
    headings = [
        " ".join(h.split()) for h in page.locator(".corrections-list h2").all_text_contents()
    ]
    assert headings == [
        "Withdrawn 2 December 2026",
        "Updated 1 December 2026",
        "Updated 28 November 2026",
    ]
    feeds = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
    assert "updates.xml" in [feeds.nth(i).get_attribute("href") for i in range(feeds.count())]


def test_the_method_page_links_to_the_corrections_page(
    new_page: NewPage, site_url: str, page_of_kind: dict[str, str]
) -> None:
    page = new_page(1280)
    page.goto(site_url + page_of_kind["page"])
    page.locator("main").get_by_role("link", name="corrections page").click()
    page.wait_for_load_state()
    assert page.url == site_url + "corrections.html"
    assert page.get_by_role("heading", level=1).inner_text() == "Corrections and updates"


def test_every_page_announces_the_feed_of_updates(built_site: Path, all_pages: list[str]) -> None:
    feed = re.compile(
        r'<link rel="alternate" type="application/atom\+xml" href="(?:\.\./)*updates\.xml"'
    )
    absolute = '<link rel="alternate" type="application/atom+xml" href="http'
    missing = [
        rel
        for rel in all_pages
        if not feed.search(text := (built_site / rel).read_text()) and absolute not in text
    ]
    assert missing == []
