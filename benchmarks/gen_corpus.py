#!/usr/bin/env python3
"""Generate a deterministic synthetic corpus for the build benchmarks.

Usage: ``python benchmarks/gen_corpus.py N OUTROOT [--seed SEED]``

The same N article bodies (about 800 words each: paragraphs, a few ``##`` headings,
*emphasis*, **strong** text and inline links) are written five times:

``OUTROOT/factsheet/``
    a content folder for this project: ``site.yaml``, ``articles/<slug>.md`` with front
    matter, ``annotations/<slug>.yaml`` with 10 claims each (mixed verdicts, a correction for
    every erroneous claim, 1-2 sources) and ``pages/about.md``. Every quote occurs exactly
    once in its article's visible text, so it anchors without a prefix or suffix.
``OUTROOT/hugo/``
    a Hugo site: ``hugo.toml``, ``content/posts/<slug>.md`` and minimal layouts modelled on
    the ``hugo new theme`` skeleton (home page with summaries, sections, 10 categories,
    RSS, sitemap), without its CSS and JS pipeline. One page per article.
``OUTROOT/hugo-pages/``
    a Hugo site of the same pages as factsheet's: each article's page (its text and its
    claims' notes) and one page per claim (quote, passage, verdict, note, correction,
    sources), in the same skeleton theme; ``hugo_sites.py`` says what it renders.
``OUTROOT/mkdocs/``
    an MkDocs site: ``mkdocs.yml`` (one-entry nav, search plugin off), ``docs/index.md`` and
    ``docs/posts/<slug>.md``.
``OUTROOT/plain/``
    ``<slug>.md`` with YAML front matter, for the Python floor (``benchmarks/floor.py``).

Article ``i`` depends only on the seed and ``i``, so a smaller corpus is a prefix of a larger
one, and the same arguments always give byte-identical files.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import hugo_sites
from hugo_sites import ArticleEntry, ClaimEntry, Source, post_front_matter, q

DEFAULT_SEED = 20240601
TARGET_WORDS = 800
CLAIMS_PER_ARTICLE = 10
CATEGORIES = 10
VERDICTS = ("corroborated", "disputed", "erroneous")
VERDICT_WEIGHTS = (5, 3, 2)
REVIEWED = "2026-01-20"
OUTLET = "bench.example.com"
PARTS = ("factsheet", "hugo", "hugo-pages", "mkdocs", "plain")

SITE_YAML = """\
title: "Synthetic Fact Sheet"
description: "A generated corpus of annotated articles for build benchmarks."
base_url: "https://bench.example.org/"
language: "en"
publisher:
  name: "The Benchmark Desk"
  url: "https://bench.example.org/"
"""

ABOUT_MD = """\
---
title: "About this corpus"
description: "How the synthetic articles and their claims are generated."
---

Every article here is generated from a fixed seed. Each has ten claims, and every claim
quotes words that occur exactly once in its article.
"""

MKDOCS_YML = """\
site_name: Synthetic Benchmark
plugins: []
nav:
  - Home: index.md
