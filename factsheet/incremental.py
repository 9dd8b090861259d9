"""A build written into a generation of the output: each file kept, linked or written.

The target generation holds the site of the build before last; ``GenerationWriter`` brings it
to this build's site. A page or file that is already right there is kept as it is; one that
is right in the served generation is hard-linked from it; the rest is written. At the end,
whatever the target holds that this build did not make is removed, and the generation's new
state (every file with its size and modification time) is what the build cache keeps.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import threading
from collections.abc import Iterable, Iterator
from stat import S_ISREG
from typing import IO

from .article_cache import GenerationState, Pages, folder_times
from .build_stamp import OutputFingerprint
from .generations import (
    BackgroundRemoval,
    GenerationOutput,
    Stat,
    copy_range,
    link_new,
    pack_stats,
    unpack_stats,
    write_in,
)
from .write import safe_relative

Entry = tuple[str, int, int]  # a file of the output: its path, size and modification time
_BUFFER = 1 << 20  # bytes of a concatenated file held before they are written


class GenerationWriter:
    """Writes one build into ``output.target``, knowing what it and the served site hold."""

    def __init__(
        self,
        output: GenerationOutput,
        target: GenerationState | None,
        live: GenerationState | None,
        shared: str,
        mirror: str | None = None,
    ) -> None:
        self.output = output
        self.mirror = mirror
        self.root = os.fspath(output.target)
        live_path = output.live_path
        self.live_root = os.fspath(live_path) if live_path is not None else None
        self.target_state = target or GenerationState()
        self.live_state = live if self.live_root is not None else None
        self.shared = shared.encode()
        self.state = GenerationState()
        self.folder = os.open(self.root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        self._check: IntactCheck | None = None
        self.removed: set[str] = set()  # files of the target removed before ``finish``
        self.removing = BackgroundRemoval()  # folders set aside, being removed
        self._late: list[Pages] | None = None  # once ``settle``d: the parts written since
        self.fingerprint = OutputFingerprint()  # of every file, once ``finish``ed

    # --- an article's pages --------------------------------------------------------------------

    def check_target(self, started: IntactCheck | None = None) -> None:
        """Start finding which of the target's articles are still as written, beside the
        reading that follows; ``kept_in_place`` then takes each answer. ``started``: a check
        of the target begun before (by the build cache, as soon as it was read)."""
        if started is not None and started.state is self.target_state:
            self._check = started
        else:
            if started is not None:
                started.close()
            self._check = IntactCheck(self.target_state, self.root)

    def kept_in_place(self, slug: str, key: str) -> bool:
        """Keep the article's pages where the target holds them as made from ``key``."""
        pages = self.target_state.articles.get(slug)
        if pages is None or pages.key != key:
            return False
        check = self._check
        intact = (
            check.intact(slug, self.folder)
            if check
            else self.target_state.intact(self.folder, pages)
        )
        if not intact:
            return False
        self.state.articles[slug] = pages
        return True

    def linked_from_live(self, slug: str, key: str) -> bool:
        """Hard-link the article's pages from the served site where it holds them from ``key``."""
        if self.live_state is None or self.live_root is None:
            return False
        pages = self.live_state.articles.get(slug)
        if pages is None or pages.key != key or not self.live_state.intact(self.live_root, pages):
            return False
        for relative in pages.paths:
            link_new(os.path.join(self.live_root, relative), os.path.join(self.root, relative))
        self.state.articles[slug] = pages
        return True

    def wrote_article(self, slug: str, key: str, paths: tuple[str, ...], stats: bytes) -> None:
        """The article's pages were just written (by this process or a worker)."""
        self.state.articles[slug] = Pages(key, paths, stats)

    # --- the search index's parts -------------------------------------------------------------

    def known_parts(self) -> set[str]:
        """The keys of the parts of the search index the target or the served site holds."""
        known = set(self.target_state.parts)
        if self.live_state is not None:
            known.update(self.live_state.parts)
        return known

    def kept_part(self, key: str) -> str | None:
        """Keep the part of the search index made from ``key`` where the target holds it, or
        link it from the served site; its folder's name, or None when it must be made."""
        pages = self.target_state.parts.get(key)
        check = self._check
        if pages is not None and (
            check.part_intact(key, self.folder)
            if check
            else self.target_state.intact(self.folder, pages)
        ):
            self.state.parts[key] = pages
            return pages.paths[0].split("/")[1]
        live, root = self.live_state, self.live_root
        if live is None or root is None:
            return None
        pages = live.parts.get(key)
        if pages is None or not live.intact(root, pages):
            return None
        for relative in pages.paths:
            link_new(os.path.join(root, relative), os.path.join(self.root, relative))
        self.state.parts[key] = pages
        return pages.paths[0].split("/")[1]

    def remove_parts_not_kept(self) -> None:
        """Remove the target's parts of the search index that this build does not keep, while
        the new ones are being indexed (they go in folders of other names)."""
        for key, pages in self.target_state.parts.items():
            if key not in self.state.parts:
                folder = "/".join(pages.paths[0].split("/")[:2]) + "/"  # search/<name>/
                aside = None
                if all(path.startswith(folder) for path in pages.paths):
                    aside = self.output.set_aside(folder)  # removed beside the build
                if aside is not None:
                    self.removing.remove(aside)
                else:
                    self._remove(pages.paths)
                self.removed.update(pages.paths)

    def _remove(self, paths: Iterable[str]) -> None:
        """Remove files of the target, and the folders they leave empty."""
        for relative in sorted(paths, reverse=True):
            path = os.path.join(self.root, relative)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            folder = os.path.dirname(path)
            while folder != self.root:  # claims/<slug>/ of an article no longer there
                try:
                    os.rmdir(folder)
                except OSError:
                    break
                folder = os.path.dirname(folder)

    def wrote_part(self, key: str, folder: str, files: dict[str, bytes]) -> None:
        """Write a part of the search index made from ``key`` into ``folder``."""
        paths = tuple(folder + relative for relative in sorted(files))
        stats = [
            write_in(self.root, path, files[path[len(folder) :]], self.mirror) for path in paths
        ]
        self.state.parts[key] = Pages(key, paths, pack_stats(stats))
        if self._late is not None:
            self._late.append(self.state.parts[key])

    # --- site-wide files (SiteWriter) ------------------------------------------------------------

    def _key(self, digest: bytes) -> str:
        return hashlib.blake2b(self.shared + digest, digest_size=16).hexdigest()

    def needs(self, relative: str, digest: bytes) -> bool:
        key = self._key(digest)
        if self.target_state.file_intact(self.root, relative, key):
            self.state.files[relative] = self.target_state.files[relative]
            return False
        live = self.live_state
        if live is not None and self.live_root and live.file_intact(self.live_root, relative, key):
            link_new(os.path.join(self.live_root, relative), self._path(relative))
            self.state.files[relative] = live.files[relative]
            return False
        return True

    def write(self, relative: str, content: str | bytes, digest: bytes) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        self.wrote(relative, digest, write_in(self.root, relative, data, self.mirror))

    def wrote(self, relative: str, digest: bytes, stat: Stat) -> None:
        """A site-wide file was written (perhaps by a worker)."""
        self.state.files[relative] = (self._key(digest), *stat)

    def concat(self, relative: str) -> _ConcatFile:
        source = os.path.join(self.live_root, relative) if self.live_root else None
        return _ConcatFile(self, relative, self._path(relative), source)

    def _path(self, relative: str) -> str:
        return os.path.join(self.root, safe_relative(relative))

    # --- the end ---------------------------------------------------------------------------------

    @property
    def count(self) -> int:
        pages = (*self.state.articles.values(), *self.state.parts.values())
        return len(self.state.files) + sum(len(p.paths) for p in pages)

    def mirror_state(self) -> GenerationState | None:
        """What the mirror holds after ``finish``: the same files (links to them)."""
        if self.mirror is None:
            return None
        state = self.state
        folders = folder_times(self.mirror, state)
        return GenerationState(
            dict(state.articles), dict(state.files), folders, dict(state.parts), state.fingerprint
        )

    def settle(self, tidied: set[str] | None = None) -> None:
        """Remove what the target holds that this build did not make, and read the times of
        its folders: all of ``finish`` that the parts of the search index still being made
        leave as it is (``finish`` reads again only the folders they are written in).

        ``tidied``: the folders ``tidy`` changed before the build.
        """
        held = self.target_state.expected()
        removed = sorted(held - self.state.expected(), reverse=True) if held else []
        self._remove(relative for relative in removed if relative not in self.removed)
        known = self.target_state.folders
        if known:  # only the folders something was added to or removed from are read again
            touched = set(tidied or ())
            changed = (relative for _, after in self._changes() for relative, _, _ in after)
            for relative in (*removed, *changed):
                _add_folders(touched, relative)
            self.state.folders = folder_times(self.root, self.state, known, touched)
        else:  # a target of which nothing is known: every folder is read
            self.state.folders = folder_times(self.root, self.state)
        summed = self.target_state.fingerprint
        if summed is None:
            self.fingerprint.add(self._entries())
        else:  # the target's, with what this build changed
            self.fingerprint = OutputFingerprint(summed)
            for before, after in self._changes(gone=True):
                self.fingerprint.remove(before)
                self.fingerprint.add(after)
        self._late = []

    def finish(self, tidied: set[str] | None = None) -> GenerationState:
        """The new state, once every file is written (``settle``, if it was not called)."""
        if self._late is None:
            self.settle(tidied)
        else:  # the parts written since: their folders, and the folders above them
            late: set[str] = set()
            for pages in self._late:
                for relative in pages.paths:
                    _add_folders(late, relative)
            for folder in late:
                with contextlib.suppress(OSError):
                    status = os.stat(os.path.join(self.root, folder))
                    self.state.folders[folder] = status.st_mtime_ns
            self.fingerprint.add(_listed(self._late))
        self.state.fingerprint = (self.fingerprint.total, self.fingerprint.count)
        if self._check is not None:
            self._check.close()
        os.close(self.folder)
        self.removing.wait()
        return self.state

    def _changes(self, gone: bool = False) -> Iterator[tuple[list[Entry], list[Entry]]]:
        """Each file, article or part of the new state that the target did not hold as it is
        now: what the target held of it (perhaps nothing) and what the new state holds; with
        ``gone``, also what the target held that the new state does not (and nothing)."""
        old, new = self.target_state, self.state
        for relative, entry in new.files.items():
            held = old.files.get(relative)
            if held != entry:
                before = [] if held is None else [(relative, held[1], held[2])]
                yield before, [(relative, entry[1], entry[2])]
        for mine, theirs in ((new.articles, old.articles), (new.parts, old.parts)):
            for name, pages in mine.items():
                held_pages = theirs.get(name)
                if held_pages is not pages and held_pages != pages:
                    before = [] if held_pages is None else list(_listed((held_pages,)))
                    yield before, list(_listed((pages,)))
        if gone:
            files = old.files.items()
            yield [(path, held[1], held[2]) for path, held in files if path not in new.files], []
            for mine, theirs in ((new.articles, old.articles), (new.parts, old.parts)):
                yield list(_listed(p for name, p in theirs.items() if name not in mine)), []

    def _entries(self) -> Iterator[Entry]:
        """Every file of the new generation with its size and modification time."""
        for relative, (_, size, mtime) in self.state.files.items():
            yield relative, size, mtime
        yield from _listed((*self.state.articles.values(), *self.state.parts.values()))


