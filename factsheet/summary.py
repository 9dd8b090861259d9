"""A pull request's job summary: the claims per verdict, and the claims added, changed and removed.

    python -m factsheet.summary [--preview-url URL] BASE_CLAIMS_JSON HEAD_CLAIMS_JSON

Reads two ``claims.json`` exports (the base branch's and the pull request's) and prints
GitHub-flavoured Markdown for ``$GITHUB_STEP_SUMMARY``. The base file may be missing or empty
(the base branch could not be built): then it counts as having no claims.

A claim is known by its article's slug and its id. It has changed when any field of its record
differs, except ``url`` and ``page``, which follow from the slug and id. A withdrawn claim is
counted and shown as "withdrawn" instead of its last verdict.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

VERDICTS = ("corroborated", "disputed", "erroneous")
IGNORED_FIELDS = frozenset({"url", "page"})
QUOTE_LIMIT = 160

ClaimKey = tuple[str, str]


class SummaryError(Exception):
    """A claims file that cannot be read or does not have the expected shape."""


@dataclass(frozen=True)
class Claim:
    """One claim record from ``claims.json``, with the slug of its article."""

    article: str
    record: Mapping[str, Any]

    @property
    def id(self) -> str:
        return str(self.record["id"])

    @property
    def key(self) -> ClaimKey:
        return (self.article, self.id)

    @property
    def verdict(self) -> str:
        """The claim's verdict, or "withdrawn" for a claim whose check was withdrawn."""
        if self.record.get("withdrawn"):
            return "withdrawn"
        return str(self.record.get("verdict", ""))

    @property
    def quote(self) -> str:
        return str(self.record.get("quote", ""))

    def compared(self) -> dict[str, Any]:
        """The fields that count when comparing two versions of the claim."""
        return {k: v for k, v in self.record.items() if k not in IGNORED_FIELDS}


@dataclass(frozen=True)
class Change:
    """A claim present on both sides whose record differs."""

    old: Claim
    new: Claim

    @property
    def fields(self) -> list[str]:
        """The names of the fields that differ, in a stable order (verdict first)."""
        old, new = self.old.compared(), self.new.compared()
        names = {name for name in old.keys() | new.keys() if old.get(name) != new.get(name)}
        return sorted(names, key=lambda name: (name != "verdict", name))


@dataclass(frozen=True)
class Comparison:
    base: dict[ClaimKey, Claim]
    head: dict[ClaimKey, Claim]

    @property
    def added(self) -> list[Claim]:
        return [self.head[k] for k in sorted(self.head.keys() - self.base.keys())]

    @property
    def removed(self) -> list[Claim]:
        return [self.base[k] for k in sorted(self.base.keys() - self.head.keys())]

    @property
    def changed(self) -> list[Change]:
        both = sorted(self.head.keys() & self.base.keys())
        changes = [Change(self.base[k], self.head[k]) for k in both]
        return [change for change in changes if change.fields]