"""

MKDOCS_INDEX = "# Synthetic Benchmark\n\nA generated corpus of articles.\n"


@dataclass(frozen=True)
class Sentence:
    """One sentence: its Markdown source and the text a reader sees."""

    markdown: str
    visible: str


@dataclass(frozen=True)
class Claim:
    quote: str
    verdict: str
    context: str  # the Markdown paragraph the quote stands in


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    dek: str
    day: str
    category: str
    body: str
    claims: tuple[Claim, ...]


def make_vocab(rng: random.Random, size: int = 3000) -> list[str]:
    """Pronounceable made-up words, sorted so the list depends only on the seed."""
    consonants = "bcdfghjklmnprstvwz"
    vowels = "aeiou"
    words: set[str] = set()
    while len(words) < size:
        syllables = rng.choice((1, 2, 2, 3, 3, 4))
        words.add(
            "".join(
                rng.choice(consonants)
                + rng.choice(vowels)
                + (rng.choice(consonants) if rng.random() < 0.3 else "")
                for _ in range(syllables)
            )
        )
    return sorted(words)


class Writer:
    """Generates article text from a vocabulary with Zipf-like word frequencies."""

    def __init__(self, rng: random.Random, vocab: list[str]) -> None:
        self.rng = rng
        self.vocab = vocab
        self.cum_weights: list[float] = []
        total = 0.0
        for rank in range(len(vocab)):
            total += 1.0 / (rank + 1) ** 0.9
            self.cum_weights.append(total)

    def words(self, count: int) -> list[str]:
        return self.rng.choices(self.vocab, cum_weights=self.cum_weights, k=count)

    def sentence(self) -> Sentence:
        words = self.words(self.rng.randint(8, 18))
        words[0] = words[0].capitalize()
        shown = list(words)
        marked = list(words)
        roll = self.rng.random()
        i = self.rng.randrange(len(words))
        if roll < 0.15:
            marked[i] = f"*{words[i]}*"
        elif roll < 0.25:
            marked[i] = f"**{words[i]}**"
        elif roll < 0.40:
            j = min(len(words), i + self.rng.randint(1, 3))
            target = f"https://example.org/{self.rng.choice(self.vocab)}/{self.rng.randint(1, 999)}"
            marked[i:j] = [f"[{' '.join(words[i:j])}]({target})"]
        end = self.rng.choice(".......?!")
        return Sentence(" ".join(marked) + end, " ".join(shown) + end)

    def paragraph(self) -> list[Sentence]:
        return [self.sentence() for _ in range(self.rng.randint(3, 6))]

    def heading(self) -> str:
        return " ".join(self.words(self.rng.randint(2, 5))).capitalize()


def build_article(writer: Writer, index: int) -> Article:
    """Article ``index``: body, metadata and ten uniquely anchored claims."""
    rng = writer.rng
    blocks: list[str] = []
    visible_blocks: list[str] = []
    sentences: list[Sentence] = []
    paragraph_of: dict[str, str] = {}  # a sentence's visible text -> its paragraph's Markdown
    words = 0

    def add_paragraph() -> None:
        nonlocal words
        para = writer.paragraph()
        sentences.extend(para)
        blocks.append(" ".join(s.markdown for s in para))
        paragraph_of.update((s.visible, blocks[-1]) for s in para)
        visible_blocks.append(" ".join(s.visible for s in para))
        words += sum(len(s.visible.split()) for s in para)

    add_paragraph()
    while words < TARGET_WORDS:
        heading = writer.heading()
        blocks.append(f"## {heading}")
        visible_blocks.append(heading)
        words += len(heading.split())
        for _ in range(rng.randint(2, 4)):
            if words >= TARGET_WORDS:
                break
            add_paragraph()

    # A quote must occur once in the whole visible text; the separator never occurs in one.
    visible = "\x00".join(visible_blocks)
    candidates = [s.visible for s in sentences if visible.count(s.visible) == 1]
    if len(candidates) < CLAIMS_PER_ARTICLE:
        raise RuntimeError(f"article {index}: only {len(candidates)} unique sentences")
    chosen = sorted(rng.sample(range(len(candidates)), CLAIMS_PER_ARTICLE))
    claims = tuple(
        Claim(
            candidates[k],
            rng.choices(VERDICTS, weights=VERDICT_WEIGHTS)[0],
            paragraph_of[candidates[k]],
        )
        for k in chosen
    )
    title = f"Article {index}: {writer.heading()}"
    dek = " ".join(writer.words(rng.randint(10, 16))).capitalize() + "."
    day = f"2025-{1 + (index // 28) % 12:02d}-{1 + index % 28:02d}"
    return Article(
        slug=f"article-{index:05d}",
        title=title,
        dek=dek,
        day=day,
        category=f"cat{index % CATEGORIES:02d}",
        body="\n\n".join(blocks) + "\n",
        claims=claims,
    )


def articles(count: int, seed: int) -> Iterator[Article]:
    vocab = make_vocab(random.Random(seed))
    for index in range(count):
        # Seeding with a string is stable across runs and platforms.
        yield build_article(Writer(random.Random(f"{seed}:{index}"), vocab), index)


def article_markdown(article: Article) -> str:
    return (
        "---\n"
        f"title: {q(article.title)}\n"
        f"dek: {q(article.dek)}\n"
        f"outlet: {q(OUTLET)}\n"
        f'url: "https://{OUTLET}/{article.slug}"\n'
        f"published: {article.day}\n"
        "retrieved: 2026-01-15\n"
        "---\n\n" + article.body
    )


def claim_entries(article: Article, rng: random.Random) -> tuple[ClaimEntry, ...]:
    """Each claim with its note, correction and sources, drawn from ``rng``."""
    entries = []
    for number, claim in enumerate(article.claims, start=1):
        correction = None
        if claim.verdict == "erroneous":
            correction = f"The record shows figure {rng.randint(2, 99)} instead."
        note = (
            f"Checked against [the archive](https://example.org/archive/{article.slug}/{number})"
            " and *one* other record."
        )
        sources = []
        for source in range(1, rng.randint(1, 2) + 1):
            date = None
            if rng.random() < 0.5:
                month, day = rng.randint(1, 12), rng.randint(1, 28)
                date = f"2024-{month:02d}-{day:02d}"
            sources.append(
                Source(
                    f"Record {number}.{source} for {article.slug}",
                    f"https://example.org/records/{article.slug}/{number}/{source}",
                    "Example Archive",
                    date,
                )
            )
        entries.append(
            ClaimEntry(
                f"claim-{number:02d}",
                claim.quote,
                claim.verdict,
                claim.context,
                note,
                correction,
                tuple(sources),
                REVIEWED,
            )
        )
    return tuple(entries)


def annotation_yaml(claims: tuple[ClaimEntry, ...]) -> str:
    lines = [f"reviewed: {REVIEWED}", "claims:"]
    for claim in claims:
        lines.append(f"  - id: {claim.id}")
        lines.append(f"    quote: {q(claim.quote)}")
        lines.append(f"    verdict: {claim.verdict}")
        if claim.correction:
            lines.append(f"    correction: {q(claim.correction)}")
        lines.append(f"    note: {q(claim.note)}")
        lines.append("    sources:")
        for source in claim.sources:
            lines.append(f"      - title: {q(source.title)}")
            lines.append(f"        url: {q(source.url)}")
            lines.append(f"        publisher: {q(source.publisher)}")
            if source.date:
                lines.append(f"        date: {source.date}")
    return "\n".join(lines) + "\n"


def hugo_entry(article: Article, claims: tuple[ClaimEntry, ...]) -> ArticleEntry:
    return ArticleEntry(
        article.slug,
        article.title,
        article.dek,
        article.day,
        article.category,
        OUTLET,
        f"https://{OUTLET}/{article.slug}",
        article.body,
        claims,
    )


def plain_front_matter(article: Article) -> str:
    return post_front_matter(article.title, article.day, article.category)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def generate(count: int, root: Path, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Write the five corpora under ``root`` (replacing any there); return word and byte counts."""
    for part in PARTS:
        shutil.rmtree(root / part, ignore_errors=True)
    fs, hugo, mk, plain = root / "factsheet", root / "hugo", root / "mkdocs", root / "plain"
    pages = root / "hugo-pages"
    write(fs / "site.yaml", SITE_YAML)
    write(fs / "pages" / "about.md", ABOUT_MD)
    write(hugo / "hugo.toml", hugo_sites.HUGO_TOML)
    for name, text in hugo_sites.SKELETON_LAYOUTS.items():
        write(hugo / "layouts" / name, text)
    write(pages / "hugo.toml", hugo_sites.HUGO_PAGES_TOML)
    for name, text in hugo_sites.HUGO_PAGES_LAYOUTS.items():
        write(pages / "layouts" / name, text)
    write(mk / "mkdocs.yml", MKDOCS_YML)
    write(mk / "docs" / "index.md", MKDOCS_INDEX)
    words = body_bytes = 0
    for article in articles(count, seed):
        notes_rng = random.Random(f"{seed}:{article.slug}:notes")
        write(fs / "articles" / f"{article.slug}.md", article_markdown(article))
        claims = claim_entries(article, notes_rng)
        write(fs / "annotations" / f"{article.slug}.yaml", annotation_yaml(claims))
        for relative, text in hugo_sites.hugo_pages_files(hugo_entry(article, claims)):
            write(pages / relative, text)
        front = plain_front_matter(article)
        write(hugo / "content" / "posts" / f"{article.slug}.md", front + article.body)
        write(mk / "docs" / "posts" / f"{article.slug}.md", front + article.body)
        write(plain / f"{article.slug}.md", front + article.body)
        words += len(article.body.split())
        body_bytes += len(article.body.encode())
    return {"articles": count, "words": words, "body_bytes": body_bytes}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("outroot", type=Path, help="folder to write the corpora into")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    stats = generate(args.n, args.outroot, args.seed)
    print(
        f"{stats['articles']} articles, {stats['words']} words "
        f"({stats['words'] / stats['articles']:.0f} per article), "
        f"{stats['body_bytes'] / 2**20:.1f} MiB of Markdown in {args.outroot}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
