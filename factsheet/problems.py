"""Problems in the content: where they are, what they are, and how they are printed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, order=True)
class Location:
    """A place in a content file: ``path`` as printed; ``line`` and ``col`` count from 1."""

    path: str
    line: int = 1
    col: int | None = None

    def at(self, line: int, col: int | None = None) -> Location:
        return Location(self.path, line, col)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, with what to do about it.

    An error stops a build; a warning (``links`` reports a moved link as one) does not.
    """

    location: Location
    message: str
    severity: Literal["error", "warning"] = "error"

    def format(self) -> str:
        loc = self.location
        where = f"{loc.path}:{loc.line}:{loc.col}" if loc.col else f"{loc.path}:{loc.line}"
        return f"{where}: {self.severity}: {self.message}"

    def github_command(self) -> str:
        """The GitHub Actions workflow command that shows this problem on a pull request's diff."""
        loc = self.location
        props = f"file={_escape_property(loc.path)},line={loc.line}"
        if loc.col:
            props += f",col={loc.col}"
        return f"::{self.severity} {props}::{_escape_data(self.message)}"


class ContentError(Exception):
    """Raised by a stage when the content has problems; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = sorted(set(problems))
        super().__init__(f"{len(self.problems)} problem(s) in the content")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
