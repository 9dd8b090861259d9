"""Where each output lives, relative to the site root, and how pages link to each other."""

from __future__ import annotations

import re
from urllib.parse import quote

INDEX = "index.html"
FACT_SHEET = "fact-sheet.html"
NOT_FOUND = "404.html"
SEARCH = "search.html"
STATIC = "static/"


# the pages of the article list after the index: articles/page-2.html, articles/page-3.html, ...
ARTICLE_LIST_PAGE = re.compile(r"page-[0-9]+")


def article(slug: str) -> str:
    return f"articles/{slug}.html"


def article_list(number: int) -> str:
    """Page ``number`` of the list of articles, newest first: the index is the first."""
    return INDEX if number == 1 else f"articles/page-{number}.html"


def claim_anchor(slug: str, claim_id: str) -> str:
    return f"{article(slug)}#claim-{claim_id}"


def claim_page(slug: str, claim_id: str) -> str:
    return f"claims/{slug}/{claim_id}.html"


def page(slug: str) -> str:
    return f"pages/{slug}.html"


def fact_sheet(verdict: str | None, number: int = 1) -> str:
    """Page ``number`` of the fact sheet, whole or of one verdict."""
    if verdict is None:
        return FACT_SHEET if number == 1 else f"fact-sheet/page-{number}.html"
    suffix = "" if number == 1 else f"-{number}"
    return f"fact-sheet/{verdict}{suffix}.html"


def root_of(path: str) -> str:
    """The relative prefix that leads from the page at ``path`` back to the site root."""
    return "../" * path.count("/")


def absolute(base_url: str, path: str) -> str:
    return base_url + ("" if path == INDEX else path)


def text_fragment(url: str, exact: str) -> str:
    """A link to ``exact`` inside the page at ``url``, using a URL text fragment."""
    words = exact.split()
    if len(words) > 8:  # long quotes: match by their start and end, as browsers allow
        target = f"{_fragment_part(' '.join(words[:4]))},{_fragment_part(' '.join(words[-4:]))}"
    else:
        target = _fragment_part(" ".join(words))
    return f"{url.split('#')[0]}#:~:text={target}"


def _fragment_part(text: str) -> str:
    return quote(text, safe="").replace("-", "%2D")
