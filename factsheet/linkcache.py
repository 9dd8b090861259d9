"""What ``links`` learnt about each URL, remembered for a day in the user's cache folder.

Only links that answered are remembered (alive, or moved permanently): a dead link is asked
again on every run, so that one that was down for a moment is not reported for a day, and one
that was mended shows as mended at once. The file is ``links.json`` in
``$XDG_CACHE_HOME/factsheet`` (``~/.cache/factsheet`` without it), written whole into a
temporary file and swapped in; a cache that cannot be read or written is done without.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from .linkcheck import LinkResult
from .project import user_cache_folder

DAY = 24 * 60 * 60
FORMAT = 1


def cache_path() -> Path:
    return user_cache_folder() / "links.json"


class LinkCache:
    """The remembered results still fresh at ``now``, by URL."""

    def __init__(self, path: Path, now: float) -> None:
        self.path = path
        self.now = now
        self.results: dict[str, LinkResult] = self._read()

    def get(self, url: str) -> LinkResult | None:
        return self.results.get(url)

    def remember(self, result: LinkResult) -> None:
        if result.state == "dead":
            self.results.pop(result.url, None)
        else:
            self.results[result.url] = result

    def save(self) -> None:
        links = {
            url: {
                "state": r.state,
                "detail": r.detail,
                "moved_to": r.moved_to,
                "checked": r.checked,
            }
            for url, r in sorted(self.results.items())
            if r.checked > self.now - DAY  # including those asked since ``now``
        }
        text = json.dumps({"format": FORMAT, "links": links}, ensure_ascii=False, indent=1)
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(text + "\n", encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:  # a read-only home: the next run asks again
            with contextlib.suppress(OSError):
                temporary.unlink()

    def _fresh(self, checked: float) -> bool:
        return self.now - DAY < checked <= self.now

    def _read(self) -> dict[str, LinkResult]:
        try:
            data: Any = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return {}
        found: dict[str, LinkResult] = {}
        links = data.get("links")
        for url, entry in (links if isinstance(links, dict) else {}).items():
            try:
                result = LinkResult(
                    url=url,
                    state=entry["state"],
                    detail=str(entry["detail"]),
                    moved_to=entry["moved_to"],
                    checked=float(entry["checked"]),
                )
            except (KeyError, TypeError, ValueError):
                continue
            moved = result.state == "moved" and isinstance(result.moved_to, str)
            ok = result.state == "ok" and result.moved_to is None
            if (moved or ok) and self._fresh(result.checked):
                found[url] = result
        return found
