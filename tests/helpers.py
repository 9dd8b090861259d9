"""Building small content folders for tests.

``write_tree(root, files)`` writes each ``{relative path: text}`` under ``root`` exactly as
given (no newline translation; ``bytes`` values are written raw) and returns ``root``.
``good_files()`` is a small, valid content folder to start from and break one thing at a time.
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
