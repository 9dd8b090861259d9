"""`links` asks every source link and reports the dead and the moved at their `url:` lines.

Every link points at web servers these tests run on 127.0.0.1 and 127.0.0.2 (or at a port
where nothing listens): nothing reaches the internet. Each run has its own cache folder.
"""

from __future__ import annotations

import http.server
import json
import os
import pty
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from factsheet.linkcheck import LinkChecker
from tests.helpers import good_files, write_tree
from tests.test_build import ROOT, run

ANNOTATIONS = "content/annotations/cruise-orbit.yaml"
TIMEOUT = "0.5"
SLOW = 2.0  # seconds the slow page takes: longer than TIMEOUT
PACE = 0.15  # seconds each "paced" page takes, so that requests overlap if they can
URL_COL = 14  # where a url's value starts in the annotation files written below


@dataclass
class Traffic:
    """What the servers saw: every request, and the most requests in flight at once."""

    requests: list[tuple[str, str, str]] = field(default_factory=list)  # host, method, path
    in_flight: dict[str, int] = field(default_factory=dict)
    most_per_host: dict[str, int] = field(default_factory=dict)
    most_at_once: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def begin(self, host: str, method: str, path: str) -> None:
        with self.lock:
            self.requests.append((host, method, path))
            self.in_flight[host] = self.in_flight.get(host, 0) + 1
            self.most_per_host[host] = max(self.most_per_host.get(host, 0), self.in_flight[host])
            self.most_at_once = max(self.most_at_once, sum(self.in_flight.values()))

    def end(self, host: str) -> None:
        with self.lock:
            self.in_flight[host] -= 1

    def paths(self) -> list[tuple[str, str]]:
        with self.lock:
            return [(method, path) for _host, method, path in self.requests]


# path -> (status for HEAD, status for GET, Location, seconds before answering)
ROUTES: dict[str, tuple[int, int, str | None, float]] = {
    "/ok": (200, 200, None, 0),
    "/new-home": (200, 200, None, 0),
    "/moved": (301, 301, "/new-home", 0),
    "/moved-for-good": (308, 308, "/new-home", 0),
    "/for-now": (302, 302, "/ok", 0),
    "/moved-then-for-now": (301, 301, "/for-now", 0),
    "/moved-to-missing": (301, 301, "/missing", 0),
    "/loop-a": (301, 301, "/loop-b", 0),
    "/loop-b": (301, 301, "/loop-a", 0),
    "/missing": (404, 404, None, 0),
    "/broken": (500, 500, None, 0),
    "/no-head": (405, 200, None, 0),
    "/slow": (200, 200, None, SLOW),
    "/paced": (200, 200, None, PACE),
}


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def do_HEAD(self) -> None:
        self._answer("HEAD")

    def do_GET(self) -> None:
        self._answer("GET")

    def _answer(self, method: str) -> None:
        host = self.server.server_address[0]
        path = self.path.split("?")[0]
        traffic = self.server.traffic
        traffic.begin(str(host), method, self.path)
        try:
            head, get, location, delay = ROUTES.get(path, (404, 404, None, 0))
            time.sleep(delay)
            body = b"a page\n"
            self.send_response(head if method == "HEAD" else get)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if method == "GET":
                self.wfile.write(body)
        finally:
            traffic.end(str(host))

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    traffic: Traffic

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the client gave up on the slow page before it answered: that is the point


@dataclass
class Web:
    """Two hosts serving ROUTES, a port where nothing listens, and what they all saw."""

    first: str  # http://127.0.0.1:PORT
    second: str  # http://127.0.0.2:PORT
    closed: str  # http://127.0.0.1:PORT where nothing listens
    traffic: Traffic


