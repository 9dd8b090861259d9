#!/usr/bin/env python3
"""Generate a deterministic synthetic corpus for the build benchmarks.

Usage: ``python benchmarks/gen_corpus.py N OUTROOT [--seed SEED]``

The same N article bodies (about 800 words each: paragraphs, a few ``##`` headings,
*emphasis*, **strong** text and inline links) are written four times:

``OUTROOT/factsheet/``
    a content folder for this project: ``site.yaml``, ``articles/<slug>.md`` with front
    matter, ``annotations/<slug>.yaml`` with 10 claims each (mixed verdicts, a correction for
    every erroneous claim, 1-2 sources) and ``pages/about.md``. Every quote occurs exactly
    once in its article's visible text, so it anchors without a prefix or suffix.
``OUTROOT/hugo/``
    a Hugo site: ``hugo.toml``, ``content/posts/<slug>.md`` and minimal layouts modelled on
    the ``hugo new theme`` skeleton (home page with summaries, sections, 10 categories,
    RSS, sitemap), without its CSS and JS pipeline.
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
import json
import random
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SEED = 20240601
TARGET_WORDS = 800
CLAIMS_PER_ARTICLE = 10
CATEGORIES = 10
VERDICTS = ("corroborated", "disputed", "erroneous")
VERDICT_WEIGHTS = (5, 3, 2)

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

HUGO_TOML = """\
baseURL = 'https://bench.example.org/'
locale = 'en-us'
title = 'Synthetic Benchmark'

[menus]
  [[menus.main]]
    name = 'Home'
    pageRef = '/'
    weight = 10

  [[menus.main]]
    name = 'Posts'
    pageRef = '/posts'
    weight = 20

  [[menus.main]]
    name = 'Tags'
    pageRef = '/tags'
    weight = 30
"""

HUGO_LAYOUTS = {
    "baseof.html": """\
<!DOCTYPE html>
<html lang="{{ site.Language.Locale }}" dir="{{ or site.Language.Direction `ltr` }}">
<head>
  {{ partial "head.html" . }}
</head>
<body>
  <header>
    {{ partial "header.html" . }}
  </header>
  <main>
    {{ block "main" . }}{{ end }}
  </main>
  <footer>
    {{ partial "footer.html" . }}
  </footer>
</body>
</html>
""",
    "home.html": """\
{{ define "main" }}
  {{ .Content }}
  {{ range site.RegularPages }}
    <section>
      <h2><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></h2>
      {{ .Summary }}
    </section>
  {{ end }}
{{ end }}
""",
    "page.html": """\
{{ define "main" }}
  <h1>{{ .Title }}</h1>

  {{ $dateMachine := .Date | time.Format "2006-01-02T15:04:05-07:00" }}
  {{ $dateHuman := .Date | time.Format ":date_long" }}
  <time datetime="{{ $dateMachine }}">{{ $dateHuman }}</time>

  {{ .Content }}
  {{ partial "terms.html" (dict "taxonomy" "tags" "page" .) }}
{{ end }}
""",
    "section.html": """\
{{ define "main" }}
  <h1>{{ .Title }}</h1>
  {{ .Content }}
  {{ range .Pages }}
    <section>
      <h2><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></h2>
      {{ .Summary }}
    </section>
  {{ end }}
{{ end }}
""",
    "taxonomy.html": """\
{{ define "main" }}
  <h1>{{ .Title }}</h1>
  {{ .Content }}
  {{ range .Pages }}
    <h2><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></h2>
  {{ end }}
{{ end }}
""",
    "term.html": """\
{{ define "main" }}
  <h1>{{ .Title }}</h1>
  {{ .Content }}
  {{ range .Pages }}
    <h2><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></h2>
  {{ end }}
{{ end }}
""",
    "_partials/head.html": """\
<meta charset="utf-8">
<meta name="viewport" content="width=device-width">
<title>
  {{- if .IsHome }}{{ site.Title }}{{ else }}{{ printf "%s | %s" .Title site.Title }}{{ end -}}
</title>
""",
    "_partials/header.html": """\
<h1>{{ site.Title }}</h1>
{{ partial "menu.html" (dict "menuID" "main" "page" .) }}
""",
    "_partials/footer.html": """\
