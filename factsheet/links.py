"""The ``links`` command: is every source's link still alive?

Every ``url:`` of every source in the annotation files is asked once (``linkcheck.py``), or
answered from what was learnt in the last day (``linkcache.py``), and reported at each ``url:``
line that has it: a dead link as an error, a permanent redirect as a warning naming the new
address. A dead link without an ``archived:`` copy gets a suggestion of where to look for one.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import quote

import click

from .linkcache import LinkCache, cache_path
from .linkcheck import LinkChecker, LinkResult, host_of
from .load import load_content
from .model import Content
from .problems import ContentError, Location, Problem
from .report import report_problems
from .summary import escape

ARCHIVE_SEARCH = "https://web.archive.org/web/*/"


@dataclass(frozen=True)
class LinkUse:
    """One ``url:`` line: the link, where it is written, and its source."""

    url: str
    location: Location
    title: str
    archived: str | None


def link_uses(content: Content) -> list[LinkUse]:
    """Every source link of every claim, in the order of the files and lines."""
    uses = [
        LinkUse(source.url, source.url_location or claim.location, source.title, source.archived)
        for notes in content.annotations.values()
        for claim in notes.claims
        for source in claim.sources
        if source.url is not None
    ]
    return sorted(uses, key=lambda use: use.location)


def archive_search(url: str) -> str:
    """Where the Wayback Machine lists its copies of ``url``."""
    return ARCHIVE_SEARCH + url


@dataclass(frozen=True)
class LinkReport:
    uses: list[LinkUse]
    results: dict[str, LinkResult]  # by URL, one for every use
    remembered: int  # how many URLs were answered from the cache

    def at(self, state: str) -> list[LinkUse]:
        return [use for use in self.uses if self.results[use.url].state == state]

    @property
    def dead(self) -> list[LinkUse]:
        return self.at("dead")

    @property
    def moved(self) -> list[LinkUse]:
        return self.at("moved")

    def problems(self) -> list[Problem]:
        """An error at each dead link's ``url:`` line, a warning at each moved one's."""
        found = []
        for use in self.uses:
            result = self.results[use.url]
            if result.state == "dead":
                found.append(Problem(use.location, _dead_message(use, result)))
            elif result.state == "moved":
                message = (
                    f"{use.url} has moved permanently ({result.detail}) to {result.moved_to}; "
                    "replace the url with the new address"
                )
                found.append(Problem(use.location, message, "warning"))
        return found

    def summary_line(self) -> str:
        addresses = len(self.results)
        hosts = len({host_of(url) for url in self.results})
        line = (
            f"Checked {_count(len(self.uses), 'link')} to {_count(addresses, 'address')} "
            f"on {_count(hosts, 'host')}: {len(self.dead)} dead, "
            f"{len(self.moved)} moved permanently."
        )
        if self.remembered:
            line += (
                f" {_count(self.remembered, 'address')} answered from the last "
                "day's check (--no-cache asks again)."
            )
        return line

    def markdown(self, file_link: Callable[[Location], str | None] | None = None) -> str:
        """The report as GitHub-flavoured Markdown, for a job summary."""
        link = file_link or (lambda _location: None)
        lines = ["## Source links", "", escape(self.summary_line()), ""]
        if not self.dead and not self.moved:
            lines += ["Every link answered.", ""]
        if self.dead:
            lines += [
                "### Dead links",
                "",
                "| where | source | link | problem | archived copy |",
                "| --- | --- | --- | --- | --- |",
            ]
            for use in self.dead:
                if use.archived:
                    archived = f"[archived copy]({_href(use.archived)})"
                else:
                    archived = f"none: [look for one]({_href(archive_search(use.url))})"
                lines.append(
                    f"| {_where(use.location, link)} | {escape(use.title, 80)} | "
                    f"{_link(use.url)} | {escape(self.results[use.url].detail)} | {archived} |"
                )
            lines.append("")
        if self.moved:
            lines += [
                "### Moved permanently",
                "",
                "| where | source | link | new address |",
                "| --- | --- | --- | --- |",
            ]
            for use in self.moved:
                result = self.results[use.url]
                lines.append(
                    f"| {_where(use.location, link)} | {escape(use.title, 80)} | "
                    f"{_link(use.url)} | {_link(result.moved_to or '')} |"
                )
            lines.append("")
        return "\n".join(lines)


def check_links(
    content: Content,
    *,
    timeout: float,
    jobs: int,
    use_cache: bool = True,
    progress: Callable[[int], contextlib.AbstractContextManager[Callable[[str], None]]]
    | None = None,
) -> LinkReport:
    """Ask every source link (or remember its answer) and report on them all."""
    uses = link_uses(content)
    now = time.time()
    cache = LinkCache(cache_path(), now)  # read even when not used, so that saving keeps it
    urls = list(dict.fromkeys(use.url for use in uses))
    results = {url: known for url in urls if use_cache and (known := cache.get(url)) is not None}
    remembered = len(results)
    to_ask = [url for url in urls if url not in results]
    checker = LinkChecker(timeout=timeout, user_agent=user_agent(content), clock=time.time)
    shown = progress or _no_progress
    with shown(len(to_ask)) as advance:
        for result in checker.check(to_ask, jobs=jobs):
            results[result.url] = result
            cache.remember(result)
            advance(host_of(result.url))
    if to_ask:
        cache.save()
    return LinkReport(uses, results, remembered)


def user_agent(content: Content) -> str:
    """Names the tool and the site, so a web server's owner can tell who is asking."""
    try:
        version = metadata.version("factsheet")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a plain checkout
        version = "0"
    return f"factsheet-links/{version} (source link check for {content.site.base_url})"