def _listed(pages: Iterable[Pages]) -> Iterator[Entry]:
    """Each of the pages' files with its size and modification time."""
    for each in pages:
        for relative, (size, mtime) in zip(each.paths, unpack_stats(each.stats), strict=True):
            yield relative, size, mtime


def _add_folders(folders: set[str], relative: str) -> None:
    """Add the folder ``relative`` is in, and those above it up to the top (""), to ``folders``."""
    folder = relative.rpartition("/")[0]
    while folder not in folders:
        folders.add(folder)
        if not folder:
            break
        folder = folder.rpartition("/")[0]


class IntactCheck:
    """Which articles' pages, and which parts of the search index, a generation holds as
    written (see ``GenerationState.intact``), found by child processes where the system can
    fork: asking for the status of tens of thousands of files takes a large site's rebuild a
    tenth of a second or more, which children spend beside the build, without sharing its
    interpreter (one asks of the articles, one of the parts)."""

    def __init__(self, state: GenerationState, root: str) -> None:
        self.state = state
        self.root = root
        self.articles = _Asked(state.articles)
        self.parts = _Asked(state.parts)
        if len(state.articles) >= _FORK_FROM and _can_fork():
            self.articles.fork(state, root)
            self.parts.fork(state, root)

    def intact(self, slug: str, folder: int) -> bool:
        """Whether the article's pages are as written (``folder``: the generation, open)."""
        return self.articles.intact(self.state, slug, folder)

    def part_intact(self, key: str, folder: int) -> bool:
        """Whether the search index's part made from ``key`` is as written."""
        return self.parts.intact(self.state, key, folder)

    def close(self) -> None:
        """Wait for the children, if their answers were never taken."""
        self.articles.stop()
        self.parts.stop()


