"""The pull request's job summary (``python -m factsheet.summary BASE HEAD``).

The summary is Markdown read on GitHub, so most tests render it (CommonMark with GFM tables, as
GitHub does) and look at the tables a reader sees.
"""

from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from factsheet.summary import main

ROOT = Path(__file__).resolve().parent.parent


def claim(claim_id: str, verdict: str = "corroborated", **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": claim_id,
        "verdict": verdict,
        "quote": f"the words of {claim_id}",
        "note": "Why.",
        "url": f"articles/a.html#claim-{claim_id}",
        "page": f"claims/a/{claim_id}.html",
    }
    if verdict == "erroneous":
        record["correction"] = "The right fact."
    record.update(fields)
    return record


def claims_json(path: Path, articles: dict[str, list[dict[str, Any]]]) -> Path:
    data = {
        "site": {"title": "Fact sheet", "base_url": "https://example.org/"},
        "articles": [
            {"slug": slug, "title": slug.title(), "url": f"articles/{slug}.html", "claims": claims}
            for slug, claims in articles.items()
        ],
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def summarise(
    tmp_path: Path,
    base: dict[str, list[dict[str, Any]]] | None,
    head: dict[str, list[dict[str, Any]]],
    capsys: pytest.CaptureFixture[str],
    *extra: str,
) -> str:
    base_path = tmp_path / "base.json"
    if base is not None:
        claims_json(base_path, base)
    head_path = claims_json(tmp_path / "head.json", head)
    assert main([*extra, str(base_path), str(head_path)]) == 0
    return capsys.readouterr().out


class _Tables(HTMLParser):
    """The rendered tables as lists of rows of cell texts, under the heading before each."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.html_tags: list[str] = []
        self._heading = ""
        self._in_heading = False
        self._cell: list[str] | None = None
        self._row: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h2", "h3"):
            self._in_heading, self._heading = True, ""
        elif tag == "table":
            self.tables[self._heading] = []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag not in ("thead", "tbody", "p", "strong", "code", "blockquote", "a", "em"):
            self.html_tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h2", "h3"):
            self._in_heading = False
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr":
            self.tables[self._heading].append(self._row)

    def handle_data(self, data: str) -> None:
        if self._in_heading:
            self._heading += data
        if self._cell is not None:
            self._cell.append(data)


def rendered(markdown: str) -> _Tables:
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)
    parser = _Tables()
    parser.feed(html)
    return parser


def rows(markdown: str, heading_start: str) -> list[list[str]]:
    """The body rows of the table under the heading that starts with ``heading_start``."""
    tables = rendered(markdown).tables
    matches = [rows for heading, rows in tables.items() if heading.startswith(heading_start)]
    assert len(matches) == 1, f"no single table under {heading_start!r} in {list(tables)}"
    return matches[0][1:]


def headings(markdown: str) -> list[str]:
    return [line.lstrip("# ") for line in markdown.splitlines() if line.startswith("#")]


# --- the verdict table ------------------------------------------------------------------------


def test_counts_the_head_claims_per_verdict_with_the_change_against_the_base(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = {"a": [claim("x", "disputed"), claim("y", "disputed"), claim("z")]}
    head = {
        "a": [claim("x", "erroneous"), claim("y", "disputed"), claim("z")],
        "b": [claim("w"), claim("v")],
    }
    out = summarise(tmp_path, base, head, capsys)
    assert rows(out, "Fact-check summary") == [
        ["corroborated", "3", "+2"],
        ["disputed", "1", "-1"],
        ["erroneous", "1", "+1"],
        ["Total", "5", "+2"],
    ]
    assert "5 claims in 2 articles" in out


def test_a_verdict_outside_the_three_is_counted_on_a_row_of_its_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = summarise(tmp_path, {"a": [claim("x", "mostly-true")]}, {"a": [claim("x")]}, capsys)
    table = rows(out, "Fact-check summary")
    assert ["mostly-true", "0", "-1"] in table
    assert table[-1] == ["Total", "1", "0"]


def test_a_withdrawn_claim_is_counted_and_shown_as_withdrawn(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = {"a": [claim("x", "disputed"), claim("y")]}
    update = [{"date": "2026-12-02", "note": "Withdrawn."}]
    head = {"a": [claim("x", "disputed", withdrawn="Wrong.", updates=update), claim("y")]}
    out = summarise(tmp_path, base, head, capsys)
    table = rows(out, "Fact-check summary")
    assert ["disputed", "0", "-1"] in table and ["withdrawn", "1", "+1"] in table
    assert rows(out, "Changed") == [
        ["a / x", "disputed → withdrawn", "updates, withdrawn", "“the words of x”"]
    ]


# --- added, changed, removed ------------------------------------------------------------------


def test_lists_added_changed_and_removed_claims_in_their_own_sections(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = {"a": [claim("kept"), claim("edited", "disputed"), claim("dropped", "erroneous")]}
    head = {"a": [claim("kept"), claim("edited", "erroneous"), claim("fresh", "disputed")]}
    out = summarise(tmp_path, base, head, capsys)

    assert headings(out) == [
        "Fact-check summary",
        "Added (1)",
        "Changed (1)",
        "Removed (1)",
    ]
    assert rows(out, "Added") == [["a / fresh", "disputed", "“the words of fresh”"]]
    assert rows(out, "Changed") == [
        ["a / edited", "disputed → erroneous", "verdict, correction", "“the words of edited”"]
    ]
    assert rows(out, "Removed") == [["a / dropped", "erroneous", "“the words of dropped”"]]


def test_a_changed_claim_names_every_field_that_changed_and_no_other(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = [{"title": "A book"}]
    base = {"a": [claim("x", "erroneous", sources=sources, reviewed="2026-11-20")]}
    head = {
        "a": [
            claim(
                "x",
                "erroneous",
                quote="new words",
                correction="A better fact.",
                sources=[*sources, {"title": "A second book"}],
                reviewed="2026-11-20",
                prefix="added field",
            )
        ]
    }
    out = summarise(tmp_path, base, head, capsys)
    assert rows(out, "Changed") == [
        ["a / x", "erroneous", "correction, prefix, quote, sources", "“new words”"]
    ]


def test_a_moved_permalink_alone_is_not_a_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = {"a": [claim("x")]}
    head = {"a": [claim("x", url="articles/renamed.html#claim-x", page="claims/other.html")]}
    out = summarise(tmp_path, base, head, capsys)
    assert headings(out)[1:] == ["Added (0)", "Changed (0)", "Removed (0)"]
    assert out.count("None.") == 3


def test_claims_are_known_by_article_and_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = {"a": [claim("same")]}
    head = {"b": [claim("same")]}
    out = summarise(tmp_path, base, head, capsys)
    assert rows(out, "Added") == [["b / same", "corroborated", "“the words of same”"]]
    assert rows(out, "Removed") == [["a / same", "corroborated", "“the words of same”"]]


def test_sections_list_claims_in_article_then_id_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    head = {"b": [claim("z"), claim("a")], "a": [claim("m")]}
    out = summarise(tmp_path, {}, head, capsys)
    assert [row[0] for row in rows(out, "Added")] == ["a / m", "b / a", "b / z"]


# --- the base branch --------------------------------------------------------------------------


@pytest.mark.parametrize("base_file", ["missing", "empty", "blank"])
def test_a_missing_or_empty_base_means_every_claim_is_added(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], base_file: str
) -> None:
    base_path = tmp_path / "base-site" / "claims.json"
    if base_file != "missing":
        base_path.parent.mkdir()
        base_path.write_text("" if base_file == "empty" else " \n", encoding="utf-8")
    head = claims_json(tmp_path / "head.json", {"a": [claim("x"), claim("y", "erroneous")]})
    assert main([str(base_path), str(head)]) == 0
    out = capsys.readouterr().out
    assert "every claim is new" in out
    assert [row[0] for row in rows(out, "Added")] == ["a / x", "a / y"]
    assert rows(out, "Fact-check summary")[-1] == ["Total", "2", "+2"]


def test_a_base_with_claims_gets_no_every_claim_is_new_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = summarise(tmp_path, {"a": [claim("x")]}, {"a": [claim("x")]}, capsys)
    assert "every claim is new" not in out


# --- what can go wrong ------------------------------------------------------------------------


def test_a_missing_head_file_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tmp_path / "base.json"), str(tmp_path / "head.json")]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "head.json: no such file" in captured.err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"articles": [', "head.json:1:15: not valid JSON"),
        ("[]", 'expected an object with an "articles" list'),
        ('{"articles": [{"title": "x"}]}', 'article 1 has no "slug"'),
        ('{"articles": [{"slug": "a", "claims": [{"verdict": "x"}]}]}', 'claim 1 has no "id"'),
    ],
)
def test_a_malformed_claims_file_is_reported_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    head = tmp_path / "head.json"
    head.write_text(text, encoding="utf-8")
    assert main([str(tmp_path / "base.json"), str(head)]) == 1
    err = capsys.readouterr().err
    assert message in err
    assert err.startswith("summary: error: ")
    assert err.count("\n") == 1


# --- quotes are shown as written --------------------------------------------------------------


@pytest.mark.parametrize(
    "quote",
    [
        "a | b || c",
        "<script>alert(1)</script> and <b>bold</b>",
        "the `code` and ``more``",
        "*not emphasis* and _not either_ and ~~not struck~~",
        "[not a link](https://example.org) ![nor an image](x.png)",
        "costs $5 and $6",
        "a back\\slash & an &amp; entity",
        "# not a heading",
    ],
)
def test_quotes_render_as_their_literal_text_in_one_table_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], quote: str
) -> None:
    out = summarise(tmp_path, {}, {"a": [claim("x", quote=quote)]}, capsys)
    doc = rendered(out)
    assert doc.html_tags == []
    assert rows(out, "Added") == [["a / x", "corroborated", f"“{quote}”"]]


def test_a_quote_across_lines_is_shown_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = summarise(tmp_path, {}, {"a": [claim("x", quote="one\ntwo\n\n  three")]}, capsys)
    assert rows(out, "Added")[0][2] == "“one two three”"


def test_a_long_quote_is_shortened_with_an_ellipsis(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    quote = "word " * 100
    out = summarise(tmp_path, {}, {"a": [claim("x", quote=quote)]}, capsys)
    shown = rows(out, "Added")[0][2]
    assert shown.endswith("…”")
    assert len(shown) < 200
    assert quote.startswith(shown.strip("“”…"))


def test_article_and_claim_names_are_escaped_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = summarise(tmp_path, {}, {"<b>a|b</b>": [claim("x|`y`")]}, capsys)
    assert rendered(out).html_tags == []
    assert rows(out, "Added")[0][0] == "<b>a|b</b> / x|`y`"


# --- the preview link and the command line ----------------------------------------------------


def test_links_the_preview_when_given_its_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "https://github.com/o/r/actions/runs/1/artifacts/2"
    out = summarise(tmp_path, {}, {"a": [claim("x")]}, capsys, "--preview-url", url)
    assert f"[Download the site preview]({url})" in out
    out = summarise(tmp_path, {}, {"a": [claim("x")]}, capsys, "--preview-url", "")
    assert "preview" not in out


def test_runs_as_a_module_and_prints_to_standard_output(tmp_path: Path) -> None:
    head = claims_json(tmp_path / "head.json", {"a": [claim("x", "erroneous")]})
    result = subprocess.run(
        [sys.executable, "-m", "factsheet.summary", str(tmp_path / "none.json"), str(head)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("## Fact-check summary\n")
    assert "| a / x | erroneous |" in result.stdout