def links_command(
    content_dir: Path,
    *,
    timeout: float,
    jobs: int,
    use_cache: bool,
    summary: Path | None,
) -> int:
    """``python build.py links``: prints the dead and moved links; 1 if any is dead."""
    try:
        content = load_content(content_dir)
    except ContentError as error:
        report_problems(error.problems, outcome="no link was checked")
        return 1
    report = check_links(
        content, timeout=timeout, jobs=jobs, use_cache=use_cache, progress=terminal_progress
    )
    problems = report.problems()
    failed = bool(report.dead)
    out = sys.stderr
    for problem in problems:
        print(problem.format(), file=out)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in problems:
            print(problem.github_command(), file=sys.stdout)
    print(report.summary_line(), file=sys.stderr if failed else sys.stdout)
    if summary is not None:
        try:
            with summary.open("a", encoding="utf-8") as handle:
                handle.write(report.markdown(github_file_link()) + "\n")
        except OSError as error:
            raise click.ClickException(f"cannot write the summary to {summary}: {error}") from error
    return 1 if failed else 0


@contextlib.contextmanager
def terminal_progress(total: int) -> Iterator[Callable[[str], None]]:
    """A progress bar on standard error when it is a terminal (never in a log)."""
    if total == 0 or not sys.stderr.isatty():
        yield lambda _host: None
        return
    with click.progressbar(
        length=total,
        label="Checking links",
        file=sys.stderr,
        show_pos=True,
        item_show_func=lambda host: host,
    ) as bar:
        yield lambda host: bar.update(1, host)


@contextlib.contextmanager
def _no_progress(_total: int) -> Iterator[Callable[[str], None]]:
    yield lambda _host: None


def github_file_link() -> Callable[[Location], str | None] | None:
    """Links to a file's line in the repository, when run by GitHub Actions."""
    server = os.environ.get("GITHUB_SERVER_URL")
    repository = os.environ.get("GITHUB_REPOSITORY")
    commit = os.environ.get("GITHUB_SHA")
    if not (server and repository and commit):
        return None

    def link(location: Location) -> str | None:
        path = Path(location.path)
        if path.is_absolute() or ".." in path.parts:
            return None
        return f"{server}/{repository}/blob/{commit}/{path.as_posix()}#L{location.line}"

    return link


def _dead_message(use: LinkUse, result: LinkResult) -> str:
    said = f"{use.url} is dead ({result.detail})"
    if use.archived:
        return (
            f"{said}; readers still have its archived copy; link the page's new address, "
            "or delete this 'url:' line if the page is gone for good"
        )
    return (
        f"{said}; try {archive_search(use.url)} for an archived copy and add it to this "
        "source as 'archived: <its address>'"
    )


def _where(location: Location, link: Callable[[Location], str | None]) -> str:
    text = escape(f"{location.path}:{location.line}")
    target = link(location)
    return f"[{text}]({_href(target)})" if target else text


def _link(url: str) -> str:
    return f"[{escape(url)}]({_href(url)})"


def _href(url: str) -> str:
    """``url`` as a Markdown link destination that stays inside a table cell."""
    return "<" + quote(url, safe="/:?#[]@!$&'()*+,;=%~-._") + ">"


def _count(n: int, noun: str) -> str:
    plural = noun + ("es" if noun.endswith("ss") else "s")
    return f"{n} {noun if n == 1 else plural}"
