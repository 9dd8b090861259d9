"""No text an editor writes can run as script, in any field, in a real browser.

A content folder carries a corpus of injection payloads in every text field: the site's
title, description and publisher; an article's front matter and text; each claim's quote,
prefix, suffix, correction, note and source (title, publisher, address); a page's title,
description and text. Chromium loads every page built from it with the Content-Security-Policy
switched off, so that only escaping stands between a payload and its execution: no dialog
opens, no payload's flag is set, no element gains an event handler attribute or a
``javascript:`` link, and every JSON-LD block parses as one JSON value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Dialog

from tests.conftest import build_site, serve

FLAG = "window.__pwned=1"
PAYLOADS = [
    f"<script>{FLAG}</script>",
    f"<img src=x onerror={FLAG}>",
    f'<img src="x" onerror="{FLAG}">',
    f'<svg onload="{FLAG}"><circle r=1 /></svg>',
    f"<svg><script>{FLAG}</script></svg>",
    f'" onmouseover="{FLAG}" x="',
    f"' onfocus='{FLAG}' autofocus x='",
    f"</script><script>{FLAG}</script>",
    f"</title><script>{FLAG}</script>",
    f"</textarea><script>{FLAG}</script>",
    f'<iframe src="javascript:{FLAG}"></iframe>',
    f'<a href="javascript:{FLAG}">link</a>',
    f"<details open ontoggle={FLAG}>x</details>",
    f"<body onload={FLAG}>",
    f"<math><mtext><table><mglyph><style><img src=x onerror={FLAG}>",
    f"<!--<script>{FLAG}//-->",
    f'<base href="javascript:{FLAG}//">',
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    f"[click](javascript:{FLAG})",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](JaVaScRiPt:alert(1))",
    f'![img](x" onerror="{FLAG})',
    f"<javascript:{FLAG}>",
    "{{ 7*7 }} {% for x in range(3) %}X{% endfor %} {{ config }}",
    "${alert(1)} #{alert(1)}",
    f"&lt;script&gt;{FLAG}&lt;/script&gt;",
    f"`<script>{FLAG}</script>`",
    f"\u2028\u2029</script><script>{FLAG}</script>",
    f"<scr<script>ipt>{FLAG}</scr</script>ipt>",
]
# What a note may hold: the build refuses notes with javascript: or data: links, by design.
NOTE_PAYLOADS = [p for p in PAYLOADS if not re.search(r"(\]\(|<)(javascript|data):", p, re.I)]
# Text whose visible form is the text itself (no Markdown syntax), to quote and to anchor by.
PLAIN_PAYLOADS = [p for p in PAYLOADS if not re.search(r"[\[\]`*&!\\]|<[a-z]+:", p)]
ALL = " | ".join(PAYLOADS)


def y(text: str) -> str:
    """A YAML double-quoted scalar."""
    return json.dumps(text)


def injection_files() -> dict[str, str]:
    body = "\n\n".join(
        [f"Paragraph {i}: {p} marker{i}x {p}" for i, p in enumerate(PLAIN_PAYLOADS)]
        + [f"Other {i}: {p}" for i, p in enumerate(PAYLOADS)]
    )
    claims = []
    for i, payload in enumerate(PLAIN_PAYLOADS):
        claims.append(
            f"""\
  - id: plain-{i}
    quote: {y(payload)}
    suffix: {y(f" marker{i}x")}
    verdict: erroneous
    correction: {y(payload)}
    note: {y(payload)}
    sources:
      - title: {y(payload)}
        publisher: {y(payload)}
        url: {y("https://example.org/?q=" + payload)}
  - id: marker-{i}
    quote: {y(f"marker{i}x")}
    prefix: {y(payload + " ")}
    verdict: disputed
    note: {y(payload)}
    sources:
      - title: {y(payload)}
        url: {y("https://example.org/" + quote(payload))}
"""
        )
    for i, payload in enumerate(NOTE_PAYLOADS):
        claims.append(
            f"""\
  - id: note-{i}
    quote: {y(f"Other {PAYLOADS.index(payload)}:")}
    verdict: corroborated
    note: {y(payload)}
    sources:
      - title: {y(payload)}
        publisher: {y(payload)}
