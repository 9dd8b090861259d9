"""feed.xml: an Atom feed (RFC 4287) with one entry per claim, newest review first."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.helpers import good_files, write_tree
from tests.test_build import run

ATOM = "{http://www.w3.org/2005/Atom}"


def build_feed(tmp_path: Path) -> ET.Element:
    content = write_tree(tmp_path / "content", good_files())
    assert run("build", "--content", str(content), "--out", str(tmp_path / "out")).returncode == 0
    return ET.parse(tmp_path / "out/feed.xml").getroot()


def timestamp(element: ET.Element, name: str) -> dt.datetime:
    text = element.findtext(ATOM + name)
    assert text, name
    return dt.datetime.fromisoformat(text)  # RFC 3339, with its offset


def test_feed_has_the_elements_atom_requires(tmp_path: Path) -> None:
    feed = build_feed(tmp_path)
    assert feed.tag == ATOM + "feed"
    assert feed.findtext(ATOM + "id") == "https://example.github.io/factsheet/"
    assert feed.findtext(ATOM + "title")
    assert timestamp(feed, "updated").tzinfo is not None
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "The Fact Desk"
    self_links = [link for link in feed.findall(ATOM + "link") if link.get("rel") == "self"]
    assert [link.get("href") for link in self_links] == [
        "https://example.github.io/factsheet/feed.xml"
    ]


def test_one_entry_per_claim_newest_review_first(tmp_path: Path) -> None:
    entries = build_feed(tmp_path).findall(ATOM + "entry")
    assert len(entries) == 2
    ids = [e.findtext(ATOM + "id") for e in entries]
    assert len(set(ids)) == 2
    assert ids[0] == "https://example.github.io/factsheet/claims/cruise-orbit/film-budget.html"
    updated = [timestamp(e, "updated") for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert updated[0] == dt.datetime(2026, 11, 21, tzinfo=dt.UTC)
    for entry in entries:
        assert entry.findtext(ATOM + "title")
        alternates = [
            link
            for link in entry.findall(ATOM + "link")
            if link.get("rel", "alternate") == "alternate"
        ]
        assert len(alternates) == 1
        content = entry.find(ATOM + "content")
        assert content is not None and content.get("type") == "html"
        assert "#claim-" in (content.text or "")