@pytest.fixture
def web() -> Iterator[Web]:
    traffic = Traffic()
    servers = []
    for host in ("127.0.0.1", "127.0.0.2"):
        server = _Server((host, 0), _Handler)
        server.traffic = traffic
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    closing = socket.socket()
    closing.bind(("127.0.0.1", 0))
    closed_port = closing.getsockname()[1]
    closing.close()
    try:
        yield Web(
            first=f"http://127.0.0.1:{servers[0].server_address[1]}",
            second=f"http://127.0.0.2:{servers[1].server_address[1]}",
            closed=f"http://127.0.0.1:{closed_port}",
            traffic=traffic,
        )
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


@dataclass(frozen=True)
class Link:
    url: str
    archived: str | None = None


def annotations_linking(links: list[Link]) -> str:
    """An annotation file whose one claim has a source for each link, in order."""
    lines = [
        "reviewed: 2026-11-20",
        "claims:",
        "  - id: mission-impossible-year",
        '    quote: "first Mission: Impossible film in 1992"',
        "    verdict: erroneous",
        '    correction: "It came out in 1996."',
        "    note: The film was released in May 1996.",
        "    sources:",
    ]
    for n, link in enumerate(links, 1):
        lines += [f'      - title: "Source {n}"', f"        url: {link.url}"]
        if link.archived:
            lines.append(f"        archived: {link.archived}")
    return "\n".join(lines) + "\n"


def line_of(annotations: str, url: str) -> int:
    """The line of the first ``url: URL`` line (counting from 1)."""
    lines = annotations.splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.strip() == f"url: {url}")


class Project:
    """A folder with a content folder and its own cache folder, where `links` is run."""

    def __init__(self, root: Path, links: list[Link]) -> None:
        self.root = root
        self.cache = root / "cache"
        self.write(links)

    def write(self, links: list[Link]) -> None:
        self.annotations = annotations_linking(links)
        files = good_files()
        files["annotations/cruise-orbit.yaml"] = self.annotations
        write_tree(self.root / "content", files)

    def at(self, url: str) -> str:
        return f"{ANNOTATIONS}:{line_of(self.annotations, url)}:{URL_COL}"

    def links(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        env = {"XDG_CACHE_HOME": str(self.cache), "GITHUB_ACTIONS": "", **env}
        result = run(
            "links", "--content", "content", "--timeout", TIMEOUT, *args, cwd=self.root, env=env
        )
        assert "Traceback" not in result.stdout + result.stderr, result.stderr
        return result


def dead(url: str, why: str) -> str:
    return (
        f"{url} is dead ({why}); try https://web.archive.org/web/*/{url} for an archived copy "
        "and add it to this source as 'archived: <its address>'"
    )


# --- the outcome --------------------------------------------------------------------------------


def test_dead_links_are_errors_and_a_permanent_redirect_a_warning_at_their_url_lines(
    web: Web, tmp_path: Path
) -> None:
    urls = {
        name: f"{web.first}/{name}"
        for name in ("ok", "moved", "missing", "broken", "slow", "no-head", "for-now")
    }
    urls["closed"] = f"{web.closed}/ok"
    project = Project(tmp_path, [Link(url) for url in urls.values()])
    result = project.links()
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{project.at(urls['moved'])}: warning: {urls['moved']} has moved permanently "
        f"(301 Moved Permanently) to {web.first}/new-home; replace the url with the new address",
        f"{project.at(urls['missing'])}: error: {dead(urls['missing'], '404 Not Found')}",
        f"{project.at(urls['broken'])}: error: {dead(urls['broken'], '500 Internal Server Error')}",
        f"{project.at(urls['slow'])}: error: {dead(urls['slow'], 'no answer within 0.5 s')}",
        f"{project.at(urls['closed'])}: error: {dead(urls['closed'], 'connection refused')}",
        "Checked 8 links to 8 addresses on 1 host: 4 dead, 1 moved permanently.",
    ]
    assert result.stdout == ""


