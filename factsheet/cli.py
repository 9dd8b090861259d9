"""The command line: build, check, serve, find, links. Thin: it parses options, calls the engine."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .build_stamp import skip_if_unchanged
from .collector import tune_for_a_build
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


BASELINE = click.option(
    "--baseline",
    type=click.Path(dir_okay=True, path_type=Path),
    default=None,
    help=(
        "The claims.json of the published site (or of the pull request's base branch). A "
        "claim whose verdict or correction changed without a new update entry, or that was "
        "removed instead of withdrawn, is an error."
    ),
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
@BASELINE
@click.option(
    "--search/--no-search",
    default=None,
    help="Make the search page and its index, or not; overrides site.yaml's 'search' (on).",
)
def build(
    content: Path,
    out: Path,
    base_url: str | None,
    templates: Path,
    jobs: int | None,
    baseline: Path | None,
    search: bool | None,
) -> None:
    """Check the content and build the site."""
    inputs, unchanged = skip_if_unchanged(content, out, templates, base_url, baseline, search)
    if unchanged is not None:  # answered before the engine is even imported
        click.echo(f"Nothing changed since the last build of {out}.")
        return
    from .pipeline import build_site
    from .templating import TemplateProblem

    tune_for_a_build()

    try:
        report = build_site(
            content,
            out,
            base_url=base_url,
            templates=templates,
            jobs=jobs,
            baseline=baseline,
            search=search,
            inputs=inputs,
        )
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
@BASELINE
def check(content: Path, jobs: int | None, baseline: Path | None) -> None:
    """Check the content without building: every problem, with its file and line."""
    try:
        from .pipeline import check_content

        report = check_content(content, jobs=jobs, baseline=baseline)
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


@main.command()
@CONTENT
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    help="Seconds to wait for each answer before counting a link as dead.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=8,
    show_default=True,
    help="Hosts to ask at once; each host is asked one request at a time.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Ask every link again, even those that answered in the last day.",
)
@click.option(
    "--summary",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also append the report as Markdown to this file (e.g. $GITHUB_STEP_SUMMARY).",
)
def links(content: Path, timeout: float, jobs: int, no_cache: bool, summary: Path | None) -> None:
    """Check that every source link is alive: a dead link is an error at its url: line, a
    permanent redirect a warning naming the new address. Exits 1 when any link is dead.

    Links that answered are remembered for a day in the user's cache folder; dead ones are
    asked again on every run.
    """
    from .links import links_command

    sys.exit(
        links_command(content, timeout=timeout, jobs=jobs, use_cache=not no_cache, summary=summary)
    )
