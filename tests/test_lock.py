"""The lock files pin what pyproject.toml asks for, exactly and with hashes.

``requirements/test.txt`` locks every runtime and test dependency; ``requirements/runtime.txt``
the runtime ones alone, at the same versions. A dependency added to pyproject.toml without
running ``bash scripts/lock.sh`` fails here, before a fresh machine installs something else.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCKS = ROOT / "requirements"
PINNED = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)")


def project() -> dict[str, object]:
    data: dict[str, object] = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    return data


def requirements(*extras: str) -> list[Requirement]:
    meta = project()
    wanted = list(meta["dependencies"])  # type: ignore[call-overload]
    for extra in extras:
        wanted += meta["optional-dependencies"][extra]  # type: ignore[index]
    return [Requirement(text) for text in wanted]


def locked(name: str) -> dict[str, str]:
    """The lock's pins: canonical name -> version."""
    pins = {}
    for line in (LOCKS / name).read_text("utf-8").splitlines():
        match = PINNED.match(line)
        if match:
            pins[canonicalize_name(match["name"])] = match["version"]
    return pins


def entries(name: str) -> list[str]:
    """Each pinned requirement of a lock, with its continuation lines."""
    text = (LOCKS / name).read_text("utf-8")
    return [e for e in re.split(r"\n(?=\S)", text) if PINNED.match(e)]


@pytest.mark.parametrize(("lock", "extras"), [("runtime.txt", ()), ("test.txt", ("test",))])
def test_every_dependency_is_locked_at_a_version_its_range_allows(
    lock: str, extras: tuple[str, ...]
) -> None:
    pins = locked(lock)
    for requirement in requirements(*extras):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in requirements/{lock}: run bash scripts/lock.sh"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"requirements/{lock} has {name}=={pins[name]}, outside {requirement.specifier}: "
            "run bash scripts/lock.sh"
        )


@pytest.mark.parametrize("lock", ["runtime.txt", "test.txt"])
def test_every_pin_is_exact_and_has_hashes(lock: str) -> None:
    unhashed = [e.split()[0] for e in entries(lock) if "--hash=sha256:" not in e]
    assert entries(lock) and unhashed == []


def test_the_runtime_lock_has_the_versions_the_tests_ran_on() -> None:
    runtime, test = locked("runtime.txt"), locked("test.txt")
    assert {name: test.get(name) for name in runtime} == runtime
    assert len(runtime) < len(test)  # and not the test tools
