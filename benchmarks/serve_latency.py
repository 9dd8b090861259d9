#!/usr/bin/env python3
"""How long `serve` takes from a save to the changed page being served, on a large corpus.

Usage: ``python benchmarks/serve_latency.py CONTENT [--edits 10] [--work DIR] [--keep]``

Copies CONTENT (e.g. a corpus from ``gen_corpus.py``) into the work folder, starts the
preview server on 127.0.0.1 in this process, waits for its first build, then saves one
annotation file at a time (a word of one note changed) and measures:

* ``visible``: from the save until the article's page, fetched over HTTP, shows the edit;
* ``settled``: from the save until the site-wide pages (index, fact sheet, exports) are up
  to date too, as the status endpoint reports.

Prints each edit, then the medians and maxima, and the peak RSS of the process (the last
line, ``FIGURES {...}``, is for ``run.py``). The time includes the file watcher noticing
the save.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from factsheet.serve import serve_forever  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as response:
        return str(response.read().decode("utf-8"))


def status(base: str) -> dict[str, object]:
    result: dict[str, object] = json.loads(fetch(base + "__factsheet/status"))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="leave the copy and its site")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="serve-latency-", dir=args.work))
    content = work / "content"
    shutil.copytree(args.content, content)
    annotation_files = sorted((content / "annotations").glob("*.yaml"))
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    stop = threading.Event()
    kwargs = {"port": port, "out": work / "site", "stop": stop}
    thread = threading.Thread(target=serve_forever, args=(content,), kwargs=kwargs, daemon=True)
    started = time.perf_counter()
    thread.start()
    while True:
        try:
            if int(str(status(base)["version"])) >= 1:
                break
        except OSError:
            pass
        time.sleep(0.05)
    print(f"first build: {time.perf_counter() - started:.1f} s, {len(annotation_files)} articles")

    visible: list[float] = []
    settled: list[float] = []
    for edit in range(args.edits):
        path = annotation_files[(edit * 7919) % len(annotation_files)]
        slug = path.stem
        marker = f"edit{edit}x"
        text = path.read_text()
        head, sep, rest = text.partition("note: ")
        if not sep:
            raise SystemExit(f"{path} has no note to edit")
        before = status(base)["attempts"]
        saved = time.perf_counter()
        path.write_text(f"{head}{sep}{rest[0]}{marker} {rest[1:]}")
        page = f"{base}articles/{slug}.html"
        while marker not in fetch(page):
            time.sleep(0.001)
        visible.append(time.perf_counter() - saved)
        while True:  # two updates per save: the article's pages, then the site-wide ones
            now = status(base)
            if int(str(now["attempts"])) >= int(str(before)) + 2 or now["errors"]:
                break
            time.sleep(0.002)
        settled.append(time.perf_counter() - saved)
        print(
            f"edit {edit + 1}: {slug}: visible {visible[-1] * 1000:.0f} ms, "
            f"settled {settled[-1] * 1000:.0f} ms"
        )
    stop.set()
    thread.join(timeout=10)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"visible: median {statistics.median(visible) * 1000:.0f} ms, "
        f"max {max(visible) * 1000:.0f} ms; settled: median "
        f"{statistics.median(settled) * 1000:.0f} ms, max {max(settled) * 1000:.0f} ms; "
        f"peak RSS {peak:.0f} MiB"
    )
    figures = {
        "visible_median_ms": statistics.median(visible) * 1000,
        "visible_max_ms": max(visible) * 1000,
        "settled_median_ms": statistics.median(settled) * 1000,
        "peak_rss_mib": peak,
    }
    print("FIGURES " + json.dumps(figures), flush=True)
    if args.keep:  # the caller deletes it (run.py: after the runs, not before the next one)
        print(f"KEPT {work}", flush=True)
    else:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
