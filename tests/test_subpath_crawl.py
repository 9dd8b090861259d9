"""The built site works from a sub-path, as GitHub Pages serves a project site, and from disk.

The real ``content/`` is built for ``http://127.0.0.1:PORT/repo/`` and served from the folder
above the output, so the site lives under ``/repo/`` as on ``https://user.github.io/repo/``. The
server answers like GitHub Pages: a folder without ``index.html`` is not listed, and a missing
path under ``/repo/`` gets ``/repo/404.html`` with status 404.
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import revised_files, write_tree
from tests.linkcrawl import CrawlResult, crawl_disk, crawl_http, fetch

ROOT = Path(__file__).resolve().parent.parent
SUB_PATH = "repo"


class PagesLikeHandler(http.server.SimpleHTTPRequestHandler):
    """Static files as GitHub Pages serves them, for a project site in ``/<SUB_PATH>/``."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        listing = path.is_dir() and self.path.split("?")[0].endswith("/")
        if listing and not (path / "index.html").is_file():
            return self._not_found()
        if not path.exists():
            return self._not_found()
        return super().send_head()

    def _not_found(self) -> None:
        page = Path(self.directory) / SUB_PATH / "404.html"
        if not self.path.startswith(f"/{SUB_PATH}/") or not page.is_file():
            self.send_error(404)
            return None
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None


@dataclass(frozen=True)
class Site:
    out: Path  # the output folder
    url: str  # where it is served, ending in /


def build(out: Path, base_url: str, content: Path = ROOT / "content") -> None:
    command = [sys.executable, "build.py", "build", "--content", str(content), "--out", str(out)]
    result = subprocess.run(
        [*command, "--base-url", base_url],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"the build failed ({result.returncode}):\n{result.stdout}{result.stderr}", False
        )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from served(tmp_path_factory.mktemp("pages"))


