"""Printing problems for people and for GitHub Actions."""

from __future__ import annotations

import os
import sys
from typing import TextIO

from .problems import Problem


def report_problems(
    problems: list[Problem], stream: TextIO | None = None, *, outcome: str = "nothing was written"
) -> None:
    """Print every problem compiler-style, then a count and the ``outcome``; on GitHub Actions
    also as ``::error``."""
    out = stream or sys.stderr
    for problem in problems:
        print(problem.format(), file=out)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in problems:
            print(problem.github_command(), file=sys.stdout)
    files = len({p.location.path for p in problems})
    noun = "error" if len(problems) == 1 else "errors"
    where = "file" if files == 1 else "files"
    print(f"{len(problems)} {noun} in {files} {where}; {outcome}.", file=out)