def test_the_lines_are_those_of_the_annotation_file(web: Web, tmp_path: Path) -> None:
    """The location is the file's own: line 10, column 14, for the first source's url."""
    project = Project(tmp_path, [Link(f"{web.first}/missing")])
    assert project.annotations.splitlines()[9] == f"        url: {web.first}/missing"
    assert project.links().stderr.startswith(f"{ANNOTATIONS}:10:14: error: ")


def test_every_link_alive_exits_0_and_says_so(web: Web, tmp_path: Path) -> None:
    project = Project(
        tmp_path, [Link(f"{web.first}/ok"), Link(f"{web.first}/no-head"), Link(f"{web.second}/ok")]
    )
    result = project.links()
    assert (result.returncode, result.stderr) == (0, "")
    assert (
        result.stdout == "Checked 3 links to 3 addresses on 2 hosts: 0 dead, 0 moved permanently.\n"
    )


def test_moved_links_alone_are_warnings_and_exit_0(web: Web, tmp_path: Path) -> None:
    project = Project(tmp_path, [Link(f"{web.first}/moved-for-good")])
    result = project.links()
    assert result.returncode == 0
    assert result.stderr == (
        f"{ANNOTATIONS}:10:14: warning: {web.first}/moved-for-good has moved permanently "
        f"(308 Permanent Redirect) to {web.first}/new-home; replace the url with the new address\n"
    )
    assert result.stdout.endswith(": 0 dead, 1 moved permanently.\n")


# --- how links are asked --------------------------------------------------------------------------


def test_head_first_then_get_only_where_head_is_refused(web: Web, tmp_path: Path) -> None:
    project = Project(tmp_path, [Link(f"{web.first}/ok"), Link(f"{web.first}/no-head")])
    assert project.links().returncode == 0
    assert sorted(web.traffic.paths()) == [
        ("GET", "/no-head"),
        ("HEAD", "/no-head"),
        ("HEAD", "/ok"),
    ]


def test_a_temporary_redirect_is_followed_and_not_reported(web: Web, tmp_path: Path) -> None:
    project = Project(tmp_path, [Link(f"{web.first}/for-now")])
    result = project.links()
    assert (result.returncode, result.stderr) == (0, "")
    assert web.traffic.paths() == [("HEAD", "/for-now"), ("HEAD", "/ok")]


def test_the_new_address_is_where_the_permanent_redirects_end(web: Web, tmp_path: Path) -> None:
    """301 to a page that redirects for now: the page to link is the one it moved to."""
    project = Project(tmp_path, [Link(f"{web.first}/moved-then-for-now")])
    result = project.links()
    assert f"to {web.first}/for-now; replace the url" in result.stderr
    assert result.returncode == 0


def test_a_redirect_to_a_dead_page_is_dead(web: Web, tmp_path: Path) -> None:
    url = f"{web.first}/moved-to-missing"
    project = Project(tmp_path, [Link(url)])
    result = project.links()
    assert result.returncode == 1
    why = f"it redirects to {web.first}/missing, which answers 404 Not Found"
    assert result.stderr.splitlines()[0] == f"{project.at(url)}: error: {dead(url, why)}"


def test_a_redirect_loop_is_dead(web: Web, tmp_path: Path) -> None:
    url = f"{web.first}/loop-a"
    project = Project(tmp_path, [Link(url)])
    result = project.links()
    assert result.returncode == 1
    why = f"redirects in a loop (301 Moved Permanently back to {url})"
    assert result.stderr.splitlines()[0] == f"{project.at(url)}: error: {dead(url, why)}"


def test_a_link_used_twice_is_asked_once_and_reported_at_both_lines(
    web: Web, tmp_path: Path
) -> None:
    url = f"{web.first}/missing"
    project = Project(tmp_path, [Link(url), Link(f"{web.first}/ok"), Link(url)])
    result = project.links()
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert [line.split(": error: ")[0] for line in errors] == [
        f"{ANNOTATIONS}:10:{URL_COL}",
        f"{ANNOTATIONS}:14:{URL_COL}",
    ]
    assert web.traffic.paths().count(("GET", "/missing")) == 1
    assert "Checked 3 links to 2 addresses on 1 host: 2 dead" in result.stderr


