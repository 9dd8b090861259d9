"""The search index: what it holds, that it is the same bytes every time, and that a build
indexes only the parts of the site whose articles changed."""

from __future__ import annotations

import gzip
import json
import os
import random
import threading
from pathlib import Path
from typing import Any

import cbor2
import pytest

from factsheet import (
    article_cache,
    generations,
    incremental,
    pagefind_record,
    pipeline,
    search_docs,
    search_index,
    site_pages,
)
from factsheet.pagefind_bundle import SIGNATURE, make_deterministic
from factsheet.pagefind_service import PagefindIndexer, read_messages
from factsheet.pipeline import build_site
from factsheet.preview import PreviewSite
from factsheet.project import DEFAULT_TEMPLATES
from factsheet.search_index import CONFIG, SEARCH_DIR
from tests.helpers import good_files, write_tree

BASE = "https://example.org/site/"


def decoded(data: bytes) -> Any:
    raw = gzip.decompress(data)
    assert raw.startswith(SIGNATURE)
    return cbor2.loads(raw[len(SIGNATURE) :])


def fragments(site: Path) -> list[dict[str, Any]]:
    """Every record of every part of the index, as Pagefind shows it to the search page."""
    records = []
    for path in sorted((site / SEARCH_DIR).glob("*/fragment/*.pf_fragment")):
        records.append(json.loads(gzip.decompress(path.read_bytes())[len(SIGNATURE) :]))
    return records


def many_articles(count: int) -> dict[str, str | bytes]:
    """A content folder of ``count`` articles with a claim each, and one page."""
    files = good_files()
    for n in range(count):
        files[f"articles/story-{n}.md"] = (
            f"---\ntitle: Story {n}\npublished: 2025-01-{n + 1:02d}\nretrieved: 2026-01-01\n"
            f"---\nStory {n} says the moon is made of cheese number {n}.\n"
        )
        files[f"annotations/story-{n}.yaml"] = (
            "claims:\n  - id: cheese\n    quote: the moon is made of cheese\n"
            "    verdict: erroneous\n    correction: It is rock.\n    note: Samples say so.\n"
            "    reviewed: 2026-01-02\n    sources:\n      - title: Apollo samples\n"
        )
    return files


