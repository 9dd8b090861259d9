"""Every page carries a strict Content-Security-Policy, and every page satisfies it.

The policy is a ``<meta http-equiv>`` (GitHub Pages cannot send headers). It allows scripts
and styles only from the site itself: no inline script or style, no ``eval``. Chromium loads
every page of the real built site with a listener installed before any of the page's own
code, and no ``securitypolicyviolation`` event fires anywhere.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from playwright.sync_api import Browser

from .conftest import wait_until

HASH = re.compile(r"'sha(256|384|512)-[A-Za-z0-9+/=]+'")

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline')
    + ' at ' + e.sourceFile + ':' + e.lineNumber);
});
"""


class _Head(HTMLParser):
    """The CSP metas of a page, and the tags that come before the first of them."""

    def __init__(self) -> None:
        super().__init__()
        self.policies: list[str] = []
        self.before: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and (values.get("http-equiv") or "").lower() == (
            "content-security-policy"
        ):
            self.policies.append(values.get("content") or "")
        elif not self.policies and tag not in ("html", "head", "meta"):
            self.before.append(tag)


def directives(policy: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0].lower()] = words[1:]
    return parsed


def test_every_page_has_one_strict_policy_before_anything_it_governs(
    built_site: Path, all_pages: list[str]
) -> None:
    for page in all_pages:
        head = _Head()
        head.feed((built_site / page).read_text(encoding="utf-8"))
        assert len(head.policies) == 1, f"{page}: {len(head.policies)} CSP metas"
        assert head.before == [], f"{page}: {head.before} come before the policy"
        policy = directives(head.policies[0])
        assert policy.get("default-src") == ["'none'"], page
        for directive in ("script-src", "style-src"):
            sources = policy.get(directive)
            assert sources is not None, f"{page}: no {directive}"
            assert all(s == "'self'" or HASH.fullmatch(s) for s in sources), (
                f"{page}: {directive} {sources}"
            )
        for sources in policy.values():
            for unsafe in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:"):
                assert unsafe not in sources or sources is policy.get("img-src"), (
                    f"{page}: {unsafe} allowed"
                )
        assert policy.get("object-src", policy["default-src"]) == ["'none'"], page
        assert policy.get("base-uri") == ["'none'"], page


def test_no_page_of_the_site_violates_its_policy_in_chromium(
    browser: Browser, site_url: str, all_pages: list[str]
) -> None:
    context = browser.new_context()
    try:
        context.add_init_script(RECORD_VIOLATIONS)
        page = context.new_page()
        console: list[str] = []
        page.on(
            "console",
            lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None,
        )
        found: dict[str, list[str]] = {}
        for path in all_pages:
            page.goto(site_url + path, wait_until="load")
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")
            violations: list[str] = page.evaluate("window.__violations")
            assert isinstance(violations, list), f"{path}: the listener was not installed"
            if violations:
                found[path] = violations
        assert found == {}
        assert console == []
    finally:
        context.close()


def test_the_listener_does_see_a_violation(browser: Browser, site_url: str) -> None:
    """The check above can fail: an inline script added to a real page is blocked and reported."""
    context = browser.new_context()
    try:
        context.add_init_script(RECORD_VIOLATIONS)
        page = context.new_page()
        page.goto(site_url + "index.html", wait_until="load")
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.__ran = 1'; document.body.append(s); }"
        )
        wait_until(page, "window.__violations.length > 0")
        assert page.evaluate("window.__ran") is None
        assert "script-src" in page.evaluate("window.__violations")[0]
    finally:
        context.close()


def test_a_script_on_the_page_cannot_evaluate_a_string(browser: Browser, site_url: str) -> None:
    """The policy allows no eval: text that reached a script still cannot be run as code."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(site_url + "index.html", wait_until="load")
        page.evaluate(
            "() => setTimeout(() => {"
            " try { eval('window.__ran = 1'); window.__outcome = 'ran' }"
            " catch (e) { window.__outcome = e.name } }, 0)"
        )
        wait_until(page, "window.__outcome !== undefined")
        assert page.evaluate("window.__outcome") == "EvalError"
        assert page.evaluate("window.__ran") is None
    finally:
        context.close()
