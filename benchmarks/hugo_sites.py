"""The two Hugo sites of the benchmark corpus, both in Hugo's skeleton theme.

``hugo/``
    the articles alone: ``content/posts/<slug>.md`` (front matter and the article's text)
    and the layouts of the ``hugo new theme`` skeleton, without its CSS and JS pipeline:
    home page with summaries, sections, taxonomies, RSS, sitemap. One page per article.
``hugo-pages/``
    the same pages as factsheet builds: for each article, its page and one page per claim.

    * ``content/articles/<slug>.md``: the article's text, then every claim with its verdict,
      quote, correction, note and sources (factsheet shows these notes beside the marked
      text; Hugo shows them after it, unmarked: it does no anchoring);
    * ``content/claims/<slug>/claim-NN.md``: the claim's quote, the paragraph it stands in,
      verdict, note, correction, sources, review date and the links factsheet's claim page
      has (article, original, fact sheet, previous and next claim);
    * the skeleton's layouts, with its list pages paginated by 500 as factsheet's fact
      sheet is, the home page listing the articles (factsheet's index), a ``verdicts``
      taxonomy whose term pages are factsheet's per-verdict fact sheets, a 200-entry RSS
      (factsheet's feed has the newest 200 reviews), the sitemap of every page, and
      ``uglyURLs`` so the files have factsheet's paths: ``articles/<slug>.html`` and
      ``claims/<slug>/claim-NN.html``.

    What factsheet does besides: validating the YAML against a schema, anchoring each quote
    in the text and marking it in place, ClaimReview JSON-LD on every page, the
    ``claims.json``, Web Annotation and feed exports.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

VERDICT_LABELS = {
    "corroborated": "Corroborated",
    "disputed": "Disputed",
    "erroneous": "Erroneous",
}

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

HUGO_PAGES_TOML = """\
baseURL = 'https://bench.example.org/'
locale = 'en-us'
title = 'Synthetic Fact Sheet'
uglyURLs = true

[pagination]
  pagerSize = 500

[services.rss]
  limit = 200

[taxonomies]
  category = 'categories'
  verdict = 'verdicts'

[menus]
  [[menus.main]]
    name = 'Home'
    pageRef = '/'
    weight = 10

  [[menus.main]]
    name = 'Articles'
    pageRef = '/articles'
    weight = 20

  [[menus.main]]
    name = 'Fact sheet'
    pageRef = '/claims'
    weight = 30
