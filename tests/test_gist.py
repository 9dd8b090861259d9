"""A closed note's line: the editor's gist, else the note's first sentence, links as their text."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from factsheet.gist import gist_html
from factsheet.pipeline import build_site
from tests.helpers import good_files, write_tree
from tests.test_anchoring import claim, render

FIRST_SENTENCES = [
    pytest.param("It held. Then more.", "It held.", id="a full stop before a capital"),
    pytest.param("Was it? Nobody knows.", "Was it?", id="a question mark"),
    pytest.param("Yes! It did.", "Yes!", id="an exclamation mark"),
    pytest.param(
        "Deadline's Mike Fleming Jr. broke the story. NASA confirmed it.",
        "Deadline's Mike Fleming Jr. broke the story.",
        id="Jr. is not the end",
    ),
    pytest.param(
        "Dr. Smith and Mr. Jones met. Then more.", "Dr. Smith and Mr. Jones met.", id="titles"
    ),
    pytest.param(
        "The U.S. Army said so. Then more.", "The U.S. Army said so.", id="initials (U.S.)"
    ),
    pytest.param("J. K. Rowling wrote it. Then.", "J. K. Rowling wrote it.", id="an initial"),
    pytest.param("Films, e.g. Top Gun, did. Then.", "Films, e.g. Top Gun, did.", id="e.g."),
    pytest.param("It was No. 5 in the list. Then.", "It was No. 5 in the list.", id="No. 5"),
    pytest.param("The answer was no. Then more.", "The answer was no.", id="no before a capital"),
    pytest.param("It cost 3.5 million. Then.", "It cost 3.5 million.", id="a decimal point"),
    pytest.param('He said "no." Then he left.', "He said &quot;no.&quot;", id="closing quotes"),
    pytest.param("It was in 1987. 1988 is likelier.", "It was in 1987.", id="before a digit"),
    pytest.param("One. two are lower case.", "One. two are lower case.", id="not before a small"),
    pytest.param("Only one sentence", "Only one sentence", id="one sentence, no full stop"),
    pytest.param("Это было. Потом.", "Это было.", id="Cyrillic capitals"),
    pytest.param(
        "The note\nruns over\nlines. Then.", "The note runs over lines.", id="line breaks"
    ),
]


@pytest.mark.parametrize(("note", "expected"), FIRST_SENTENCES)
def test_without_a_gist_the_line_is_the_notes_first_sentence(note: str, expected: str) -> None:
    assert gist_html(None, note) == expected


def test_a_link_in_the_first_sentence_shows_as_its_text_and_does_not_end_it() -> None:
    note = "See [Dr. Smith's report](https://example.org/report.Final) here. Then more."
    assert gist_html(None, note) == "See Dr. Smith's report here."


def test_emphasis_is_kept_and_closed_where_the_sentence_ends_inside_it() -> None:
    assert gist_html(None, "*Top Gun.* The film came out in 1986.") == "<em>Top Gun.</em>"
    assert (
        gist_html(None, "A **bold *cut. Here* on** end.") == "A <strong>bold <em>cut.</em></strong>"
    )


def test_an_editors_gist_is_shown_whole_as_inline_markdown_without_links() -> None:
    gist = "A *short* line. With [a link](https://example.org) and `code`."
    expected = "A <em>short</em> line. With a link and <code>code</code>."
    assert gist_html(gist, "The note. Is not used.") == expected


def test_raw_html_in_a_gist_is_text() -> None:
    assert gist_html("<b>bold</b>", "x") == "&lt;b&gt;bold&lt;/b&gt;"


def summary(html: str, claim_id: str) -> str:
    found = re.search(
        rf'<details class="note" id="note-{claim_id}".*?<summary[^>]*>(.*?)</summary>', html, re.S
    )
    assert found, f"no note for {claim_id}"
    return found.group(1)


def test_the_closed_note_says_its_number_verdict_and_gist_or_correction() -> None:
    with_gist = dataclasses.replace(
        claim("first words", "a"), note="Long reasons. More reasons.", gist="The *gist*."
    )
    plain = dataclasses.replace(claim("second words", "b"), note="First sentence. Second one.")
    wrong = claim("third words", "c", verdict="erroneous")
    html = render("The first words, the second words, the third words.", with_gist, plain, wrong)
    assert "Note </span>1</span>" in summary(html, "a")
    assert "Disputed" in summary(html, "a") and "The <em>gist</em>." in summary(html, "a")
    assert "Long reasons" not in summary(html, "a")
    assert "First sentence." in summary(html, "b") and "Second one" not in summary(html, "b")
    assert "Erroneous" in summary(html, "c")
    assert "<strong>Correction:</strong> Right." in summary(html, "c")
    assert "<a " not in summary(html, "a") + summary(html, "b") + summary(html, "c")


def test_a_claims_first_mark_and_its_note_share_its_place_in_the_paragraph() -> None:
    html = render(
        "One claim here, another there.\n\nA third claim.",
        claim("One claim", "a"),
        claim("another", "b"),
        claim("third claim", "c"),
    )
    assert re.search(r'<mark [^>]*id="claim-a" data-at="1"', html)
    assert re.search(r'<mark [^>]*id="claim-b" data-at="2"', html)
    assert re.search(r'<mark [^>]*id="claim-c" data-at="1"', html)
    assert '<details class="note" id="note-b" data-note-verdict="disputed" data-at="2">' in html


def test_past_the_sixth_claim_of_a_paragraph_a_mark_has_no_place_so_all_its_notes_open() -> None:
    words = [f"word{chr(96 + n)}" for n in range(1, 9)]
    html = render(" ".join(words) + ".", *(claim(w, f"c{n}") for n, w in enumerate(words, 1)))
    assert re.search(r'<mark [^>]*id="claim-c6" data-at="6"', html)
    assert re.search(r'<mark [^>]*id="claim-c7" aria-details', html)
    assert '<details class="note" id="note-c7" data-note-verdict="disputed" data-at="7">' in html


def test_claims_json_carries_the_editors_gist(tmp_path: Path) -> None:
    files = good_files()
    notes = str(files["annotations/cruise-orbit.yaml"])
    files["annotations/cruise-orbit.yaml"] = notes.replace(
        "    note: Estimates vary.", "    gist: Nobody knows the budget.\n    note: Estimates vary."
    )
    content = write_tree(tmp_path / "content", files)
    build_site(content, tmp_path / "site", jobs=1)
    claims = json.loads((tmp_path / "site/claims.json").read_text())["articles"][0]["claims"]
    assert {c["id"]: c["gist"] for c in claims} == {
        "mission-impossible-year": None,
        "film-budget": "Nobody knows the budget.",
    }
