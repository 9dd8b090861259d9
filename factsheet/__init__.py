"""factsheet: a static site generator for annotated fact sheets."""

__version__ = "0.1.0"
