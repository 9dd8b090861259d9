"""The benchmark corpus generator: its output passes `check`, and a seed fixes every byte."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("gen_corpus", REPO / "benchmarks" / "gen_corpus.py")
assert _spec is not None and _spec.loader is not None
gen_corpus = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("gen_corpus", gen_corpus)  # dataclasses look their module up here
_spec.loader.exec_module(gen_corpus)


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
