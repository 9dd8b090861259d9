"""Rendered articles kept from one build to the next, so a build renders only what changed.

An article's pages and outcome depend on its two files and on what all articles share: the
site config and the pages as loaded, the templates, the engine's own code and the base
URL. The cache keeps, for each article of the last build, a hash of all of that, the
article's outcome, and the size and modification time of every page it wrote. When a
later build finds the same hash, and the output folder still holds those pages untouched,
it hard-links them into the new site instead of loading, checking and rendering the
article again; the result is byte for byte what a cold build makes.

The cache is one file beside the output folder (``.site.cache`` for ``site/``), signed
with a key kept in the user's cache folder (``$XDG_CACHE_HOME/factsheet``), so that a cache
file that came with someone else's content is never read. Anything wrong with it (missing,
unreadable, unsigned, another version) only means a cold build.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .project import ENGINE, user_cache_folder
from .records import ArticleOutcome, packed, unpacked

FORMAT = 1  # bump when what is stored changes
MAGIC = b"factsheet-cache\n"

Stat = tuple[str, int, int]  # a page's path relative to the site, its size and mtime_ns


def folder_digest(folder: Path, skip: str = "__pycache__") -> str:
    """A hash of every file's path and bytes below ``folder``."""
    digest = hashlib.blake2b(digest_size=20)
    top = os.fspath(folder)
    for directory, subfolders, names in os.walk(top):
        subfolders[:] = sorted(s for s in subfolders if s != skip)
        for name in sorted(names):
            path = os.path.join(directory, name)
            digest.update(os.path.relpath(path, top).encode() + b"\0")
            with open(path, "rb") as handle:
                digest.update(hashlib.file_digest(handle, "blake2b").digest())
    return digest.hexdigest()


