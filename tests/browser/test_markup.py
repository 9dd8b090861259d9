"""The built site's markup: valid HTML, ready for a strict Content-Security-Policy, light CSS."""

from __future__ import annotations

import json
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CSS_BUDGET = 24 * 1024  # for every kind of page: articles and notes, fact sheet, search, record


def test_the_nu_html_checker_finds_no_error_in_the_whole_site(built_site: Path) -> None:
    assert VNU_JAR.is_file(), f"{VNU_JAR} is missing: run `npm ci` in tools/"
    command = ["java", "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html"]
    result = subprocess.run(
        [*command, "--format", "json", "--stdout", str(built_site)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    messages = json.loads(result.stdout)["messages"]
    report = "\n".join(
        f"{m.get('url', '').split(str(built_site))[-1]}:{m.get('lastLine')}: "
        f"{m.get('type')}: {m.get('message')}  [{m.get('extract', '').strip()}]"
        for m in messages
    )
    assert messages == [], f"{len(messages)} HTML errors:\n{report}"
    assert result.returncode == 0, result.stderr


class _InlineCode(HTMLParser):
    """Collects what a strict Content-Security-Policy (no 'unsafe-inline') would block."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if "style" in names:
            self.found.append(f"<{tag} style=...> at line {self.getpos()[0]}")
        self.found.extend(
            f"<{tag} {name}=...> at line {self.getpos()[0]}"
            for name in names
            if name.startswith("on")
        )
        for name, value in attrs:
            if name in {"href", "src", "action"} and (value or "").strip().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}='javascript:...'> at line {self.getpos()[0]}")
        if tag == "style":
            self.found.append(f"<style> element at line {self.getpos()[0]}")
        if tag == "script":
            kind = dict(attrs).get("type") or ""
            data_block = kind in {"application/ld+json", "application/json"}
            if "src" not in names and not data_block:
                self.found.append(f"inline <script> at line {self.getpos()[0]}")

    def handle_endtag(self, tag: str) -> None:
        pass


def test_no_page_has_inline_scripts_styles_or_event_handlers(
    built_site: Path, all_pages: list[str]
) -> None:
    problems = []
    for rel in all_pages:
        parser = _InlineCode()
        parser.feed((built_site / rel).read_text(encoding="utf-8"))
        problems += [f"{rel}: {what}" for what in parser.found]
    assert problems == [], "\n".join(problems)


def test_scripts_and_styles_are_files_under_static(built_site: Path) -> None:
    """Besides static/, only the search index has scripts: each part's Pagefind module."""
    scripts = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.js"))
    ours = [s for s in scripts if not s.startswith("search/")]
    assert all(s.startswith("static/") for s in ours), scripts
    index = {s.split("/", 2)[2] for s in scripts if s.startswith("search/")}
    assert index == {"pagefind.js", "pagefind-worker.js"}, scripts


def test_the_css_stays_under_its_budget(built_site: Path) -> None:
    sheets = list(built_site.glob("static/**/*.css"))
    assert sheets, "no stylesheet under static/"
    total = sum(p.stat().st_size for p in sheets)
    assert total <= CSS_BUDGET, f"{total} bytes of CSS: {[p.name for p in sheets]}"


def test_every_page_declares_a_favicon_that_exists(
    built_site: Path, site_url: str, all_pages: list[str]
) -> None:
    class Icons(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.hrefs: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = dict(attrs)
            if tag == "link" and "icon" in (a.get("rel") or "").split():
                self.hrefs.append(a.get("href") or "")

    for rel in all_pages:
        parser = Icons()
        parser.feed((built_site / rel).read_text(encoding="utf-8"))
        assert parser.hrefs, f"{rel} declares no favicon (browsers would ask for /favicon.ico)"
        for href in parser.hrefs:
            url = urljoin(site_url + rel, href).split("#")[0].split("?")[0]
            assert url.startswith(site_url), f"{rel}: favicon {href} is not on the site"
            target = built_site / url.removeprefix(site_url)
            assert target.is_file(), f"{rel}: favicon {href} does not exist"