"""

# The ``hugo new theme`` skeleton's layouts, as Hugo 0.146+ writes them.
SKELETON_LAYOUTS = {
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

# The skeleton, changed only where factsheet's site has another shape (see the module doc).
HUGO_PAGES_LAYOUTS = {
    **SKELETON_LAYOUTS,
    "home.html": """\
{{ define "main" }}
  {{ .Content }}
  {{ range where site.RegularPages "Section" "articles" }}
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
  {{ partial "terms.html" (dict "taxonomy" "categories" "page" .) }}
  {{ partial "terms.html" (dict "taxonomy" "verdicts" "page" .) }}
{{ end }}
""",
    "section.html": """\
{{ define "main" }}
  <h1>{{ .Title }}</h1>
  {{ .Content }}
  {{ range (.Paginate .Pages).Pages }}
    <section>
      <h2><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></h2>
      {{ .Summary }}
    </section>
  {{ end }}
  {{ partial "pagination.html" . }}
{{ end }}
""",
    "term.html": """\
{{ define "main" }}
  <h1>{{ .Title }}</h1>
  {{ .Content }}
  {{ range (.Paginate .Pages).Pages }}
    <h2><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></h2>
  {{ end }}
  {{ partial "pagination.html" . }}
{{ end }}
""",
}


@dataclass(frozen=True)
class Source:
    title: str
    url: str
    publisher: str
    date: str | None


@dataclass(frozen=True)
class ClaimEntry:
    """One claim as the Hugo pages show it."""

    id: str
    quote: str
    verdict: str
    context: str  # the Markdown paragraph that holds the quote
    note: str
    correction: str | None
    sources: tuple[Source, ...]
    reviewed: str


@dataclass(frozen=True)
class ArticleEntry:
    slug: str
    title: str
    dek: str
    day: str
    category: str
    outlet: str
    url: str
    body: str
    claims: tuple[ClaimEntry, ...]


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def post_front_matter(title: str, day: str, category: str) -> str:
    """The front matter of a post of the ``hugo/`` site (and of the floor's sources)."""
    return f'---\ntitle: {q(title)}\ndate: {day}T12:00:00Z\ncategories: ["{category}"]\n---\n\n'


def _quoted(quote: str) -> str:
    return f"“{quote}”"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _sources(sources: Sequence[Source]) -> Iterator[str]:
    yield "Sources:"
    yield ""
    for source in sources:
        dated = f", {source.date}" if source.date else ""
        yield f"- [{source.title}]({source.url}), {source.publisher}{dated}"
    yield ""


def _verdict_text(claim: ClaimEntry) -> Iterator[str]:
    yield claim.note
    yield ""
    if claim.correction:
        yield f"**Correction:** {claim.correction}"
        yield ""
    yield from _sources(claim.sources)


def article_page(article: ArticleEntry) -> str:
    """``content/articles/<slug>.md``: the text, then each claim's note."""
    lines = [
        "---",
        f"title: {q(article.title)}",
        f"description: {q(article.dek)}",
        f"date: {article.day}T12:00:00Z",
        f'categories: ["{article.category}"]',
        "params:",
        f"  outlet: {q(article.outlet)}",
        f"  original: {q(article.url)}",
        "---",
        "",
        f"*{article.dek}* Published by [{article.outlet}]({article.url}) on {article.day}.",
        "",
        article.body,
        f"## {len(article.claims)} claims checked",
        "",
    ]
    for n, claim in enumerate(article.claims, start=1):
        label = VERDICT_LABELS[claim.verdict]
        lines += [f"### {n}. {label}: {_quoted(claim.quote)}", ""]
        lines += _verdict_text(claim)
        lines += [f"[Claim {n} on its own page](../claims/{article.slug}/{claim.id}.html)", ""]
    lines.append("[All claims of every article in the fact sheet](../claims/index.html)")
    return "\n".join(lines) + "\n"


def claim_page(article: ArticleEntry, index: int) -> str:
    """``content/claims/<slug>/<claim id>.md``: what factsheet's claim page says."""
    claim = article.claims[index]
    total = len(article.claims)
    label = VERDICT_LABELS[claim.verdict]
    description = claim.correction or claim.note
    article_url = f"../../articles/{article.slug}.html"
    lines = [
        "---",
        f"title: {q(f'{label}: {_quoted(_short(claim.quote))}')}",
        f"description: {q(f'{label}. {description}')}",
        f"date: {article.day}T12:00:00Z",
        f'verdicts: ["{claim.verdict}"]',
        f"weight: {index + 1}",
        "---",
        "",
        f"Claim {index + 1} of {total} in [{article.title}]({article_url})",
        "",
        f"## {label}: {_quoted(claim.quote)}",
        "",
        f"> {claim.context}",
        "",
        f"The passage from {article.outlet}, {article.day}.",
        "",
        f"## Our verdict: {label}",
        "",
        *_verdict_text(claim),
        f"Reviewed {claim.reviewed}",
        "",
        f"- [Read this claim in the annotated article]({article_url}#claim-{claim.id})",
        f"- [See this passage in the original at {article.outlet}]({article.url})",
        "- [All claims in the fact sheet](../../claims/index.html)",
        "",
    ]
    pager = []
    if index > 0:
        pager.append(f"[Previous claim {index} of {total}]({article.claims[index - 1].id}.html)")
    if index + 1 < total:
        pager.append(f"[Next claim {index + 2} of {total}]({article.claims[index + 1].id}.html)")
    lines.append(" · ".join(pager))
    return "\n".join(lines) + "\n"


def hugo_pages_files(article: ArticleEntry) -> Iterator[tuple[str, str]]:
    """The content files of one article in the ``hugo-pages/`` site: (relative path, text)."""
    yield f"content/articles/{article.slug}.md", article_page(article)
    for index, claim in enumerate(article.claims):
        yield f"content/claims/{article.slug}/{claim.id}.md", claim_page(article, index)
