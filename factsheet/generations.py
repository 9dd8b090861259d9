"""The output folder as two generations: the site being served, and the one a build writes.

``site/`` is a symbolic link to one of two folders beside it, ``.site.a`` or ``.site.b``. A
build writes into the other one, then points ``site`` at it with one atomic rename of a new
link; until that moment readers, uploads and a killed build all see the previous site whole.
The generation a build writes into still holds the site of the build before last, so a build
only rewrites what differs from it (which pages are still right is the build cache's to say,
see ``article_cache``); a change to one article costs what that article costs.

Files are never changed in place: a file is written as a new file under its name (the old
one unlinked first), because a generation may share a file with the other one through a
hard link. A lock file serialises builds into the same output folder.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import subprocess
from array import array
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import IO

from .write import OutputError, safe_relative

GENERATIONS = ("a", "b")
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_COPY_CHUNK = 1 << 24
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)

Stat = tuple[int, int]  # a file's size and modification time in nanoseconds


def pack_stats(stats: Iterable[Stat]) -> bytes:
    values = array("q")
    for size, mtime in stats:
        values.append(size)
        values.append(mtime)
    return values.tobytes()


def unpack_stats(data: bytes) -> list[Stat]:
    values = array("q")
    values.frombytes(data)
    return list(zip(values[::2], values[1::2], strict=True))


def copy_range(source: int, target: int, offset: int, count: int) -> None:
    """Append ``count`` bytes of ``source`` from ``offset`` to ``target``, in the kernel
    where it can."""
    position = os.lseek(target, 0, os.SEEK_CUR)
    copy_file_range = getattr(os, "copy_file_range", None)
    while count > 0:
        done = 0
        if copy_file_range is not None:
            try:
                done = copy_file_range(source, target, count, offset, position)
            except OSError:
                copy_file_range = None
        if not done:
            data = os.pread(source, min(count, _COPY_CHUNK), offset)
            if not data:
                raise OSError("the last build's file is shorter than its cache says")
            done = os.pwrite(target, data, position)
        offset += done
        position += done
        count -= done
    os.lseek(target, position, os.SEEK_SET)


def generation_path(out: Path, name: str) -> Path:
    return out.parent / f".{out.name}.{name}"


def live_generation(out: Path) -> str | None:
    """The generation ``out`` links to, or None (missing, a plain folder, a foreign link, or a
    link to a generation that is gone: nothing is served, so a build makes both)."""
    try:
        target = os.readlink(out)
    except OSError:
        return None
    for name in GENERATIONS:
        path = generation_path(out, name)
        if target == path.name:
            return name if _is_folder(path) else None
    return None


def write_new(path: str, data: bytes) -> Stat:
    """Write ``data`` as a new file at ``path`` (replacing any file there); its size and mtime."""
    try:
        descriptor = os.open(path, _CREATE, 0o644)
    except FileExistsError:
        os.unlink(path)
        descriptor = os.open(path, _CREATE, 0o644)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        descriptor = os.open(path, _CREATE, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
        status = os.fstat(descriptor)
    finally:
        os.close(descriptor)
    return status.st_size, status.st_mtime_ns


def write_in(root: str, relative: str, data: bytes, mirror: str | None = None) -> Stat:
    """Write a new file at ``relative`` in the folder ``root``; with a ``mirror`` folder, link
    it there too (a first build makes both generations at once). Its size and mtime."""
    path = os.path.join(root, safe_relative(relative))
    stat = write_new(path, data)
    if mirror is not None:
        link_new(path, os.path.join(mirror, relative))
    return stat


def link_new(source: str, path: str) -> None:
    """Make ``path`` a hard link to ``source``, replacing any file there."""
    try:
        os.link(source, path)
    except FileExistsError:
        os.unlink(path)
        os.link(source, path)
    except FileNotFoundError:
        if not os.path.exists(source):
            raise
        os.makedirs(os.path.dirname(path), exist_ok=True)
        os.link(source, path)


class GenerationOutput:
    """A build's output: write into ``target``, then ``commit`` to make it the served site.

    With ``fresh``, the target generation is emptied first (a build that keeps nothing).
    Leaving the ``with`` block without committing leaves the served site as it was.
    """

    def __init__(self, out: Path, *, fresh: bool = False) -> None:
        self.out = Path(os.path.abspath(out))
        if self.out.exists() and not self.out.is_dir():
            raise OutputError(f"{self.out} exists and is not a folder; choose another --out")
        self.fresh = fresh
        self.live: str | None = None
        self.name = GENERATIONS[0]
        self.target = generation_path(self.out, self.name)
        self._lock: IO[str] | None = None
        self._asides = 0

    def __enter__(self) -> GenerationOutput:
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            self._lock = open(self.out.parent / f".{self.out.name}.lock", "a")
        except OSError as err:
            raise OutputError(f"cannot write beside {self.out}: {err.strerror}") from err
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        clear_leftovers(self.out)
        self.live = live_generation(self.out)
        self.name = GENERATIONS[1] if self.live == GENERATIONS[0] else GENERATIONS[0]
        self.target = generation_path(self.out, self.name)
        if self.fresh or (self.target.exists() and not _is_folder(self.target)):
            self.empty_target()
        self._make_target()
        return self

    def empty_target(self) -> None:
        """Start the target generation from nothing (what it holds is not known)."""
        _remove(self.target)
        self._make_target()

    def _make_target(self) -> None:
        try:
            self.target.mkdir(mode=0o755, exist_ok=True)
        except OSError as err:
            raise OutputError(f"cannot write {self.target}: {err.strerror}") from err

    def set_aside(self, relative: str) -> Path | None:
        """Move a folder of the target out of it, beside the output (one rename, however many
        files it holds), for ``BackgroundRemoval``; None when it cannot be moved. What a
        killed build set aside is cleared by the next (``clear_leftovers``)."""
        self._asides += 1
        aside = self.out.parent / f".{self.out.name}.tmp-aside-{self._asides}"
        try:
            os.rename(self.target / relative, aside)
        except OSError:
            return None
        return aside

    @property
    def other(self) -> Path:
        """The generation the build does not write: the one served, if any."""
        name = GENERATIONS[0] if self.name == GENERATIONS[1] else GENERATIONS[1]
        return generation_path(self.out, name)

    def prepare_mirror(self) -> Path | None:
        """When nothing is served yet, the other generation, emptied, for the build to link
        every file it writes into too; so the next build finds its target complete."""
        if self.live is not None:
            return None
        _remove(self.other)
        try:
            self.other.mkdir(mode=0o755)
        except OSError:
            return None
        return self.other

    @property
    def live_path(self) -> Path | None:
        return generation_path(self.out, self.live) if self.live is not None else None

    def path(self, relative: str) -> str:
        return os.path.join(self.target, safe_relative(relative))

    def write(self, relative: str, content: str | bytes) -> Stat:
        data = content.encode("utf-8") if isinstance(content, str) else content
        return write_new(self.path(relative), data)

    def commit(self) -> None:
        """Serve the target generation: ``out`` becomes a link to it, in one atomic step."""
        link = self.out.parent / f".{self.out.name}.tmp-link"
        with contextlib.suppress(FileNotFoundError):
            link.unlink()
        os.symlink(self.target.name, link)
        if self.out.is_symlink() or not self.out.exists():
            os.replace(link, self.out)
            return
        # a plain folder, from before the output had generations: swap it for the link
        if not _exchange(link, self.out):
            old = self.out.parent / f".{self.out.name}.tmp-old"
            self.out.rename(old)
            os.replace(link, self.out)
            link = old
        _remove(link)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._lock is not None:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()


def clear_leftovers(out: Path) -> None:
    """Remove what builds killed midway left beside ``out`` (call with the lock held)."""
    for leftover in out.parent.glob(f".{out.name}.tmp-*"):
        _remove(leftover)


def remove_leftovers(out: Path) -> None:
    """Clear what builds killed midway left beside ``out``, as every build does first."""
    out = Path(os.path.abspath(out))
    lock_path = out.parent / f".{out.name}.lock"
    if not out.parent.is_dir():
        return
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        clear_leftovers(out)


class BackgroundRemoval:
    """Folders removed by a process of their own (``rm -rf``), beside the build: tens of
    thousands of unlinks, without this process's time or its interpreter's lock. ``wait``
    for it; where no such process can be started, the folders are removed here."""

    def __init__(self) -> None:
        self._processes: list[subprocess.Popen[bytes]] = []

    def remove(self, folder: Path) -> None:
        try:
            process = subprocess.Popen(
                ["rm", "-rf", "--", os.fspath(folder)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            shutil.rmtree(folder, ignore_errors=True)
            return
        self._processes.append(process)

    def wait(self) -> None:
        for process in self._processes:
            process.wait()
        self._processes.clear()


def _is_folder(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def _remove(path: Path) -> None:
    if _is_folder(path):
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False where the system cannot."""
    import ctypes  # only for an output folder from before generations
    import ctypes.util

    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))