def test_one_request_at_a_time_per_host_and_hosts_in_parallel(web: Web, tmp_path: Path) -> None:
    links = [Link(f"{base}/paced?n={n}") for base in (web.first, web.second) for n in range(4)]
    project = Project(tmp_path, links)
    assert project.links("--jobs", "4").returncode == 0
    assert len(web.traffic.requests) == 8
    assert web.traffic.most_per_host == {"127.0.0.1": 1, "127.0.0.2": 1}
    assert web.traffic.most_at_once == 2


def test_jobs_1_asks_one_host_at_a_time(web: Web, tmp_path: Path) -> None:
    links = [Link(f"{base}/paced?n={n}") for base in (web.first, web.second) for n in range(2)]
    project = Project(tmp_path, links)
    assert project.links("--jobs", "1").returncode == 0
    assert web.traffic.most_at_once == 1


def test_requests_name_the_tool_and_the_site() -> None:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["user-agent"])
        return httpx.Response(200)

    checker = LinkChecker(
        timeout=1,
        user_agent="factsheet-links/1 (source link check for https://example.org/)",
        clock=time.time,
        transport=httpx.MockTransport(answer),
    )
    (result,) = checker.check(["https://example.org/page"], jobs=1)
    assert (result.state, result.detail) == ("ok", "200 OK")
    assert seen == ["factsheet-links/1 (source link check for https://example.org/)"]


def test_the_command_names_the_site_in_its_user_agent(web: Web, tmp_path: Path) -> None:
    agents: list[str] = []

    class Recording(_Handler):
        def _answer(self, method: str) -> None:
            agents.append(self.headers["User-Agent"])
            super()._answer(method)

    server = _Server(("127.0.0.1", 0), Recording)
    server.traffic = Traffic()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        project = Project(tmp_path, [Link(f"http://127.0.0.1:{server.server_address[1]}/ok")])
        assert project.links().returncode == 0
    finally:
        server.shutdown()
        server.server_close()
    (agent,) = agents
    assert agent.startswith("factsheet-links/")
    assert agent.endswith("(source link check for https://example.github.io/factsheet/)")


def test_a_host_name_that_is_not_found_is_dead() -> None:
    """The resolver's failure, as httpx raises it (no lookup is made here)."""

    def answer(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -2] Name or service not known") from socket.gaierror(
            -2, "Name or service not known"
        )

    checker = LinkChecker(
        timeout=1, user_agent="test", clock=time.time, transport=httpx.MockTransport(answer)
    )
    (result,) = checker.check(["https://no-such-host.example/page"], jobs=1)
    assert (result.state, result.detail) == ("dead", "the host name is not found (DNS)")


# --- archived copies ------------------------------------------------------------------------------


def test_a_dead_link_with_an_archived_copy_is_still_an_error_without_a_suggestion(
    web: Web, tmp_path: Path
) -> None:
    url = f"{web.first}/missing"
    archived = f"https://web.archive.org/web/20250101000000/{url}"
    project = Project(tmp_path, [Link(url, archived)])
    result = project.links()
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"{project.at(url)}: error: {url} is dead (404 Not Found); readers still have its "
        "archived copy; link the page's new address, or delete this 'url:' line if the page is "
        "gone for good"
    )
    assert ("HEAD", "/20250101000000") not in web.traffic.paths()  # archived copies are not asked


# --- the cache ------------------------------------------------------------------------------------


