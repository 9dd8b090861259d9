"""Pagefind's indexer, driven through its service mode: HTML documents in, a search bundle out.

The ``pagefind`` package runs its Rust indexer as a service that reads requests on standard
input and answers on standard output, each message base64-encoded JSON followed by a comma.
Its own asyncio client waits a tenth of a second before reading each answer, which makes
tens of thousands of records take minutes; this client writes the requests as fast as the
indexer takes them and reads the answers on a thread of its own (so neither pipe fills up),
in the same protocol and with the same binary (``pagefind.service.get_executable``).

The indexer handles requests one at a time in the order they arrive, so records keep the
order they were added in, and so do the pages of the index.
"""

from __future__ import annotations

import base64
import contextlib
import ctypes
import ctypes.util
import functools
import json
import os
import queue
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Mapping
from typing import IO, Any

from pagefind.service import get_executable

_M_ARENA_MAX = -8  # glibc's mallopt parameter


@functools.cache
def _few_malloc_arenas() -> None:
    """Have the C allocator share its arenas between threads (glibc gives each thread its
    own). Each indexer's answers are read on a thread of their own, a bundle several
    megabytes at a time; with an arena per thread, what was freed stays with the thread's
    arena, and a build of many parts would keep hundreds of megabytes it no longer uses."""
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name) if name else None
    mallopt = getattr(libc, "mallopt", None)
    if mallopt is not None:
        mallopt(_M_ARENA_MAX, 2)


# Pagefind's binary allocates with jemalloc, which spreads its threads over several arenas
# (four per CPU): making a bundle, what one thread frees another cannot reuse, and the
# indexer's peak grows by a sixth (measured on parts of 1,900 and 2,800 documents; one arena
# costs no CPU). One arena is asked for unless the environment says otherwise.
JEMALLOC_CONF = ("_RJEM_MALLOC_CONF", "narenas:1")


def indexer_environment() -> dict[str, str]:
    """The environment the indexer runs in: this one, with its allocator's settings."""
    name, value = JEMALLOC_CONF
    return {**os.environ, name: os.environ.get(name, value)}


READ_SIZE = 1 << 16  # what a pipe holds: a thread waiting on each of many indexers holds this much


def read_messages(descriptor: int, size: int = READ_SIZE) -> Iterator[bytes]:
    """The messages read from ``descriptor`` until it ends, each without its closing comma.

    A message is gathered from the chunks read since the last comma and joined once, so that
    a bundle's answer of many megabytes costs its own length, not its length times the
    number of chunks it came in.
    """
    chunks: list[bytes] = []
    # every read goes into this one buffer: os.read would allocate ``size`` bytes for each, and
    # tens of reader threads doing so left a build's C heap at 118 MiB with 24 MiB in use
    buffer = bytearray(size)
    view = memoryview(buffer)
    while count := os.readv(descriptor, (buffer,)):
        chunk = bytes(view[:count])
        if b"," not in chunk:
            chunks.append(chunk)
            continue
        first, *others, rest = chunk.split(b",")
        chunks.append(first)
        message = b"".join(chunks)
        chunks = [rest] if rest else []
        if message:
            yield message
        yield from (other for other in others if other)


class PagefindError(Exception):
    """The indexer could not be started, refused a record, or could not write its bundle."""


