"""`serve` in a real browser: the open page reloads by itself after a save, and shows errors."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from factsheet.serve import serve_forever
from tests.helpers import good_files, write_tree
from tests.test_serve import free_port, get, wait_for

from .conftest import NewPage

if TYPE_CHECKING:
    from playwright.sync_api import Page


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    content = write_tree(tmp_path / "content", good_files())
    port = free_port()
    stop = threading.Event()
    kwargs = {"port": port, "out": tmp_path / "preview", "stop": stop}
    thread = threading.Thread(target=serve_forever, args=(content,), kwargs=kwargs, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}/"
    wait_for(lambda: '"version": 1' in get(url + "__factsheet/status"))
    yield url, content
    stop.set()
    thread.join(timeout=5)


def opened(new_page: NewPage, url: str) -> Page:
    """A page of the preview, open and waiting for the next update."""
    page = new_page(1280)
    page.goto(url)
    page.wait_for_timeout(300)  # its status request is now waiting on the server
    return page


def test_the_open_page_reloads_by_itself_after_a_save(
    new_page: NewPage, preview: tuple[str, Path]
) -> None:
    url, content = preview
    page = opened(new_page, url + "articles/cruise-orbit.html")
    annotations = content / "annotations/cruise-orbit.yaml"
    saved = time.monotonic()
    annotations.write_text(annotations.read_text().replace("Estimates vary.", "Estimates differ."))
    page.get_by_text("Estimates differ.").first.wait_for(timeout=5000)
    elapsed = time.monotonic() - saved
    print(f"save to reloaded page: {elapsed * 1000:.0f} ms")
    assert elapsed < 2.0


def test_a_page_whose_file_did_not_change_is_not_reloaded(
    new_page: NewPage, preview: tuple[str, Path]
) -> None:
    url, content = preview
    page = opened(new_page, url + "pages/method.html")
    page.evaluate("window.stillHere = true")
    attempts = json.loads(get(url + "__factsheet/status"))["attempts"]
    annotations = content / "annotations/cruise-orbit.yaml"
    annotations.write_text(annotations.read_text().replace("Estimates vary.", "Estimates differ."))
    # the article's pages, then the site-wide ones: two updates, neither touching this page
    wait_for(lambda: json.loads(get(url + "__factsheet/status"))["attempts"] >= attempts + 2)
    page.wait_for_timeout(300)
    assert page.evaluate("window.stillHere === true")


def test_a_broken_edit_shows_its_error_on_the_page_until_fixed(
    new_page: NewPage, preview: tuple[str, Path]
) -> None:
    url, content = preview
    page = opened(new_page, url + "articles/cruise-orbit.html")
    annotations = content / "annotations/cruise-orbit.yaml"
    good = annotations.read_text()
    annotations.write_text(good.replace("cost $200 million", "cost $300 million"))
    alert = page.locator("#factsheet-errors")
    alert.wait_for(timeout=5000)
    assert "cruise-orbit.yaml:15:12: error: the quote is not in" in alert.inner_text()
    annotations.write_text(good)
    alert.wait_for(state="detached", timeout=5000)