def test_links_that_answered_are_remembered_for_a_day_and_dead_ones_asked_again(
    web: Web, tmp_path: Path
) -> None:
    links = [Link(f"{web.first}/ok"), Link(f"{web.first}/moved"), Link(f"{web.first}/missing")]
    project = Project(tmp_path, links)
    first = project.links()
    asked = len(web.traffic.requests)
    assert asked == 5  # HEAD /ok, HEAD /moved, HEAD /new-home, HEAD and GET /missing
    second = project.links()
    assert web.traffic.paths()[asked:] == [("HEAD", "/missing"), ("GET", "/missing")]
    assert second.returncode == first.returncode == 1
    assert second.stderr.splitlines()[:-1] == first.stderr.splitlines()[:-1]
    assert second.stderr.splitlines()[-1] == (
        "Checked 3 links to 3 addresses on 1 host: 1 dead, 1 moved permanently. "
        "2 addresses answered from the last day's check (--no-cache asks again)."
    )
    assert (project.cache / "factsheet" / "links.json").is_file()


def test_a_remembered_answer_older_than_a_day_is_asked_again(web: Web, tmp_path: Path) -> None:
    project = Project(tmp_path, [Link(f"{web.first}/ok"), Link(f"{web.first}/no-head")])
    project.links()
    cache = project.cache / "factsheet" / "links.json"
    data = json.loads(cache.read_text(encoding="utf-8"))
    data["links"][f"{web.first}/ok"]["checked"] -= 24 * 60 * 60 + 1
    cache.write_text(json.dumps(data), encoding="utf-8")
    asked = len(web.traffic.requests)
    result = project.links()
    assert web.traffic.paths()[asked:] == [("HEAD", "/ok")]
    assert "1 address answered from the last day's check" in result.stdout


def test_no_cache_asks_every_link_again(web: Web, tmp_path: Path) -> None:
    project = Project(tmp_path, [Link(f"{web.first}/ok")])
    project.links()
    result = project.links("--no-cache")
    assert web.traffic.paths() == [("HEAD", "/ok"), ("HEAD", "/ok")]
    assert "answered from the last day" not in result.stdout


def test_no_cache_keeps_what_is_remembered_about_other_links(web: Web, tmp_path: Path) -> None:
    project = Project(tmp_path, [Link(f"{web.first}/ok")])
    project.links()
    project.write([Link(f"{web.first}/no-head")])
    project.links("--no-cache")
    remembered = json.loads((project.cache / "factsheet" / "links.json").read_text("utf-8"))
    assert sorted(remembered["links"]) == [f"{web.first}/no-head", f"{web.first}/ok"]


def test_a_broken_cache_file_is_ignored(web: Web, tmp_path: Path) -> None:
    project = Project(tmp_path, [Link(f"{web.first}/ok")])
    cache = project.cache / "factsheet" / "links.json"
    cache.parent.mkdir(parents=True)
    cache.write_text("{not json", encoding="utf-8")
    result = project.links()
    assert result.returncode == 0
    assert web.traffic.paths() == [("HEAD", "/ok")]
    assert (
        json.loads(cache.read_text(encoding="utf-8"))["links"][f"{web.first}/ok"]["state"] == "ok"
    )


# --- for GitHub and for people -------------------------------------------------------------------


def test_on_github_actions_each_problem_is_also_a_workflow_command(
    web: Web, tmp_path: Path
) -> None:
    moved, missing = f"{web.first}/moved", f"{web.first}/missing"
    project = Project(tmp_path, [Link(moved), Link(missing)])
    result = project.links(GITHUB_ACTIONS="true")
    assert result.stdout.splitlines() == [
        f"::warning file={ANNOTATIONS},line=10,col=14::{moved} has moved permanently "
        f"(301 Moved Permanently) to {web.first}/new-home; replace the url with the new address",
        f"::error file={ANNOTATIONS},line=12,col=14::{dead(missing, '404 Not Found')}",
    ]


