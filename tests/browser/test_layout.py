"""Every page fits any screen, follows the reader's colour scheme and loads cleanly."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import PAGE_KINDS, NewPage


def test_no_page_scrolls_sideways_on_a_320_px_screen(
    new_page: NewPage, site_url: str, all_pages: list[str]
) -> None:
    page = new_page(320)
    too_wide = {}
    for rel in all_pages:
        page.goto(site_url + rel)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[rel] = width
    assert too_wide == {}, f"pages wider than the 320 px screen: {too_wide}"


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_no_text_is_cut_off_at_320_px(
    new_page: NewPage, site_url: str, page_of_kind: dict[str, str], kind: str
) -> None:
    """Nothing overflows its own box sideways either (a table or a long URL clipped unseen)."""
    page = new_page(320)
    page.goto(site_url + page_of_kind[kind])
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(el => {
                const r = el.getBoundingClientRect();
                if (r.width === 0 || (r.right <= 320.5 && r.left >= -0.5)) return false;
                for (let e = el; e; e = e.parentElement) {
                    const s = getComputedStyle(e);
                    if (s.position === 'absolute' || s.clipPath !== 'none') return false;
                }
                return true;
            })
            .map(el => el.tagName + '.' + el.className + ': ' + el.textContent.slice(0, 40))"""
    )
    assert clipped == []


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_dark_mode_follows_the_readers_setting(
    new_page: NewPage, site_url: str, page_of_kind: dict[str, str], kind: str
) -> None:
    colours = {}
    for scheme in ("light", "dark"):
        page = new_page(1280, color_scheme=scheme)
        page.goto(site_url + page_of_kind[kind])
        colours[scheme] = page.evaluate(
            """() => [document.body, document.documentElement]
                .map(el => getComputedStyle(el).backgroundColor)
                .find(c => c !== 'rgba(0, 0, 0, 0)') || 'transparent'"""
        )
    assert colours["light"] != colours["dark"], colours
    assert colours["dark"] != "transparent"


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_pages_load_without_console_errors_or_missing_files(
    new_page: NewPage, site_url: str, page_of_kind: dict[str, str], kind: str
) -> None:
    page = new_page(1280)
    page.goto(site_url + page_of_kind[kind], wait_until="networkidle")
    assert page.problems == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_every_page_links_to_the_index_the_fact_sheet_the_corrections_and_the_pages(
    new_page: NewPage, site_url: str, page_of_kind: dict[str, str], all_pages: list[str], kind: str
) -> None:
    page = new_page(1280)
    page.goto(site_url + page_of_kind[kind])
    targets = set(
        page.eval_on_selector_all(
            "a[href]", "links => links.map(a => a.href.split('#')[0].replace(location.origin, ''))"
        )
    )
    wanted = {"/index.html", "/fact-sheet.html", "/corrections.html"} | {
        "/" + rel for rel in all_pages if rel.startswith("pages/")
    }
    # A link to the folder ("./") counts as a link to its index.html.
    targets |= {t + "index.html" for t in targets if t.endswith("/")}
    assert wanted - targets == set()


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_on_wide_screens_a_short_paragraph_stays_beside_its_notes(
    new_page: NewPage, site_url: str, main_article: dict[str, Any], javascript: bool
) -> None:
    page = new_page(1280, javascript=javascript, height=900)
    page.goto(site_url + main_article["url"])
    rows = page.locator(".article-body > .annotated")
    assert rows.count() >= 3
    sticky = page.evaluate(
        """() => [...document.querySelectorAll('.article-body > .annotated')].map(row => [
            row.classList.contains('tall'),
            getComputedStyle(row.firstElementChild).position,
            row.lastElementChild.classList.contains('notes'),
        ])"""
    )
    assert all(has_notes for _, _, has_notes in sticky)
    assert all(position == ("static" if tall else "sticky") for tall, position, _ in sticky)
    assert any(position == "sticky" for _, position, _ in sticky)
