"""Render an article's marked tokens to HTML, with claim marks, badges and notes.

The markup of marks, badges and notes comes from the macros in
``templates/partials/claims.html``, so the templates decide how claims look. Each piece
depends only on its arguments, so one article's pieces are rendered once each
(``ClaimMarkup``) and reused by the article's body and by every claim's context.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup

from .markdown import markdown

MACROS = "partials/claims.html"


class ClaimMarkup:
    """The claim macros of one article, each called once per distinct argument.

    The macros are pure: their HTML depends only on the claim (its id, verdict, number,
    note and sources) and on the other arguments, so a piece rendered for a claim's context
    is the piece of its mark in the article's body.
    """

    def __init__(self, macros: Any) -> None:
        self.macros = macros
        self._pieces: dict[tuple[str, object], str] = {}

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

    def row_open(self, tall: bool) -> str:
        return self._piece("row_open", tall, tall)

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
    md = markdown()
    _install_rules(md)
    env: dict[str, Any] = {"markup": markup, "claims": claims, "badges": badges}
    return str(md.renderer.render(tokens, md.options, env))


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
    if not env["badges"]:
        return ""
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
    return markup.row_open(tokens[idx].meta["tall"])


def _annotated_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    markup: ClaimMarkup = env["markup"]
    return markup.row_close()
