"""`serve`: build, serve on 127.0.0.1, update on every change, and reload open pages.

A save renders again only the articles it touched (see ``preview``); an open page reloads
when its own file changed. A broken edit is reported in the terminal and on the page, and
the last good build stays served until the content is fixed.
"""

from __future__ import annotations

import functools
import json
import tempfile
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import click
import watchfiles

from .preview import PreviewSite, Update
from .problems import ContentError
from .templating import DEFAULT_TEMPLATES, TemplateProblem
from .write import OutputError

LIVE = Path(__file__).resolve().parent / "live"
STATUS_PATH = "/__factsheet/status"
INJECT = (
    b'<link rel="stylesheet" href="/__factsheet/live.css">'
    b'<script src="/__factsheet/live.js" defer></script></body>'
)


@dataclass
class BuildState:
    """What the preview server knows of the last build; shared with request threads."""

    version: int = 0  # good updates
    attempts: int = 0  # updates tried, good or not
    errors: list[str] = field(default_factory=list)
    rebuilt: int = 0  # the last version that may have changed every file
    page_versions: dict[str, int] = field(default_factory=dict)  # path -> last version it changed
    changed: threading.Condition = field(default_factory=threading.Condition)

    def record(self, errors: list[str], files: list[str] | None = None) -> None:
        """One update done: its errors, or the files it changed (None: possibly all)."""
        with self.changed:
            self.errors = errors
            self.attempts += 1
            if not errors:
                self.version += 1
                if files is None:
                    self.rebuilt = self.version
                for path in files or ():
                    self.page_versions[path] = self.version
            self.changed.notify_all()

    def snapshot(
        self, after: int | None = None, page: str | None = None, timeout: float = 25.0
    ) -> dict[str, Any]:
        """The state now, or once an update later than attempt ``after`` has finished.

        With ``page``, also the version in which that file last changed.
        """
        with self.changed:
            if after is not None:
                self.changed.wait_for(lambda: self.attempts != after, timeout=timeout)
            state: dict[str, Any] = {
                "version": self.version,
                "attempts": self.attempts,
                "errors": list(self.errors),
            }
            if page is not None:
                state["page"] = max(self.rebuilt, self.page_versions.get(page, 0))
            return state


def rebuild(preview: PreviewSite, state: BuildState, changes: set[str] | None = None) -> bool:
    """Update once; record success or the errors. True when the site was updated."""

    def pages_written(update: Update) -> None:
        state.record([], update.changed)

    try:
        update = preview.update(changes, on_pages=pages_written)
    except ContentError as err:
        lines = [p.format() for p in err.problems]
        state.record(lines)
        click.echo("\n".join(lines), err=True)
        click.echo(f"{len(lines)} error(s); still serving the last good build.", err=True)
        return False
    except (OutputError, TemplateProblem) as err:
        state.record([str(err)])
        click.echo(str(err), err=True)
        return False
    except Exception as err:  # a preview must outlive any failed build, and say why
        message = f"build failed: {type(err).__name__}: {err}"
        state.record([message])
        click.echo(message, err=True)
        return False
    state.record([], update.changed)
    elapsed = update.seconds * 1000
    size = f"{update.articles} articles, {update.claims} claims"
    if update.changed is None:
        click.echo(f"Rebuilt in {elapsed:.0f} ms ({size}).")
    else:
        click.echo(f"Updated in {elapsed:.0f} ms: {len(update.changed)} file(s) changed ({size}).")
    return True


class PreviewHandler(SimpleHTTPRequestHandler):
    state: BuildState

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        if path == STATUS_PATH:  # ?after=N waits for the next build (a long poll)
            fields = parse_qs(query)
            after = fields.get("after", [""])[0]
            page = fields.get("page", [None])[0]
            snapshot = self.state.snapshot(int(after) if after.isdigit() else None, page)
            self._send(json.dumps(snapshot).encode(), "application/json")
        elif path in ("/__factsheet/live.js", "/__factsheet/live.css"):
            asset = LIVE / path.rsplit("/", 1)[1]
            kind = "text/javascript" if asset.suffix == ".js" else "text/css"
            self._send(asset.read_bytes(), kind)
        elif path.endswith((".html", "/")):
            self._send_page(path)
        else:
            super().do_GET()

    def _send_page(self, path: str) -> None:
        local = Path(self.translate_path(path))
        if local.is_dir():
            local = local / "index.html"
        if not local.is_file():
            local = Path(self.directory) / "404.html"
        body = local.read_bytes().replace(b"</body>", INJECT, 1) if local.is_file() else b""
        self._send(body, "text/html; charset=utf-8")

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def serve_forever(
    content: Path,
    *,
    port: int = 8000,
    out: Path | None = None,
    templates: Path = DEFAULT_TEMPLATES,
    stop: threading.Event | None = None,
) -> None:
    """Serve until interrupted (or until ``stop`` is set)."""
    out = out or Path(tempfile.mkdtemp(prefix="factsheet-preview-")) / "site"
    base_url = f"http://127.0.0.1:{port}/"
    state = BuildState()
    preview = PreviewSite(content, out, templates, base_url)
    rebuild(preview, state)
    out.mkdir(parents=True, exist_ok=True)
    handler = type("Handler", (PreviewHandler,), {"state": state})
    serve_site = functools.partial(handler, directory=str(out))
    server = ThreadingHTTPServer(("127.0.0.1", port), serve_site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    click.echo(f"Serving {content} on {base_url} (Ctrl+C to stop); watching for changes.")
    try:
        for changes in watchfiles.watch(
            content, templates, stop_event=stop, debounce=50, step=5, raise_interrupt=False
        ):
            paths = {path for _change, path in changes if preview.affects_site(path)}
            if paths:
                rebuild(preview, state, paths)
    finally:
        server.shutdown()
        server.server_close()