def load_claims(path: Path, *, missing_ok: bool) -> dict[ClaimKey, Claim]:
    """The claims of a ``claims.json`` file, by (article slug, claim id).

    With ``missing_ok``, a file that does not exist or holds only white space has no claims.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if missing_ok:
            return {}
        raise SummaryError(f"{path}: no such file") from None
    except OSError as err:
        raise SummaryError(f"{path}: cannot read: {err.strerror}") from None
    if not text.strip():
        if missing_ok:
            return {}
        raise SummaryError(f"{path}: the file is empty")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise SummaryError(f"{path}:{err.lineno}:{err.colno}: not valid JSON: {err.msg}") from None
    return _claims_of(data, path)


def _claims_of(data: Any, path: Path) -> dict[ClaimKey, Claim]:
    if not isinstance(data, dict) or not isinstance(data.get("articles", []), list):
        raise SummaryError(f'{path}: expected an object with an "articles" list')
    claims: dict[ClaimKey, Claim] = {}
    for n, article in enumerate(data.get("articles", []), start=1):
        if not isinstance(article, dict) or not isinstance(article.get("slug"), str):
            raise SummaryError(f'{path}: article {n} has no "slug"')
        slug = article["slug"]
        records = article.get("claims", [])
        if not isinstance(records, list):
            raise SummaryError(f'{path}: article "{slug}": "claims" is not a list')
        for m, record in enumerate(records, start=1):
            if not isinstance(record, dict) or not isinstance(record.get("id"), str):
                raise SummaryError(f'{path}: article "{slug}": claim {m} has no "id"')
            claim = Claim(slug, record)
            claims[claim.key] = claim
    return claims


def escape(text: str, limit: int | None = None) -> str:
    """``text`` as literal inline Markdown, safe inside a table cell, on one line.

    HTML is neutralised (``<``, ``>``, ``&`` become entities) and the punctuation that would
    start inline Markdown (code, emphasis, links, strikethrough, math) or end a table cell
    (``|``) is backslash-escaped. ``limit`` shortens long text with an ellipsis.
    """
    text = " ".join(text.split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    out: list[str] = []
    for char in text:
        if char in _ENTITIES:
            out.append(_ENTITIES[char])
        elif char in _MARKDOWN_PUNCTUATION:
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MARKDOWN_PUNCTUATION = frozenset("\\`*_[]|~$")


def _name(claim: Claim) -> str:
    return f"{escape(claim.article)} / {escape(claim.id)}"


def _quote(claim: Claim) -> str:
    return f"“{escape(claim.quote, QUOTE_LIMIT)}”" if claim.quote else ""


def _verdict(verdict: str) -> str:
    return escape(verdict) if verdict else "(none)"


def _signed(n: int) -> str:
    return f"{n:+d}" if n else "0"


def _verdict_table(comparison: Comparison) -> list[str]:
    head = Counter(c.verdict for c in comparison.head.values())
    base = Counter(c.verdict for c in comparison.base.values())
    others = sorted((head.keys() | base.keys()) - set(VERDICTS))
    lines = ["| Verdict | Claims | Change |", "| --- | ---: | ---: |"]
    for verdict in [*VERDICTS, *others]:
        lines.append(
            f"| {_verdict(verdict)} | {head[verdict]} | {_signed(head[verdict] - base[verdict])} |"
        )
    total, base_total = len(comparison.head), len(comparison.base)
    lines.append(f"| **Total** | **{total}** | **{_signed(total - base_total)}** |")
    return lines


def _claim_table(title: str, claims: Sequence[Claim]) -> list[str]:
    lines = [f"### {title} ({len(claims)})", ""]
    if not claims:
        return [*lines, "None."]
    lines += ["| Claim | Verdict | Quote |", "| --- | --- | --- |"]
    lines += [f"| {_name(c)} | {_verdict(c.verdict)} | {_quote(c)} |" for c in claims]
    return lines


def _change_table(changes: Sequence[Change]) -> list[str]:
    lines = [f"### Changed ({len(changes)})", ""]
    if not changes:
        return [*lines, "None."]
    lines += ["| Claim | Verdict | Fields changed | Quote |", "| --- | --- | --- | --- |"]
    for change in changes:
        old, new = change.old, change.new
        if old.verdict != new.verdict:
            verdict = f"{_verdict(old.verdict)} → **{_verdict(new.verdict)}**"
        else:
            verdict = _verdict(new.verdict)
        fields = ", ".join(escape(name) for name in change.fields)
        lines.append(f"| {_name(new)} | {verdict} | {fields} | {_quote(new)} |")
    return lines


def render(
    comparison: Comparison, *, base_missing: bool = False, preview_url: str | None = None
) -> str:
    """The job summary as Markdown."""
    articles = len({claim.article for claim in comparison.head.values()})
    claims = len(comparison.head)
    lines = [
        "## Fact-check summary",
        "",
        f"{claims} {'claim' if claims == 1 else 'claims'} in "
        f"{articles} {'article' if articles == 1 else 'articles'} with claims.",
    ]
    if preview_url:
        lines += ["", f"[Download the site preview]({preview_url}) (unzip, open `index.html`)."]
    if base_missing:
        lines += ["", "> The base branch has no claims to compare with: every claim is new."]
    added, changed, removed = comparison.added, comparison.changed, comparison.removed
    lines += ["", *_verdict_table(comparison)]
    lines += ["", *_claim_table("Added", added)]
    lines += ["", *_change_table(changed)]
    lines += ["", *_claim_table("Removed", removed)]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m factsheet.summary",
        description="Print a Markdown job summary comparing two claims.json files.",
    )
    parser.add_argument("base", type=Path, help="the base branch's claims.json (may be missing)")
    parser.add_argument("head", type=Path, help="the pull request's claims.json")
    parser.add_argument("--preview-url", default="", help="where to download the site preview")
    args = parser.parse_args(argv)
    try:
        base = load_claims(args.base, missing_ok=True)
        head = load_claims(args.head, missing_ok=False)
    except SummaryError as err:
        print(f"summary: error: {err}", file=sys.stderr)
        return 1
    comparison = Comparison(base=base, head=head)
    sys.stdout.write(
        render(comparison, base_missing=not base, preview_url=args.preview_url or None)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
