"""Splitting a Markdown file into its YAML front matter and its body."""

from __future__ import annotations

from dataclasses import dataclass

from .problems import ContentError, Location, Problem

DELIMITER = "---"


@dataclass(frozen=True)
class FrontMatter:
    """The parts of a Markdown file that starts with front matter between two '---' lines."""

    yaml: str  # the text between the delimiter lines
    yaml_line_offset: int  # how many file lines come before the YAML (the opening '---')
    body: str  # everything after the closing '---' line
    body_line: int  # the file's line number of the body's first line


def split_front_matter(text: str, path: str) -> FrontMatter:
    """Split ``text`` (line endings already '\\n'); raises ``ContentError`` when it cannot."""
    lines = text.split("\n")
    if lines[0].rstrip() != DELIMITER:
        raise ContentError(
            [
                Problem(
                    Location(path, 1),
                    "no front matter; the file must start with a '---' line, then 'title: ...' "
                    "and the other details, then another '---' line before the text",
                )
            ]
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() == DELIMITER:
            return FrontMatter(
                yaml="\n".join(lines[1:index]) + "\n",
                yaml_line_offset=1,
                body="\n".join(lines[index + 1 :]),
                body_line=index + 2,
            )
    raise ContentError(
        [
            Problem(
                Location(path, 1),
                "the front matter opened here is never closed; add a '---' line after its "
                "last 'key: value' line, before the text",
            )
        ]
    )
