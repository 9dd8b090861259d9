"""build.py and its dependencies: a Python without them gets what to run, or the project's
own virtual environment runs the command instead."""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from factsheet.dependencies import EXIT_MISSING, MODULES

from .conftest import ROOT


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def a_copy_of_the_command_line(into: Path) -> Path:
    """build.py and the engine, alone in a folder: no .venv beside them unless a test makes one."""
    shutil.copy2(ROOT / "build.py", into / "build.py")
    shutil.copytree(
        ROOT / "factsheet", into / "factsheet", ignore=shutil.ignore_patterns("__pycache__")
    )
    return into


def without_site_packages(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -S build.py ...``: this Python with none of its installed packages."""
    return subprocess.run(
        [sys.executable, "-S", "build.py", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_runtime_dependency_is_asked_for_by_the_module_it_provides() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {
        normalized(re.split(r"[\[<>=!~; ]", d, maxsplit=1)[0]) for d in project["dependencies"]
    }
    assert {normalized(name) for name in MODULES.values()} == declared
    provided = importlib.metadata.packages_distributions()
    for module, name in MODULES.items():
        assert normalized(name) in {normalized(d) for d in provided.get(module, [])}, module


def test_a_python_without_the_packages_is_told_what_to_run_without_a_traceback(
    tmp_path: Path,
) -> None:
    folder = a_copy_of_the_command_line(tmp_path)
    result = without_site_packages(folder, "check", "--content", str(ROOT / "content"))
    assert result.returncode == EXIT_MISSING
    assert "Traceback" not in result.stderr
    assert "does not have the packages the site generator needs: " in result.stderr
    assert "markdown-it-py" in result.stderr
    assert "bash scripts/setup.sh" in result.stderr
    assert result.stdout == ""


def test_the_projects_virtual_environment_runs_the_command_when_this_python_lacks_them(
    tmp_path: Path,
) -> None:
    folder = a_copy_of_the_command_line(tmp_path)
    # a .venv whose python is this one, with its packages
    python = folder / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    python.chmod(0o755)
    result = without_site_packages(folder, "check", "--content", str(ROOT / "content"))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith("OK: 3 articles")


def test_a_project_environment_without_the_packages_is_not_run_again_and_again(
    tmp_path: Path,
) -> None:
    """Run from inside .venv itself, still lacking them: the message, once."""
    folder = a_copy_of_the_command_line(tmp_path)
    venv = folder / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    result = subprocess.run(
        [str(venv / "bin" / "python"), "build.py", "--help"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": ""},
    )
    assert result.returncode == EXIT_MISSING
    assert result.stderr.count("does not have the packages") == 1
