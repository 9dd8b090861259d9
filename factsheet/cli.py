"""The command line: build, check, serve, find. Thin: it parses options and calls the engine."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .pipeline import build_site, check_content
from .problems import ContentError
from .report import report_problems
from .templating import DEFAULT_TEMPLATES, TemplateProblem
from .write import OutputError

CONTENT = click.option(
    "--content",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("content"),
    show_default=True,
    help="The content folder: site.yaml, articles/, annotations/, pages/.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="factsheet", message="%(prog)s %(version)s")
def main() -> None:
    """Publish news articles with every checkable claim marked in place."""


@main.command()
@CONTENT
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="Where to write the site. It is replaced whole, and only when the build succeeds.",
)
@click.option("--base-url", help="The absolute URL the site is served at; overrides site.yaml.")
@click.option(
    "--templates",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=DEFAULT_TEMPLATES,
    help="The templates folder (default: the project's own templates/).",
)
def build(content: Path, out: Path, base_url: str | None, templates: Path) -> None:
    """Check the content and build the site."""
    try:
        report = build_site(content, out, base_url=base_url, templates=templates)
    except ContentError as err:
        report_problems(err.problems)
        sys.exit(1)
    except (OutputError, TemplateProblem) as err:
        raise click.ClickException(str(err)) from err
    click.echo(
        f"Built {out}: {report.articles} articles, {report.claims} claims, {report.files} files."
    )


@main.command()
@CONTENT
def check(content: Path) -> None:
    """Check the content without building: every problem, with its file and line."""
    try:
        loaded = check_content(content)
    except ContentError as err:
        report_problems(err.problems)
        sys.exit(1)
    claims = sum(len(a.claims) for a in loaded.annotations.values())
    click.echo(f"OK: {len(loaded.articles)} articles, {claims} claims, no problems.")


@main.command()
@CONTENT
@click.argument("slug")
@click.argument("text")
def find(content: Path, slug: str, text: str) -> None:
    """Show where TEXT anchors in article SLUG, and print a claim ready to paste.

    Exits 0 when TEXT occurs exactly once; for several occurrences it proposes the prefix
    or suffix that picks each one.
    """
    from .find import find_command

    sys.exit(find_command(content, slug, text))


@main.command()
@CONTENT
@click.option("--port", type=int, default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to build (default: a temporary folder).",
)
def serve(content: Path, port: int, out: Path | None) -> None:
    """Build, serve on 127.0.0.1, and rebuild on every change; a broken edit is reported."""
    from .serve import serve_forever

    serve_forever(content, port=port, out=out)