def shared_inputs(*parts: object, templates: Path) -> str:
    """The hash of what every article's pages depend on besides its own files."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{FORMAT}\0{folder_digest(ENGINE)}\0{folder_digest(templates)}".encode())
    for part in parts:
        digest.update(b"\0" + repr(part).encode())
    return digest.hexdigest()


def signing_key() -> bytes | None:
    """This user's key for cache files, made on first use; None where it cannot be kept."""
    path = user_cache_folder() / "cache-key"
    try:
        key = path.read_bytes()
        if len(key) == 32:
            return key
    except OSError:
        pass
    key = os.urandom(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"cache-key.{os.getpid()}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(key)
        os.replace(temporary, path)
    except OSError:
        return None
    return key


@dataclass(frozen=True)
class _Entry:
    key: str
    outcome: bytes  # the ArticleOutcome, pickled and compressed
    pages: tuple[Stat, ...]


class ArticleCache:
    """The last build's articles (read at the start of a build) and this build's, written
    to the next cache file one by one as the build goes, so they are never all in memory."""

    def __init__(self, out: Path, shared: str, key: bytes | None) -> None:
        self.signing_key = key
        self.out = Path(os.path.abspath(out))
        self.file = self.out.parent / f".{self.out.name}.cache"
        self.shared = shared
        self.previous: dict[str, _Entry] = {}
        self.reused = 0
        self._writer: _SignedWriter | None = None

    def load(self) -> None:
        """Read the last build's entries, if they were made with the same shared inputs."""
        if self.signing_key is None:
            return
        try:
            with open(self.file, "rb") as handle:
                if not _signed(handle, self.signing_key):
                    return  # not made by this user's builds: never unpickled
                header = pickle.load(handle)
                if header != {"format": FORMAT, "shared": self.shared}:
                    return
                while (record := pickle.load(handle)) is not None:
                    slug, entry = record
                    self.previous[slug] = entry
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
            self.previous = {}

    def key(self, article: Path, annotations: Path | None) -> str:
        """The hash of one article's inputs: its files' names and bytes, and the shared ones."""
        digest = hashlib.blake2b(self.shared.encode(), digest_size=20)
        for path in (article, annotations):
            digest.update(b"\0" + os.fsencode(path or ""))
            if path is not None:
                with open(path, "rb") as handle:
                    digest.update(hashlib.file_digest(handle, "blake2b").digest())
        return digest.hexdigest()

    def reusable(self, slug: str, key: str) -> bool:
        """Whether the last build rendered this article from the same inputs, and its pages
        are still in the output folder as it wrote them."""
        entry = self.previous.get(slug)
        if entry is None or entry.key != key:
            return False
        out = os.fspath(self.out)
        for relative, size, mtime in entry.pages:
            try:
                stat = os.stat(os.path.join(out, relative))
            except OSError:
                return False
            if stat.st_size != size or stat.st_mtime_ns != mtime:
                return False
        return True

    def reuse(self, slug: str, staging: Path) -> ArticleOutcome:
        """Hard-link the article's pages into ``staging``; return its outcome."""
        entry = self.previous.pop(slug)  # kept in the next cache file from now on
        old, new = os.fspath(self.out), os.fspath(staging)
        for relative, _size, _mtime in entry.pages:
            target = os.path.join(new, relative)
            try:
                os.link(os.path.join(old, relative), target)
            except FileNotFoundError:
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.link(os.path.join(old, relative), target)
        self._keep(slug, entry)
        self.reused += 1
        outcome: ArticleOutcome = unpacked(entry.outcome)
        return outcome

    def record(self, key: str, outcome: ArticleOutcome, staging: Path) -> None:
        """Remember an article rendered by this build, with its pages as written."""
        self.previous.pop(outcome.slug, None)
        pages = tuple(_stats(staging, outcome.files))
        self._keep(outcome.slug, _Entry(key, packed(outcome), pages))

    def _keep(self, slug: str, entry: _Entry) -> None:
        if self.signing_key is None:
            return
        try:
            if self._writer is None:
                temporary = self.file.with_name(f".{self.out.name}.tmp-cache")  # cleared if left
                self._writer = _SignedWriter(temporary, self.signing_key)
                self._writer.dump({"format": FORMAT, "shared": self.shared})
            self._writer.dump((slug, entry))
        except OSError:  # no room for a cache: this build goes on, the next one is cold
            self.discard()
            self.signing_key = None

    def save(self) -> None:
        """Make this build's entries the cache of the next build."""
        if self._writer is not None:
            self._writer.dump(None)
            self._writer.commit(self.file)
            self._writer = None

    def discard(self) -> None:
        """Drop what this build wrote (it failed); the last cache stays as it was."""
        if self._writer is not None:
            self._writer.abandon()
            self._writer = None


def _signed(handle: BinaryIO, key: bytes) -> bool:
    """Whether the open cache file carries this key's signature of everything after it;
    leaves the file positioned at the first record."""
    if handle.read(len(MAGIC)) != MAGIC:
        return False
    signature = handle.read(32)
    mac = hmac.new(key, digestmod="sha256")
    while chunk := handle.read(1 << 20):
        mac.update(chunk)
    handle.seek(len(MAGIC) + 32)
    return hmac.compare_digest(signature, mac.digest())


class _SignedWriter:
    """A cache file written record by record, its signature filled in when it is complete."""

    def __init__(self, path: Path, key: bytes) -> None:
        self.path = path
        self.mac = hmac.new(key, digestmod="sha256")
        self.handle = open(path, "wb")  # noqa: SIM115 - closed by commit() or abandon()
        self.handle.write(MAGIC + bytes(32))

    def dump(self, value: object) -> None:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self.mac.update(data)
        self.handle.write(data)

    def commit(self, target: Path) -> None:
        try:
            self.handle.seek(len(MAGIC))
            self.handle.write(self.mac.digest())
            self.handle.close()
            os.replace(self.path, target)
        except OSError:
            self.abandon()  # without a cache the next build is a cold one

    def abandon(self) -> None:
        self.handle.close()
        with contextlib.suppress(OSError):
            self.path.unlink()


def _stats(folder: Path, pages: Iterable[str]) -> Iterable[Stat]:
    for relative in pages:
        stat = os.stat(folder / relative)
        yield relative, stat.st_size, stat.st_mtime_ns
