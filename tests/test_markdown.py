"""Rendering a note: plain text takes a short cut that must agree with the Markdown parser."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from factsheet.markdown import markdown, render_inline

TEXT = st.text(alphabet=st.sampled_from(list("ab é日 \n\"'.:,;-+=#>1()/*_[]<&")), max_size=40)


@settings(max_examples=2000, deadline=None)
@given(note=TEXT)
def test_any_note_renders_as_the_markdown_parser_renders_it(note: str) -> None:
    assert render_inline(note) == markdown().renderInline(note)


def test_markup_in_a_note_is_rendered_and_raw_html_escaped() -> None:
    assert render_inline('See *this* <b>"bold"</b>') == (
        "See <em>this</em> &lt;b&gt;&quot;bold&quot;&lt;/b&gt;"
    )
