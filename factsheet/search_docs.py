"""What the search index holds for one article: a document for the article, one per claim.

Each is a small HTML document rendered from ``templates/search/record.html``, indexed by
Pagefind under the address a result links to: the article page, or the claim's place in it
(``articles/<slug>.html#claim-<id>``). Only these documents are indexed, so the navigation,
the footers and the fact-sheet tables never are.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .anchor import ArticleText
from .model import SiteConfig
from .pagefind_record import record_of
from .records import SearchDoc
from .templating import environment
from .views import ArticleView

RECORD_TEMPLATE = "search/record.html"


def search_documents(
    site: SiteConfig, view: ArticleView, text: ArticleText, templates: Path
) -> tuple[SearchDoc, ...]:
    """The article's document first, then each claim's, in document order."""
    template = environment(templates).get_template(RECORD_TEMPLATE)
    article = view.article
    docs = [
        search_doc(
            view.url,
            template.render(site=site, article=article, claim=None, blocks=text.blocks),
        )
    ]
    for claim in view.claims:
        html = template.render(site=site, article=article, claim=claim, blocks=())
        docs.append(search_doc(claim.anchor_url, html))
    return tuple(docs)


def search_doc(url: str, html: str) -> SearchDoc:
    """The document found at ``url``: as the record Pagefind makes of ``html``, if one is
    made here (the indexer takes it without parsing), else as the HTML."""
    record = record_of(html)
    if record is None:
        return SearchDoc(url, html)
    return SearchDoc(url, json.dumps({"url": url, **record}, separators=(",", ":")), record=True)


def documents_digest(docs: tuple[SearchDoc, ...]) -> str:
    """A hash of the documents: two articles' documents are the same when their digests are."""
    digest = hashlib.blake2b(digest_size=16)
    for doc in docs:
        digest.update(f"{doc.url}\0{doc.record:d}\0{doc.text}\0".encode())
    return digest.hexdigest()
