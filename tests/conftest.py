"""Session fixtures shared by the whole suite.

- ``built_site``: the real ``content/`` built once per session by the command line, into a
  world-readable temporary folder (so that tools which drop privileges can read it too), for the
  address it is served at (``--base-url``).
- ``site_url``: that folder served over HTTP on 127.0.0.1 (a free port), with a trailing slash.
- ``browser``: headless Chromium from the system (``/usr/bin/chromium``), driven by Playwright.
  Playwright never downloads a browser here; a missing Chromium fails the browser tests.
- ``new_page``: makes a page of a given viewport width (and colour scheme, JavaScript on or off).

Every test runs with ``XDG_CACHE_HOME`` in a temporary folder, so the key that signs build
caches is never the user's own.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


@pytest.fixture(autouse=True, scope="session")
def _private_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if previous is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = previous


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def build_site(content: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run ``build.py build`` as a reader of the README would, from the project's root."""
    return subprocess.run(
        [sys.executable, "build.py", "build", "--content", str(content), "--out", str(out), *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``folder`` on 127.0.0.1 on a free port; returns the server and its root URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def _site_server() -> Iterator[tuple[Path, str]]:
    """A world-readable temporary folder for the site, already served over HTTP."""
    parent = Path(tempfile.mkdtemp(prefix="factsheet-site-"))
    parent.chmod(0o755)
    out = parent / "site"
    out.mkdir()
    server, url = serve(out)
    try:
        yield out, url
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(parent, ignore_errors=True)


@pytest.fixture(scope="session")
def built_site(_site_server: tuple[Path, str]) -> Path:
    """The project's own content, built once per session; the folder holding the site.

    The site is built for the address it is served at (``--base-url``), so that the pages that
    need absolute links (404.html, served by GitHub Pages at any depth) work in the tests too.
    """
    out, url = _site_server
    result = build_site(CONTENT, out, "--base-url", url)
    assert result.returncode == 0, (
        f"build.py build failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    )
    assert (out / "index.html").is_file(), "the build wrote no index.html"
    for folder, _dirs, files in os.walk(out):
        Path(folder).chmod(0o755)
        for name in files:
            (Path(folder) / name).chmod(0o644)
    return out


@pytest.fixture(scope="session")
def site_url(built_site: Path, _site_server: tuple[Path, str]) -> str:
    """The root URL of the built site, served over HTTP; ends with a slash."""
    return _site_server[1]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium from the system, shared by the session."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium package "
            "(scripts/test.sh installs it)",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


NewPage = Callable[..., "Page"]


@pytest.fixture
def new_page(browser: Browser) -> Iterator[NewPage]:
    """A factory: ``new_page(width=1280, *, color_scheme="light", javascript=True, height=800)``.

    Each call opens a fresh browser context (its own cookies, media and settings), closed after
    the test. Console errors and failed requests are collected on ``page.problems``.
    """
    contexts: list[BrowserContext] = []

    def make(
        width: int = 1280,
        *,
        color_scheme: Literal["light", "dark"] = "light",
        javascript: bool = True,
        height: int = 800,
    ) -> Page:
        context = browser.new_context(
            viewport={"width": width, "height": height},
            color_scheme=color_scheme,
            java_script_enabled=javascript,
            reduced_motion="reduce",
        )
        contexts.append(context)
        page = context.new_page()
        problems: list[str] = []
        page.on(
            "console",
            lambda msg: (
                problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None
            ),
        )
        page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
        page.on(
            "response",
            lambda resp: (
                problems.append(f"HTTP {resp.status}: {resp.url}") if resp.status >= 400 else None
            ),
        )
        page.problems = problems  # type: ignore[attr-defined]
        return page

    yield make
    for context in contexts:
        context.close()
