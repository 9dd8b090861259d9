#!/usr/bin/env python3
"""Command line of the fact-sheet generator: `python build.py --help`."""

from pathlib import Path

from factsheet.dependencies import ensure_dependencies

ensure_dependencies(Path(__file__).resolve().parent)

from factsheet.cli import main  # noqa: E402  (its packages are known to be there)

if __name__ == "__main__":
    main()
