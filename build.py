#!/usr/bin/env python3
"""Command line of the fact-sheet generator: `python build.py --help`."""

from factsheet.cli import main

if __name__ == "__main__":
    main()