class _Asked:
    """Whether each of a generation's articles (or parts) is intact, once asked."""

    def __init__(self, table: dict[str, Pages]) -> None:
        self.table = table
        self.order = list(table)
        self.answers: dict[str, bool] | None = None
        self.pid = 0
        self.pipe: IO[bytes] | None = None

    def fork(self, state: GenerationState, root: str) -> None:
        if not self.order:
            return
        reading, writing = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(reading)
            os.close(writing)
            return
        if pid == 0:  # the child: writes its answers, then is gone without cleaning up
            status = 1
            try:
                os.close(reading)
                folder = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
                table = self.table
                _write_all(writing, bytes(state.intact(folder, table[n]) for n in self.order))
                status = 0
            finally:
                os._exit(status)
        os.close(writing)
        self.pid, self.pipe = pid, open(reading, "rb")  # noqa: SIM115 - closed by stop()

    def intact(self, state: GenerationState, name: str, folder: int) -> bool:
        if self.answers is None:
            self.answers = self._answers(state, folder)
        found = self.answers.get(name)
        if found is None:  # not in the state when the check began
            return state.intact(folder, self.table[name])
        return found

    def _answers(self, state: GenerationState, folder: int) -> dict[str, bool]:
        found = b""
        if self.pipe is not None:
            found = self.pipe.read()
            if not self.stop():
                found = b""
        if len(found) != len(self.order):  # no child, or it failed: ask here
            return {name: state.intact(folder, self.table[name]) for name in self.order}
        return dict(zip(self.order, map(bool, found), strict=True))

    def stop(self) -> bool:
        """Close the pipe and wait for the child; whether it finished well."""
        if self.pipe is not None:
            self.pipe.close()
            self.pipe = None
        if not self.pid:
            return False
        pid, self.pid = self.pid, 0
        try:
            return os.waitpid(pid, 0)[1] == 0
        except ChildProcessError:
            return False


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


