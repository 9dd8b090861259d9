"""Rendering a note: plain text takes a short cut that must agree with the Markdown parser."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from factsheet.markdown import markdown, render_inline, simple_inline_tokens

TEXT = st.text(alphabet=st.sampled_from(list("ab é日 \n\"'.:,;-+=#>1()/*_[]<&")), max_size=40)


@settings(max_examples=2000, deadline=None)
@given(note=TEXT)
def test_any_note_renders_as_the_markdown_parser_renders_it(note: str) -> None:
    assert render_inline(note) == markdown().renderInline(note)


EMPHASISED = st.text(alphabet=st.sampled_from(list("ab é1.,'-*_()")), max_size=8)
PIECES = st.one_of(
    TEXT,
    st.text(alphabet=st.sampled_from(list("ab é日 \"'.:,;-+=#1()/?")), max_size=12),
    st.sampled_from(
        ["*", "**", "_", " *", "* ", "[", "](", ")", "\\*", "  ", ".", "?)", "é*", "!", "![", "\n"]
    ),
    st.builds("*{}*".format, EMPHASISED),
    st.builds("**{}**".format, EMPHASISED),
    st.builds(
        "[{}]({}://{}{})".format,
        st.text(alphabet=st.sampled_from(list("ab é1.,'-*_ ()")), max_size=8),
        st.sampled_from(["https", "http", "HTTPS", "ftp", "javascript"]),
        st.text(alphabet=st.sampled_from(list("abAB09.-_%é")), min_size=1, max_size=8),
        st.text(alphabet=st.sampled_from(list("/aZ9._~-?=#&%()é ")), max_size=10),
    ),
)
NOTES = st.lists(PIECES, max_size=6).map("".join)
CLEAN = st.text(alphabet=st.sampled_from(list("ab é日 \"'.:,;-+=#1()/?!")), min_size=1, max_size=12)
NEAR_SIMPLE = st.lists(
    st.one_of(
        CLEAN,
        st.builds(" *{}* ".format, CLEAN),
        st.builds("*{}*".format, CLEAN),
        st.builds(" **{}**".format, CLEAN),
        st.builds("{}\n{}".format, CLEAN, CLEAN),
        st.builds(
            "[{}](https://{}{})".format,
            CLEAN,
            st.text(alphabet=st.sampled_from(list("abAB09.-")), min_size=1, max_size=8),
            st.text(alphabet=st.sampled_from(list("/aZ9._~-")), max_size=10),
        ),
    ),
    max_size=6,
).map("".join)


def tokens(found: object) -> list[dict[str, object]]:
    return [token.as_dict() for token in found]  # type: ignore[attr-defined]


@settings(max_examples=3000, deadline=None)
@given(note=st.one_of(NOTES, NEAR_SIMPLE))
def test_the_tokens_of_simple_notes_are_those_the_markdown_parser_makes(note: str) -> None:
    """Notes of plain text, plain links and plain emphasis are not given to the parser;
    whatever it would make of anything else, the short cut declines it."""
    simple = simple_inline_tokens(note)
    if simple is not None:
        assert tokens(simple) == tokens(markdown().parseInline(note))


def test_notes_as_editors_write_them_take_the_short_cut() -> None:
    for note in (
        "Checked against [the archive](https://example.org/archive/article-00001/1) and *one* "
        "other record.",
        "The film opened in May 1986, so by late 1987 “just finished” is a stretch.",
        "See [NASA's announcement](https://www.nasa.gov/news/2020/05/05/) and *Variety*.",
    ):
        assert simple_inline_tokens(note) is not None, note
        assert tokens(simple_inline_tokens(note)) == tokens(markdown().parseInline(note))
    assert simple_inline_tokens("**strong**") is not None
    paragraph = "A line that ends!\nAnd a **strong** word, [a link](https://example.org/a) *too*."
    assert tokens(simple_inline_tokens(paragraph)) == tokens(markdown().parseInline(paragraph))
    assert simple_inline_tokens("***strong and emphasised***") is None
    assert simple_inline_tokens("[a](https://example.org/a(b))") is None


def test_markup_in_a_note_is_rendered_and_raw_html_escaped() -> None:
    assert render_inline('See *this* <b>"bold"</b>') == (
        "See <em>this</em> &lt;b&gt;&quot;bold&quot;&lt;/b&gt;"
    )


def plain_parser() -> MarkdownIt:
    """The shared parser's dialect, without its short cut."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.disable("image")
    return md


DOCUMENTS = st.lists(
    st.one_of(NEAR_SIMPLE, NOTES, st.builds("## {}".format, NEAR_SIMPLE), st.just("- a\n- *b*")),
    max_size=5,
).map("\n\n".join)


@settings(max_examples=1500, deadline=None)
@given(document=DOCUMENTS)
def test_an_article_parses_to_the_tokens_the_markdown_parser_makes(document: str) -> None:
    """An article's paragraphs and headings take the notes' short cut where they are simple
    inline Markdown; its tokens are still exactly the parser's."""
    assert tokens(markdown().parse(document)) == tokens(plain_parser().parse(document))


def test_the_paragraphs_of_an_article_take_the_short_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    from factsheet import markdown as module

    def no_parser(*args: object) -> None:
        raise AssertionError("the inline parser was asked")

    monkeypatch.setattr(markdown().inline, "parse", no_parser)
    document = "## A heading\n\nA paragraph with **strong** and *emphasised* words,\nand a line!"
    children = [t.children for t in module.markdown().parse(document) if t.type == "inline"]
    assert [[c.type for c in inline or []][:2] for inline in children] == [
        ["text"],
        ["text", "strong_open"],
    ]


def test_the_seed_articles_parse_to_the_tokens_the_markdown_parser_makes() -> None:
    articles = sorted((Path(__file__).parent.parent / "content" / "articles").glob("*.md"))
    assert articles
    for path in articles:
        body = path.read_text(encoding="utf-8")
        assert tokens(markdown().parse(body)) == tokens(plain_parser().parse(body)), path.name
