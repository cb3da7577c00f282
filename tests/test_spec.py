"""The spec itself: a valid OpenAPI 3.1 document, faithful to the page, annotated throughout,
printed by `ordercheck spec`, and shipped inside the wheel.

Provenance rule checked here: every schema object that asserts something has a level, its own
or one inherited from an enclosing schema object or from the parameter, header or response
that holds it (the annotation header of the spec says levels inherit); and every property
schema (``properties`` values, ``items``, ``additionalProperties``) carries its own.
"""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
import sys
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from ordercheck.cli import main
from ordercheck.spec import LEVELS, bundled_spec_text, load_spec
from ordercheck.spec._profiles import (
    ASSERTION_KEYWORDS,
    SCHEMA_KEYWORDS,
    SCHEMA_LIST_KEYWORDS,
    SCHEMA_MAP_KEYWORDS,
)

REPO = Path(__file__).resolve().parents[1]
SPEC_FILE = REPO / "spec" / "create-order.openapi.yaml"
PAGE = REPO / "docs" / "create-order-api.txt"
FIELD_KEYWORDS = frozenset({"properties", "patternProperties", "items", "additionalProperties"})


def normalise(text: str) -> str:
    return " ".join(text.split())


def page_text() -> str:
    """The documentation page, as the repository keeps it."""
    return PAGE.read_text("utf-8")


def all_nodes(node: Any, where: str = "$") -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every mapping of the document, with a readable location."""
    if isinstance(node, Mapping):
        yield where, node
        for key, value in node.items():
            yield from all_nodes(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from all_nodes(value, f"{where}[{index}]")


def schema_roots(document: Mapping[str, Any]) -> Iterator[tuple[str, Any, Mapping[str, Any]]]:
    """(location, schema, holder) for each schema the operation and components hold; the
    holder is the parameter, header or response object around it (or the schema itself)."""
    for name, schema in document["components"]["schemas"].items():
        yield f"components.schemas.{name}", schema, schema
    for path, item in document["paths"].items():
        for method, operation in item.items():
            where = f"paths.{path}.{method}"
            for index, parameter in enumerate(operation.get("parameters", [])):
                yield f"{where}.parameters[{index}]", parameter["schema"], parameter
            for media, content in operation["requestBody"]["content"].items():
                yield f"{where}.requestBody.{media}", content["schema"], content["schema"]
            for status, response in operation["responses"].items():
                for name, header in response.get("headers", {}).items():
                    yield f"{where}.responses.{status}.headers.{name}", header["schema"], header
                for media, content in response.get("content", {}).items():
                    yield f"{where}.responses.{status}.{media}", content["schema"], response


def sub_schemas(node: Mapping[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """(keyword, location suffix, child) for each sub-schema of a schema object."""
    for keyword in SCHEMA_MAP_KEYWORDS & node.keys():
        for name, child in node[keyword].items():
            yield keyword, f".{keyword}.{name}", child
    for keyword in (SCHEMA_KEYWORDS | {"not"}) & node.keys():
        yield keyword, f".{keyword}", node[keyword]
    for keyword in SCHEMA_LIST_KEYWORDS & node.keys():
        for index, child in enumerate(node[keyword]):
            yield keyword, f".{keyword}[{index}]", child


SchemaInfo = tuple[str, Mapping[str, Any], str | None, str | None, str | None]


def walk_schemas(
    node: Any, where: str, level: str | None, doc: str | None, under: str | None = None
) -> Iterator[SchemaInfo]:
    """(location, schema, its level, the x-doc that goes with it, the keyword it hangs
    under) for a schema and every sub-schema; a level and its x-doc travel together."""
    if not isinstance(node, Mapping):
        return
    if "x-provenance" in node:
        level, doc = node["x-provenance"], node.get("x-doc")
    yield where, node, level, doc, under
    for keyword, suffix, child in sub_schemas(node):
        yield from walk_schemas(child, where + suffix, level, doc, keyword)


def schemas() -> list[SchemaInfo]:
    out: list[SchemaInfo] = []
    for where, schema, holder in schema_roots(load_spec().resolved):
        level, doc = holder.get("x-provenance"), holder.get("x-doc")
        out.extend(walk_schemas(schema, where, level, doc))
    return out


def test_spec_is_valid_openapi() -> None:
    """openapi-spec-validator accepts the spec as OpenAPI 3.1."""
    document = yaml.safe_load(SPEC_FILE.read_text("utf-8"))
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_validator_rejects_a_broken_spec() -> None:
    """The validity check above can fail: a response without a description is rejected."""
    document = yaml.safe_load(SPEC_FILE.read_text("utf-8"))
    del document["paths"]["/merchants/{merchant_id}/orders"]["post"]["responses"]["200"][
        "description"
    ]
    with pytest.raises(Exception, match="description"):
        validate(document)


def test_every_x_doc_quotes_the_page() -> None:
    """Each x-doc anywhere in the spec is words of the page (whitespace normalised)."""
    page = normalise(page_text())
    docs = [(w, n["x-doc"]) for w, n in all_nodes(load_spec().document) if "x-doc" in n]
    assert len(docs) >= 40
    missing = [(w, q) for w, q in docs if not isinstance(q, str) or normalise(q) not in page]
    assert missing == []


def test_every_documented_assertion_quotes_the_page() -> None:
    """A schema object asserting something at documented level has an x-doc for it."""
    undocumented = [
        where
        for where, node, level, doc, _ in schemas()
        if level == "documented" and ASSERTION_KEYWORDS & node.keys() and not doc
    ]
    assert undocumented == []


def test_every_object_declared_documented_quotes_the_page() -> None:
    """Any object of the spec that declares x-provenance: documented carries its own x-doc."""
    declared = [
        w for w, n in all_nodes(load_spec().document) if n.get("x-provenance") == "documented"
    ]
    assert len(declared) >= 40
    assert [
        w
        for w, n in all_nodes(load_spec().document)
        if n.get("x-provenance") == "documented" and "x-doc" not in n
    ] == []


def test_every_assertion_has_an_explicit_level() -> None:
    """Every asserting schema object has x-provenance, its own or inherited, from LEVELS."""
    found = schemas()
    assert len(found) > 50
    unlevelled = [
        w for w, node, level, _, _ in found if ASSERTION_KEYWORDS & node.keys() and not level
    ]
    assert unlevelled == []
    assert {level for _, _, level, _, _ in found} <= {*LEVELS, None}


def test_every_property_schema_carries_its_own_level() -> None:
    """Each field's schema (properties, items, additionalProperties) says its own level."""
    fields = [(where, node) for where, node, _, _, under in schemas() if under in FIELD_KEYWORDS]
    assert len(fields) >= 30
    assert [where for where, node in fields if "x-provenance" not in node] == []