<p>Copyright {{ now.Year }}. All rights reserved.</p>
""",
    "_partials/menu.html": """\
{{- $page := .page }}
{{- with index site.Menus .menuID }}
  <nav>
    <ul>
      {{- range . }}
        <li><a href="{{ .URL }}"
          {{- if $page.IsMenuCurrent .Menu . }} class="active" aria-current="page"{{ end }}>
          {{- .Name }}</a></li>
      {{- end }}
    </ul>
  </nav>
{{- end }}
""",
    "_partials/terms.html": """\
{{- $page := .page }}
{{- with $page.GetTerms .taxonomy }}
  {{- $label := (index . 0).Parent.LinkTitle }}
  <div>
    <div>{{ $label }}:</div>
    <ul>
      {{- range . }}
        <li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>
      {{- end }}
    </ul>
  </div>
{{- end }}
""",
}

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
    words = 0

    def add_paragraph() -> None:
        nonlocal words
        para = writer.paragraph()
        sentences.extend(para)
        blocks.append(" ".join(s.markdown for s in para))
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
        Claim(candidates[k], rng.choices(VERDICTS, weights=VERDICT_WEIGHTS)[0]) for k in chosen
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


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def article_markdown(article: Article) -> str:
    return (
        "---\n"
        f"title: {q(article.title)}\n"
        f"dek: {q(article.dek)}\n"
        'outlet: "bench.example.com"\n'
        f'url: "https://bench.example.com/{article.slug}"\n'
        f"published: {article.day}\n"
        "retrieved: 2026-01-15\n"
        "---\n\n" + article.body
    )


def annotation_yaml(article: Article, rng: random.Random) -> str:
    lines = ["reviewed: 2026-01-20", "claims:"]
    for number, claim in enumerate(article.claims, start=1):
        lines.append(f"  - id: claim-{number:02d}")
        lines.append(f"    quote: {q(claim.quote)}")
        lines.append(f"    verdict: {claim.verdict}")
        if claim.verdict == "erroneous":
            lines.append(f'    correction: "The record shows figure {rng.randint(2, 99)} instead."')
        lines.append(
            f'    note: "Checked against [the archive](https://example.org/archive/'
            f'{article.slug}/{number}) and *one* other record."'
        )
        lines.append("    sources:")
        for source in range(1, rng.randint(1, 2) + 1):
            lines.append(f'      - title: "Record {number}.{source} for {article.slug}"')
            lines.append(
                f'        url: "https://example.org/records/{article.slug}/{number}/{source}"'
            )
            lines.append('        publisher: "Example Archive"')
            if rng.random() < 0.5:
                month, day = rng.randint(1, 12), rng.randint(1, 28)
                lines.append(f"        date: 2024-{month:02d}-{day:02d}")
    return "\n".join(lines) + "\n"


def plain_front_matter(article: Article) -> str:
    return (
        f"---\ntitle: {q(article.title)}\ndate: {article.day}T12:00:00Z\n"
        f'categories: ["{article.category}"]\n---\n\n'
    )


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def generate(count: int, root: Path, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Write the four corpora under ``root`` (replacing any there); return word and byte counts."""
    for part in ("factsheet", "hugo", "mkdocs", "plain"):
        shutil.rmtree(root / part, ignore_errors=True)
    fs, hugo, mk, plain = root / "factsheet", root / "hugo", root / "mkdocs", root / "plain"
    write(fs / "site.yaml", SITE_YAML)
    write(fs / "pages" / "about.md", ABOUT_MD)
    write(hugo / "hugo.toml", HUGO_TOML)
    for name, text in HUGO_LAYOUTS.items():
        write(hugo / "layouts" / name, text)
    write(mk / "mkdocs.yml", MKDOCS_YML)
    write(mk / "docs" / "index.md", MKDOCS_INDEX)
    words = body_bytes = 0
    for article in articles(count, seed):
        notes_rng = random.Random(f"{seed}:{article.slug}:notes")
        write(fs / "articles" / f"{article.slug}.md", article_markdown(article))
        write(fs / "annotations" / f"{article.slug}.yaml", annotation_yaml(article, notes_rng))
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
