"""What a generator needs to know about one field, read off a compiled schema.

A compiled profile schema spreads a field's constraints over the field's schema object and
its ``allOf`` blocks (one block per provenance level).  Generators want them in one place:
types, bounds, patterns, enum, properties, required names.  `shape_of` merges them, so no
strategy reads a schema keyword itself and a changed spec changes what is generated.

Keywords a `Shape` does not model (``not``, ``anyOf``, ``if``...) are still enforced: every
shape carries a validator for its schema object and generators filter through `Shape.check`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ordercheck.json_tools import JSON_TYPES, fast_answer, fast_validator

# One value of each JSON type: a schema that rejects all of them accepts nothing useful,
# which is how an ``unevaluatedProperties: {not: {}}`` (or ``false``) closes an object.
_PROBES: tuple[Any, ...] = (None, True, 0, 1, 0.5, "", "x", [], {})


@dataclass(frozen=True, eq=False)
class Shape:
    """The merged constraints of one schema object and its ``allOf`` blocks."""

    schema: Any
    types: tuple[str, ...] = ()
    enum: tuple[Any, ...] | None = None
    examples: tuple[Any, ...] = ()
    patterns: tuple[str, ...] = ()
    min_length: int = 0
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    properties: Mapping[str, Shape] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    values: Shape | None = None
    keys: Shape | None = None
    extra: Shape | None = None
    min_properties: int = 0
    max_properties: int | None = None
    items: Shape | None = None
    min_items: int = 0
    max_items: int | None = None
    _validator: Any = field(default=None, repr=False)

    def check(self, value: Any) -> bool:
        """True when `value` satisfies this schema object (every keyword, modelled or not);
        a string that is not Unicode text (a lone surrogate from argv) satisfies nothing."""
        return fast_answer(self._validator, value) is True

    def allows(self, json_type: str) -> bool:
        """True when values of `json_type` may pass the ``type`` keyword."""
        if not self.types:
            return True
        return json_type in self.types or (json_type == "integer" and "number" in self.types)

    @cached_property
    def closed(self) -> bool:
        """True when no property outside `properties` is allowed (``false``, ``not: {}``)."""
        return any(
            rest is not None and not rest.types and not any(rest.check(p) for p in _PROBES)
            for rest in (self.extra, self.values)
        )

    def int_bounds(self) -> tuple[int | None, int | None]:
        """The smallest and largest integer the numeric bounds allow (None: unbounded)."""
        lows = [math.ceil(self.minimum)] if self.minimum is not None else []
        if self.exclusive_minimum is not None:
            lows.append(math.floor(self.exclusive_minimum) + 1)
        highs = [math.floor(self.maximum)] if self.maximum is not None else []
        if self.exclusive_maximum is not None:
            highs.append(math.ceil(self.exclusive_maximum) - 1)
        return (max(lows) if lows else None, min(highs) if highs else None)


class _Collected:
    """Constraints gathered from a schema object and its ``allOf`` blocks before merging."""

    def __init__(self) -> None:
        self.types: set[str] | None = None
        self.enum: list[Any] | None = None
        self.patterns: list[str] = []
        self.examples: list[Any] = []
        self.numbers: dict[str, list[float]] = {}
        self.properties: dict[str, list[Any]] = {}
        self.required: set[str] = set()
        self.subschemas: dict[str, list[Any]] = {}

    def add_types(self, value: Any) -> None:
        types = {value} if isinstance(value, str) else set(value)
        self.types = types if self.types is None else self.types & types

    def add_enum(self, values: Iterable[Any]) -> None:
        values = list(values)
        self.enum = values if self.enum is None else [v for v in self.enum if v in values]

    def bound(self, keyword: str, pick: Any, default: Any = None) -> Any:
        found = self.numbers.get(keyword)
        return pick(found) if found else default


_BOUNDS = (
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minProperties",
    "maxProperties",
    "minItems",
    "maxItems",
)
_SUBSCHEMAS = ("additionalProperties", "propertyNames", "unevaluatedProperties", "items")


def _collect(node: Any, into: _Collected) -> None:
    if not isinstance(node, Mapping):
        return
    if "type" in node:
        into.add_types(node["type"])
    if "enum" in node:
        into.add_enum(node["enum"])
    if "const" in node:
        into.add_enum([node["const"]])
    if "pattern" in node:
        into.patterns.append(node["pattern"])
    if isinstance(node.get("examples"), list):
        into.examples.extend(node["examples"])
    for keyword in _BOUNDS:
        if keyword in node:
            into.numbers.setdefault(keyword, []).append(node[keyword])
    for name, child in node.get("properties", {}).items():
        into.properties.setdefault(name, []).append(child)
    into.required.update(node.get("required", ()))
    for keyword in _SUBSCHEMAS:
        if keyword in node:
            into.subschemas.setdefault(keyword, []).append(node[keyword])
    for block in node.get("allOf", ()):
        _collect(block, into)


def _merged(nodes: list[Any]) -> Shape:
    return shape_of(nodes[0] if len(nodes) == 1 else {"allOf": nodes})


def shape_of(schema: Any) -> Shape:
    """The `Shape` of a compiled schema object (``$ref``-free, as `Spec` gives them).

    >>> s = shape_of({"type": "string", "allOf": [{"minLength": 1}, {"maxLength": 64}]})
    >>> (s.types, s.min_length, s.max_length)
    (('string',), 1, 64)
    """
    got = _Collected()
    _collect(schema, got)
    sub = {k: _merged(v) for k, v in got.subschemas.items()}
    return Shape(
        schema=schema,
        types=tuple(t for t in JSON_TYPES if got.types is not None and t in got.types),
        enum=tuple(got.enum) if got.enum is not None else None,
        examples=tuple(got.examples),
        patterns=tuple(got.patterns),
        min_length=int(got.bound("minLength", max, 0)),
        max_length=got.bound("maxLength", min),
        minimum=got.bound("minimum", max),
        maximum=got.bound("maximum", min),
        exclusive_minimum=got.bound("exclusiveMinimum", max),
        exclusive_maximum=got.bound("exclusiveMaximum", min),
        properties={name: _merged(nodes) for name, nodes in got.properties.items()},
        required=frozenset(got.required),
        values=sub.get("additionalProperties"),
        keys=sub.get("propertyNames"),
        extra=sub.get("unevaluatedProperties"),
        min_properties=int(got.bound("minProperties", max, 0)),
        max_properties=got.bound("maxProperties", min),
        items=sub.get("items"),
        min_items=int(got.bound("minItems", max, 0)),
        max_items=got.bound("maxItems", min),
        _validator=fast_validator(schema),
    )