def test_every_article_and_every_claim_is_a_record_linking_to_it(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", good_files())
    build_site(content, tmp_path / "site", base_url=BASE, jobs=1)
    claims = json.loads((tmp_path / "site" / "claims.json").read_text())["articles"]
    expected = {a["url"] for a in claims} | {c["url"] for a in claims for c in a["claims"]}
    records = fragments(tmp_path / "site")
    assert {r["url"] for r in records} == expected
    claim = next(r for r in records if r["url"].endswith("#claim-mission-impossible-year"))
    assert claim["meta"]["label"] == "Erroneous"
    assert claim["meta"]["quote"] == "first Mission: Impossible film in 1992"
    assert claim["filters"] == {
        "verdict": ["Erroneous"],
        "article": ["Tom Cruise to film in orbit"],
    }
    assert "released in May 1996" in claim["content"]


# what editors write, as it reaches the search documents: the claims' quotes (plain, as
# the article has them) and notes (inline Markdown), and the sources' titles
QUOTES = [
    "The film opened in 1996",
    "a budget of $200 million",
    "He said “we will go to orbit.”",
    "it was ‘the best’ day",
    "Cafés in Zürich, naïve Ελληνικά and 日本語のテキスト",
    "fish & chips <cheap> for 'all'",
    "an ellipsis…",
    "a dash — here",
    "squared²",
    "the rocket 🚀",
    "a mark e\u0301",
    "a non-breaking\u00a0space",
    "(in brackets)",
    "with an asterisk*",
]
NOTES = [
    "Plain words.",
    "A note with **strong**, *emphasis*, `code` and [a link](https://example.org/a?b=1&c=2).",
    "Ends with a curly quote: “like this.”",
    "Ampersand & less < greater > signs and \"quotes\" and 'apostrophes'",
    "Line one\nline two",
    "Ends with a digit 1987",
    "Ends with ²",
    "Accents: café, naïve; Zürich",
    "An emoji at the end 🚀",
    "*Emphasis at the end*",
    "`code at the end`",
    "A [link at the end](https://example.org/x)",
]


def dumps(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def varied_articles() -> dict[str, str | bytes]:
    files = good_files()
    for n, quote in enumerate(QUOTES):
        files[f"articles/varied-{n}.md"] = (
            f"---\ntitle: {dumps(f'Varied “{n}” & co')}\npublished: 2025-01-01\n"
            f"retrieved: 2026-01-01\n---\nIt begins. {quote} And it ends\n"
        )
        claims = []
        for k in range(2):
            note = NOTES[(n * 2 + k) % len(NOTES)]
            correction = f"    correction: {dumps(NOTES[n % len(NOTES)])}\n" if k else ""
            claims.append(
                f"  - id: c{k}\n    quote: {dumps(quote if k == 0 else 'It begins.')}\n"
                f"    verdict: {'erroneous' if k else 'disputed'}\n{correction}"
                f"    note: {dumps(note)}\n    sources:\n"
                f"      - title: {dumps(QUOTES[(n + k) % len(QUOTES)])}\n"
                f"        publisher: {dumps(NOTES[(n + 3 * k) % len(NOTES)])}\n"
            )
        files[f"annotations/varied-{n}.yaml"] = "reviewed: 2026-01-02\nclaims:\n" + "".join(claims)
    return files


def bundles(site: Path) -> list[dict[str, bytes]]:
    """Each part of the index: its files by their path inside it."""
    return sorted(
        (
            {p.relative_to(part).as_posix(): p.read_bytes() for p in part.rglob("*") if p.is_file()}
            for part in (site / SEARCH_DIR).iterdir()
        ),
        key=lambda files: sorted(files.items()),
    )


def test_the_records_handed_to_the_indexer_index_as_the_documents_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind is handed the record it would make of a search document, without parsing its
    HTML; where the record is not certain to be that (an unusual character, say), the HTML.
    The index is the same bytes either way."""
    content = write_tree(tmp_path / "content", varied_articles())
    handed: list[bool] = []
    add_docs = search_index._Part.add_docs

    def counting(part: search_index._Part, slug: str, digest: str, docs: Any) -> None:
        handed.extend(doc.record for doc in docs)
        add_docs(part, slug, digest, docs)

    monkeypatch.setattr(search_index._Part, "add_docs", counting)
    build_site(content, tmp_path / "records", base_url=BASE, jobs=1)
    assert len(handed) == 3 + 3 * len(QUOTES)  # each article's document and its claims'
    assert 0.6 * len(handed) < sum(handed) < len(handed)  # most as records, a few as HTML
    monkeypatch.setattr(search_docs, "record_of", lambda html: None)
    build_site(content, tmp_path / "html", base_url=BASE, jobs=1)
    assert bundles(tmp_path / "records") == bundles(tmp_path / "html")


@pytest.mark.parametrize(
    "body",
    [
        '<p id="x">An anchor</p>',
        "<p>A comment <!-- here --></p>",
        "<p data-pagefind-ignore>Ignored</p>",
        '<p data-pagefind-weight="2">Weighted</p>',
        "<table><tr><td>A table</td></tr></table>",
        "<p>Unclosed",
        "<p>An entity &copy;</p>",
        "<p>A stray </em> tag</p>",
    ],
)
def test_a_document_of_another_shape_is_handed_to_the_indexer_as_html(body: str) -> None:
    html = (
        '<!doctype html>\n<html lang="en">\n<head><title>T</title></head>\n<body>\n'
        '<span data-pagefind-meta="title[data-title]" data-title="T"></span>\n'
        f"{body}\n</body>\n</html>\n"
    )
    assert pagefind_record.record_of(html) is None
    assert pagefind_record.record_of(html.replace(body, "<p>Plain</p>")) is not None


def test_navigation_footers_and_fact_sheet_tables_are_not_indexed(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", good_files())
    build_site(content, tmp_path / "site", base_url=BASE, jobs=1)
    for record in fragments(tmp_path / "site"):
        assert record["url"].startswith("articles/"), record["url"]
        for chrome in ("Skip to content", "Fact sheet", "claims.json", "Web Annotations"):
            assert chrome not in record["content"], (record["url"], chrome)


def test_the_filters_are_written_in_one_order_whatever_order_pagefind_chose() -> None:
    with PagefindIndexer(CONFIG) as indexer:
        for n in range(30):
            verdict = ("Corroborated", "Disputed", "Erroneous")[n % 3]
            indexer.add_html(
                f"articles/a{n}.html",
                f'<html lang="en"><body><span data-pagefind-filter="verdict[data-v], '
                f'article[data-a]" data-v="{verdict}" data-a="Article {n % 7}"></span>'
                f"<p>Words {n}</p></body></html>",
            )
        bundle = indexer.bundle()
    shuffled = dict(bundle)
    meta_path = next(p for p in bundle if p.endswith(".pf_meta"))
    for path in [p for p in bundle if p.startswith("filter/")]:
        data = decoded(bundle[path])
        random.Random(path).shuffle(data[1])
        shuffled[path] = gzip.compress(SIGNATURE + cbor2.dumps(data), mtime=0)
    meta = decoded(bundle[meta_path])
    meta[3].reverse()
    shuffled[meta_path] = gzip.compress(SIGNATURE + cbor2.dumps(meta), mtime=0)
    assert shuffled != bundle
    made = make_deterministic(bundle)
    assert make_deterministic(shuffled) == made
    assert not any(p.startswith("pagefind-ui") or "component" in p for p in made)
    entry = json.loads(made["pagefind-entry.json"])
    meta_made = decoded(made[f"pagefind.{entry['languages']['en']['hash']}.pf_meta"])
    assert [name for name, _ in meta_made[3]] == ["article", "verdict"]
    for _, file_hash in meta_made[3]:
        values = [value for value, _ in decoded(made[f"filter/{file_hash}.pf_filter"])[1]]
        assert values == sorted(values)


def test_the_indexers_answers_are_read_whole_however_the_pipe_cuts_them() -> None:
    big = b"x" * 50_000  # a bundle's answer spans many reads
    sent = [b"one", b"two", big, b"three", big + b"y", b"four"]
    stream = b",".join(sent) + b",,"
    reading, writing = os.pipe()

    def write() -> None:
        with os.fdopen(writing, "wb") as pipe:
            for start in range(0, len(stream), 7):  # commas fall anywhere in a read
                pipe.write(stream[start : start + 7])
                pipe.flush()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        received = list(read_messages(reading, size=1024))
    finally:
        writer.join()
        os.close(reading)
    assert received == sent


@pytest.mark.parametrize(("chosen", "given"), [(None, "narenas:1"), ("narenas:4", "narenas:4")])
def test_the_indexer_allocates_from_one_arena_unless_the_environment_says_otherwise(
    monkeypatch: pytest.MonkeyPatch, chosen: str | None, given: str
) -> None:
    if chosen is None:
        monkeypatch.delenv("_RJEM_MALLOC_CONF", raising=False)
    else:
        monkeypatch.setenv("_RJEM_MALLOC_CONF", chosen)
    with PagefindIndexer(CONFIG) as indexer:
        environ = Path(f"/proc/{indexer._process.pid}/environ").read_bytes().split(b"\0")
        indexer.add_html("a.html", "<html><body><p>Moon rocks.</p></body></html>")
        assert "pagefind-entry.json" in indexer.bundle()
    assert f"_RJEM_MALLOC_CONF={given}".encode() in environ


@pytest.fixture
def seven(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Seven articles and the good one, in parts of two articles: the content and the output."""
    monkeypatch.setattr(search_index, "PART_ARTICLES", 2)
    return write_tree(tmp_path / "content", many_articles(7)), tmp_path / "site"


def test_parts_grow_in_number_as_the_site_grows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_index, "PART_ARTICLES", 2)
    assert [search_index.part_count(n) for n in (0, 1, 2, 3, 4, 5, 9)] == [1, 1, 1, 2, 2, 4, 8]


def test_a_build_after_one_edit_indexes_only_the_part_of_that_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_index, "PART_ARTICLES", 2)
    content = write_tree(tmp_path / "content", many_articles(7))
    out = tmp_path / "site"
    first = build_site(content, out, base_url=BASE, jobs=1)
    parts = sorted((out / SEARCH_DIR).iterdir())
    assert first.search[0] == 4  # 8 articles spread over 4 parts by their slugs' hashes
    assert first.search[1] == len(parts) > 1  # every part that holds articles is indexed
    notes = content / "annotations" / "story-3.yaml"
    notes.write_text(notes.read_text().replace("Samples say so.", "Moon rocks say so."))
    second = build_site(content, out, base_url=BASE, jobs=1)
    assert second.search[:2] == (4, 1)
    assert second.kept == 7
    assert files_of(out) == files_of(fresh_build(content, tmp_path))
    assert any("Moon rocks" in r["content"] for r in fragments(out))


