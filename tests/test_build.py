"""Building a site end to end, through the command line, as an editor or a workflow does."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.claim_html import claim_order, claims_in
from tests.helpers import good_files, write_tree

ROOT = Path(__file__).resolve().parent.parent


def run(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "content", good_files())


@pytest.fixture
def built(content: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    result = run("build", "--content", str(content), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def test_build_writes_every_output_of_the_site(built: Path) -> None:
    for path in [
        "index.html",
        "articles/cruise-orbit.html",
        "claims/cruise-orbit/mission-impossible-year.html",
        "claims/cruise-orbit/film-budget.html",
        "fact-sheet.html",
        "fact-sheet/erroneous.html",
        "pages/method.html",
        "404.html",
        ".nojekyll",
        "sitemap.xml",
        "feed.xml",
        "corrections.html",
        "updates.xml",
        "robots.txt",
        "claims.json",
        "annotations.jsonld",
        "static/style.css",
    ]:
        assert (built / path).is_file(), path


def test_every_claim_is_marked_per_the_html_contract(built: Path) -> None:
    html = (built / "articles/cruise-orbit.html").read_text()
    claims = claims_in(html)
    assert claims["mission-impossible-year"].text == "first Mission: Impossible film in 1992"
    assert claims["mission-impossible-year"].verdicts == {"erroneous"}
    assert claims["mission-impossible-year"].ids == ["claim-mission-impossible-year"]
    assert claims["film-budget"].text == "cost $200 million"
    assert claims["film-budget"].verdicts == {"disputed"}
    assert claim_order(html) == ["mission-impossible-year", "film-budget"]
    # the verdict in words, the correction and the note are on the page
    assert "Erroneous" in html and "Disputed" in html
    assert "The first Mission: Impossible film came out in 1996." in html
    assert '<a href="https://studio.example.com/mi">the studio</a>' in html


def test_article_page_embeds_one_claim_review_per_claim(built: Path) -> None:
    html = (built / "articles/cruise-orbit.html").read_text()
    blocks = html.split('<script type="application/ld+json">')[1:]
    reviews = [json.loads(b.split("</script>", 1)[0]) for b in blocks]
    assert [r["@type"] for r in reviews] == ["ClaimReview", "ClaimReview"]
    assert reviews[0]["reviewRating"]["alternateName"] == "Erroneous"
    assert reviews[0]["itemReviewed"]["appearance"]["url"] == "https://news.example.com/cruise"


def test_claim_page_has_exactly_one_claim_review(built: Path) -> None:
    html = (built / "claims/cruise-orbit/film-budget.html").read_text()
    assert html.count("application/ld+json") == 1
    assert "cost $200 million" in html


def test_claims_json_follows_the_published_shape(built: Path) -> None:
    data = json.loads((built / "claims.json").read_text())
    assert data["site"]["base_url"] == "https://example.github.io/factsheet/"
    [article] = data["articles"]
    assert article["url"] == "articles/cruise-orbit.html"
    first = article["claims"][0]
    assert first["id"] == "mission-impossible-year"
    assert first["url"] == "articles/cruise-orbit.html#claim-mission-impossible-year"
    assert first["page"] == "claims/cruise-orbit/mission-impossible-year.html"
    assert first["correction"] == "The first Mission: Impossible film came out in 1996."
    for claim in article["claims"]:
        assert (built / claim["page"]).is_file()


def test_internal_links_are_relative_and_base_url_only_where_absolute_is_required(
    built: Path,
) -> None:
    for page in built.rglob("*.html"):
        if page.name == "404.html":
            continue
        html = page.read_text()
        for attr in ('href="/', 'src="/'):
            assert attr not in html, f"{page}: root-relative link"
    sitemap = (built / "sitemap.xml").read_text()
    assert "<loc>https://example.github.io/factsheet/articles/cruise-orbit.html</loc>" in sitemap


def test_base_url_option_overrides_site_yaml(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run(
        "build", "--content", str(content), "--out", str(out), "--base-url", "https://x.org/r"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads((out / "claims.json").read_text())["site"]["base_url"] == "https://x.org/r/"


def test_failed_build_leaves_the_previous_output_byte_for_byte(content: Path, built: Path) -> None:
    before = tree_digest(built)
    annotations = content / "annotations/cruise-orbit.yaml"
    annotations.write_text(annotations.read_text().replace("film in 1992", "film in 1993"))
    result = run("build", "--content", str(content), "--out", str(built))
    assert result.returncode == 1
    assert tree_digest(built) == before
    assert not [p for p in built.parent.iterdir() if p.name.startswith(".out.tmp")]


def test_a_second_build_replaces_the_output_whole(content: Path, built: Path) -> None:
    (built / "stale.html").write_text("old")
    result = run("build", "--content", str(content), "--out", str(built))
    assert result.returncode == 0
    assert not (built / "stale.html").exists()
    assert (built / "index.html").is_file()


def test_builds_are_deterministic(content: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    assert run("build", "--content", str(content), "--out", str(first)).returncode == 0
    assert run("build", "--content", str(content), "--out", str(second)).returncode == 0
    assert tree_digest(first) == tree_digest(second)


def test_content_and_output_may_be_anywhere(content: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run("build", "--content", str(content), "--out", "site-here", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert (elsewhere / "site-here/articles/cruise-orbit.html").is_file()


def test_every_command_has_help() -> None:
    for command in ([], ["build"], ["check"], ["serve"], ["find"]):
        result = run(*command, "--help")
        assert result.returncode == 0
        assert "Usage:" in result.stdout


def test_standalone_pages_are_linked_from_every_page(built: Path) -> None:
    for page in built.rglob("*.html"):
        html = page.read_text()
        assert "pages/method.html" in html, page


def test_every_page_has_a_description_open_graph_tags_and_a_canonical_url(built: Path) -> None:
    for page in built.rglob("*.html"):
        html = page.read_text()
        for tag in (
            '<meta name="description" content="',
            'property="og:title"',
            'property="og:url"',
        ):
            assert tag in html, (page, tag)
        if page.name != "404.html":
            relative = page.relative_to(built).as_posix()
            url = "https://example.github.io/factsheet/" + (
                "" if relative == "index.html" else relative
            )
            assert f'<link rel="canonical" href="{url}">' in html, page
