"""What the last builds left in each generation of the output, so a build redoes only what changed.

An article's pages and records depend on its two files and on what all articles share: the
site config and the pages as loaded, the templates, the engine's own code and the base URL.
The cache keeps, for each generation of the output (see ``generations``), every article's
key (a hash of all of that), the pages it wrote there with their size and modification time,
and each site-wide file with a digest of what it was made from. For the last build it also
keeps each article's summary (what the site-wide files need of it) and, in a records file,
its rendered records, read only when a site-wide page that shows them must be made again.

A build into a generation keeps every page that is still right there (same key, same size
and modification time: not edited since), hard-links from the served generation the pages of
articles unchanged since the last build, and renders the rest; the result is byte for byte
what a cold build makes.

The cache is signed with a key kept in the user's cache folder (``$XDG_CACHE_HOME/factsheet``),
so that a cache file that came with someone else's content is never read. Anything wrong with
it (missing, unreadable, unsigned, another version) only means a cold build.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import marshal
import os
import pickle
import shutil
import sys
import tempfile
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from .generations import GENERATIONS, Stat, copy_range, generation_path
from .project import ENGINE, user_cache_folder
from .records import ArticleSummary

FORMAT = 9  # bump when what is stored changes
_FS_ENCODING = sys.getfilesystemencoding()
MAGIC = b"factsheet-cache\n"


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


class Pages(NamedTuple):
    """An article's pages in one generation: what it was rendered from, and each page."""

    key: str
    paths: tuple[str, ...]
    stats: bytes  # pack_stats of each page's size and modification time


@dataclass
class GenerationState:
    """What one generation of the output holds, as the build that wrote it left it."""

    articles: dict[str, Pages] = field(default_factory=dict)
    files: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # digest, size, mtime
    folders: dict[str, int] = field(default_factory=dict)  # folder -> modification time
    parts: dict[str, Pages] = field(default_factory=dict)  # the search index's, by their key
    # the sum of its files' digests and their number (``build_stamp.OutputFingerprint``)
    fingerprint: tuple[int, int] | None = None

    def plain(self) -> tuple[object, ...]:
        """As stored in the cache: builtin types only (see ``CacheData.pieces``)."""
        return (
            {slug: tuple(pages) for slug, pages in self.articles.items()},
            self.files,
            self.folders,
            {key: tuple(pages) for key, pages in self.parts.items()},
            self.fingerprint,
        )

    @classmethod
    def from_plain(cls, stored: Any) -> GenerationState:
        articles, files, folders, parts, fingerprint = stored
        make = Pages._make
        return cls(
            {slug: make(pages) for slug, pages in articles.items()},
            files,
            folders,
            {key: make(pages) for key, pages in parts.items()},
            fingerprint,
        )

    def intact(self, root: str | int, pages: Pages) -> bool:
        """Whether the pages are in ``root`` (a path, or an open folder) as written: not
        edited or removed since."""
        found = array("q")
        try:
            if isinstance(root, int):
                for relative in pages.paths:
                    status = os.stat(relative, dir_fd=root)
                    found.append(status.st_size)
                    found.append(status.st_mtime_ns)
            else:
                for relative in pages.paths:
                    status = os.stat(os.path.join(root, relative))
                    found.append(status.st_size)
                    found.append(status.st_mtime_ns)
        except OSError:
            return False
        return found.tobytes() == pages.stats

    def file_intact(self, root: str, relative: str, digest: str) -> bool:
        """Whether the site-wide file was made from ``digest`` and is in ``root`` as written."""
        known = self.files.get(relative)
        if known is None or known[0] != digest:
            return False
        try:
            status = os.stat(os.path.join(root, relative))
        except OSError:
            return False
        return (status.st_size, status.st_mtime_ns) == known[1:]

    def expected(self) -> set[str]:
        """Every file this generation should hold."""
        found = set(self.files)
        for pages in (*self.articles.values(), *self.parts.values()):
            found.update(pages.paths)
        return found

    def folder_names(self) -> set[str]:
        """Every folder that holds one of its files, and the folders above them ("" the top)."""
        folders = {relative.rpartition("/")[0] for relative in self.files}
        for pages in (*self.articles.values(), *self.parts.values()):
            folders.update(relative.rpartition("/")[0] for relative in pages.paths)
        for folder in list(folders):
            while folder:
                folder = folder.rpartition("/")[0]
                folders.add(folder)
        return folders