def recorded(monkeypatch: pytest.MonkeyPatch, **calls: tuple[object, str]) -> list[str]:
    """Replace each ``(owner, name)`` by a function that also appends its keyword to the list
    returned, in the order they are called."""
    events: list[str] = []

    def recording(event: str, real: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            events.append(event)
            return real(*args, **kwargs)

        return call

    for event, (owner, name) in calls.items():
        monkeypatch.setattr(owner, name, recording(event, getattr(owner, name)))
    return events


def test_a_build_of_a_few_changed_articles_indexes_their_parts_before_going_through_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seven: tuple[Path, Path]
) -> None:
    """The changed article is rendered first and its part handed every document at once, so
    that the indexer works beside the rest of the build instead of after it."""
    content, out = seven
    events = recorded(
        monkeypatch,
        indexed=(search_index._Part, "add_docs"),
        assembled=(site_pages.SiteAssembler, "add"),
    )
    build_site(content, out, base_url=BASE, jobs=1)
    assert events.index("assembled") < len(events) - 1 - events[::-1].index("indexed")  # mixed
    notes = content / "annotations" / "story-3.yaml"
    notes.write_text(notes.read_text().replace("Samples say so.", "Moon rocks say so."))
    events.clear()
    assert build_site(content, out, base_url=BASE, jobs=1).search[:2] == (4, 1)
    first = events.index("assembled")
    assert events[:first] == ["indexed"] * first and "indexed" not in events[first:]
    assert first >= 2  # its part's articles: the changed one and the kept ones
    assert files_of(out) == files_of(fresh_build(content, tmp_path))


