"""Render an article's marked tokens to HTML, with claim marks, badges and notes.

The markup of marks, badges and notes comes from the macros in
``templates/partials/claims.html``, so the templates decide how claims look. Each piece
depends only on its arguments, so one article's pieces are made once each (``ClaimMarkup``)
and reused by the article's body and by every claim's context: the macros' HTML, and a
block with claims marked, and its HTML, when the body and a context show the same block.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup

from .anchor import Anchor, ArticleText
from .claim_tokens import mark_block
from .markdown import markdown

MACROS = "partials/claims.html"


class ClaimMarkup:
    """One article's pieces of HTML, each made once.

    The claim macros are pure: their HTML depends only on the claim (its id, verdict,
    number, note and sources) and on the other arguments, so a piece rendered for a claim's
    context is the piece of its mark in the article's body. Likewise a block marked with
    the same claims is the same tokens, and the same HTML, in the body and in a context.
    """

    def __init__(self, macros: Any) -> None:
        self.macros = macros
        self._renderer, self._options = _renderer()
        self._pieces: dict[tuple[str, object], str] = {}
        self._blocks: dict[tuple[int, frozenset[str]], Token] = {}
        # id of an inline token -> (the token, kept so the id stays its own; its HTML with
        # the badges; without)
        self._inline: dict[int, tuple[Token, str, str]] = {}

    def marked_block(self, text: ArticleText, block_index: int, anchors: list[Anchor]) -> Token:
        """``mark_block``, once per block and set of claims."""
        key = (block_index, frozenset(a.claim.id for a in anchors))
        block = self._blocks.get(key)
        if block is None:
            block = self._blocks[key] = mark_block(text, block_index, anchors)
        return block

    def inline_html(self, token: Token, env: EnvType, *, badges: bool) -> str:
        """The HTML of an inline token's children, with or without the claims' badges."""
        known = self._inline.get(id(token))
        if known is None or known[0] is not token:
            # as ``renderInline``, once for both: the badges are pieces of their own, and
            # no inline rule looks at the tokens around its own
            renderer, options = self._renderer, self._options
            children = token.children or []
            pieces: list[str] = []
            for i, child in enumerate(children):
                rule = renderer.rules.get(child.type)
                if rule is not None:
                    pieces.append(rule(children, i, options, env))
                else:
                    pieces.append(renderer.renderToken(children, i, options, env))
            every = "".join(pieces)
            if any(child.type == "claim_badge" for child in children):
                kept = zip(pieces, children, strict=True)
                no_badges = "".join(html for html, c in kept if c.type != "claim_badge")
            else:
                no_badges = every
            known = self._inline[id(token)] = (token, every, no_badges)
        return known[1] if badges else known[2]

    def _piece(self, macro: str, key: object, *args: Any) -> str:
        piece = self._pieces.get((macro, key))
        if piece is None:
            # a plain str: ``str + Markup`` would escape the str
            piece = self._pieces[macro, key] = str(getattr(self.macros, macro)(*args))
        return piece

    def mark_open(self, claim: Any, first: bool) -> str:
        return self._piece("mark_open", (claim.id, first), claim, first)

    def mark_close(self, claim: Any) -> str:
        return self._piece("mark_close", claim.id, claim)

    def badge(self, claim: Any) -> str:
        return self._piece("badge", claim.id, claim)

    def row_open(self) -> str:
        return self._piece("row_open", None)

    def row_close(self) -> str:
        return self._piece("row_close", None)

    def verdict_label(self, verdict: str) -> Markup:
        return Markup(self._piece("verdict_label", verdict, verdict))

    def note_body(self, claim: Any) -> Markup:
        return Markup(self.macros.note_body(claim))

    def notes(self, claims: list[Any]) -> str:
        return str(self.macros.notes(claims))


def render_marked(
    tokens: list[Token], markup: ClaimMarkup, claims: dict[str, Any], *, badges: bool = True
) -> str:
    """HTML for marked tokens. ``claims`` maps claim ids to what the macros need.

    Without ``badges``, the claims' badges are left out (a claim shown in its context).
    """
    renderer, options = _renderer()
    env: dict[str, Any] = {"markup": markup, "claims": claims}
    # as ``renderer.render``, with each inline token's HTML made once for the article
    out: list[str] = []
    for i, token in enumerate(tokens):
        if token.type == "inline":
            if token.children:
                out.append(markup.inline_html(token, env, badges=badges))
        elif token.type in renderer.rules:
            out.append(renderer.rules[token.type](tokens, i, options, env))
        else:
            out.append(renderer.renderToken(tokens, i, options, env))
    return "".join(out)


def _renderer() -> tuple[RendererHTML, OptionsDict]:
    """The shared parser's HTML renderer, with the rules for claims, and its options."""
    md = markdown()
    _install_rules(md)
    return cast(RendererHTML, md.renderer), md.options


def _install_rules(md: MarkdownIt) -> None:
    if "claim_open" in getattr(md.renderer, "rules", {}):
        return
    md.add_render_rule("claim_open", _claim_open)
    md.add_render_rule("claim_close", _claim_close)
    md.add_render_rule("claim_badge", _claim_badge)
    md.add_render_rule("claim_notes", _claim_notes)
    md.add_render_rule("annotated_open", _annotated_open)
    md.add_render_rule("annotated_close", _annotated_close)


def _claim(token: Token, env: EnvType) -> Any:
    return env["claims"][token.meta["anchor"].claim.id]


def _claim_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    markup: ClaimMarkup = env["markup"]
    return markup.mark_open(_claim(token, env), token.meta["first"])


def _claim_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    markup: ClaimMarkup = env["markup"]
    return markup.mark_close(_claim(tokens[idx], env))


def _claim_badge(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    markup: ClaimMarkup = env["markup"]
    return markup.badge(_claim(tokens[idx], env))


def _claim_notes(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    anchors = tokens[idx].meta["anchors"]
    claims = [env["claims"][a.claim.id] for a in sorted(anchors, key=lambda a: (a.start, -a.end))]
    markup: ClaimMarkup = env["markup"]
    return markup.notes(claims)


def _annotated_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    markup: ClaimMarkup = env["markup"]
    return markup.row_open()


def _annotated_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    markup: ClaimMarkup = env["markup"]
    return markup.row_close()