"""
        )
    return {
        "site.yaml": f"""\
title: {y(ALL)}
description: {y(ALL)}
base_url: https://example.org/site/
language: en
publisher: {{name: {y(ALL)}, url: {y('https://example.org/"onmouseover="' + FLAG)}}}
""",
        "articles/payloads.md": f"""\
---
title: {y(ALL)}
dek: {y(ALL)}
outlet: {y(ALL)}
url: {y("https://news.example.com/?a=" + ALL)}
notes: {y(ALL)}
published: 2025-09-18
retrieved: 2026-11-20
---
{body}
""",
        "annotations/payloads.yaml": "reviewed: 2026-11-20\nclaims:\n" + "".join(claims),
        "pages/payloads.md": f"---\ntitle: {y(ALL)}\ndescription: {y(ALL)}\n---\n"
        + "\n\n".join(PAYLOADS)
        + "\n",
    }


@pytest.fixture(scope="module")
def injection_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    root = tmp_path_factory.mktemp("injection")
    for name, text in injection_files().items():
        path = root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    out = root / "site"
    out.mkdir()
    server, url = serve(out)
    try:
        result = build_site(root / "content", out, "--base-url", url)
        assert result.returncode == 0, result.stderr
        yield out, url
    finally:
        server.shutdown()
        server.server_close()


def test_the_corpus_reaches_every_kind_of_field(injection_site: tuple[Path, str]) -> None:
    out, _ = injection_site
    data = json.loads((out / "claims.json").read_text(encoding="utf-8"))
    claims = data["articles"][0]["claims"]
    assert len(claims) == 2 * len(PLAIN_PAYLOADS) + len(NOTE_PAYLOADS)
    assert len(PAYLOADS) >= 30 and len(PLAIN_PAYLOADS) >= 10
    article = (out / "articles/payloads.html").read_text(encoding="utf-8")
    assert "{{ 7*7 }}" in article  # text, not a template
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in article


def test_no_payload_runs_in_chromium_in_any_page(
    browser: Browser, injection_site: tuple[Path, str]
) -> None:
    out, url = injection_site
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    assert len(pages) >= len(PAYLOADS)
    context = browser.new_context(bypass_csp=True)
    dialogs: list[str] = []
    errors: list[str] = []
    try:
        page = context.new_page()

        def on_dialog(dialog: Dialog) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda e: errors.append(str(e)))
        for path in pages:
            page.goto(url + path, wait_until="load")
            page.mouse.move(5, 5)
            found = page.evaluate(
                """() => {
                  const bad = [];
                  for (const el of document.querySelectorAll('*')) {
                    for (const a of el.attributes) {
                      if (a.name.startsWith('on')) bad.push(el.tagName + ' ' + a.name);
                      if (/^\\s*(javascript|data):/i.test(a.value)
                          && ['href', 'src', 'action', 'formaction'].includes(a.name))
                        bad.push(el.tagName + ' ' + a.name + '=' + a.value);
                    }
                  }
                  for (const tag of ['iframe', 'object', 'embed', 'base', 'math', 'textarea']) {
                    if (document.querySelector(tag)) bad.push('a <' + tag + '> element');
                  }
                  for (const s of document.scripts) {
                    if (s.type === 'application/ld+json') {
                      try { JSON.parse(s.textContent) } catch (e) { bad.push('bad JSON-LD') }
                    } else if (!/[/]static[/](site|search)[.]js$/.test(s.src)) {
                      bad.push('script ' + (s.src || s.textContent.slice(0, 40)));
                    }
                  }
                  if (window.__pwned !== undefined) bad.push('window.__pwned is set');
                  return bad;
                }"""
            )
            assert found == [], path
        assert dialogs == []
        assert errors == []
    finally:
        context.close()


def test_every_json_ld_block_is_one_json_value(injection_site: tuple[Path, str]) -> None:
    out, _ = injection_site
    blocks = 0
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for match in re.finditer(
            r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL
        ):
            body = match.group(1)
            assert "<" not in body, page
            assert isinstance(json.loads(body), dict), page
            blocks += 1
        assert html.count("<script") == html.count("</script>"), page
    assert blocks >= len(PLAIN_PAYLOADS)
