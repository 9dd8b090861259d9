"""`serve`: a live preview that rebuilds on save, reloads the page, and survives broken edits."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from factsheet.serve import serve_forever
from tests.helpers import good_files, write_tree


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


def wait_for(condition: Callable[[], bool], seconds: float = 5.0) -> float:
    """Seconds until ``condition`` held; fails when it does not hold in time."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        try:
            if condition():
                return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    content = write_tree(tmp_path / "content", good_files())
    port = free_port()
    stop = threading.Event()
    thread = threading.Thread(
        target=serve_forever,
        args=(content,),
        kwargs={"port": port, "out": tmp_path / "preview", "stop": stop},
        daemon=True,
    )
    thread.start()
    url = f"http://127.0.0.1:{port}/"
    wait_for(lambda: json.loads(get(url + "__factsheet/status"))["version"] >= 1)
    yield url, content
    stop.set()
    thread.join(timeout=5)


def status(url: str) -> dict[str, object]:
    result: dict[str, object] = json.loads(get(url + "__factsheet/status"))
    return result


def test_pages_are_served_with_the_live_reload_script(preview: tuple[str, Path]) -> None:
    url, _ = preview
    page = get(url + "articles/cruise-orbit.html")
    assert 'data-claim="film-budget"' in page
    assert '<script src="/__factsheet/live.js" defer></script>' in page
    assert "location.reload()" in get(url + "__factsheet/live.js")


def test_a_save_rebuilds_within_a_second(preview: tuple[str, Path]) -> None:
    url, content = preview
    before = status(url)["version"]
    annotations = content / "annotations/cruise-orbit.yaml"
    annotations.write_text(annotations.read_text().replace("Estimates vary.", "Estimates differ."))
    elapsed = wait_for(lambda: status(url)["version"] != before)
    assert elapsed < 1.0
    assert "Estimates differ." in get(url + "articles/cruise-orbit.html")


def test_a_broken_edit_is_reported_and_the_server_recovers(preview: tuple[str, Path]) -> None:
    url, content = preview
    annotations = content / "annotations/cruise-orbit.yaml"
    good = annotations.read_text()
    annotations.write_text(good.replace("cost $200 million", "cost $300 million"))
    wait_for(lambda: bool(status(url)["errors"]))
    [error] = status(url)["errors"]  # type: ignore[misc]
    assert str(error).startswith(str(annotations))  # outside the working directory: absolute
    assert "cruise-orbit.yaml:15:12: error: the quote is not in" in str(error)
    assert 'data-claim="film-budget"' in get(url + "articles/cruise-orbit.html")  # last good build
    version = status(url)["version"]
    annotations.write_text(good)
    wait_for(lambda: status(url)["version"] != version and not status(url)["errors"])
