"""The notes are written in our own words: none repeats twelve words running from the dossier.

``tests/fixtures/factcheck-dossier.md`` is the research dossier the annotations were written
from. Facts and sources carry over from it; its sentences must not. A note or correction that
shares a run of twelve consecutive words with it fails here, naming the file, the line, the
claim and the words to rewrite.

Words are compared as a reader sees them: lower-case, without punctuation, with typographic
quotes, apostrophes and dashes counting as their plain forms, and with a Markdown link reduced
to its visible text (link addresses, and bare web addresses in the dossier, are not words).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path

from factsheet.load import load_content
from factsheet.markdown import inline_tokens
from factsheet.model import Claim, Content
from tests.conftest import CONTENT
from tests.helpers import ANNOTATIONS_YAML, good_files, write_tree

RUN = 12  # this many words in a row, shared with the dossier, is a copied sentence
DOSSIER = Path(__file__).resolve().parent / "fixtures" / "factcheck-dossier.md"

_ADDRESS = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
# straight, curly and modifier-letter apostrophes all vanish, so "Cruise's" is one word
_APOSTROPHES = dict.fromkeys(map(ord, "'\u2019\u2018\u02bc\u2032`"))
_WORD = re.compile(r"[^\W_]+")  # letters and digits in any script; dashes and quotes split


def words(text: str) -> list[str]:
    """The words of plain text, lower-case, with punctuation and web addresses left out."""
    text = unicodedata.normalize("NFKC", text).lower()
    return _WORD.findall(_ADDRESS.sub(" ", text).translate(_APOSTROPHES))


def visible_text(markdown: str) -> str:
    """What a reader sees of inline Markdown: the text, without link addresses or markup."""
    parts: list[str] = []
    for token in inline_tokens(markdown):
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
    return "".join(parts)


def runs_of(sequence: Sequence[str], length: int = RUN) -> frozenset[tuple[str, ...]]:
    """Every run of ``length`` consecutive words in ``sequence``."""
    return frozenset(tuple(sequence[i : i + length]) for i in range(len(sequence) - length + 1))


def shared_runs(
    sequence: Sequence[str], reference: frozenset[tuple[str, ...]], length: int = RUN
) -> list[str]:
    """The stretches of ``sequence`` made of ``length``-word runs that are in ``reference``.

    Overlapping or touching runs are joined into one stretch, so a copied sentence is reported
    once, in full, rather than as many overlapping twelve-word windows.
    """
    stretches: list[list[int]] = []
    for start in range(len(sequence) - length + 1):
        if tuple(sequence[start : start + length]) in reference:
            if stretches and start <= stretches[-1][1]:
                stretches[-1][1] = start + length
            else:
                stretches.append([start, start + length])
    return [" ".join(sequence[start:end]) for start, end in stretches]


@cache
def dossier_runs() -> frozenset[tuple[str, ...]]:
    return runs_of(words(DOSSIER.read_text(encoding="utf-8")))


def _checked_texts(claim: Claim) -> Iterator[tuple[str, str]]:
    yield "note", claim.note
    if claim.correction:
        yield "correction", claim.correction


def copied_runs(content: Content) -> list[str]:
    """One line per note or correction that repeats a run of the dossier: where, which, what."""
    found: list[str] = []
    for annotated in content.annotations.values():
        for claim in annotated.claims:
            for field, text in _checked_texts(claim):
                for run in shared_runs(words(visible_text(text)), dossier_runs()):
                    where = claim.where(field)
                    found.append(f"{where.path}:{where.line}: {claim.id} ({field}): “{run}”")
    return found


def test_no_note_or_correction_repeats_twelve_words_of_the_dossier() -> None:
    found = copied_runs(load_content(CONTENT))
    assert not found, (
        f"{len(found)} note(s) repeat {RUN} or more words in a row from the research dossier "
        "(tests/fixtures/factcheck-dossier.md); say it in your own words, keeping the facts and "
        "the sources:\n" + "\n".join(found)
    )


def test_the_dossier_is_the_one_the_claims_were_checked_in() -> None:
    """The comparison above is against the right text: the dossier quotes the claims it checked.

    A few claims were added after the dossier was written, so not every quote is in it, but
    nearly all are; an empty or unrelated file in its place fails here.
    """
    dossier = DOSSIER.read_text(encoding="utf-8")
    quotes = [c.quote for a in load_content(CONTENT).annotations.values() for c in a.claims]
    in_dossier = [quote for quote in quotes if f'quote: "{quote}"' in dossier]
    assert len(quotes) >= 40
    assert len(in_dossier) >= 0.9 * len(quotes)


def test_a_note_that_copies_a_dossier_sentence_is_reported_with_file_claim_and_words(
    tmp_path: Path,
) -> None:
    # one of the dossier's sentences, pasted with a link, emphasis, a dash and a line break
    copied = (
        "As [Kursiv](https://kz.kursiv.media/en/2025-09-18/x) put it, the *couple* was hosted\n"
        "      by film scholar Igor Kokarev (meals at his home, trips in his car) — that is all."
    )
    planted = ANNOTATIONS_YAML.replace("note: Estimates vary.", f"note: >-\n      {copied}")
    files = {**good_files(), "annotations/cruise-orbit.yaml": planted}
    root = write_tree(tmp_path / "content", files)

    assert copied_runs(load_content(root)) == [
        f"{root / 'annotations' / 'cruise-orbit.yaml'}:18: film-budget (note): "
        "“the couple was hosted by film scholar igor kokarev meals at his home trips in his car”"
    ]


def test_quotes_apostrophes_dashes_and_case_do_not_hide_a_copy() -> None:
    dossier_sentence = "Cruise's representatives declined to comment, and the project is reported"
    rewritten = "CRUISE’S representatives declined to comment — and the “project” is Reported"
    assert words(visible_text(rewritten)) == words(dossier_sentence)


def test_link_addresses_are_not_words_of_a_note() -> None:
    note = "See [the report](https://example.org/the-first-civilian-to-spacewalk-at-the-iss)."
    assert words(visible_text(note)) == ["see", "the", "report"]


def test_eleven_words_in_common_are_not_a_run_and_twelve_are() -> None:
    reference = runs_of(words("one two three four five six seven eight nine ten eleven twelve"))
    eleven = words("x one two three four five six seven eight nine ten eleven y")
    twelve = words("x one two three four five six seven eight nine ten eleven twelve y")
    assert shared_runs(eleven, reference) == []
    assert shared_runs(twelve, reference) == [
        "one two three four five six seven eight nine ten eleven twelve"
    ]