_CORRECTIONS = ArticleSummary._fields.index("corrections")


def _storable(summary: ArticleSummary) -> tuple[object, ...]:
    """The summary as builtin types: its corrections (dataclasses; most articles have none)
    pickled."""
    if not summary.corrections:
        return tuple(summary)
    corrections = pickle.dumps(summary.corrections, protocol=pickle.HIGHEST_PROTOCOL)
    return (*summary[:_CORRECTIONS], corrections, *summary[_CORRECTIONS + 1 :])


class DamagedCache(Exception):  # noqa: N818 - a state, like ContentError
    """A record the cache vouches for is missing or not as it was written."""


# Where a record is in a records file, and its signature: offset, length, MAC (a plain tuple,
# the cheapest to store and read for the tens of thousands a large site has).
RecordRef = tuple[int, int, bytes]


@dataclass
class CacheData:
    """The cache file's content."""

    shared: str = ""
    live: str | None = None  # the generation the last build wrote
    states: dict[str, GenerationState] = field(default_factory=dict)
    # of the last build, each as a plain tuple (faster to store and read): see ``summary``
    summaries: dict[str, tuple[object, ...]] = field(default_factory=dict)
    records: dict[str, RecordRef] = field(default_factory=dict)  # in the last build's file
    records_file: str = ""
    records_size: int = 0  # the file's size when the last build had written it
    # each article's key, by its files' absolute paths, with the size and modification time
    # each file had when it was hashed
    keys: dict[tuple[str, str | None], tuple[tuple[Stat | None, ...], str]] = field(
        default_factory=dict
    )

    def pieces(self, tail: list[bytes] | None = None) -> Iterator[bytes]:
        """The cache file's payload, a piece at a time: each in marshal's format, which holds
        builtin types only and is written several times faster than a pickle (the file is
        signed; it is read back only when the signature is this user's, like a pickle).

        A large site's cache is megabytes, most of it the generations' states; made a piece
        at a time, it is never held whole.
        """
        head = (FORMAT, self.shared, self.live, self.records_file, self.records_size)
        yield marshal.dumps(head, 4)
        # the generations' states in one piece: what they share (most of their paths) is
        # written once, and read back as one object
        yield marshal.dumps({name: state.plain() for name, state in self.states.items()}, 4)
        yield from self.tail_pieces() if tail is None else tail

    def tail_pieces(self) -> list[bytes]:
        """The pieces after the states: the summaries, the records' places, the keys."""
        return [marshal.dumps(part, 4) for part in (self.summaries, self.records, self.keys)]

    @classmethod
    def from_pieces(cls, pieces: Iterator[memoryview]) -> CacheData | None:
        """What ``pieces`` made; None for another format."""
        head = marshal.loads(next(pieces))
        if not isinstance(head, tuple) or len(head) != 5 or head[0] != FORMAT:
            return None
        _, shared, live, records_file, records_size = head
        stored = marshal.loads(next(pieces))
        states = {name: GenerationState.from_plain(state) for name, state in stored.items()}
        summaries = marshal.loads(next(pieces))
        records = marshal.loads(next(pieces))
        keys = marshal.loads(next(pieces))
        return cls(shared, live, states, summaries, records, records_file, records_size, keys)


_LENGTH = 8  # bytes: each piece of the cache file is preceded by its length


