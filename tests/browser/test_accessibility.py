"""Accessibility as axe-core measures it (WCAG 2.2 A and AA, and axe's best practices)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import PAGE_KINDS, WIDTHS, NewPage

AXE = Axe()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_axe_finds_no_violation(
    new_page: NewPage,
    site_url: str,
    page_of_kind: dict[str, str],
    kind: str,
    width: int,
    scheme: str,
) -> None:
    page = new_page(width, color_scheme=scheme)
    page.goto(site_url + page_of_kind[kind])
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("kind", ["article", "claim"])
def test_axe_finds_no_violation_on_a_highlighted_permalink_target(
    new_page: NewPage,
    site_url: str,
    page_of_kind: dict[str, str],
    main_article: dict[str, object],
    kind: str,
) -> None:
    """The :target highlight must keep the claim's text readable (contrast), in both schemes."""
    claims = main_article["claims"]
    assert isinstance(claims, list)
    url = claims[-1]["url"] if kind == "article" else page_of_kind[kind]
    for scheme in ("light", "dark"):
        page = new_page(375, color_scheme=scheme)
        page.goto(site_url + url)
        results = AXE.run(page)
        assert results.violations_count == 0, f"{scheme}: {results.generate_report()}"
