"""Anchoring: a claim's quote is found in what the reader sees, and marked there.

Each case is an article body, the claims made about it, and what the reader should get:
for each claim the exact text marked, in as many elements as inline formatting requires.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factsheet.anchor import ArticleText, anchor_claims
from factsheet.article_page import anchor_article, build_view, render_pages
from factsheet.model import Annotations, Article, Claim, SiteConfig, Source, Verdict
from factsheet.problems import Location
from factsheet.templating import DEFAULT_TEMPLATES
from tests.claim_html import claims_in

SITE = SiteConfig(title="Test", description="Test site", base_url="https://example.org/fs/")


def article(body: str) -> Article:
    return Article(
        slug="a",
        location=Location("content/articles/a.md"),
        title="A",
        retrieved=dt.date(2026, 11, 20),
        body=body,
        body_line=5,
    )


def claim(
    quote: str,
    claim_id: str = "c",
    *,
    prefix: str | None = None,
    suffix: str | None = None,
    verdict: Verdict = "disputed",
    line: int = 3,
) -> Claim:
    return Claim(
        id=claim_id,
        quote=quote,
        verdict=verdict,
        note="A note.",
        sources=(Source(title="A source"),),
        reviewed=dt.date(2026, 11, 20),
        location=Location("content/annotations/a.yaml", line, 5),
        prefix=prefix,
        suffix=suffix,
        correction="Right." if verdict == "erroneous" else None,
        field_locations=(("quote", Location("content/annotations/a.yaml", line + 1, 12)),),
    )


def render(body: str, *claims: Claim) -> str:
    text, anchors, problems = anchor_article(article(body), Annotations("a", Location("x"), claims))
    assert not problems, [p.format() for p in problems]
    view = build_view(text.article, text, anchors, DEFAULT_TEMPLATES)
    return render_pages(view, text, anchors, SITE, DEFAULT_TEMPLATES)["articles/a.html"]


# body, quote, text marked, number of elements
CASES = [
    pytest.param(
        "He said “hello” to Tom’s friend.",
        'said "hello" to Tom\'s',
        "said “hello” to Tom’s",
        1,
        id="straight quotes in the quote match typographic ones in the text",
    ),
    pytest.param(
        'He said "hello" to Tom\'s friend.',
        "said “hello” to Tom’s",
        'said "hello" to Tom\'s',
        1,
        id="typographic quotes in the quote match straight ones in the text",
    ),
    pytest.param(
        "the end of one line\nand the start of the next",
        "one line and the start",
        "one line\nand the start",
        1,
        id="a soft line break matches a space",
    ),
    pytest.param(
        "spaced   out    words here",
        "spaced out words",
        "spaced   out    words",
        1,
        id="runs of white space match one space",
    ),
    pytest.param(
        "the *first* Mission: Impossible film",
        "the first Mission",
        "the first Mission",
        3,
        id="emphasis inside the quote splits the mark",
    ),
    pytest.param(
        "see [the report](https://example.org/r) today",
        "see the report today",
        "see the report today",
        3,
        id="a link inside the quote",
    ),
    pytest.param(
        "inside [a long link text](https://example.org/r) here",
        "long link",
        "long link",
        1,
        id="a quote inside a link",
    ),
    pytest.param(
        "run `rm -rf` now",
        "run rm -rf now",
        "run rm -rf now",
        1,
        id="a code span inside the quote stays inside one mark",
    ),
    pytest.param(
        "## Why the Dream Project Never Took Off\n\nText.",
        "Dream Project",
        "Dream Project",
        1,
        id="a heading",
    ),
    pytest.param("- item one\n- item two", "item two", "item two", 1, id="a list item"),
    pytest.param("> quoted text here", "quoted text", "quoted text", 1, id="a block quote"),
    pytest.param(
        "Том Круз тайно приезжал в СССР.",
        "тайно приезжал",
        "тайно приезжал",
        1,
        id="non-Latin text",
    ),
    pytest.param(
        "Tom &amp; Jerry met <b>bold</b> people.",
        "Tom & Jerry met <b>",
        "Tom & Jerry met <b>",
        1,
        id="ampersands and angle brackets are text",
    ),
]


@pytest.mark.parametrize(("body", "quote", "marked", "elements"), CASES)
def test_quote_is_marked_where_the_reader_sees_it(
    body: str, quote: str, marked: str, elements: int
) -> None:
    found = claims_in(render(body, claim(quote)))["c"]
    assert found.text == marked
    assert found.elements == elements
    assert found.ids == ["claim-c"]
    assert found.verdicts == {"disputed"}


def test_nested_claims_render_as_nested_elements_each_holding_its_quote() -> None:
    html = render(
        "He arrived hoping to establish an unprecedented film partnership in Moscow.",
        claim("hoping to establish an unprecedented film partnership", "outer"),
        claim("unprecedented", "inner", verdict="erroneous"),
    )
    found = claims_in(html)
    assert found["outer"].text == "hoping to establish an unprecedented film partnership"
    assert found["inner"].text == "unprecedented"
    assert found["inner"].verdicts == {"erroneous"}
    assert '<mark class="claim" data-claim="inner"' in html.split('data-claim="outer"', 1)[1]


def test_claims_with_the_same_words_nest() -> None:
    found = claims_in(render("one two three", claim("one two", "a"), claim("one two", "b")))
    assert found["a"].text == found["b"].text == "one two"


def test_prefix_picks_one_of_several_occurrences() -> None:
    html = render(
        "The film in 1992. Another film in 1992.",
        claim("film in 1992", prefix="Another"),
    )
    assert claims_in(html)["c"].text == "film in 1992"
    assert html.index('data-claim="c"') > html.index("The film in 1992")


def test_suffix_picks_one_of_several_occurrences() -> None:
    text = ArticleText.parse(article("a cat sat. a cat ran."))
    anchors, problems = anchor_claims(text, (claim("a cat", suffix="ran"),))
    assert problems == []
    assert anchors[0].doc_start == text.text.index("a cat ran")


def problems_for(body: str, *claims: Claim) -> list[str]:
    _, problems = anchor_claims(ArticleText.parse(article(body)), claims)
    return [p.format() for p in problems]


def test_quote_not_found_names_the_closest_passage_and_its_line() -> None:
    body = "Intro.\n\nThe first Mission: Impossible film in 1992 was a hit."
    [problem] = problems_for(body, claim("first Mision Impossible film in 1992", line=7))
    assert problem.startswith("content/annotations/a.yaml:8:12: error: the quote is not in")
    assert 'closest passage is on line 7: "first Mission: Impossible film in 1992"' in problem


def test_ambiguous_quote_lists_every_occurrence_with_its_line_and_context() -> None:
    body = "The film in 1992.\n\nAnother film in 1992."
    [problem] = problems_for(body, claim("film in 1992"))
    assert "the quote occurs 2 times" in problem
    assert 'line 5: "The [film in 1992] . Another' in problem
    assert 'line 7: "' in problem
    assert "add a prefix or suffix" in problem


def test_prefix_that_matches_no_occurrence_is_reported() -> None:
    [problem] = problems_for("The film in 1992.", claim("film in 1992", prefix="A"))
    assert "no occurrence of the quote" in problem


def test_quote_across_two_blocks_is_an_error() -> None:
    [problem] = problems_for("First paragraph ends.\n\nSecond begins.", claim("ends. Second"))
    assert "runs across two blocks" in problem
    assert "lines 5 and 7" in problem


def test_partial_overlap_is_an_error_at_the_later_claim() -> None:
    problems = problems_for(
        "one two three four",
        claim("one two three", "first", line=3),
        claim("two three four", "second", line=10),
    )
    assert problems == [
        "content/annotations/a.yaml:11:12: error: claim 'second' partially overlaps claim "
        "'first' (line 3); claims must nest or be disjoint: shorten one of the quotes"
    ]


def test_every_claim_problem_in_an_article_is_reported() -> None:
    problems = problems_for(
        "alpha beta. alpha beta.", claim("gamma", "x", line=3), claim("alpha", "y", line=9)
    )
    assert len(problems) == 2


# --- property: any span, with enough context, anchors back to exactly itself ---------------

MARKDOWN_TEXT = st.text(
    alphabet=st.sampled_from(list("abcdeéЖ  \n\n*_`[]()#>-&<\"'“”’.,:!1")),
    min_size=1,
    max_size=120,
)


@settings(max_examples=300, deadline=None)
@given(body=MARKDOWN_TEXT, data=st.data())
def test_any_span_with_its_context_anchors_back_to_itself(body: str, data: st.DataObject) -> None:
    text = ArticleText.parse(article(body))
    blocks = [b for b in text.blocks if b.text.strip()]
    if not blocks:
        return
    block = data.draw(st.sampled_from(blocks))
    starts = [i for i, ch in enumerate(block.text) if not ch.isspace()]
    start = data.draw(st.sampled_from(starts))
    ends = [i + 1 for i in starts if i >= start]
    end = data.draw(st.sampled_from(ends))
    doc_start = text.block_starts[block.index] + start
    doc_end = text.block_starts[block.index] + end
    quote = claim(block.text[start:end], prefix=text.text[:doc_start], suffix=text.text[doc_end:])
    anchors, problems = anchor_claims(text, (quote,))
    assert problems == []
    assert (anchors[0].doc_start, anchors[0].doc_end) == (doc_start, doc_end)
    assert anchors[0].exact == block.text[start:end]


def test_templates_folder_is_the_projects_own() -> None:
    assert (DEFAULT_TEMPLATES / "article.html").is_file()
    assert DEFAULT_TEMPLATES.parent == Path(__file__).resolve().parent.parent


def test_a_block_with_claims_is_followed_by_its_notes_in_one_wrapper() -> None:
    short = render("A short claim here.", claim("short claim"))
    assert '<div class="annotated"><p>A <mark' in short
    assert short.index('<div class="notes">') > short.index("</p>")