@pytest.fixture(scope="module")
def revised(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A small site whose checks were revised (an update, a withdrawn claim), served likewise."""
    content = write_tree(tmp_path_factory.mktemp("revised-content"), revised_files())
    yield from served(tmp_path_factory.mktemp("revised"), content)


def served(parent: Path, content: Path = ROOT / "content") -> Iterator[Site]:
    handler = functools.partial(PagesLikeHandler, directory=str(parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    try:
        build(parent / SUB_PATH, url, content)
        thread.start()
        yield Site(parent / SUB_PATH, url)
    finally:
        if thread.is_alive():
            server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def http_crawl(site: Site) -> CrawlResult:
    return crawl_http(site.url)


def html_files(site: Site) -> set[str]:
    return {p.relative_to(site.out).as_posix() for p in site.out.rglob("*.html")}


def report(problems: list[str]) -> str:
    return f"{len(problems)} broken link(s):\n" + "\n".join(problems)


# --- served from a sub-path -------------------------------------------------------------------


def test_every_internal_link_works_when_served_from_a_sub_path(http_crawl: CrawlResult) -> None:
    assert http_crawl.problems == [], report(http_crawl.problems)


def test_the_crawl_from_the_index_reaches_every_page(site: Site, http_crawl: CrawlResult) -> None:
    reached = {url.removeprefix(site.url) for url in http_crawl.pages}
    unreached = html_files(site) - reached - {"404.html"}
    assert sorted(unreached) == []


def test_a_missing_page_gets_the_404_page_whose_links_work_at_any_depth(site: Site) -> None:
    deep = site.url + "articles/no/such/page.html"
    response = fetch(deep)
    assert response.status == 404
    assert response.body == (site.out / "404.html").read_bytes()
    result = crawl_http(site.url, starts=[deep])
    assert result.problems == [], report(result.problems)
    assert site.url + "index.html" in result.pages or site.url in result.pages


def test_the_sitemap_and_the_feed_list_pages_that_exist(site: Site) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    sitemap = ET.parse(site.out / "sitemap.xml").getroot()
    locations = [
        el.text or "" for el in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    for name in ("feed.xml", "updates.xml"):
        feed = ET.parse(site.out / name).getroot()
        locations += [el.get("href", "") for el in feed.iter(f"{atom}link")]
    assert locations
    broken = [
        f"{url}: {status}"
        for url in locations
        if (status := fetch(url.split("#")[0]).status if url.startswith(site.url) else 0) != 200
    ]
    assert broken == []


# --- opened from disk -------------------------------------------------------------------------


def test_every_relative_link_resolves_to_a_file_when_opened_from_disk(site: Site) -> None:
    result = crawl_disk(site.out, site_url=site.url)
    assert result.problems == [], report(result.problems)
    assert sorted(html_files(site) - result.pages - {"404.html"}) == []


# --- a revised check: corrections, updates and a withdrawn claim -----------------------------


def test_the_pages_of_a_revised_check_link_to_each_other_served_and_from_disk(
    revised: Site,
) -> None:
    served_crawl = crawl_http(revised.url)
    assert served_crawl.problems == [], report(served_crawl.problems)
    disk = crawl_disk(revised.out, site_url=revised.url)
    assert disk.problems == [], report(disk.problems)
    for page in ("corrections.html", "claims/cruise-orbit/fly-to-orbit.html"):
        assert revised.url + page in served_crawl.pages and page in disk.pages


def test_the_feed_of_updates_links_to_pages_that_exist(revised: Site) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(revised.out / "updates.xml").getroot()
    links = [el.get("href", "") for el in feed.iter(f"{atom}link")]
    assert revised.url + "claims/cruise-orbit/fly-to-orbit.html" in links
    assert [url for url in links if fetch(url).status != 200] == []
    sitemap = (revised.out / "sitemap.xml").read_text()
    assert f"<loc>{revised.url}corrections.html</loc>" in sitemap


# --- the crawlers themselves ------------------------------------------------------------------

BROKEN_SITE = {
    "index.html": """<!doctype html>
<link rel="stylesheet" href="style.css">
<a href="good.html#here">fine</a>
<a href="missing.html">no such page</a>
<a href="good.html#nowhere">no such id</a>
<a href="#top-of-index">same page, no such id</a>
<a href="../outside.html">leaves the folder</a>
<a href="/repo/good.html">root-relative</a>
<a href="sub/">a folder</a>
<a href="https://example.org/elsewhere">external, not fetched</a>
<img src="logo.png">
""",
    "good.html": '<!doctype html><h1 id="here">Good</h1><a href="index.html">back</a>',
    "style.css": "body { background: url('img/missing.png'); }",
    "sub/page.html": "<!doctype html><p>in a folder without an index</p>",
}


@pytest.fixture
def broken_site(tmp_path: Path) -> Iterator[Site]:
    out = tmp_path / SUB_PATH
    for name, text in BROKEN_SITE.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text, encoding="utf-8")
    handler = functools.partial(PagesLikeHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield Site(out, f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}/")
    finally:
        server.shutdown()
        server.server_close()


def test_the_http_crawler_reports_every_broken_link(broken_site: Site) -> None:
    problems = crawl_http(broken_site.url).problems
    url = broken_site.url
    assert sorted(problems) == sorted(
        [
            f'{url}index.html:4: <a href="missing.html">: HTTP 404 for {url}missing.html',
            f'{url}index.html:5: <a href="good.html#nowhere">: no id="nowhere" in {url}good.html',
            f'{url}index.html:6: <a href="#top-of-index">: no id="top-of-index" in {url}index.html',
            f'{url}index.html:7: <a href="../outside.html">: leaves the site\'s folder /repo/',
            f'{url}index.html:9: <a href="sub/">: HTTP 404 for {url}sub/',
            f'{url}index.html:11: <img src="logo.png">: HTTP 404 for {url}logo.png',
            f'{url}style.css:1: <style url="img/missing.png">: HTTP 404 for {url}img/missing.png',
        ]
    )


def test_the_disk_crawler_reports_every_broken_link(broken_site: Site) -> None:
    problems = crawl_disk(broken_site.out).problems
    assert sorted(problems) == sorted(
        [
            'index.html:4: <a href="missing.html">: no file missing.html',
            'index.html:5: <a href="good.html#nowhere">: no id="nowhere" in good.html',
            'index.html:6: <a href="#top-of-index">: no id="top-of-index" in index.html',
            'index.html:7: <a href="../outside.html">: leaves the output folder',
            'index.html:8: <a href="/repo/good.html">: '
            "starts with /, which from disk is the disk's root",
            'index.html:9: <a href="sub/">: a folder: from disk this shows a file listing',
            'index.html:11: <img src="logo.png">: no file logo.png',
            'style.css:1: <style url="img/missing.png">: no file img/missing.png',
        ]
    )


def test_the_disk_crawler_reports_absolute_links_to_the_site_itself(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<link rel="canonical" href="https://x.example/repo/">'
        '<a href="https://x.example/repo/about.html">absolute</a>',
        encoding="utf-8",
    )
    problems = crawl_disk(tmp_path, site_url="https://x.example/repo/").problems
    assert problems == [
        'index.html:1: <a href="https://x.example/repo/about.html">: '
        "absolute link to the site; make it relative"
    ]
