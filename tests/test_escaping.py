"""Markup typed into any field comes out as text: nothing an editor writes becomes HTML."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import write_tree
from tests.test_build import run

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>"
YAML_PAYLOAD = json.dumps(PAYLOAD)  # a YAML double-quoted scalar

FILES = {
    "site.yaml": f"""\
title: {YAML_PAYLOAD}
description: {YAML_PAYLOAD}
base_url: https://example.org/fs/
language: en
publisher: {{name: {YAML_PAYLOAD}, url: "https://example.org/"}}
""",
    "articles/a.md": f"""\
---
title: {YAML_PAYLOAD}
dek: {YAML_PAYLOAD}
outlet: {YAML_PAYLOAD}
notes: {YAML_PAYLOAD}
retrieved: 2026-11-20
---
Text before {PAYLOAD} and after, with </script> in it.
""",
    "annotations/a.yaml": f"""\
reviewed: 2026-11-20
claims:
  - id: payload
    quote: {YAML_PAYLOAD}
    verdict: erroneous
    correction: {YAML_PAYLOAD}
    note: {YAML_PAYLOAD}
    sources:
      - title: {YAML_PAYLOAD}
        publisher: {YAML_PAYLOAD}
        url: "https://example.org/?q=<script>"
  - id: script-close
    quote: "</script>"
    suffix: " in it"
    verdict: disputed
    note: "A closing </script> tag."
    sources:
      - title: "</script><script>alert(3)</script>"
""",
    "pages/p.md": f"---\ntitle: {YAML_PAYLOAD}\n---\n{PAYLOAD}\n",
}


def test_markup_in_every_field_comes_out_as_text(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", FILES)
    out = tmp_path / "out"
    result = run("build", "--content", str(content), "--out", str(out))
    assert result.returncode == 0, result.stderr
    for page in out.rglob("*"):
        if not page.is_file() or page.suffix not in (".html", ".xml"):
            continue  # JSON files carry the text as data, which is what they are for
        text = page.read_text()
        assert "<script>alert" not in text, page
        assert "<img src=x" not in text, page
        if page.suffix == ".html":
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text, page


def test_json_ld_cannot_be_closed_from_inside(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", FILES)
    out = tmp_path / "out"
    assert run("build", "--content", str(content), "--out", str(out)).returncode == 0
    html = (out / "articles/a.html").read_text()
    for block in html.split('<script type="application/ld+json">')[1:]:
        body = block.split("</script>", 1)[0]
        assert "<" not in body
        assert json.loads(body)["@type"] == "ClaimReview"


def test_a_template_escapes_each_value_it_writes_once_and_markup_not_at_all(
    tmp_path: Path,
) -> None:
    from markupsafe import Markup

    from factsheet.templating import environment

    (tmp_path / "page.html").write_text(
        "{% macro em(x) %}<em>{{ x }}</em>{% endmacro %}"
        "{% set bold %}<b>{{ value }}</b>{% endset %}"
        "{{ value }}|{{ markup }}|{{ number }}|{{ em(value) }}|{{ bold }}|{{ value|e }}"
        "|{{ em(em(value)) }}|{{ value ~ markup }}"
        "|{% autoescape false %}{{ value }}{% endautoescape %}",
        encoding="utf-8",
    )
    env = environment(tmp_path)
    assert "escape_output(" in env.compile("{{ value }}", raw=True)  # not a Markup per value
    page = env.get_template("page.html")
    escaped = "&lt;&amp;&#34;&#39;&gt;"
    assert page.render(value="<&\"'>", markup=Markup("<i>ok</i>"), number=3) == (
        f"{escaped}|<i>ok</i>|3|<em>{escaped}</em>|<b>{escaped}</b>|{escaped}"
        f"|<em><em>{escaped}</em></em>|{escaped}<i>ok</i>|<&\"'>"
    )
