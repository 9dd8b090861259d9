"""Every page fits any screen, follows the reader's colour scheme and loads cleanly."""

from __future__ import annotations

import pytest

from .conftest import ARTICLE_BLOCKS, PAGE_KINDS, NewPage


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


# How far apart two consecutive blocks of an article may stand, in lines of its body text:
# on wide screens the notes stand in the margin; on phones each closed note takes under 3 lines.
GAP_LIMIT = {1280: lambda claims: 3, 375: lambda claims: 2 + 3 * claims}

GAPS = f"""() => {{
    const blocks = {ARTICLE_BLOCKS};
    const line = parseFloat(getComputedStyle(blocks.find(b => b.tagName === 'P')).lineHeight);
    return blocks.slice(1).map((next, i) => {{
        const block = blocks[i];
        const claims = new Set([...block.querySelectorAll('[data-claim]')]
            .map(e => e.dataset.claim)).size;
        const gap = next.getBoundingClientRect().top - block.getBoundingClientRect().bottom;
        return [block.textContent.slice(0, 40), claims, gap / line];
    }});
}}"""


@pytest.mark.parametrize("width", [375, 1280])
def test_without_javascript_each_paragraph_of_an_article_follows_the_last_closely(
    new_page: NewPage, site_url: str, article_pages: list[str], width: int
) -> None:
    """The text reads on: between two blocks of an article stand at most a few lines, the
    closed notes of the first (on phones), never all of them in full."""
    page = new_page(width, javascript=False)
    too_far = []
    for article in article_pages:
        page.goto(site_url + article)
        gaps = page.evaluate(GAPS)
        assert len(gaps) >= 5, f"{article}: {len(gaps) + 1} blocks found"
        too_far += [
            f"{article}: after {start!r} ({claims} claims): {lines:.1f} lines"
            for start, claims, lines in gaps
            if lines > GAP_LIMIT[width](claims)
        ]
    assert too_far == []