def test_the_changed_articles_parts_are_handed_to_the_indexer_before_kept_pages_are_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seven: tuple[Path, Path]
) -> None:
    """Tidying the target, and knowing whether the kept articles' pages are intact (every
    page is asked after), take a large site a tenth of a second each: the changed part is
    indexed meanwhile."""
    content, out = seven
    build_site(content, out, base_url=BASE, jobs=1)
    build_site(content, out, base_url=BASE, jobs=1, search=False)  # both generations known
    build_site(content, out, base_url=BASE, jobs=1)
    events = recorded(
        monkeypatch,
        indexed=(search_index._Part, "add_docs"),
        checked=(incremental.GenerationWriter, "kept_in_place"),
        tidied=(pipeline, "tidy"),
    )
    notes = content / "annotations" / "story-3.yaml"
    notes.write_text(notes.read_text().replace("Samples say so.", "Moon rocks say so."))
    assert build_site(content, out, base_url=BASE, jobs=1).search[:2] == (4, 1)
    assert events.count("checked") == 7  # each kept article
    first = events.index("tidied")  # the target, before anything is written into it
    assert first >= 2 and events[:first] == ["indexed"] * first
    assert "indexed" not in events[first:]
    assert events[first + 1 :] == ["checked"] * 7


def test_the_changed_part_is_bundled_while_the_rest_of_the_build_is_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seven: tuple[Path, Path]
) -> None:
    """Its bundle is asked for as soon as its documents are in; the articles, the site-wide
    pages, the generation's state and all of the cache but the states are done before the
    build waits for it."""
    content, out = seven
    build_site(content, out, base_url=BASE, jobs=1)
    events = recorded(
        monkeypatch,
        asked=(PagefindIndexer, "start_bundle"),
        assembled=(site_pages.SiteAssembler, "add"),
        settled=(incremental.GenerationWriter, "settle"),
        prepared=(article_cache.BuildCache, "prepare_save"),
        waited=(PagefindIndexer, "finish_bundle"),
    )
    notes = content / "annotations" / "story-3.yaml"
    notes.write_text(notes.read_text().replace("Samples say so.", "Moon rocks say so."))
    assert build_site(content, out, base_url=BASE, jobs=1).search[:2] == (4, 1)
    assert events[0] == "asked" and events.count("asked") == 1
    assert events[-3:] == ["settled", "prepared", "waited"]
    assert events.count("assembled") == 8


def test_a_kept_article_whose_pages_were_damaged_is_rendered_again_beside_an_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seven: tuple[Path, Path]
) -> None:
    """Its part is indexed from the documents the cache holds (the same inputs make the same
    documents), and the site is the one a fresh build makes."""
    content, out = seven
    build_site(content, out, base_url=BASE, jobs=1)
    build_site(content, out, base_url=BASE, jobs=1, search=False)
    build_site(content, out, base_url=BASE, jobs=1)
    damaged = [p for p in tmp_path.rglob("story-5.html") if "articles" in p.parts]
    assert len(damaged) >= 2  # in both generations
    for page in damaged:
        page.write_text("edited by hand")
    notes = content / "annotations" / "story-3.yaml"
    notes.write_text(notes.read_text().replace("Samples say so.", "Moon rocks say so."))
    report = build_site(content, out, base_url=BASE, jobs=1)
    assert report.kept == 6  # story-3 changed, story-5 damaged
    assert files_of(out) == files_of(fresh_build(content, tmp_path))