_FORK_FROM = 256  # articles: below it, asking in the build's own process is as quick


def _can_fork() -> bool:
    """Whether a child can be forked safely: where the system forks (not Windows; not macOS,
    whose system libraries may not survive it), and while the process has one thread."""
    return (
        hasattr(os, "fork") and sys.platform.startswith("linux") and (threading.active_count() == 1)
    )


class _ConcatFile:
    """A concatenated file of the new generation: text written, ranges copied from the
    served generation's copy of the same file (in the kernel, where it can)."""

    def __init__(
        self, writer: GenerationWriter, relative: str, path: str, source: str | None
    ) -> None:
        self.writer = writer
        self.relative = relative
        self.path = path
        self.position = 0
        self.source_path = source
        self.source: IO[bytes] | None = None
        self.pending: tuple[int, int] | None = None  # a range of the source not yet copied
        self.gap = b""  # a separator not yet written
        self.buffer: list[bytes] = []
        self.buffered = 0
        self.fd = _open_in_place(path)

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        self._flush_copy()
        self._buffer(data)
        self.position += len(data)

    def separator(self, text: str) -> None:
        """Text between two parts: copied along with them when both are copied (the last
        build's file has the same separator between the same parts)."""
        self._flush_gap()
        self.gap = text.encode("utf-8")
        self.position += len(self.gap)

    def copy(self, start: int, end: int) -> None:
        if self.source is None:
            assert self.source_path is not None, "no last build to copy from"
            self.source = open(self.source_path, "rb")  # noqa: SIM115 - closed by close()
        if self.pending is not None and self.pending[1] + len(self.gap) == start:
            self.pending = (self.pending[0], end)
            self.gap = b""
        else:
            self._flush_copy()
            self.pending = (start, end)
        self.position += end - start

    def _buffer(self, data: bytes) -> None:
        if data:
            self.buffer.append(data)
            self.buffered += len(data)
            if self.buffered > _BUFFER:
                self._flush_buffer()

    def _flush_gap(self) -> None:
        if self.gap:
            self._flush_copy_range()
            self._buffer(self.gap)
            self.gap = b""

    def _flush_buffer(self) -> None:
        if self.buffer:
            view = memoryview(b"".join(self.buffer))
            while view:
                view = view[os.write(self.fd, view) :]
            self.buffer = []
            self.buffered = 0

    def _flush_copy_range(self) -> None:
        if self.pending is None:
            return
        assert self.source is not None
        start, end = self.pending
        self.pending = None
        self._flush_buffer()
        copy_range(self.source.fileno(), self.fd, start, end - start)

    def _flush_copy(self) -> None:
        self._flush_copy_range()
        self._flush_gap()

    def close(self) -> None:
        self._flush_copy()
        self._flush_buffer()
        try:
            end = os.lseek(self.fd, 0, os.SEEK_CUR)
            os.ftruncate(self.fd, end)  # the end of what it held before
            status = os.fstat(self.fd)
        finally:
            os.close(self.fd)
            if self.source is not None:
                self.source.close()
        if status.st_size != self.position:
            raise OSError(f"{self.path}: wrote {status.st_size} bytes, expected {self.position}")
        if self.writer.mirror is not None:
            link_new(self.path, os.path.join(self.writer.mirror, self.relative))
        self.writer.state.files[self.relative] = ("", status.st_size, status.st_mtime_ns)


def _open_in_place(path: str) -> int:
    """The file at ``path``, open to be written from its start: the file itself when no other
    name links to it (its blocks are written again, not freed and allocated anew, which costs
    a large file more than writing it), else a new file in its place."""
    try:
        status = os.lstat(path)
        if S_ISREG(status.st_mode) and status.st_nlink == 1:
            return os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
        os.unlink(path)
    except FileNotFoundError:
        pass
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o644)


__all__ = ["GenerationWriter"]
