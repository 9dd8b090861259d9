"""Machine-readable descriptions of claims: schema.org ClaimReview and W3C Web Annotations."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, NamedTuple

from . import urls
from .model import SiteConfig
from .views import ClaimView

# ClaimReview ratings: the scale is published on the method page and in the legend
RATING_VALUES = {"erroneous": 1, "disputed": 2, "corroborated": 3}
RATING_NAMES = {"erroneous": "Erroneous", "disputed": "Disputed", "corroborated": "Corroborated"}
CLAIM_REVIEWED_LENGTH = 75
ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # as json.dumps with these


def script_json(data: Any) -> str:
    """JSON safe to embed in a ``<script>`` element: nothing in it can close the element."""
    text = _ENCODER.encode(data)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def claim_review(site: SiteConfig, claim: ClaimView, *, on_claim_page: bool) -> dict[str, Any]:
    article = claim.article
    page = claim.page_url if on_claim_page else claim.anchor_url
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": urls.absolute(site.base_url, page),
        "claimReviewed": _shorten(claim.anchor.exact, CLAIM_REVIEWED_LENGTH),
        "datePublished": claim.claim.reviewed.isoformat(),
        **_modified("dateModified", claim),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATING_VALUES[claim.verdict],
            "bestRating": 3,
            "worstRating": 1,
            "alternateName": RATING_NAMES[claim.verdict],
        },
        "itemReviewed": _claim(claim),
    }
    if site.publisher:
        review["author"] = _organization(site.publisher.name, site.publisher.url)
    else:
        review["author"] = _organization(site.title, site.base_url)
    if article.url is None:
        review["itemReviewed"]["appearance"]["url"] = urls.absolute(site.base_url, claim.anchor_url)
    return review


class ClaimReviewJson(NamedTuple):
    """One claim's ClaimReview as JSON for a ``<script>``, on each page that shows the claim."""

    on_article_page: str
    on_claim_page: str


def claim_review_json(site: SiteConfig, claim: ClaimView) -> ClaimReviewJson:
    """The ClaimReview built and serialised once; the two pages' differ only in its "url"."""
    review = claim_review(site, claim, on_claim_page=False)
    keys = list(review)
    at = keys.index("url")
    # ``{**before, "url": u, **after}`` as JSON is BEFORE,"url":u,AFTER
    before = script_json({k: review[k] for k in keys[:at]})[:-1] + ("," if at else "")
    after = script_json({k: review[k] for k in keys[at + 1 :]})[1:]
    after = "," + after if len(after) > 1 else after

    def with_url(url: str) -> str:
        return f'{before}"url":{script_json(url)}{after}'

    return ClaimReviewJson(
        with_url(review["url"]), with_url(urls.absolute(site.base_url, claim.page_url))
    )


def _modified(key: str, claim: ClaimView) -> dict[str, str]:
    """``{key: the date of the newest update}``, or nothing for a claim never revised."""
    modified = claim.claim.modified
    return {} if modified is None else {key: modified.isoformat()}


def _claim(claim: ClaimView) -> dict[str, Any]:
    article = claim.article
    appearance: dict[str, Any] = {"@type": "NewsArticle", "headline": article.title}
    if article.url:
        appearance["url"] = article.url
    if article.published:
        appearance["datePublished"] = article.published.isoformat()
    item: dict[str, Any] = {"@type": "Claim", "appearance": appearance}
    if article.outlet:
        item["author"] = _organization(article.outlet, None)
        appearance["publisher"] = _organization(article.outlet, None)
    if article.published:
        item["datePublished"] = article.published.isoformat()
    return item


def _organization(name: str, url: str | None) -> dict[str, Any]:
    org: dict[str, Any] = {"@type": "Organization", "name": name}
    if url:
        org["url"] = url
    return org


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def web_annotation(site: SiteConfig, claim: ClaimView) -> dict[str, Any]:
    """One claim as a W3C Web Annotation with motivation ``assessing``."""
    article = claim.article
    bodies: list[dict[str, Any]] = [
        {
            "type": "TextualBody",
            "purpose": "assessing",
            "value": claim.claim.note.strip(),
            "format": "text/markdown",
            "language": site.language,
        },
        {"type": "TextualBody", "purpose": "tagging", "value": claim.verdict},
    ]
    if claim.claim.correction:
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "editing",
                "value": claim.claim.correction,
                "format": "text/plain",
                "language": site.language,
            }
        )
    for source in claim.claim.sources:
        if source.url:
            bodies.append({"id": source.url, "type": "Text"})  # the evidence, as a web resource
    target_source = article.url or urls.absolute(site.base_url, urls.article(article.slug))
    annotation: dict[str, Any] = {
        "@context": ANNOTATION_CONTEXT,  # so each annotation stands alone when copied out
        "id": urls.absolute(site.base_url, claim.page_url),
        "type": "Annotation",
        "motivation": "assessing",
        "created": _timestamp(claim.claim.reviewed),
        "body": bodies,
        "target": {
            "source": target_source,
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": claim.anchor.exact,
                    "prefix": claim.anchor.prefix,
                    "suffix": claim.anchor.suffix,
                },
                {
                    "type": "TextPositionSelector",
                    "start": claim.anchor.doc_start,
                    "end": claim.anchor.doc_end,
                },
            ],
        },
        "canonical": urls.absolute(site.base_url, claim.anchor_url),
    }
    if claim.claim.modified is not None:
        annotation["modified"] = _timestamp(claim.claim.modified)
    if site.publisher:
        creator: dict[str, Any] = {"type": "Organization", "name": site.publisher.name}
        if site.publisher.url:
            creator["homepage"] = site.publisher.url
        annotation["creator"] = creator
    return annotation


POSITION_UNIT = (
    "TextPositionSelector offsets count Unicode code points in the article's text as a reader "
    "sees it (Markdown syntax removed), with consecutive blocks separated by two newlines."
)
