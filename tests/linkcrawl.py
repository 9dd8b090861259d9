"""A small link checker for a built site, over HTTP or straight from the output folder.

Both crawlers start from a page, follow every ``href``/``src`` of ``a``, ``link``, ``script`` and
``img`` (and ``url(...)`` in style sheets) within the site, and report every broken link at once,
one line each: ``PAGE:LINE: <tag attr="value">: what is wrong``. Links elsewhere are not fetched.

- ``crawl_http``: every internal link answers 200, every ``#fragment`` is an ``id`` (or ``a name``)
  in the target page, and no link leaves the site's folder (``/repo/`` when the site is served
  from a sub-path).
- ``crawl_disk``: what a reader gets by opening ``index.html`` from disk: every relative link
  names a file in the output folder (a folder shows a file listing, not a page), fragments exist,
  and no internal link is absolute.
"""

from __future__ import annotations

import posixpath
import re
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

LINK_ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src"}
# Links that must be absolute: the canonical URL and feed discovery.
ABSOLUTE_RELS = frozenset({"canonical", "alternate"})
CSS_URL = re.compile(
    r"""url\(\s*(['"]?)(?P<url>[^'")]+)\1\s*\)|@import\s+(['"])(?P<imp>[^'"]+)\3"""
)
# Links that are neither pages nor files: nothing to fetch.
SKIPPED_SCHEMES = ("mailto:", "tel:", "data:", "javascript:")
MAX_PAGES = 5000
TIMEOUT = 10


@dataclass(frozen=True)
class Link:
    """One reference found in a page."""

    page: str  # where it was found: a URL, or a path relative to the output folder
    line: int
    tag: str
    attr: str
    value: str
    rel: frozenset[str] = frozenset()

    def describe(self, problem: str) -> str:
        return f'{self.page}:{self.line}: <{self.tag} {self.attr}="{self.value}">: {problem}'


@dataclass
class Document:
    """What a crawler needs from a page: its ids, its links, and its ``<base href>`` if any."""

    ids: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)
    base: str | None = None


class _PageParser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.doc = Document()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            self.doc.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.doc.ids.add(values["name"])
        if tag == "base" and "href" in values and self.doc.base is None:
            self.doc.base = values["href"]
        attr = LINK_ATTRIBUTES.get(tag)
        if attr and attr in values:
            rel = frozenset(values.get("rel", "").lower().split())
            line = self.getpos()[0]
            self.doc.links.append(Link(self.page, line, tag, attr, values[attr].strip(), rel))

    handle_startendtag = handle_starttag


def parse_html(page: str, text: str) -> Document:
    parser = _PageParser(page)
    parser.feed(text)
    parser.close()
    return parser.doc


def parse_css(page: str, text: str) -> Document:
    doc = Document()
    for match in CSS_URL.finditer(text):
        url = (match["url"] or match["imp"]).strip()
        line = text.count("\n", 0, match.start()) + 1
        if not url.startswith("data:"):
            doc.links.append(Link(page, line, "style", "url", url))
    return doc


def fragment_id(fragment: str) -> str | None:
    """The element id a fragment names; None for the top of the page or a text fragment only."""
    fragment = fragment.split(":~:", 1)[0]
    return unquote(fragment) if fragment else None


def _is_external(value: str) -> bool:
    """A link with a scheme or a host of its own (``https:``, ``mailto:``, ``//host/``)."""
    return bool(urlsplit(value).scheme) or value.startswith("//")


@dataclass
class CrawlResult:
    problems: list[str]
    pages: set[str]  # the HTML pages reached: URLs, or paths relative to the output folder


@dataclass
class _Response:
    status: int
    content_type: str
    body: bytes


def fetch(url: str) -> _Response:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            return _Response(response.status, response.headers.get_content_type(), response.read())
    except urllib.error.HTTPError as err:
        return _Response(err.code, err.headers.get_content_type(), err.read())


def _document(where: str, content_type: str, body: bytes) -> Document | None:
    if content_type == "text/html":
        return parse_html(where, body.decode("utf-8", "replace"))
    if content_type == "text/css":
        return parse_css(where, body.decode("utf-8", "replace"))
    return None