class PagefindIndexer:
    """One index being built by one indexer process; ``write`` it once, then ``close`` it."""

    def __init__(self, config: Mapping[str, object]) -> None:
        _few_malloc_arenas()
        binary = get_executable()
        if binary is None:
            raise PagefindError(
                "the Pagefind indexer is not installed: pip install 'pagefind[extended]'"
            )
        self._log: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        try:
            self._process = subprocess.Popen(
                [os.fspath(binary), "--service"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._log,
                env=indexer_environment(),
            )
        except OSError as err:
            self._log.close()
            raise PagefindError(f"cannot start the Pagefind indexer: {err}") from err
        self._answers: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._awaited: set[int] = set()  # the requests whose answers _wait will take
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._next_id = 0
        self._sent = 0
        self.cpu_seconds = 0.0  # the indexer's own CPU time, known once it is closed
        self.peak_rss_kib = 0  # and its peak memory
        self._closed = False
        self._index_id = 0
        answer = self._wait(self._send({"type": "NewIndex", "config": dict(config)}, awaited=True))
        self._index_id = int(answer["index_id"])

    def add_html(self, url: str, html: str) -> None:
        """Add one HTML document, found at ``url`` (kept as given)."""
        self._send(
            {
                "type": "AddFile",
                "index_id": self._index_id,
                "url": url,
                "file_path": None,
                "file_contents": html,
            }
        )

    def add_record(self, record: str) -> None:
        """Add one record, as the JSON of its fields (``url``, ``content``, ``language``,
        ``meta``, ``filters``: see ``pagefind_record``); the indexer takes it as it would the
        record it makes of a document."""
        if not record.startswith("{"):
            raise ValueError("a record is a JSON object")
        self._send_json(f'{{"type":"AddRecord","index_id":{self._index_id},{record[1:]}')

    def bundle(self) -> dict[str, bytes]:
        """The bundle's files (path inside the bundle -> bytes); raise on any refused record."""
        return self.finish_bundle(self.start_bundle())

    def start_bundle(self) -> int:
        """Ask for the bundle; ``finish_bundle`` waits for it. Several indexers asked one after
        the other make theirs at the same time.

        The bundle comes back over the pipe rather than written by the indexer: it does not
        flush its files before it answers that they are written.
        """
        message = self._send({"type": "GetFiles", "index_id": self._index_id}, awaited=True)
        self._flush()
        return message

    def finish_bundle(self, request: int) -> dict[str, bytes]:
        answer = self._wait(request)
        return {file["path"]: base64.b64decode(file["content"]) for file in answer["files"]}

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        stdin = self._process.stdin
        if stdin is not None:
            with contextlib.suppress(OSError):
                stdin.close()
        self._reader.join(timeout=60)  # the indexer exits when its input ends
        if self._reader.is_alive():
            self._process.kill()
            self._reader.join()
        _, status, usage = os.wait4(self._process.pid, 0)
        self._process.returncode = os.waitstatus_to_exitcode(status)
        self.cpu_seconds = usage.ru_utime + usage.ru_stime
        self.peak_rss_kib = usage.ru_maxrss
        self._log.close()

    def __enter__(self) -> PagefindIndexer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the protocol ----------------------------------------------------------------------

    def _send(self, payload: dict[str, object], awaited: bool = False) -> int:
        """Send a request; its answer is kept for ``_wait`` when ``awaited``, else only if it
        is an error (the indexer answers every record: tens of thousands of answers)."""
        return self._send_json(json.dumps(payload), awaited)

    def _send_json(self, payload: str, awaited: bool = False) -> int:
        """``_send`` a payload given as JSON."""
        message_id = self._next_id
        self._next_id += 1
        if awaited:
            self._awaited.add(message_id)
        message = f'{{"message_id":{message_id},"payload":{payload}}}'.encode()
        stdin = self._process.stdin
        assert stdin is not None
        try:
            stdin.write(base64.b64encode(message) + b",")
        except (BrokenPipeError, ValueError) as err:
            raise PagefindError(f"the Pagefind indexer stopped: {self._stderr()}") from err
        self._sent += 1
        return message_id

    def _flush(self) -> None:
        stdin = self._process.stdin
        assert stdin is not None
        try:
            stdin.flush()
        except (BrokenPipeError, ValueError) as err:
            raise PagefindError(f"the Pagefind indexer stopped: {self._stderr()}") from err

    def _wait(self, message_id: int) -> dict[str, Any]:
        """Every answer up to that of ``message_id``, which is returned; the first error raised."""
        self._flush()
        errors: list[str] = []
        while True:
            answer = self._answers.get()
            if answer is None:
                raise PagefindError(f"the Pagefind indexer stopped: {self._stderr()}")
            payload: dict[str, Any] = answer.get("payload", {})
            if payload.get("type") == "Error":
                errors.append(str(payload.get("message")))
            if answer.get("message_id") == message_id:
                self._awaited.discard(message_id)
                if errors:
                    raise PagefindError("Pagefind: " + "; ".join(sorted(set(errors))))
                return payload

    def _read(self) -> None:
        stdout = self._process.stdout
        assert stdout is not None
        for message in read_messages(stdout.fileno()):
            answer = json.loads(base64.b64decode(message))
            payload = answer.get("payload", {})
            wanted = answer.get("message_id") in self._awaited
            if wanted or (isinstance(payload, dict) and payload.get("type") == "Error"):
                self._answers.put(answer)
        self._answers.put(None)  # the indexer has exited

    def _stderr(self) -> str:
        self._log.seek(0)
        text = self._log.read().decode("utf-8", "replace").strip()
        return text.splitlines()[-1] if text else "no message"
