"""JSON and JSON Schema, done once for the whole package: the two schema engines, what a
JSON type is, and how a JSON path is written.

Engines: the fast path (jsonschema-rs) answers "valid?"; the precise path (jsonschema, Draft
2020-12) yields every error with its schema location.  Patterns mean ECMA-262 in both:
Python's ``re`` would let ``$`` match before a trailing newline and ``\\d`` match non-ASCII
digits, so the precise path translates each pattern before compiling it, and the two agree.

Types: JSON Schema's, not Python's: ``2.0`` is an integer, ``true`` is not (Python's `bool` is
an `int`), so every "is this an integer?" in ordercheck asks `is_json_type`.

Paths: ``$.user.address.pincode``, ``$.skus['117004']``: how every finding names a place.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

import jsonschema_rs


@lru_cache(maxsize=256)
def ecma_regex(pattern: str) -> re.Pattern[str]:
    """Compile an ECMA-262 pattern with Python's ``re``, keeping ECMA's meaning.

    >>> bool(ecma_regex("^[0-9]+$").search("12\\n"))
    False
    """
    out: list[str] = []
    in_class = escaped = False
    for char in pattern:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif char == "[":
            in_class = True
            out.append(char)
        elif char == "]":
            in_class = False
            out.append(char)
        elif char == "$" and not in_class:
            out.append(r"\Z")
        else:
            out.append(char)
    return re.compile("".join(out), re.ASCII)


def _ecma_pattern(
    validator: Any, pattern: str, instance: Any, schema: Mapping[str, Any]
) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if isinstance(instance, str) and not ecma_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@lru_cache(maxsize=1)
def _precise_class() -> Any:
    """Draft 2020-12 with ECMA-262 patterns.  Built on first use: importing jsonschema costs
    every command ~50 ms, and only the differential oracle and ``precise=True`` need it."""
    from jsonschema import Draft202012Validator, validators

    return validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})  # type: ignore[no-untyped-call]


def fast_validator(schema: Any) -> Any:
    """A jsonschema-rs validator for `schema`, an object or a boolean schema (Draft 2020-12,
    formats not asserted)."""
    native = dict(schema) if isinstance(schema, Mapping) else schema
    return jsonschema_rs.Draft202012Validator(native, validate_formats=False)


def fast_answer(validator: Any, instance: Any) -> bool | None:
    """The fast path's verdict, or None when jsonschema-rs cannot take the instance (a string
    with a lone surrogate, which is not Unicode text): the precise path decides then."""
    try:
        return bool(validator.is_valid(instance))
    except (UnicodeEncodeError, ValueError, OverflowError):
        return None


def precise_validator(schema: Mapping[str, Any]) -> Any:
    """A jsonschema validator for `schema` whose patterns have ECMA-262 meaning."""
    return _precise_class()(dict(schema))


# -- JSON types -----------------------------------------------------------------------------

JSON_TYPES = ("null", "boolean", "integer", "number", "string", "array", "object")

_TYPE_TESTS: dict[str, Callable[[Any], bool]] = {
    "null": lambda v: v is None,
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "string": lambda v: isinstance(v, str),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def is_json_type(value: Any, json_type: str) -> bool:
    """Whether `value` has JSON Schema type `json_type`.

    >>> is_json_type(2.0, "integer"), is_json_type(True, "integer")
    (True, False)
    """
    return _TYPE_TESTS[json_type](value)


def conforms(value: Any, types: str | Sequence[str]) -> bool:
    """Whether `value` has one of the JSON `types` (a name or a list of names)."""
    return any(is_json_type(value, t) for t in ([types] if isinstance(types, str) else types))


# -- JSON paths -----------------------------------------------------------------------------

PathStep = str | int

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def json_path(steps: Sequence[PathStep]) -> str:
    """``["user", "address", "pincode"]`` -> ``$.user.address.pincode``; keys that are not
    identifiers (SKU ids) use brackets: ``$.skus['117004']``.

    >>> json_path(["skus", "117004"])
    "$.skus['117004']"
    """
    out = "$"
    for step in steps:
        if isinstance(step, int):
            out += f"[{step}]"
        elif _IDENTIFIER.match(step):
            out += f".{step}"
        else:
            escaped = json.dumps(step, ensure_ascii=False)[1:-1].replace('\\"', '"')
            quoted = escaped.replace("'", "\\'")
            out += f"['{quoted}']"
    return out
