"""The spec's schemas reshaped for jsonschema-rs's yes/no answer, same meaning.

The spec writes each level's constraints as an `allOf` member with its own provenance, and
unknown fields as ``unevaluatedProperties``: right for people and for the rule catalogue,
but every `allOf` member and every unevaluated-properties check is work for a validator.
For the yes/no test run on every payload (`RequestValidator.is_valid`, the validate
command's clean test) the schema is reshaped: annotations dropped, each `allOf` member made
only of plain assertions merged into its owner when they share no keyword, and
``unevaluatedProperties`` turned into ``additionalProperties`` where nothing but
``properties`` and ``patternProperties`` can evaluate a property.  About a fifth off each
call; tests/test_differential.py holds the reshaped answers to jsonschema's.

Errors are never read from a reshaped schema: their schema paths would not be the spec's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ordercheck.spec import ASSERTION_KEYWORDS

_ANNOTATIONS = frozenset({"title", "description", "examples", "default", "$comment"})
# Assertions whose meaning does not depend on their sibling keywords: the spec's assertion
# keywords, and propertyNames (whose sub-schema only ever sees the keys).
_PLAIN = ASSERTION_KEYWORDS | {"propertyNames"}
# Where a schema holds schemas; every other keyword's value is data (an enum's objects).
_ONE_SCHEMA = frozenset(
    {
        "additionalProperties",
        "unevaluatedProperties",
        "items",
        "unevaluatedItems",
        "propertyNames",
        "contains",
        "if",
        "then",
        "else",
        "not",
    }
)
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "dependentSchemas", "$defs"})
# Keywords that may evaluate properties beside `properties` and `patternProperties`.
_IN_PLACE = frozenset(
    {"allOf", "anyOf", "oneOf", "if", "then", "else", "dependentSchemas", "$ref", "$dynamicRef"}
)


def shaped_for_speed(schema: Any) -> Any:
    """`schema` with the same meaning, shaped to validate faster.

    >>> shaped_for_speed({"type": "string", "x-doc": "d", "allOf": [{"minLength": 1}]})
    {'type': 'string', 'minLength': 1}
    """
    if not isinstance(schema, Mapping):
        return schema  # true or false
    node = {
        key: _shaped(key, value)
        for key, value in schema.items()
        if not key.startswith("x-") and key not in _ANNOTATIONS
    }
    if isinstance(node.get("allOf"), list):
        kept = []
        for member in node.pop("allOf"):
            mergeable = isinstance(member, dict) and member.keys() <= _PLAIN
            if mergeable and not member.keys() & node.keys():
                node.update(member)
            elif member != {}:
                kept.append(member)
        if kept:
            node["allOf"] = kept
    if (
        "unevaluatedProperties" in node
        and "additionalProperties" not in node
        and not node.keys() & _IN_PLACE
    ):
        node["additionalProperties"] = node.pop("unevaluatedProperties")
    return node


def _shaped(keyword: str, value: Any) -> Any:
    if keyword in _ONE_SCHEMA:
        return shaped_for_speed(value)
    if keyword in _SCHEMA_LISTS and isinstance(value, list):
        return [shaped_for_speed(item) for item in value]
    if keyword in _SCHEMA_MAPS and isinstance(value, Mapping):
        return {name: shaped_for_speed(item) for name, item in value.items()}
    return value
