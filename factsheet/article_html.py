"""Render an article's marked tokens to HTML, with claim marks, badges and notes.

The markup of marks, badges and notes comes from the macros in
``templates/partials/claims.html``, so the templates decide how claims look.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from .markdown import markdown

MACROS = "partials/claims.html"


def render_marked(tokens: list[Token], macros: Any, claims: dict[str, Any]) -> str:
    """HTML for marked tokens. ``claims`` maps claim ids to what the macros need."""
    md = markdown()
    _install_rules(md)
    env: dict[str, Any] = {"macros": macros, "claims": claims}
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
    return str(env["macros"].mark_open(_claim(token, env), token.meta["first"]))


def _claim_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return str(env["macros"].mark_close(_claim(tokens[idx], env)))


def _claim_badge(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return str(env["macros"].badge(_claim(tokens[idx], env)))


def _claim_notes(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    anchors = tokens[idx].meta["anchors"]
    claims = [env["claims"][a.claim.id] for a in sorted(anchors, key=lambda a: (a.start, -a.end))]
    return str(env["macros"].notes(claims))


def _annotated_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return str(env["macros"].row_open(tokens[idx].meta["tall"]))


def _annotated_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return str(env["macros"].row_close())