def test_the_summary_is_a_markdown_report_of_the_dead_and_moved_links(
    web: Web, tmp_path: Path
) -> None:
    moved, missing = f"{web.first}/moved", f"{web.first}/missing"
    broken = f"{web.first}/broken"
    archived = f"https://web.archive.org/web/2025/{broken}"
    project = Project(tmp_path, [Link(moved), Link(missing), Link(broken, archived)])
    summary = tmp_path / "summary.md"
    summary.write_text("# Before\n", encoding="utf-8")
    env = {
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "owner/repo",
        "GITHUB_SHA": "abc123",
    }
    assert project.links("--summary", str(summary), **env).returncode == 1
    blob = "https://github.com/owner/repo/blob/abc123/content/annotations/cruise-orbit.yaml"
    assert summary.read_text(encoding="utf-8").splitlines() == [
        "# Before",
        "## Source links",
        "",
        "Checked 3 links to 3 addresses on 1 host: 2 dead, 1 moved permanently.",
        "",
        "### Dead links",
        "",
        "| where | source | link | problem | archived copy |",
        "| --- | --- | --- | --- | --- |",
        f"| [{ANNOTATIONS}:12](<{blob}#L12>) | Source 2 | [{missing}](<{missing}>) "
        f"| 404 Not Found | none: [look for one](<https://web.archive.org/web/*/{missing}>) |",
        f"| [{ANNOTATIONS}:14](<{blob}#L14>) | Source 3 | [{broken}](<{broken}>) "
        f"| 500 Internal Server Error | [archived copy](<{archived}>) |",
        "",
        "### Moved permanently",
        "",
        "| where | source | link | new address |",
        "| --- | --- | --- | --- |",
        f"| [{ANNOTATIONS}:10](<{blob}#L10>) | Source 1 | [{moved}](<{moved}>) "
        f"| [{web.first}/new-home](<{web.first}/new-home>) |",
        "",
    ]


def test_the_summary_says_when_every_link_answered(web: Web, tmp_path: Path) -> None:
    project = Project(tmp_path, [Link(f"{web.first}/ok")])
    summary = tmp_path / "summary.md"
    assert project.links("--summary", str(summary)).returncode == 0
    assert summary.read_text(encoding="utf-8") == (
        "## Source links\n\n"
        "Checked 1 link to 1 address on 1 host: 0 dead, 0 moved permanently.\n\n"
        "Every link answered.\n\n"
    )


def test_a_progress_bar_is_shown_on_a_terminal_only(web: Web, tmp_path: Path) -> None:
    project = Project(tmp_path, [Link(f"{web.first}/paced?n={n}") for n in range(3)])
    assert "Checking links" not in project.links("--no-cache").stderr
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "links", "--content", "content", "--no-cache"],
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=terminal,
            env={**os.environ, "XDG_CACHE_HOME": str(project.cache), "GITHUB_ACTIONS": ""},
        )
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the terminal closed: the process has ended
                break
            if not chunk:
                break
            shown += chunk
        assert process.wait(timeout=60) == 0
    finally:
        os.close(controller)
    text = shown.decode("utf-8", "replace")
    assert "Checking links" in text
    assert "3/3" in text


# --- bad content ----------------------------------------------------------------------------------


def test_content_errors_are_reported_as_check_reports_them_and_no_link_is_asked(
    web: Web, tmp_path: Path
) -> None:
    project = Project(tmp_path, [Link(f"{web.first}/ok")])
    broken = project.annotations.replace("verdict: erroneous", "verdict: erroneus")
    (tmp_path / ANNOTATIONS).write_text(broken, encoding="utf-8")
    result = project.links()
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{ANNOTATIONS}:5:14: error: unknown verdict 'erroneus'; did you mean 'erroneous'? "
        "(one of: corroborated, disputed, erroneous)",
        "1 error in 1 file; no link was checked.",
    ]
    assert web.traffic.requests == []


def test_an_archived_copy_must_be_a_web_address(tmp_path: Path) -> None:
    project = Project(tmp_path, [Link("https://example.org/page", "ftp://example.org/copy")])
    result = project.links()
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"{ANNOTATIONS}:11:19: error: archived 'ftp://example.org/copy' is not valid; only "
        "http:// and https:// links are allowed; write the full address, "
        "e.g. https://example.org/page"
    )
