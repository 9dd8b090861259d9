"""Write stage: the new site is written beside the output folder, then swapped in whole.

A failed or killed build leaves the previous output exactly as it was: files are written
into a temporary sibling folder and the two folders are exchanged in one atomic step
(``renameat2(RENAME_EXCHANGE)`` on Linux; two renames elsewhere). A lock file serialises
builds into the same folder.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import IO

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
    target = folder / safe_relative(relative)
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        target.write_bytes(data)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


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


def _clear_leftovers(out: Path) -> None:
    """Remove what builds killed midway left beside ``out`` (call with the lock held)."""
    for leftover in out.parent.glob(f".{out.name}.tmp-*"):
        shutil.rmtree(leftover, ignore_errors=True)


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
