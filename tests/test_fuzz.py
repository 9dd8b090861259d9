"""Whatever an editor's mistake does to a content file, the build ends cleanly.

The real ``content/`` files are mutated the ways files get damaged by hand or by tools (byte
flips, lines deleted, duplicated or swapped, indentation changed, quotes deleted, YAML
punctuation or random Unicode inserted, the file cut short) and the whole pipeline runs on each
mutant in-process. Every run either builds the site or raises ``ContentError`` with problems
that name a content file and a line, each on one line; nothing else escapes, and nothing
hangs. ``scripts/fuzz.py --count N`` runs the same fuzzer for as long as wanted.
"""

from __future__ import annotations

import contextlib
import random
import shutil
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factsheet.pipeline import build_site, check_content
from factsheet.problems import ContentError

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SECONDS_PER_INPUT = 10.0

Mutator = Callable[[random.Random, bytes], bytes]


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise TimeoutError in the block if it runs longer than ``seconds`` (main thread only)."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- mutators: each takes a file's bytes and returns a damaged copy -------------------------

# What may be inserted: YAML and Markdown punctuation, markup, control and odd Unicode
# characters, a lone surrogate (invalid UTF-8 once encoded), and long runs.
INSERTS = [
    ":",
    ": ",
    "- ",
    "#",
    "&a ",
    "*a",
    "!!python/object:os.system ",
    "!!binary ",
    "<<: ",
    "{",
    "}",
    "[",
    "]",
    "|",
    ">",
    "'",
    '"',
    "\\",
    "`",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "\x00",
    "\x1b",
    "\x7f",
    "\u0085",
    "\u00a0",
    "\u200b",
    "\u2028",
    "\u202e",
    "\ufeff",
    "\ufffd",
    "\U0001f600",
    "\u0301",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "{{ 7 * 7 }}",
    "{% raw %}",
    "~" * 200,
    "a" * 5000,
]


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def flip_byte(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return bytes([rng.randrange(256)])
    at = rng.randrange(len(data))
    return data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1 :]


