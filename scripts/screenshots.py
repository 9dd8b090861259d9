"""Build the site and save full-page screenshots of each kind of page, to look at.

    python scripts/screenshots.py [--content DIR] [--out screenshots] [--widths 375,1280]

Writes ``<out>/<page>-<width>-<scheme>.png`` (light and dark colour scheme) for the index, an
article, the fact sheet, a claim page, a standalone page, the corrections page, a claim with
updates and a withdrawn claim's page (when the content has them), the 404 page and the search
page (empty, and ``search-results`` with the results for the first word of an erroneous claim's
quote), plus a print rendering (``article-print.png``) of the article, the first screen of each
page (``-top.png``) and
a claim's permalink target (``article-<width>-<scheme>-target.png``).
Uses the system's Chromium (/usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (the browser the tests use)


def representative_pages(site: Path) -> dict[str, str]:
    """One page of each kind, as paths relative to the site root."""
    data = json.loads((site / "claims.json").read_text(encoding="utf-8"))
    articles = data["articles"]
    # The article with the most claims shows the most of the design.
    article = max(articles, key=lambda a: len(a["claims"]))
    pages: dict[str, str] = {"index": "index.html", "article": article["url"]}
    if (site / "fact-sheet.html").is_file():
        pages["fact-sheet"] = "fact-sheet.html"
    erroneous = [c for c in article["claims"] if c.get("correction")]
    claim = (erroneous or article["claims"])[0]
    pages["claim"] = claim["page"]
    standalone = sorted((site / "pages").glob("*.html"))
    method = [p for p in standalone if "method" in p.stem]
    if method or standalone:
        pages["page"] = (method or standalone)[0].relative_to(site).as_posix()
    if (site / "corrections.html").is_file():
        pages["corrections"] = "corrections.html"
    every = [c for a in articles for c in a["claims"]]
    updated = [c for c in every if c.get("updates") and not c.get("withdrawn")]
    withdrawn = [c for c in every if c.get("withdrawn")]
    if updated:
        pages["updated-claim"] = updated[0]["page"]
    if withdrawn:
        pages["withdrawn-claim"] = withdrawn[0]["page"]
    if (site / "404.html").is_file():
        pages["404"] = "404.html"
    if (site / "search.html").is_file():
        pages["search"] = "search.html"
        word = max(claim["quote"].split(), key=len).strip(".,;:“”\"'")
        pages["search-results"] = f"search.html?q={word}"
    return pages


def middle_claim(site: Path, article_url: str) -> str:
    """The permalink of a claim in the middle of an article."""
    data = json.loads((site / "claims.json").read_text(encoding="utf-8"))
    claims = next(a for a in data["articles"] if a["url"] == article_url)["claims"]
    return str(claims[len(claims) // 2]["url"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default=str(ROOT / "content"))
    parser.add_argument("--out", default=str(ROOT / "screenshots"))
    parser.add_argument("--widths", default="375,1280")
    parser.add_argument("--only", default="", help="comma-separated page kinds (default: all)")
    args = parser.parse_args()
    widths = [int(w) for w in args.widths.split(",")]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *a: Any) -> None:
            pass

    with tempfile.TemporaryDirectory(prefix="factsheet-shots-") as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Quiet, directory=str(site))
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        build = [sys.executable, "build.py", "build", "--content", args.content]
        result = subprocess.run(
            [*build, "--out", str(site), "--base-url", base], cwd=ROOT, check=False
        )
        if result.returncode != 0:
            server.shutdown()
            return result.returncode
        pages = representative_pages(site)
        if args.only:
            wanted = set(args.only.split(","))
            pages = {k: v for k, v in pages.items() if k in wanted}

        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for width in widths:
                    for scheme in ("light", "dark"):
                        context = browser.new_context(
                            viewport={"width": width, "height": 900},
                            color_scheme=scheme,
                            reduced_motion="reduce",
                        )
                        page = context.new_page()
                        for kind, rel in pages.items():
                            page.goto(base + rel)
                            if kind == "search-results":  # the results come from the index
                                page.wait_for_selector(".search-result", timeout=15000)
                            path = out / f"{kind}-{width}-{scheme}.png"
                            page.screenshot(path=str(path), full_page=True)
                            # the first screen, at full resolution
                            page.screenshot(path=str(out / f"{kind}-{width}-{scheme}-top.png"))
                            print(path)
                        if "article" in pages:
                            # a claim in the middle of the article, as a permalink shows it
                            page.goto(base + middle_claim(site, pages["article"]))
                            path = out / f"article-{width}-{scheme}-target.png"
                            page.screenshot(path=str(path))
                            print(path)
                        context.close()
                if "article" in pages:
                    context = browser.new_context(viewport={"width": 800, "height": 1100})
                    page = context.new_page()
                    page.emulate_media(media="print")
                    page.goto(base + pages["article"])
                    path = out / "article-print.png"
                    page.screenshot(path=str(path), full_page=True)
                    print(path)
                    context.close()
                browser.close()
        finally:
            server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
