"""The command line: build, check, serve, find. Thin: it parses options and calls the engine."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .build_stamp import skip_if_unchanged
from .problems import ContentError
from .project import DEFAULT_TEMPLATES
from .report import report_problems
from .write import OutputError

CONTENT = click.option(
    "--content",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("content"),
    show_default=True,
    help="The content folder: site.yaml, articles/, annotations/, pages/.",
)

JOBS = click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes to use (default: one per CPU core).",
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
@JOBS
def build(
    content: Path, out: Path, base_url: str | None, templates: Path, jobs: int | None
) -> None:
    """Check the content and build the site."""
    _, unchanged = skip_if_unchanged(content, out, templates, base_url)
    if unchanged is not None:  # answered before the engine is even imported
        click.echo(f"Nothing changed since the last build of {out}.")
        return
    from .pipeline import build_site
    from .templating import TemplateProblem

    try:
        report = build_site(content, out, base_url=base_url, templates=templates, jobs=jobs)
    except ContentError as err:
        report_problems(err.problems)
        sys.exit(1)
    except (OutputError, TemplateProblem) as err:
        raise click.ClickException(str(err)) from err
    if report.unchanged:
        click.echo(f"Nothing changed since the last build of {out}.")
    else:
        counts = f"{report.articles} articles, {report.claims} claims, {report.files} files"
        plural = "s" if report.kept != 1 else ""
        kept = f" ({report.kept} unchanged article{plural} kept from the last build)"
        kept = kept if report.kept else ""
        click.echo(f"Built {out}: {counts}{kept}.")
        parts, indexed, cpu, memory = report.search
        if parts:
            what = f"{parts} part{'s' if parts != 1 else ''}, {indexed} indexed by this build"
            cost = f"{cpu:.2f} s of indexing CPU"
            cost += f", {memory:.0f} MiB for the largest indexer" if indexed else ""
            click.echo(f"Search index: {what} ({cost}).")


@main.command()
@CONTENT
@JOBS
def check(content: Path, jobs: int | None) -> None:
    """Check the content without building: every problem, with its file and line."""
    try:
        from .pipeline import check_content

        report = check_content(content, jobs=jobs)
    except ContentError as err:
        report_problems(err.problems)
        sys.exit(1)
    click.echo(f"OK: {report.articles} articles, {report.claims} claims, no problems.")


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
