"""annotations.jsonld: every claim as a W3C Web Annotation that tools of that model can import.

Each annotation must pass the W3C Web Annotation Working Group's own JSON Schema assertions
listed in ``annotationMusts.test`` (kept unchanged in tests/fixtures/w3c-annotation-tests).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from tests.helpers import good_files, revised_files, write_tree
from tests.test_build import run

W3C = Path(__file__).resolve().parent / "fixtures" / "w3c-annotation-tests"


@cache
def must_assertions() -> list[tuple[str, dict[str, Any]]]:
    listed = json.loads((W3C / "annotations/annotationMusts.test").read_text())["assertions"]
    return [(name, json.loads((W3C / name).read_text())) for name in listed]


@cache
def registry() -> Registry:  # type: ignore[type-arg]
    found: Registry = Registry()  # type: ignore[type-arg]
    for definition in sorted((W3C / "definitions").glob("*.json")):
        schema = json.loads(definition.read_text())
        found = found.with_resource(schema["id"], Resource(schema, DRAFT4))
    return found


def failed_assertions(annotation: dict[str, Any]) -> list[str]:
    failed = []
    for name, schema in must_assertions():
        validator = Draft4Validator(
            schema, registry=registry().with_resource(schema["id"], Resource(schema, DRAFT4))
        )
        if validator.is_valid(annotation) != (schema["expectedResult"] == "valid"):
            failed.append(f"{name}: {schema['errorMessage']}")
    return failed


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("w3c")
    content = write_tree(root / "content", good_files())
    result = run("build", "--content", str(content), "--out", str(root / "out"))
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads((root / "out/annotations.jsonld").read_text())
    return data


def test_a_revised_claim_is_modified_and_a_withdrawn_one_is_left_out(
    tmp_path: Path,
) -> None:
    content = write_tree(tmp_path / "content", revised_files())
    result = run("build", "--content", str(content), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "out/annotations.jsonld").read_text())
    items = {item["id"].rsplit("/", 1)[-1]: item for item in data["first"]["items"]}
    assert set(items) == {"mission-impossible-year.html", "film-budget.html"}
    revised = items["film-budget.html"]
    assert (revised["created"], revised["modified"]) == (
        "2026-11-21T00:00:00Z",
        "2026-12-01T00:00:00Z",
    )
    assert "modified" not in items["mission-impossible-year.html"]
    assert failed_assertions(revised) == []


def test_the_w3c_assertions_are_all_there() -> None:
    assert len(must_assertions()) == 54


def test_every_annotation_passes_every_w3c_must_assertion(collection: dict[str, Any]) -> None:
    items = collection["first"]["items"]
    assert len(items) == collection["total"] == 2
    for annotation in items:
        assert failed_assertions(annotation) == [], annotation["id"]


def test_the_assertions_catch_a_broken_annotation(collection: dict[str, Any]) -> None:
    broken = dict(collection["first"]["items"][0])
    del broken["target"]
    broken["@context"] = "http://example.org/not-the-annotation-context"
    failed = failed_assertions(broken)
    assert any("3.1-targetKeyFound" in f for f in failed)
    assert any("3.1-annotationContextValidated" in f for f in failed)


def test_annotations_assess_the_quote_with_both_selectors(collection: dict[str, Any]) -> None:
    assert collection["type"] == "AnnotationCollection"
    assert "Unicode code points" in collection["summary"]
    first = collection["first"]["items"][0]
    assert first["motivation"] == "assessing"
    quote, position = first["target"]["selector"]
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": "first Mission: Impossible film in 1992",
        "prefix": "Tom Cruise, star of the ",
        "suffix": ", will fly to orbit.\n\nThe film i",  # 32 characters
    }
    assert position["type"] == "TextPositionSelector"
    assert position["end"] - position["start"] == len(quote["exact"])
    assert first["target"]["source"] == "https://news.example.com/cruise"
    tags = [b["value"] for b in first["body"] if b.get("purpose") == "tagging"]
    assert tags == ["erroneous"]
