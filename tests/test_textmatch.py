"""Folding text the way a reader sees it, and mapping each folded character back."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from factsheet.textmatch import FoldedText, fold

# letters, typographic quotes, and white space of several kinds (tab, newline, no-break
# space, em space, an information separator that Python counts as white space)
TEXT = st.text(alphabet="ab'\"“”‘’„ \n\t\u00a0\u2003\x1c", max_size=40)


def reference(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Fold character by character: each run of white space becomes one space."""
    straight = text.translate(str.maketrans("“”„‘’", '"""\'\''))
    folded, spans = [], []
    for match in re.finditer(r"\s+|\S", straight):
        folded.append(" " if match.group().isspace() else match.group())
        spans.append(match.span())
    return "".join(folded), spans


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_each_folded_character_maps_back_to_the_characters_it_stands_for(text: str) -> None:
    folded_text = FoldedText.of(text)
    expected, spans = reference(text)
    assert folded_text.folded == expected
    for index, span in enumerate(spans):
        assert folded_text.original_span(index, index + 1) == span


def test_quotes_are_straightened_and_runs_of_space_made_one() -> None:
    assert fold("“Top  Gun”\n\tsaid ‘the’ pilot ") == "\"Top Gun\" said 'the' pilot"
    assert FoldedText.of("  a \n\n b  ").folded == " a b "
    assert FoldedText.of(" \n ").folded == " "
    assert FoldedText.of("").folded == ""