def piece_frames(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """Each piece preceded by its length, as the cache file holds them."""
    for piece in pieces:
        yield len(piece).to_bytes(_LENGTH, "big")
        yield piece


def split_pieces(payload: memoryview) -> Iterator[memoryview]:
    """The pieces ``piece_frames`` framed, as views of ``payload`` (no copies); ValueError
    where a length points past its end."""
    offset = 0
    while offset < len(payload):
        length = int.from_bytes(payload[offset : offset + _LENGTH], "big")
        offset += _LENGTH
        if offset + length > len(payload):
            raise ValueError("a piece of the cache file is cut short")
        yield payload[offset : offset + length]
        offset += length


class BuildCache:
    """The cache beside the output folder ``out``: read at the start of a build, replaced at
    the end of a successful one."""

    def __init__(
        self,
        out: Path,
        key: bytes | None,
        content: dict[str, tuple[int, int]] | None = None,
    ) -> None:
        self.content = content or {}  # the content's files' sizes and times, if just read
        self._cwd = os.getcwd()  # inputs are known by absolute path, made without asking again
        self.out = Path(os.path.abspath(out))
        self.file = self.out.parent / f".{self.out.name}.cache"
        self.signing_key = key
        self.shared = ""
        self._shared_digest = hashlib.blake2b(digest_size=20)
        self.old = CacheData()
        self.keys: dict[tuple[str, str | None], tuple[tuple[Stat | None, ...], str]] = {}
        self._records: _RecordReader | None = None

    # --- reading ---------------------------------------------------------------------------

    def load(self) -> None:
        """Read the cache, if this user's builds signed it; otherwise start from nothing."""
        if self.signing_key is None:
            return
        try:
            with open(self.file, "rb") as handle:
                data = handle.read()
        except OSError:
            return
        head = len(MAGIC) + 32
        if len(data) < head or data[: len(MAGIC)] != MAGIC:
            return
        payload = memoryview(data)[head:]  # megabytes: read where they are, not copied
        mac = hmac.new(self.signing_key, payload, "sha256").digest()
        if not hmac.compare_digest(mac, data[len(MAGIC) : head]):
            return  # not made by this user's builds: never read further
        try:
            loaded = CacheData.from_pieces(split_pieces(payload))
        except (EOFError, ValueError, TypeError, KeyError, StopIteration):
            return
        if loaded is None:
            return
        self.old = loaded
        self._records = _RecordReader(
            self.out.parent / self.old.records_file,
            self.old.records,
            self.signing_key,
            self.old.records_size,
        )

    def share(self, shared: str) -> None:
        """What every article's pages depend on besides its own files, for this build (see
        ``shared_inputs``): where it is not what the last build had, none of its articles is
        kept (other templates, engine or site)."""
        self.shared = shared
        self._shared_digest = hashlib.blake2b(shared.encode(), digest_size=20)
        if self.old.shared != shared:
            self.forget_last_build()

    def forget_last_build(self) -> None:
        """Keep only what each generation holds: the last build's summaries and records do
        not describe the site being served (its records file is removed once a build
        replaces it)."""
        if self._records is not None:
            self._records.close()
        self._records = None
        old = self.old
        self.old = CacheData(live=old.live, states=old.states, records_file=old.records_file)

    def state(self, generation: str | None) -> GenerationState | None:
        return None if generation is None else self.old.states.get(generation)

    def key(self, article: str | Path, annotations: str | Path | None) -> str:
        """The hash of one article's inputs: its files' names and bytes, and the shared ones.

        It is made again only when one of its files' size or modification time changed since
        the last build, as make knows a file.
        """
        files = (
            self._absolute(article),
            None if annotations is None else self._absolute(annotations),
        )
        stamps = tuple(None if name is None else self._stamp(name) for name in files)
        known = self.old.keys.get(files)
        if known is not None and known[0] == stamps:
            self.keys[files] = known
            return known[1]
        digest = self._shared_digest.copy()
        for name, path in zip(files, (article, annotations), strict=True):
            if name is None or path is None:
                digest.update(b"\0")
                continue
            digest.update(b"\0" + os.fspath(path).encode(_FS_ENCODING, "surrogateescape"))
            with open(name, "rb") as handle:
                digest.update(hashlib.file_digest(handle, "blake2b").digest())
        key = digest.hexdigest()
        self.keys[files] = (stamps, key)
        return key

    def _absolute(self, path: str | Path) -> str:
        name = os.fspath(path)
        return name if os.path.isabs(name) else os.path.normpath(os.path.join(self._cwd, name))

    def _stamp(self, path: str) -> Stat:
        stamp = self.content.get(path)  # as the build stamp just read it
        if stamp is None:
            status = os.stat(path)
            stamp = (status.st_size, status.st_mtime_ns)
        return stamp

    def summary(self, slug: str, key: str) -> ArticleSummary | None:
        """The last build's summary of the article, if it was made from the same inputs."""
        found = self.old.summaries.get(slug)
        if found is None or found[1] != key:  # (slug, key, ...)
            return None
        corrections = found[_CORRECTIONS]
        if isinstance(corrections, bytes):
            found = (*found[:_CORRECTIONS], pickle.loads(corrections), *found[_CORRECTIONS + 1 :])
        return ArticleSummary._make(found)

    def record(self, slug: str) -> Any:
        """The last build's records of a kept article (see ``pipeline``)."""
        if self._records is None:
            raise DamagedCache(slug)
        return self._records.read(slug)

    def close(self) -> None:
        if self._records is not None:
            self._records.close()

    # --- writing ---------------------------------------------------------------------------

    def prepare_save(
        self, summaries: dict[str, ArticleSummary], records: RecordWriter
    ) -> PendingSave:
        """Commit the records file, and make what the cache file holds besides the
        generations' states: done while the search index's last parts are being made, so that
        only the states are left to write once they are (``PendingSave.save``): the cache of
        the next build."""
        if self.signing_key is None:
            records.abandon()
            return PendingSave(self, None)
        data = CacheData(
            shared=self.shared,
            summaries={slug: _storable(summary) for slug, summary in summaries.items()},
            records=records.refs,
            records_file=records.path.name,
            records_size=records.offset,
            keys=self.keys,
        )
        try:
            records.commit()
        except OSError:  # without a cache the next build is a cold one
            return PendingSave(self, None)
        return PendingSave(self, data, data.tail_pieces())

    def _write(self, data: CacheData, tail: list[bytes]) -> None:
        assert self.signing_key is not None
        temporary = self.file.with_name(f".{self.out.name}.tmp-cache")
        try:
            with open(temporary, "wb") as handle:
                handle.write(MAGIC + bytes(32))  # the signature, once the payload is written
                mac = hmac.new(self.signing_key, digestmod="sha256")
                for frame in piece_frames(data.pieces(tail)):
                    handle.write(frame)
                    mac.update(frame)
                handle.seek(len(MAGIC))
                handle.write(mac.digest())
            os.replace(temporary, self.file)
        except OSError:  # without a cache the next build is a cold one
            with contextlib.suppress(OSError):
                temporary.unlink()
            return
        records_file = data.records_file
        for name in (self.old.records_file,):
            if name and name != records_file:
                with contextlib.suppress(OSError):
                    (self.out.parent / name).unlink()

    def record_writer(self, generation: str) -> RecordWriter:
        """The records file of this build: the last build's, appended to, or a new one
        beside it (never in its place: the last build's cache points into it)."""
        name = f".{self.out.name}.records-{generation}"
        if self._records is not None and self._records.path.name == name:
            other = next(g for g in GENERATIONS if g != generation)
            name = f".{self.out.name}.records-{other}"
        return RecordWriter(self.out.parent / name, self.signing_key, self._records)

    def forget(self) -> None:
        """Remove the cache (the output it describes is gone)."""
        with contextlib.suppress(OSError):
            self.file.unlink()


@dataclass
class PendingSave:
    """A cache file of which all but the generations' states is made (``prepare_save``)."""

    cache: BuildCache
    data: CacheData | None  # None: nothing is saved (no signing key, or the records failed)
    tail: list[bytes] = field(default_factory=list)

    def save(self, live: str, state: GenerationState, other: GenerationState | None = None) -> None:
        """Write the cache: this build's state as ``live``'s, and the other generation's (or
        ``other``, when the build made it too)."""
        if self.data is None:
            return
        old = self.cache.old.states
        states = {name: s for name, s in old.items() if name != live}
        if other is not None:
            states = {name: other for name in GENERATIONS if name != live}
        states[live] = state
        self.data.live, self.data.states = live, states
        self.cache._write(self.data, self.tail)


class _RecordReader:
    """The last build's records file: each record read, and its signature checked, on demand."""

    def __init__(self, path: Path, refs: dict[str, RecordRef], key: bytes, size: int) -> None:
        self.path = path
        self.refs = refs
        self.key = key
        self.size = size
        self.handle: Any = None

    def appendable(self) -> bool:
        """Whether the next build's records can be appended to this file: it holds what the
        last build wrote, and the records still pointed to are most of it."""
        try:
            found = os.stat(self.path).st_size
        except OSError:
            return False
        needed = sum(ref[1] for ref in self.refs.values())
        return found >= self.size > 0 and 2 * needed >= self.size

    def raw(self, slug: str) -> tuple[RecordRef, bytes]:
        ref = self.refs.get(slug)
        if ref is None:
            raise DamagedCache(slug)
        try:
            if self.handle is None:
                self.handle = open(self.path, "rb")  # noqa: SIM115 - closed by close()
            self.handle.seek(ref[0])
            data: bytes = self.handle.read(ref[1])
        except OSError as error:
            raise DamagedCache(slug) from error
        if not hmac.compare_digest(hmac.new(self.key, data, "sha256").digest(), ref[2]):
            raise DamagedCache(slug)
        return ref, data

    def read(self, slug: str) -> Any:
        return pickle.loads(self.raw(slug)[1])

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None


class RecordWriter:
    """This build's records file, one record per article, written as the build goes.

    Records are appended to the last build's file, whose ranges the last build's cache points
    to and which are never written again: a kept article's record stays where it is, and a
    build that fails or is killed leaves that cache as right as it was. When most of that file
    is records no build needs any more, the records still needed are copied to a new file
    instead (in the kernel, where it can), which replaces it when the cache does.
    """

    def __init__(self, path: Path, key: bytes | None, previous: _RecordReader | None) -> None:
        self.key = key
        self.previous = previous
        self.refs: dict[str, RecordRef] = {}
        self.pending: tuple[int, int] | None = None  # a range of the last build's file to copy
        self.handle: Any = None
        self.scratch = key is None
        if self.scratch:
            # A build that keeps no cache still writes its records as it goes, to an unnamed
            # file that goes with it: the site-wide pages read them back an article at a
            # time, so the build never holds every article's rows at once.
            self.previous = None
            self.appending = False
            self.key = os.urandom(32)
            self.path = self.temporary = path
            self.start = self.offset = 0
            self.handle = tempfile.TemporaryFile(dir=path.parent)  # noqa: SIM115 - see commit()
            return
        self.appending = previous is not None and key is not None and previous.appendable()
        if self.appending:
            assert previous is not None
            self.path = self.temporary = previous.path
            self.handle = open(previous.path, "r+b")  # noqa: SIM115 - closed by commit()
            self.start = self.offset = previous.size
            self.handle.truncate(self.start)  # what a killed build appended
            self.handle.seek(self.start)
            return
        self.path = path
        self.temporary = path.with_name(path.name.replace(".records-", ".tmp-records-"))
        self.start = self.offset = 0
        if key is not None:
            self.handle = open(self.temporary, "w+b")  # noqa: SIM115 - closed by commit()

    def add(self, slug: str, value: object) -> None:
        if self.handle is None or self.key is None:
            return
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self._append(slug, data, hmac.new(self.key, data, "sha256").digest())

    @property
    def writing(self) -> bool:
        return self.handle is not None

    def read(self, slug: str) -> Any:
        """A record this build wrote or carried over (KeyError if none)."""
        ref = self.refs.get(slug)
        if ref is None or self.handle is None or self.key is None:
            raise DamagedCache(slug)
        self._flush()
        self.handle.flush()
        data = os.pread(self.handle.fileno(), ref[1], ref[0])
        # a record carried over is checked as a record read from the last build's file is
        if not hmac.compare_digest(hmac.new(self.key, data, "sha256").digest(), ref[2]):
            raise DamagedCache(slug)
        return pickle.loads(data)

    def keep(self, slug: str) -> bool:
        """Carry over the last build's record of the article; False if it cannot be."""
        if self.handle is None or self.previous is None:
            return False
        ref = self.previous.refs.get(slug)
        if ref is None:
            return False
        if self.appending:  # it stays where it is
            self.refs[slug] = ref
            return True
        offset, length, mac = ref
        if self.pending is not None and self.pending[1] == offset:
            self.pending = (self.pending[0], offset + length)
        else:
            self._flush()
            self.pending = (offset, offset + length)
        self.refs[slug] = (self.offset, length, mac)
        self.offset += length
        return True

    def _append(self, slug: str, data: bytes, mac: bytes) -> None:
        assert self.handle is not None
        self._flush()
        self.handle.write(data)
        self.refs[slug] = (self.offset, len(data), mac)
        self.offset += len(data)

    def _flush(self) -> None:
        """Copy the pending range of the last build's records file."""
        if self.pending is None or self.handle is None or self.previous is None:
            return
        start, end = self.pending
        self.pending = None
        self.handle.flush()
        with open(self.previous.path, "rb") as source:
            copy_range(source.fileno(), self.handle.fileno(), start, end - start)

    def commit(self) -> None:
        if self.scratch:
            self.abandon()
            return
        if self.handle is not None:
            self._flush()
            self.handle.flush()
            if os.fstat(self.handle.fileno()).st_size != self.offset:
                raise OSError(f"{self.temporary}: not the size its records say")
            self.handle.close()
            self.handle = None
            if not self.appending:
                os.replace(self.temporary, self.path)

    def abandon(self) -> None:
        if self.handle is not None:
            if self.appending:  # what this build appended; the last build's records stay
                with contextlib.suppress(OSError):
                    self.handle.truncate(self.start)
            self.handle.close()
            self.handle = None
        if not self.appending and not self.scratch:
            with contextlib.suppress(OSError):
                self.temporary.unlink()


def changed_folders(root: str, state: GenerationState, folders: set[str]) -> list[str]:
    """The folders of a generation whose modification time is not what its state says, or
    that are missing, in name order: only in those can a file have been added or removed.
    ``folders``: the state's (``known_folders``)."""
    changed = []
    for folder in sorted(folders):
        try:
            mtime = os.stat(os.path.join(root, folder)).st_mtime_ns
        except OSError:
            changed.append(folder)
            continue
        if state.folders.get(folder) != mtime:
            changed.append(folder)
    return changed


def known_folders(state: GenerationState) -> set[str]:
    """The folders the state's files are in, and those it knows the time of."""
    return state.folder_names() | set(state.folders)


def tidy(root: str, state: GenerationState) -> set[str]:
    """Remove from a generation what its state does not know of: what a failed or killed
    build, or a hand, added since. Only the folders ``changed_folders`` finds are read;
    returns them."""
    folders = known_folders(state)
    changed = changed_folders(root, state, folders)
    if changed:
        expected = state.expected()
        for folder in changed:
            if os.path.isdir(os.path.join(root, folder)):
                _tidy_folder(root, folder, expected, folders)
    return set(changed)


def _tidy_folder(root: str, folder: str, expected: set[str], folders: set[str]) -> None:
    with os.scandir(os.path.join(root, folder)) as entries:
        names = [(entry.name, entry.is_dir(follow_symlinks=False)) for entry in entries]
    for name, is_folder in names:
        relative = f"{folder}/{name}" if folder else name
        if relative in expected or (is_folder and relative in folders):
            continue
        path = os.path.join(root, relative)
        if is_folder:
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(path)


def folder_times(
    root: str,
    state: GenerationState,
    known: dict[str, int] | None = None,
    touched: set[str] | None = None,
) -> dict[str, int]:
    """The modification time of every folder of the generation: ``known`` ones that are not
    ``touched`` (nothing was added to or removed from them) as they were, the others read."""
    times = {}
    for folder in state.folder_names():
        if known is not None and touched is not None and folder not in touched:
            time = known.get(folder)
            if time is not None:
                times[folder] = time
                continue
        with contextlib.suppress(OSError):
            times[folder] = os.stat(os.path.join(root, folder)).st_mtime_ns
    return times


def generation_root(out: Path, name: str) -> str:
    return os.fspath(generation_path(Path(os.path.abspath(out)), name))


def iter_stats(root: str, paths: Iterable[str]) -> Iterator[Stat]:
    for relative in paths:
        status = os.stat(os.path.join(root, relative))
        yield status.st_size, status.st_mtime_ns