def test_spec_command_prints_yaml(capsys: pytest.CaptureFixture[str]) -> None:
    """`ordercheck spec` prints the bundled spec byte for byte."""
    with pytest.raises(SystemExit) as exit_info:
        main(["spec", "--format", "yaml"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == SPEC_FILE.read_text("utf-8")


def test_spec_command_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    """`ordercheck spec --format json` prints the same document as JSON."""
    with pytest.raises(SystemExit) as exit_info:
        main(["spec", "--format", "json"])
    assert exit_info.value.code == 0
    assert json.loads(capsys.readouterr().out) == yaml.safe_load(SPEC_FILE.read_text("utf-8"))


def test_bundled_spec_is_the_repository_spec() -> None:
    """The package reads the same bytes as spec/ (through the _spec symlink in a checkout)."""
    assert bundled_spec_text() == SPEC_FILE.read_text("utf-8")


def test_wheel_ships_the_spec(tmp_path: Path) -> None:
    """A wheel built from the tree holds ordercheck/_spec/create-order.openapi.yaml as a real
    file with the bytes of spec/ (the symlink in src/ is resolved, not copied as a link)."""
    source = tmp_path / "src-tree"
    shutil.copytree(
        REPO,
        source,
        symlinks=True,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "reports"
        ),
    )
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    built = subprocess.run(
        [*command, "-q", "-w", str(tmp_path / "wheels"), str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    [wheel] = (tmp_path / "wheels").glob("ordercheck-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        info = archive.getinfo("ordercheck/_spec/create-order.openapi.yaml")
        assert not stat.S_ISLNK(info.external_attr >> 16)
        assert archive.read(info) == SPEC_FILE.read_bytes()
