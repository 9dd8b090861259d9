"""The index lists the newest articles; the older ones are on further pages of the same size."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from factsheet.pipeline import build_site, check_content
from factsheet.problems import ContentError
from tests.helpers import SITE_YAML, good_files, write_tree

BASE = "https://example.org/site/"


def content_with(tmp_path: Path, index_articles: int | None, count: int) -> Path:
    files = good_files()  # cruise-orbit, published 2025-09-18
    if index_articles is not None:
        files["site.yaml"] = SITE_YAML + f"index_articles: {index_articles}\n"
    for n in range(count):  # story-0 is the oldest; story-4 has no published date
        published = f"published: 2024-0{n + 1}-01\n" if n < 4 else ""
        files[f"articles/story-{n}.md"] = (
            f"---\ntitle: Story {n}\n{published}retrieved: 2026-01-0{n + 1}\n---\nStory {n}.\n"
        )
    return write_tree(tmp_path / "content", files)


def listed(page: Path) -> list[str]:
    """The articles a page of the list shows, in order (their slugs)."""
    return re.findall(r'<article aria-labelledby="card-([a-z0-9-]+)"', page.read_text())


def test_the_index_lists_the_newest_and_the_rest_are_on_pages_as_long(tmp_path: Path) -> None:
    content = content_with(tmp_path, 2, 5)
    site = tmp_path / "site"
    build_site(content, site, base_url=BASE, jobs=1)
    # newest first by published date; an article without one comes last
    assert listed(site / "index.html") == ["cruise-orbit", "story-3"]
    assert listed(site / "articles/page-2.html") == ["story-2", "story-1"]
    assert listed(site / "articles/page-3.html") == ["story-0", "story-4"]
    assert not (site / "articles/page-4.html").exists()
    for page in ("index.html", "articles/page-2.html", "articles/page-3.html"):
        html = (site / page).read_text()
        root = "" if page == "index.html" else "../"
        for target in ("index.html", "articles/page-2.html", "articles/page-3.html"):
            assert f'href="{root}{target}"' in html, (page, target)
        assert html.count('aria-current="page">') >= 1


def test_the_index_counts_every_article_not_only_those_it_lists(tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(content_with(tmp_path, 2, 5), site, base_url=BASE, jobs=1)
    intro = re.search(r'<p class="intro-stats">(\d+) articles', (site / "index.html").read_text())
    assert intro is not None and intro.group(1) == "6"


def test_the_sitemap_lists_every_page_of_the_article_list(tmp_path: Path) -> None:
    content = content_with(tmp_path, 2, 5)
    site = tmp_path / "site"
    build_site(content, site, base_url=BASE, jobs=1)
    tree = ET.parse(site / "sitemap.xml").getroot()
    locations = {el.text for el in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert {BASE + "articles/page-2.html", BASE + "articles/page-3.html"} <= locations
    assert BASE + "search.html" in locations


def test_up_to_the_limit_the_index_lists_every_article_and_no_page_follows(
    tmp_path: Path,
) -> None:
    content = content_with(tmp_path, None, 5)  # the default, 50
    site = tmp_path / "site"
    build_site(content, site, base_url=BASE, jobs=1)
    assert len(listed(site / "index.html")) == 6
    assert not list((site / "articles").glob("page-*.html"))
    assert "Pages of the article list" not in (site / "index.html").read_text()


def test_an_article_named_like_a_page_of_the_list_is_refused(tmp_path: Path) -> None:
    files = good_files()
    files["articles/page-2.md"] = "---\ntitle: Two\nretrieved: 2026-01-01\n---\nText.\n"
    content = write_tree(tmp_path / "content", files)
    with pytest.raises(ContentError) as caught:
        check_content(content)
    assert any(
        p.location.path.endswith("page-2.md")
        and "kept for the pages of the article list" in p.message
        for p in caught.value.problems
    )


@pytest.mark.parametrize("value", ["0", "ten"])
def test_a_wrong_number_of_articles_on_the_index_is_a_located_error(
    tmp_path: Path, value: str
) -> None:
    files = good_files()
    files["site.yaml"] = SITE_YAML + f"index_articles: {value}\n"
    content = write_tree(tmp_path / "content", files)
    with pytest.raises(ContentError) as caught:
        check_content(content)
    problems = caught.value.problems
    assert len(problems) == 1
    assert problems[0].location.path.endswith("site.yaml") and problems[0].location.line == 8
    assert problems[0].message.startswith("index_articles"), problems[0].message
    assert "number" in problems[0].message
