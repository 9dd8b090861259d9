"""Write stage: the new site is written beside the output folder, then swapped in whole.

A failed or killed build leaves the previous output exactly as it was: files are written
into a temporary sibling folder and the two folders are exchanged in one atomic step
(``renameat2(RENAME_EXCHANGE)`` on Linux; two renames elsewhere). A lock file serialises
builds into the same folder.

A live preview updates its folder in place instead (``InPlaceOutput``): each file is
replaced atomically, and only when its content changed.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import hashlib
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import IO, Protocol

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputError(Exception):
    """The output folder cannot be written (not a content problem)."""


def safe_relative(relative: str) -> PurePosixPath:
    """``relative`` as a path inside the output folder; refuses anything that could leave it."""
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts or "\\" in relative or "\0" in relative:
        raise OutputError(f"refusing to write {relative!r} outside the output folder")
    return path


def write_file(folder: Path, relative: str, content: str | bytes) -> None:
    """Write one file of the site into ``folder`` (a staging folder)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    _write_bytes(folder / safe_relative(relative), data)


def _write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target``, making its folder first if it does not exist yet."""
    try:
        target.write_bytes(data)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


class TextSink(Protocol):
    """A text file written piece by piece."""

    def write(self, text: str, /) -> int: ...

    def close(self) -> None: ...


class SiteOutput(Protocol):
    """Where the site-wide files go: a staging folder, or a live preview's folder."""

    def write(self, relative: str, content: str | bytes) -> None: ...

    def open(self, relative: str) -> TextSink: ...

    def keep(self, relative: str) -> bool:
        """True when the file written last time is still in place and stands as written now."""
        ...


class StagedOutput:
    """The output folder being rebuilt: write into ``staging``, then ``commit``.

    Leaving the ``with`` block without committing discards everything written.
    """

    def __init__(self, out: Path) -> None:
        self.out = Path(os.path.abspath(out))
        if self.out.exists() and not self.out.is_dir():
            raise OutputError(f"{self.out} exists and is not a folder; choose another --out")
        self.staging = self.out  # set on entry
        self._lock: IO[str] | None = None
        self.count = 0

    def __enter__(self) -> StagedOutput:
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            self._lock = open(self.out.parent / f".{self.out.name}.lock", "a")
        except OSError as err:
            raise OutputError(f"cannot write beside {self.out}: {err.strerror}") from err
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        _clear_leftovers(self.out)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.tmp-", dir=self.out.parent))
        return self

    def write(self, relative: str, content: str | bytes) -> None:
        write_file(self.staging, relative, content)
        self.count += 1

    def open(self, relative: str) -> IO[str]:
        """A text file in the staging folder, for outputs written piece by piece."""
        self.count += 1
        return open(self.staging / safe_relative(relative), "w", encoding="utf-8")

    def keep(self, relative: str) -> bool:
        return False  # a staging folder starts empty

    def commit(self) -> None:
        """Swap the staged site in place of the output folder."""
        self.staging.chmod(0o755)
        if not self.out.exists():
            self.staging.rename(self.out)
            return
        if not _exchange(self.staging, self.out):
            old = self.staging.with_name(self.staging.name + "-old")
            self.out.rename(old)
            self.staging.rename(self.out)
            self.staging = old

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.staging != self.out:
            shutil.rmtree(self.staging, ignore_errors=True)  # the old site, or a failed one
        if self._lock is not None:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()


def _new_hash() -> hashlib.blake2b:
    return hashlib.blake2b(digest_size=16)


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class InPlaceOutput:
    """Writes into a folder being served: a file is replaced whole, and only if it changed.

    ``digests`` (relative path -> digest of the content) says what the folder holds; it is
    kept by the caller from one update to the next. ``changed`` lists what this one wrote.
    """

    def __init__(self, folder: Path, digests: dict[str, bytes]) -> None:
        self.folder = folder
        self.digests = digests
        self.written: set[str] = set()
        self.changed: list[str] = []

    def write(self, relative: str, content: str | bytes) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        digest = _digest(data)
        self.written.add(relative)
        target = self.folder / safe_relative(relative)
        if self._digest_of(relative, target) == digest:
            return
        temporary = target.with_name(f".{target.name}.tmp")
        _write_bytes(temporary, data)
        os.replace(temporary, target)
        self._changed(relative, digest)

    def open(self, relative: str) -> TextSink:
        """A file written piece by piece beside its target, swapped in on ``close`` if changed."""
        return _InPlaceFile(self, relative)

    def keep(self, relative: str) -> bool:
        if self._digest_of(relative, self.folder / safe_relative(relative)) is None:
            return False
        self.written.add(relative)
        return True

    def remove(self, relative: str) -> None:
        """Delete a file the site no longer has."""
        self.digests.pop(relative, None)
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
        self.file = open(self.temporary, "w", encoding="utf-8")  # noqa: SIM115 - closed by close()
        self.hash = _new_hash()

    def write(self, text: str, /) -> int:
        self.hash.update(text.encode("utf-8"))
        return self.file.write(text)

    def close(self) -> None:
        self.file.close()
        digest = self.hash.digest()
        self.output.written.add(self.relative)
        if self.output._digest_of(self.relative, self.target) == digest:
            self.temporary.unlink()
            return
        os.replace(self.temporary, self.target)
        self.output._changed(self.relative, digest)


def _clear_leftovers(out: Path) -> None:
    """Remove what builds killed midway left beside ``out`` (call with the lock held)."""
    for leftover in out.parent.glob(f".{out.name}.tmp-*"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def remove_leftovers(out: Path) -> None:
    """Clear what builds killed midway left beside ``out``, as every build does first."""
    with StagedOutput(out):
        pass


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False where the system cannot."""
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
