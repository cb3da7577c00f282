"""Loading the spec: the bundled one or a user's, with every local ``$ref`` inlined.

The validators and strategies need self-contained schemas; the spec keeps its ``$ref``s for
people to read.  Inlining happens once per load, here.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ordercheck.errors import SpecError
from ordercheck.spec._conformance import ConformanceRule, conformance_rules
from ordercheck.spec._profiles import PROFILE_LEVELS, Profile, compile_for_levels

OPERATION_PATH = "/merchants/{merchant_id}/orders"
BUNDLED_SPEC_NAME = "create-order.openapi.yaml"


def bundled_spec_text() -> str:
    """The spec shipped inside the package (the same file as the repository's `spec/`)."""
    return (resources.files("ordercheck") / "_spec" / BUNDLED_SPEC_NAME).read_text("utf-8")


# libyaml's loader when PyYAML was built with it: ten times faster on this spec.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse(text: str, source: str) -> dict[str, Any]:
    try:
        document = yaml.load(text, Loader=_YAML_LOADER)  # a safe loader, C or Python
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        raise SpecError(f"{source}{line}: $: not valid YAML ({exc.problem})") from None
    except yaml.YAMLError as exc:
        raise SpecError(f"{source}: $: not valid YAML ({exc})") from None
    if not isinstance(document, dict) or "openapi" not in document:
        raise SpecError(f"{source}: $: not an OpenAPI document (no 'openapi' key)")
    return document


def _resolve_pointer(document: Mapping[str, Any], ref: str, source: str) -> Any:
    if not ref.startswith("#/"):
        raise SpecError(f"{source}: {ref}: only local $refs are supported")
    node: Any = document
    for raw in ref[2:].split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, Mapping) or part not in node:
            raise SpecError(f"{source}: {ref}: $ref points nowhere")
        node = node[part]
    return node


def inline_refs(document: Mapping[str, Any], source: str = "<spec>") -> dict[str, Any]:
    """Return a copy of `document` with every local ``$ref`` replaced by its target."""

    def walk(node: Any, seen: tuple[str, ...]) -> Any:
        if isinstance(node, Mapping):
            if "$ref" in node:
                ref = node["$ref"]
                if ref in seen:
                    raise SpecError(f"{source}: {ref}: recursive $ref is not supported")
                target = walk(_resolve_pointer(document, ref, source), (*seen, ref))
                siblings = {k: walk(v, seen) for k, v in node.items() if k != "$ref"}
                return {**target, **siblings}
            return {k: walk(v, seen) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v, seen) for v in node]
        return node

    return walk(copy.deepcopy(dict(document)), ())  # type: ignore[no-any-return]


@dataclass(frozen=True, eq=False)  # identity semantics: a Spec is hashable, cacheable
class Spec:
    """One loaded spec: the document as written and the schemas every part derives from."""

    document: dict[str, Any]
    source: str = "<bundled>"
    path: str = OPERATION_PATH
    _cache: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def resolved(self) -> dict[str, Any]:
        """The document with every ``$ref`` inlined."""
        return inline_refs(self.document, self.source)

    @cached_property
    def conformance(self) -> dict[str, ConformanceRule]:
        """C1 to C14 by id, as listed in ``x-conformance-rules``."""
        return conformance_rules(self.document, self.source)

    @cached_property
    def operation(self) -> dict[str, Any]:
        """The resolved Create Order operation (``post`` on the order path)."""
        try:
            return self.resolved["paths"][self.path]["post"]  # type: ignore[no-any-return]
        except (KeyError, TypeError):
            raise SpecError(f"{self.source}: $.paths: no POST {self.path} operation") from None

    @cached_property
    def request_schema(self) -> dict[str, Any]:
        """The request body schema with all levels (the strict form)."""
        content = self.operation["requestBody"]["content"]["application/json"]
        return content["schema"]  # type: ignore[no-any-return]

    def response(self, status: str) -> dict[str, Any]:
        """The resolved response object for `status` (e.g. "200")."""
        return self.operation["responses"][status]  # type: ignore[no-any-return]

    def response_schema(self, status: str) -> dict[str, Any]:
        """The JSON body schema of the `status` response, all levels."""
        schema = self.response(status)["content"]["application/json"]["schema"]
        return schema  # type: ignore[no-any-return]

    def required_headers(self, status: str) -> list[str]:
        """The response headers the spec requires for `status` (e.g. ``X-Request-ID``)."""
        headers = self.response(status).get("headers", {})
        return [name for name, header in headers.items() if header.get("required")]

    def examples(self, status: str) -> dict[str, Any]:
        """The named examples of a response: name to body."""
        content = self.response(status)["content"]["application/json"]
        return {name: ex["value"] for name, ex in content.get("examples", {}).items()}

    def for_profile(self, schema: Any, profile: Profile) -> Any:
        """`schema` compiled down to `profile` (cached per schema object and profile)."""
        key = (id(schema), profile)
        cached = self._cache.get(key)
        # The cache keeps the schema alive with its compiled form, so an id is never reused.
        if cached is None or cached[0] is not schema:
            cached = self._cache[key] = (
                schema,
                compile_for_levels(schema, PROFILE_LEVELS[profile]),
            )
        return cached[1]

    def openapi_for(self, profile: Profile) -> dict[str, Any]:
        """The whole document, resolved and compiled to `profile`: what Schemathesis loads."""
        document = copy.deepcopy(self.resolved)
        document.pop("components", None)
        for item in document.get("paths", {}).values():
            for operation in item.values():
                body = operation.get("requestBody", {}).get("content", {})
                for media in body.values():
                    media["schema"] = compile_for_levels(media["schema"], PROFILE_LEVELS[profile])
                for response in operation.get("responses", {}).values():
                    for media in response.get("content", {}).values():
                        media["schema"] = compile_for_levels(
                            media["schema"], PROFILE_LEVELS[profile]
                        )
        document["components"] = {"securitySchemes": self.resolved["components"]["securitySchemes"]}
        return document


def load_spec(path: str | Path | None = None, *, operation_path: str = OPERATION_PATH) -> Spec:
    """Load the bundled spec, or the one at `path` (YAML or JSON).

    >>> load_spec().operation["operationId"]
    'createOrder'
    """
    if path is None:
        return _bundled(operation_path)
    source = str(path)
    try:
        text = Path(path).read_text("utf-8")
    except OSError as exc:
        raise SpecError(f"{source}: $: cannot read the spec ({exc.strerror})") from None
    document = _parse(text, source) if not source.endswith(".json") else _parse_json(text, source)
    return Spec(document, source, operation_path)


@cache
def _bundled(operation_path: str) -> Spec:
    # The bundled spec never changes in a process; every part shares one parsed copy.
    return Spec(_parse(bundled_spec_text(), "<bundled spec>"), "<bundled spec>", operation_path)


def _parse_json(text: str, source: str) -> dict[str, Any]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecError(f"{source}:{exc.lineno}: $: not valid JSON ({exc.msg})") from None
    if not isinstance(document, dict) or "openapi" not in document:
        raise SpecError(f"{source}: $: not an OpenAPI document (no 'openapi' key)")
    return document