def test_a_part_no_longer_kept_is_moved_out_whole_and_removed_beside_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seven: tuple[Path, Path]
) -> None:
    content, out = seven
    notes = content / "annotations" / "story-3.yaml"
    for words in ("Samples say so.", "Moon rocks say so.", "Rocks say so."):
        notes.write_text(notes.read_text().replace("Samples say so.", words))
        build_site(content, out, base_url=BASE, jobs=1)
        notes.write_text(notes.read_text().replace(words, "Samples say so."))
    moved: list[str] = []
    set_aside = generations.GenerationOutput.set_aside

    def recording(output: generations.GenerationOutput, relative: str) -> Path | None:
        moved.append(relative)
        return set_aside(output, relative)

    monkeypatch.setattr(generations.GenerationOutput, "set_aside", recording)
    notes.write_text(notes.read_text().replace("Samples say so.", "Basalt says so."))
    assert build_site(content, out, base_url=BASE, jobs=1).search[:2] == (4, 1)
    assert len(moved) == 1 and moved[0].startswith(f"{SEARCH_DIR}/")
    assert not list(tmp_path.glob(".site.tmp-*"))  # removed before the build returned
    assert files_of(out) == files_of(fresh_build(content, tmp_path))
    assert build_site(content, out, base_url=BASE, jobs=1).unchanged


def test_a_build_with_nothing_changed_indexes_nothing_even_without_its_stamp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_index, "PART_ARTICLES", 2)
    content = write_tree(tmp_path / "content", many_articles(3))
    out = tmp_path / "site"
    build_site(content, out, base_url=BASE, jobs=1)
    before = files_of(out)
    assert build_site(content, out, base_url=BASE, jobs=1).unchanged
    (tmp_path / ".site.stamp").unlink()
    again = build_site(content, out, base_url=BASE, jobs=1)
    assert not again.unchanged
    assert again.search[0] == 2
    assert again.search[1] == 0
    assert files_of(out) == before


def test_a_part_whose_files_were_touched_is_indexed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_index, "PART_ARTICLES", 2)
    content = write_tree(tmp_path / "content", many_articles(3))
    out = tmp_path / "site"
    build_site(content, out, base_url=BASE, jobs=1)
    before = files_of(out)
    entry = sorted((out / SEARCH_DIR).glob("*/pagefind-entry.json"))[0]
    entry.write_text("{}")
    again = build_site(content, out, base_url=BASE, jobs=1)
    assert again.search[:2] == (2, 1)
    assert files_of(out) == before


def fresh_build(content: Path, tmp_path: Path) -> Path:
    """The content built from nothing, to compare a rebuild with."""
    build_site(content, tmp_path / "fresh", base_url=BASE, jobs=1)
    return tmp_path / "fresh"


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_the_preview_indexes_the_part_of_a_saved_article_again_in_place(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", good_files())
    preview = PreviewSite(content, tmp_path / "preview", DEFAULT_TEMPLATES, BASE, jobs=1)
    preview.update()
    before = sorted(p.name for p in (preview.out / SEARCH_DIR).iterdir())
    notes = content / "annotations" / "cruise-orbit.yaml"
    notes.write_text(notes.read_text().replace("Estimates vary.", "Estimates vary widely."))
    update = preview.update([str(notes)])
    after = sorted(p.name for p in (preview.out / SEARCH_DIR).iterdir())
    assert len(after) == 1 and after != before
    assert f"{SEARCH_DIR}/{before[0]}/" in (update.changed or [])
    assert any("vary widely" in r["content"] for r in fragments(preview.out))
    assert f"{SEARCH_DIR}/{after[0]}/" in (preview.out / "search.html").read_text()


@pytest.mark.parametrize("how", ["site.yaml", "--no-search"])
def test_a_site_without_search_has_no_search_page_index_or_link(tmp_path: Path, how: str) -> None:
    files = good_files()
    if how == "site.yaml":
        files["site.yaml"] = str(files["site.yaml"]) + "search: false\n"
    content = write_tree(tmp_path / "content", files)
    report = build_site(
        content, tmp_path / "site", jobs=1, search=False if how != "site.yaml" else None
    )
    site = tmp_path / "site"
    assert not (site / "search.html").exists() and not (site / SEARCH_DIR).exists()
    assert "search.html" not in (site / "index.html").read_text()
    assert "search.html" not in (site / "sitemap.xml").read_text()
    assert report.search[0] == 0
    with_search = build_site(content, tmp_path / "searched", jobs=1, search=True)
    assert (tmp_path / "searched/search.html").is_file() and with_search.search[0] == 1
