"""The two validation engines over one compiled schema.

The fast path (jsonschema-rs) only answers "valid?"; the precise path (jsonschema, Draft
2020-12) yields every error with its schema location.  Patterns mean ECMA-262 in both: Python's
``re`` would let ``$`` match before a trailing newline and ``\\d`` match non-ASCII digits, so
the precise path translates each pattern before compiling it, and the two paths agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

import jsonschema
import jsonschema_rs
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError


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
) -> Iterator[ValidationError]:
    if isinstance(instance, str) and not ecma_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


PreciseValidator: Any = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator, {"pattern": _ecma_pattern}
)


def fast_validator(schema: Mapping[str, Any]) -> Any:
    """A jsonschema-rs validator for `schema` (Draft 2020-12, formats not asserted)."""
    return jsonschema_rs.Draft202012Validator(dict(schema), validate_formats=False)


def fast_answer(validator: Any, instance: Any) -> bool | None:
    """The fast path's verdict, or None when jsonschema-rs cannot take the instance (a string
    with a lone surrogate, which is not Unicode text): the precise path decides then."""
    try:
        return bool(validator.is_valid(instance))
    except (UnicodeEncodeError, ValueError, OverflowError):
        return None


def precise_validator(schema: Mapping[str, Any]) -> Any:
    """A jsonschema validator for `schema` whose patterns have ECMA-262 meaning."""
    return PreciseValidator(dict(schema))