def crawl_http(root: str, starts: Iterable[str] = ("index.html",)) -> CrawlResult:
    """Crawl the site served at ``root`` (a URL ending in ``/``) from ``starts`` (relative to it).

    A start page is read whatever its status (so a 404 page can be checked); every link found
    must answer 200.
    """
    site = urlsplit(root)
    responses: dict[str, _Response] = {}
    documents: dict[str, Document] = {}
    checks: list[tuple[Link, str, str]] = []  # link, target URL without fragment, fragment
    problems: list[str] = []
    queue: deque[str] = deque()

    def visit(url: str) -> None:
        if url not in responses:
            responses[url] = fetch(url)
            queue.append(url)

    for start in starts:
        visit(urljoin(root, start))
    while queue and len(documents) < MAX_PAGES:
        url = queue.popleft()
        response = responses[url]
        doc = _document(url, response.content_type, response.body)
        if doc is None:
            continue
        documents[url] = doc
        base = urljoin(url, doc.base) if doc.base else url
        for link in doc.links:
            if not link.value or link.value.startswith(SKIPPED_SCHEMES):
                continue
            target, fragment = urldefrag(urljoin(base, link.value))
            parts = urlsplit(target)
            if parts.scheme not in ("http", "https") or parts.netloc != site.netloc:
                continue  # external: not fetched
            if not parts.path.startswith(site.path):
                problems.append(link.describe(f"leaves the site's folder {site.path}"))
                continue
            visit(target)
            checks.append((link, target, fragment))

    for link, target, fragment in checks:
        response = responses[target]
        if response.status != 200 and target != link.page:  # a start page may be a 404 page
            problems.append(link.describe(f"HTTP {response.status} for {target}"))
            continue
        wanted = fragment_id(fragment)
        if wanted is None:
            continue
        target_doc = documents.get(target)
        if target_doc is None or response.content_type != "text/html":
            problems.append(link.describe(f"#{fragment} points into a non-HTML resource"))
        elif wanted not in target_doc.ids:
            problems.append(link.describe(f'no id="{wanted}" in {target}'))
    pages = {url for url in documents if responses[url].content_type == "text/html"}
    return CrawlResult(problems, pages)


def _disk_type(path: str) -> str:
    if path.endswith((".html", ".htm")):
        return "text/html"
    return "text/css" if path.endswith(".css") else ""


def crawl_disk(folder: Path, start: str = "index.html", site_url: str = "") -> CrawlResult:
    """Crawl the output ``folder`` as a browser opening ``start`` from disk would.

    ``site_url`` is the site's base URL: a link to it, other than a canonical or alternate
    ``link``, should have been relative and is reported.
    """
    documents: dict[str, Document] = {}
    checks: list[tuple[Link, str, str]] = []
    problems: list[str] = []
    queue: deque[str] = deque([start])
    seen = {start}

    while queue and len(documents) < MAX_PAGES:
        page = queue.popleft()
        doc = _document(page, _disk_type(page), (folder / page).read_bytes())
        if doc is None:
            continue
        documents[page] = doc
        for link in doc.links:
            if not link.value or link.value.startswith(SKIPPED_SCHEMES):
                continue
            value = urljoin(doc.base, link.value) if doc.base else link.value
            if _is_external(value):
                if site_url and value.startswith(site_url) and not link.rel & ABSOLUTE_RELS:
                    problems.append(link.describe("absolute link to the site; make it relative"))
                continue
            if value.startswith("/"):
                problems.append(link.describe("starts with /, which from disk is the disk's root"))
                continue
            path, fragment = urldefrag(value)
            path = unquote(path)
            if path:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
            else:
                target = page  # "#fragment": this page
            if target == ".." or target.startswith("../"):
                problems.append(link.describe("leaves the output folder"))
                continue
            if path.endswith("/") or (folder / target).is_dir():
                problems.append(link.describe("a folder: from disk this shows a file listing"))
                continue
            if not (folder / target).is_file():
                problems.append(link.describe(f"no file {target}"))
                continue
            if target not in seen:
                seen.add(target)
                queue.append(target)
            checks.append((link, target, fragment))

    for link, target, fragment in checks:
        wanted = fragment_id(fragment)
        if wanted is None:
            continue
        target_doc = documents.get(target)
        if target_doc is None or _disk_type(target) != "text/html":
            problems.append(link.describe(f"#{fragment} points into a non-HTML file"))
        elif wanted not in target_doc.ids:
            problems.append(link.describe(f'no id="{wanted}" in {target}'))
    pages = {page for page in documents if _disk_type(page) == "text/html"}
    return CrawlResult(problems, pages)