def random_byte(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + bytes([rng.randrange(256)]) + data[at + 1 :]


def delete_line(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    del lines[rng.randrange(len(lines))]
    return b"".join(lines)


def duplicate_line(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    at = rng.randrange(len(lines))
    lines.insert(at, lines[at])
    return b"".join(lines)


def swap_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[a], lines[b] = lines[b], lines[a]
    return b"".join(lines)


def reindent(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    at = rng.randrange(len(lines))
    stripped = lines[at].lstrip(b" \t")
    indent = rng.choice([b"", b" ", b"  ", b"   ", b"    ", b"      ", b"\t", b" \t"])
    lines[at] = indent + stripped
    return b"".join(lines)


def delete_quote(rng: random.Random, data: bytes) -> bytes:
    quotes = [i for i, byte in enumerate(data) if byte in b"\"'`"]
    if not quotes:
        return delete_line(rng, data)
    at = rng.choice(quotes)
    return data[:at] + data[at + 1 :]


def insert_text(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "surrogateescape")
    at = rng.randrange(len(text) + 1)
    piece = rng.choice(INSERTS)
    return (text[:at] + piece + text[at:]).encode("utf-8", "surrogateescape")


def insert_unicode(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "surrogateescape")
    at = rng.randrange(len(text) + 1)
    char = chr(
        rng.choice(
            [rng.randrange(0x20, 0x80), rng.randrange(0x80, 0x3000)] * 3 + [rng.randrange(0x110000)]
        )
    )
    return (text[:at] + char + text[at:]).encode("utf-8", "surrogatepass")


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def delete_span(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + data[at + rng.randrange(1, 80) :]


MUTATORS: tuple[Mutator, ...] = (
    flip_byte,
    random_byte,
    delete_line,
    duplicate_line,
    swap_lines,
    reindent,
    delete_quote,
    insert_text,
    insert_unicode,
    truncate,
    delete_span,
)


# --- running one mutant --------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    built: bool
    problems: int


class Fuzzer:
    """A copy of the real content in ``workdir``; each run damages one file, then restores it."""

    def __init__(self, workdir: Path, content: Path = CONTENT) -> None:
        self.content = workdir / "content"
        self.out = workdir / "out"
        shutil.copytree(content, self.content)
        self.originals = {
            p.relative_to(self.content).as_posix(): p.read_bytes()
            for p in sorted(self.content.rglob("*"))
            if p.is_file()
        }
        self.names = sorted(self.originals)

    def mutant(self, rng: random.Random, mutators: list[Mutator]) -> tuple[str, bytes]:
        name = rng.choice(self.names)
        data = self.originals[name]
        for mutate in mutators:
            data = mutate(rng, data)
        return name, data

    def run(self, name: str, data: bytes, *, build: bool) -> Outcome:
        """Check (and when ``build``, build) with ``name`` replaced by ``data``.

        Raises AssertionError for a malformed problem, and lets any unexpected exception out.
        """
        path = self.content / name
        path.write_bytes(data)
        try:
            with deadline(SECONDS_PER_INPUT):
                try:
                    if build:
                        build_site(self.content, self.out)
                    else:
                        check_content(self.content)
                except ContentError as error:
                    self._assert_well_formed(error)
                    return Outcome(built=False, problems=len(error.problems))
            return Outcome(built=True, problems=0)
        finally:
            path.write_bytes(self.originals[name])

    def _assert_well_formed(self, error: ContentError) -> None:
        assert error.problems, "a ContentError without any problem"
        for problem in error.problems:
            line = problem.format()
            assert "\n" not in line and "\r" not in line, line
            assert problem.location.line >= 1, line
            assert str(self.content.name) in problem.location.path, line


def fuzz(fuzzer: Fuzzer, count: int, seed: int, *, build_every: int = 4) -> dict[str, int]:
    """Run ``count`` seeded mutants; every ``build_every``-th goes through a full build."""
    tally = {"inputs": 0, "built": 0, "refused": 0}
    for index in range(count):
        rng = random.Random(f"{seed}:{index}")
        mutators = [rng.choice(MUTATORS) for _ in range(rng.choice([1, 1, 1, 2, 3, 8]))]
        name, data = fuzzer.mutant(rng, mutators)
        try:
            outcome = fuzzer.run(name, data, build=index % build_every == 0)
        except BaseException as error:
            kinds = ", ".join(m.__name__ for m in mutators)
            error.add_note(f"input {index} of seed {seed}: {name} after {kinds}")
            raise
        tally["inputs"] += 1
        tally["built" if outcome.built else "refused"] += 1
    return tally


# --- the tests ------------------------------------------------------------------------------


def test_the_unchanged_content_builds(tmp_path: Path) -> None:
    fuzzer = Fuzzer(tmp_path)
    name = fuzzer.names[0]
    assert fuzzer.run(name, fuzzer.originals[name], build=True) == Outcome(built=True, problems=0)


def test_a_broken_file_is_a_content_error_not_a_crash(tmp_path: Path) -> None:
    fuzzer = Fuzzer(tmp_path)
    outcome = fuzzer.run("site.yaml", b"title: [unclosed\n", build=True)
    assert outcome == Outcome(built=False, problems=1)


def test_a_hundred_and_fifty_seeded_mutants_each_build_or_give_clear_problems(
    tmp_path: Path,
) -> None:
    tally = fuzz(Fuzzer(tmp_path), 150, seed=2026)
    assert tally["inputs"] == 150
    # the mutants are varied enough to reach both outcomes often
    assert tally["built"] >= 10 and tally["refused"] >= 50, tally


@st.composite
def _mutants(draw: st.DrawFn) -> tuple[int, list[Mutator]]:
    seed = draw(st.integers(0, 2**32 - 1))
    return seed, draw(st.lists(st.sampled_from(MUTATORS), min_size=1, max_size=6))


@pytest.fixture(scope="module")
def shared_fuzzer(tmp_path_factory: pytest.TempPathFactory) -> Fuzzer:
    """One copy of the content for every hypothesis example (each run restores its file)."""
    return Fuzzer(tmp_path_factory.mktemp("fuzz"))


@settings(max_examples=100, deadline=None, derandomize=True)
@given(mutant=_mutants())
def test_any_sequence_of_mutations_builds_or_gives_clear_problems(
    shared_fuzzer: Fuzzer, mutant: tuple[int, list[Mutator]]
) -> None:
    seed, mutators = mutant
    name, data = shared_fuzzer.mutant(random.Random(seed), mutators)
    shared_fuzzer.run(name, data, build=seed % 4 == 0)
