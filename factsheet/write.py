"""Write stage: files of the site, and a live preview's folder updated in place.

A build writes into a generation of the output and swaps it in whole (see ``generations``).
A live preview updates its folder in place instead (``InPlaceOutput``): each file is replaced
atomically, and only when its content changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path


class OutputError(Exception):
    """The output folder cannot be written (not a content problem)."""


def safe_relative(relative: str) -> str:
    """``relative``, a path inside the output folder; refuses anything that could leave it."""
    if (
        relative.startswith("/")
        or "\\" in relative
        or "\0" in relative
        or (".." in relative and ".." in relative.split("/"))
    ):
        raise OutputError(f"refusing to write {relative!r} outside the output folder")
    return relative


def write_file(folder: Path, relative: str, content: str | bytes) -> None:
    """Write one file of the site into ``folder``."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    _write_bytes(folder / safe_relative(relative), data)


def _write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target``, making its folder first if it does not exist yet."""
    try:
        target.write_bytes(data)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _new_hash() -> hashlib.blake2b:
    return hashlib.blake2b(digest_size=16)


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class InPlaceOutput:
    """Writes into a folder being served: a file is replaced whole, and only if it changed.

    ``digests`` (relative path -> digest of the content) says what the folder holds, and
    ``made_from`` (relative path -> digest of what a site-wide page was made from) what each
    page shows; both are kept by the caller from one update to the next. ``changed`` lists
    what this update wrote, ``written`` every file it made or kept.
    """

    def __init__(
        self,
        folder: Path,
        digests: dict[str, bytes],
        made_from: dict[str, bytes] | None = None,
    ) -> None:
        self.folder = folder
        self.digests = digests
        self.made_from = made_from if made_from is not None else {}
        self.written: set[str] = set()
        self.changed: list[str] = []

    # --- a site writer (see site_pages.SiteWriter) ---------------------------------------------

    def needs(self, relative: str, digest: bytes) -> bool:
        if self.made_from.get(relative) != digest:
            return True
        if self._digest_of(relative, self.folder / safe_relative(relative)) is None:
            return True
        self.written.add(relative)
        return False

    def write(self, relative: str, content: str | bytes, digest: bytes | None = None) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        if digest is not None:
            self.made_from[relative] = digest
        content_digest = _digest(data)
        self.written.add(relative)
        target = self.folder / safe_relative(relative)
        if self._digest_of(relative, target) == content_digest:
            return
        temporary = target.with_name(f".{target.name}.tmp")
        _write_bytes(temporary, data)
        os.replace(temporary, target)
        self._changed(relative, content_digest)

    def wrote(self, relative: str, digest: bytes, stat: tuple[int, int]) -> None:
        raise NotImplementedError("a preview renders its pages itself")

    def concat(self, relative: str) -> _InPlaceFile:
        """A file written piece by piece beside its target, swapped in on ``close`` if changed."""
        return _InPlaceFile(self, relative)

    # --- the rest ------------------------------------------------------------------------------

    def remove(self, relative: str) -> None:
        """Delete a file the site no longer has."""
        self.digests.pop(relative, None)
        self.made_from.pop(relative, None)
        with contextlib.suppress(FileNotFoundError):
            (self.folder / safe_relative(relative)).unlink()
        self.changed.append(relative)

    def _digest_of(self, relative: str, target: Path) -> bytes | None:
        """The digest of what the folder holds at ``relative`` (read once, then remembered)."""
        if relative not in self.digests:
            try:
                with open(target, "rb") as existing:
                    self.digests[relative] = hashlib.file_digest(existing, _new_hash).digest()
            except OSError:
                return None
        return self.digests[relative]

    def _changed(self, relative: str, digest: bytes) -> None:
        self.digests[relative] = digest
        self.changed.append(relative)


class _InPlaceFile:
    def __init__(self, output: InPlaceOutput, relative: str) -> None:
        self.output = output
        self.relative = relative
        self.target = output.folder / safe_relative(relative)
        self.temporary = self.target.with_name(f".{self.target.name}.tmp")
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.file = open(self.temporary, "wb")  # noqa: SIM115 - closed by close()
        self.hash = _new_hash()
        self.position = 0

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        self.hash.update(data)
        self.file.write(data)
        self.position += len(data)

    def separator(self, text: str) -> None:
        self.write(text)

    def copy(self, start: int, end: int) -> None:
        raise NotImplementedError("a preview holds every article's parts as text")

    def close(self) -> None:
        self.file.close()
        digest = self.hash.digest()
        self.output.written.add(self.relative)
        if self.output._digest_of(self.relative, self.target) == digest:
            self.temporary.unlink()
            return
        os.replace(self.temporary, self.target)
        self.output._changed(self.relative, digest)
