"""Expected/found/hint text for each JSON Schema keyword, from the rule and the value.

The words come from the spec where it has them (``x-hint``, ``examples``) and from the
keyword otherwise, so a new constraint in the spec gets a readable message for free.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ordercheck.spec import Rule
from ordercheck.validators.violations import describe, short, type_words

# Phrases a keyword's (expected, found) words from the rule, the value and the field's schema.
Phrasing = Callable[[Rule, Any, Mapping[str, Any]], tuple[str, str]]


def _such_as(field_schema: Mapping[str, Any]) -> str:
    examples = field_schema.get("examples")
    return f" such as {short(examples[0])}" if examples else ""


def _type(rule: Rule, found: Any, field_schema: Mapping[str, Any]) -> tuple[str, str]:
    return type_words(rule.value) + _such_as(field_schema), describe(found)


def _required(rule: Rule, found: Any, field_schema: Mapping[str, Any]) -> tuple[str, str]:
    kind = type_words(field_schema["type"]) if "type" in field_schema else "a value"
    return f"the field {rule.value!r}, {kind}{_such_as(field_schema)}", "nothing"


def _enum(rule: Rule, found: Any, field_schema: Mapping[str, Any]) -> tuple[str, str]:
    return "one of " + ", ".join(short(v) for v in rule.value), describe(found)


def _const(rule: Rule, found: Any, field_schema: Mapping[str, Any]) -> tuple[str, str]:
    return f"exactly {short(rule.value)}", describe(found)


def _pattern(rule: Rule, found: Any, field_schema: Mapping[str, Any]) -> tuple[str, str]:
    words = rule.hint or f"a string matching {rule.value}"
    return words, describe(found)


def _length(rule: Rule, found: Any, field_schema: Mapping[str, Any]) -> tuple[str, str]:
    size = len(found) if isinstance(found, str | list | dict) else 0
    if rule.keyword == "minLength" and rule.value == 1:
        return "a non-empty string", describe(found)
    bound = "at least" if rule.keyword.startswith("min") else "at most"
    suffix = next(k for k in ("Length", "Properties", "Items") if rule.keyword.endswith(k))
    noun = {"Length": "character", "Properties": "entry", "Items": "item"}[suffix]
    return f"{bound} {_count(rule.value, noun)}", _count(size, noun)


def _count(number: int, noun: str) -> str:
    """``1 entry``, ``2 entries``, ``0 characters``."""
    if number == 1:
        return f"1 {noun}"
    return f"{number} {noun[:-1] + 'ies' if noun.endswith('y') else noun + 's'}"


def _bound(rule: Rule, found: Any, field_schema: Mapping[str, Any]) -> tuple[str, str]:
    words = {
        "minimum": "at least",
        "maximum": "at most",
        "exclusiveMinimum": "more than",
        "exclusiveMaximum": "less than",
    }
    return f"{words.get(rule.keyword, rule.keyword)} {rule.value}", describe(found)


def _not(rule: Rule, found: Any, field_schema: Mapping[str, Any]) -> tuple[str, str]:
    return rule.hint or f"not {short(rule.value)}", describe(found)


_PHRASINGS: dict[str, Phrasing] = {
    "type": _type,
    "required": _required,
    "enum": _enum,
    "const": _const,
    "pattern": _pattern,
    "minLength": _length,
    "maxLength": _length,
    "minItems": _length,
    "maxItems": _length,
    "minProperties": _length,
    "maxProperties": _length,
    "minimum": _bound,
    "maximum": _bound,
    "exclusiveMinimum": _bound,
    "exclusiveMaximum": _bound,
    "not": _not,
}


def explain(
    rule: Rule, found: Any, field_schema: Mapping[str, Any], path: str
) -> tuple[str, str, str]:
    """(expected, found, hint) for `found` breaking `rule` at `path`."""
    phrasing = _PHRASINGS.get(rule.keyword)
    if phrasing is None:
        expected, found_words = f"{rule.keyword} {short(rule.value)}", describe(found)
    else:
        expected, found_words = phrasing(rule, found, field_schema)
    where = path.removeprefix("$.") if path != "$" else "the body"
    if rule.keyword == "required":
        hint = f"{where} is missing; add it: {expected.split(', ', 1)[-1]}"
    elif rule.id.endswith(":unknown-field"):
        hint = f"{where} is {rule.hint or 'not a known field'}"
    else:
        hint = f"{where} must be {expected}; got {found_words}"
    return expected, found_words, hint
