"""`find`: where a piece of text anchors in an article, and a claim ready to paste."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click

from .anchor import ArticleText, not_found_message
from .load import load_content
from .problems import ContentError
from .report import report_problems
from .textmatch import fold

MAX_CONTEXT_WORDS = 12


def find_command(content_dir: Path, slug: str, text: str) -> int:
    """Print every place ``text`` anchors in article ``slug``; 0 when it is exactly one."""
    try:
        content = load_content(content_dir)
    except ContentError as err:
        report_problems(err.problems)
        return 1
    article = next((a for a in content.articles if a.slug == slug), None)
    if article is None:
        known = ", ".join(a.slug for a in content.articles) or "none"
        click.echo(f"no article '{slug}' in {content_dir}; articles: {known}", err=True)
        return 1
    parsed = ArticleText.parse(article)
    quote = fold(text)
    hits = parsed.folded.find_all(quote)
    if not quote or not hits:
        click.echo(not_found_message(parsed, quote), err=True)
        return 1
    if len(hits) == 1:
        start, end = parsed.folded.original_span(hits[0], hits[0] + len(quote))
        click.echo(f"{article.location.path}:{parsed.line_at(start)}: {parsed.snippet(start, end)}")
        click.echo("\nFound once. Paste this under `claims:` in the annotation file:\n")
        click.echo(skeleton(parsed.text[start:end]))
        return 0
    click.echo(f"Found {len(hits)} times in {article.location.path}:")
    for number, hit in enumerate(hits, start=1):
        start, end = parsed.folded.original_span(hit, hit + len(quote))
        click.echo(f"\n{number}. line {parsed.line_at(start)}: {parsed.snippet(start, end)}")
        key, value = disambiguate(parsed, hits, hit, len(quote))
        click.echo(skeleton(parsed.text[start:end], **({key: value} if value else {})))
    return 1


def disambiguate(parsed: ArticleText, hits: list[int], hit: int, length: int) -> tuple[str, str]:
    """The shortest prefix or suffix, in whole words, that leaves only ``hit``."""
    folded = parsed.folded
    before = folded.folded[:hit].split()
    after = folded.folded[hit + length :].split()
    for words in range(1, MAX_CONTEXT_WORDS + 1):
        prefix = " ".join(before[-words:]) if len(before) >= words else None
        if prefix and [h for h in hits if folded.has_prefix_at(h, prefix)] == [hit]:
            return "prefix", prefix
        suffix = " ".join(after[:words]) if len(after) >= words else None
        if suffix and [h for h in hits if folded.has_suffix_at(h + length, suffix)] == [hit]:
            return "suffix", suffix
    return "prefix", ""


def skeleton(quote: str, **context: str) -> str:
    """A claim entry in YAML, with the article's own characters in the quote."""
    claim_id = "-".join(re.findall(r"[a-z0-9]+", quote.lower())[:5]) or "claim"
    lines = [f"  - id: {claim_id}", f"    quote: {json.dumps(quote, ensure_ascii=False)}"]
    lines += [f"    {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in context.items()]
    lines += [
        "    verdict: disputed  # corroborated | disputed | erroneous",
        "    # correction: ...  # required when the verdict is erroneous",
        "    note: |",
        "      What the evidence shows, in one to three sentences.",
        "    sources:",
        "      - title: ...",
        "        url: https://...",
    ]
    return "\n".join(lines)
