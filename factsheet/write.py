"""Write stage: the new site is written beside the output folder, then swapped in whole.

A failed or killed build leaves the previous output exactly as it was: files are written
into a temporary sibling folder and the two folders are exchanged in one atomic step
(``renameat2(RENAME_EXCHANGE)`` on Linux; two renames elsewhere). A lock file serialises
builds into the same folder.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputError(Exception):
    """The output folder cannot be written (not a content problem)."""


@contextlib.contextmanager
def _locked(out: Path) -> Iterator[None]:
    lock_path = out.parent / f".{out.name}.lock"
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


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


def _remove_leftovers(out: Path) -> None:
    """Folders left by builds that were killed before they finished."""
    for leftover in out.parent.glob(f".{out.name}.tmp-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def write_site(files: Iterable[tuple[str, str | bytes]], out: Path) -> int:
    """Write every (relative path, content) into ``out``, replacing it whole. Returns the count."""
    out = out.resolve()
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} exists and is not a folder; choose another --out")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot create {out.parent}: {err.strerror}") from err
    with _locked(out):
        _remove_leftovers(out)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
        try:
            count = _write_all(files, staging, out)
            staging.chmod(0o755)
            if out.exists():
                if not _exchange(staging, out):
                    old = staging.with_name(staging.name + "-old")
                    out.rename(old)
                    staging.rename(out)
                    staging = old
            else:
                staging.rename(out)
                return count
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return count


def _write_all(files: Iterable[tuple[str, str | bytes]], staging: Path, out: Path) -> int:
    count = 0
    root = staging.resolve()
    for relative, content in files:
        target = (staging / relative).resolve()
        if root not in target.parents:
            raise OutputError(f"refusing to write {relative!r} outside {out}")
        target.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        target.write_bytes(data)
        count += 1
    return count
