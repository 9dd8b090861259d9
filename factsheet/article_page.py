"""One article's claims anchored, numbered and rendered into its pages."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Template
from markdown_it.token import Token
from markupsafe import Markup

from . import urls
from .anchor import Anchor, ArticleText, anchor_claims
from .article_html import MACROS, ClaimMarkup, render_marked
from .claim_tokens import mark_claims
from .markdown import render_inline
from .model import Annotations, Article, Claim, Page, SiteConfig
from .problems import Problem
from .structured_data import claim_review_json
from .templating import environment
from .views import ArticleView, ClaimView, UpdateView, WithdrawnView


def anchor_article(
    article: Article, annotations: Annotations | None
) -> tuple[ArticleText, list[Anchor], list[Problem]]:
    text = ArticleText.parse(article)
    if annotations is None:
        return text, [], []
    anchors, problems = anchor_claims(text, annotations.claims)
    return text, anchors, problems


def build_view(
    article: Article, text: ArticleText, anchors: list[Anchor], templates: Path
) -> ArticleView:
    markup = ClaimMarkup(environment(templates).get_template(MACROS).module)
    in_order = sorted(anchors, key=lambda a: (a.doc_start, -a.doc_end, a.order))
    ordered = [a for a in in_order if a.claim.withdrawn is None]
    complete: list[ClaimView] = []
    in_block: dict[int, int] = {}  # block -> claims met in it so far
    for n, anchor in enumerate(ordered, start=1):
        at = in_block[anchor.block] = in_block.get(anchor.block, 0) + 1
        claim = anchor.claim
        prev_id = ordered[n - 2].claim.id if n > 1 else None
        next_id = ordered[n].claim.id if n < len(ordered) else None
        note_html = render_inline(claim.note)
        verdict_html = markup.verdict_label(claim.verdict)
        updates = _updates(claim)
        # what the macros of its note body, marks and badge see: all of it but those two
        draft = ClaimView(
            claim,
            anchor,
            article,
            n,
            note_html,
            "",
            prev_id,
            next_id,
            verdict_html,
            Markup(""),
            updates,
            at,
        )
        # its context: its block, with only this claim marked
        context_html = render_marked(
            _context_tokens(text, anchor, markup), markup, {claim.id: draft}, badges=False
        )
        complete.append(
            ClaimView(
                claim,
                anchor,
                article,
                n,
                note_html,
                context_html,
                prev_id,
                next_id,
                verdict_html,
                markup.note_body(draft),
                updates,
                at,
            )
        )
    withdrawn = tuple(
        WithdrawnView(
            anchor.claim,
            anchor,
            article,
            render_inline(anchor.claim.withdrawn or ""),
            render_marked(_context_tokens(text, anchor, markup, marked=False), markup, {}),
            _updates(anchor.claim),
        )
        for anchor in in_order
        if anchor.claim.withdrawn is not None
    )
    return ArticleView(article, tuple(complete), markup, withdrawn)


def _updates(claim: Claim) -> tuple[UpdateView, ...]:
    return tuple(UpdateView(update, render_inline(update.note)) for update in claim.updates)


def render_pages(
    view: ArticleView,
    text: ArticleText,
    anchors: list[Anchor],
    site: SiteConfig,
    templates: Path,
    nav_pages: tuple[Page, ...] = (),
) -> dict[str, str]:
    """The article's page and one page per claim: path relative to the site root -> HTML."""
    env = environment(templates)
    markup = view.markup or ClaimMarkup(env.get_template(MACROS).module)
    marked = [a for a in anchors if a.claim.withdrawn is None]
    tokens = mark_claims(text, marked, markup.marked_block)
    body = render_marked(tokens, markup, {c.id: c for c in view.claims})
    files: dict[str, str] = {}

    def render(template: Template, path: str, **context: object) -> None:
        files[path] = template.render(
            site=site, nav_pages=nav_pages, root=urls.root_of(path), path=path, view=view, **context
        )

    reviews = [claim_review_json(site, c) for c in view.claims]
    render(
        env.get_template("article.html"),
        urls.article(view.slug),
        body_html=body,
        claim_reviews=[r.on_article_page for r in reviews],
    )
    claim_page = env.get_template("claim.html")
    for claim, review in zip(view.claims, reviews, strict=True):
        render(
            claim_page,
            urls.claim_page(view.slug, claim.id),
            claim=claim,
            claim_review=review.on_claim_page,
        )
    if view.withdrawn:
        tombstone = env.get_template("withdrawn.html")
        for gone in view.withdrawn:  # no ClaimReview: the check no longer stands
            render(tombstone, urls.claim_page(view.slug, gone.id), claim=gone)
    return files


def _context_tokens(
    text: ArticleText, anchor: Anchor, markup: ClaimMarkup, *, marked: bool = True
) -> list[Token]:
    """The block that holds ``anchor``, with only that claim marked (or none)."""
    index = text.blocks[anchor.block].token_index
    inline = markup.marked_block(text, anchor.block, [anchor] if marked else [])
    return [text.tokens[index - 1], inline, text.tokens[index + 1]]
