"""What the search index holds for one article: a document for the article, one per claim.

Each is a small HTML document rendered from ``templates/search/record.html``, indexed by
Pagefind under the address a result links to: the article page, or the claim's place in it
(``articles/<slug>.html#claim-<id>``). Only these documents are indexed, so the navigation,
the footers and the fact-sheet tables never are.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .anchor import ArticleText
from .model import SiteConfig
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
        SearchDoc(
            view.url,
            template.render(site=site, article=article, claim=None, blocks=text.blocks),
        )
    ]
    for claim in view.claims:
        html = template.render(site=site, article=article, claim=claim, blocks=())
        docs.append(SearchDoc(claim.anchor_url, html))
    return tuple(docs)


def documents_digest(docs: tuple[SearchDoc, ...]) -> str:
    """A hash of the documents: two articles' documents are the same when their digests are."""
    digest = hashlib.blake2b(digest_size=16)
    for doc in docs:
        digest.update(doc.url.encode() + b"\0" + doc.html.encode() + b"\0")
    return digest.hexdigest()
