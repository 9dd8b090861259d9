"""Building small content folders for tests.

``write_tree(root, files)`` writes each ``{relative path: text}`` under ``root`` exactly as
given (no newline translation; ``bytes`` values are written raw) and returns ``root``.
``good_files()`` is a small, valid content folder to start from and break one thing at a time.
``revised_files()`` is the same folder after its checks were revised: updates and a withdrawal.
``articles_rendered(monkeypatch, module, name)`` lists the articles a job function is run on.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

SITE_YAML = """\
title: Tom Cruise in Orbit, Fact-Checked
description: Claim-by-claim annotations of one news story.
base_url: https://example.github.io/factsheet
language: en
publisher:
  name: The Fact Desk
  url: https://factdesk.example.org/
"""

ARTICLE_MD = """\
---
title: "Tom Cruise to film in orbit"
dek: The actor will shoot scenes on the space station
outlet: Example News
url: https://news.example.com/cruise
published: 2025-09-18
retrieved: 2026-11-20
---
Tom Cruise, star of the first Mission: Impossible film in 1992, will fly to orbit.

The film is said to cost $200 million.
"""

ANNOTATIONS_YAML = """\
reviewed: 2026-11-20
claims:
  - id: mission-impossible-year
    quote: "first Mission: Impossible film in 1992"
    verdict: erroneous
    correction: "The first Mission: Impossible film came out in 1996."
    note: |
      The film was released in May 1996; see [the studio](https://studio.example.com/mi).
    sources:
      - title: "Mission: Impossible (1996)"
        url: https://films.example.org/mi-1996
        publisher: Film Archive
        date: 2020-05-05
  - id: film-budget
    quote: "cost $200 million"
    prefix: "is said to "
    verdict: disputed
    note: Estimates vary.
    sources:
      - title: Budget report
    reviewed: 2026-11-21
"""

PAGE_MD = """\
---
title: Method
description: How the claims are checked.
---
We read every sentence.
"""


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write ``files`` (relative path -> content) under ``root``; return ``root``."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            with path.open("w", encoding="utf-8", newline="") as handle:
                handle.write(content)
    return root


def good_files() -> dict[str, str | bytes]:
    """A valid content folder: site.yaml, one article with two claims, one page."""
    return {
        "site.yaml": SITE_YAML,
        "articles/cruise-orbit.md": ARTICLE_MD,
        "annotations/cruise-orbit.yaml": ANNOTATIONS_YAML,
        "pages/method.md": PAGE_MD,
    }


REVISED_ANNOTATIONS_YAML = (
    ANNOTATIONS_YAML.replace(
        "verdict: disputed", "verdict: erroneous\n    correction: It cost less."
    )
    + """\
    updates:
      - date: 2026-11-28
        note: "Sources added: the *trade press* estimates."
      - date: 2026-12-01
        note: "Verdict changed from disputed to erroneous: the
          [studio's filing](https://studio.example.com/budget) gives a lower figure."
  - id: fly-to-orbit
    quote: "will fly to orbit"
    verdict: corroborated
    note: The flight was announced.
    sources:
      - title: An announcement
    withdrawn: "We had checked an announcement, not an event; see [the announcement](https://news.example.com/announcement)."
    updates:
      - date: 2026-12-02
        note: Withdrawn.
"""
)


def revised_files() -> dict[str, str | bytes]:
    """``good_files`` after a revision: film-budget's verdict changed with two updates, and a
    third claim withdrawn."""
    return {**good_files(), "annotations/cruise-orbit.yaml": REVISED_ANNOTATIONS_YAML}


def articles_rendered(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[str]:
    """Replace ``module.name`` (a job taking settings, article path, annotations path) by one
    that also records each article's slug; return the list it fills."""
    slugs: list[str] = []
    real = getattr(module, name)

    def recording(settings: Any, article: Path, annotations: Path | None) -> Any:
        slugs.append(article.stem)
        return real(settings, article, annotations)

    monkeypatch.setattr(module, name, recording)
    return slugs
