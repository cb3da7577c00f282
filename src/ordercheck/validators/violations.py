"""Constraint violations: what a validator says about one payload, in words a merchant can act
on, and the verdict that gathers them.

A `ConstraintViolation` is a payload (or a response body) breaking one constraint of the spec,
named ``<field>:<keyword>`` (``user.address.pincode:pattern``).  A response can also break a
contract rule (C3, C7...): that is a `RuleViolation` (`ordercheck.results`), and a response's
verdict holds both kinds.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any, Generic, TypeVar

from ordercheck.results import RuleViolation, Severity
from ordercheck.spec import Level


@dataclass(frozen=True)
class ConstraintViolation:
    """One broken constraint: which, how sure we are of it, where, and what to do about it."""

    constraint: str
    level: Level
    severity: Severity
    path: str
    expected: str
    found: str
    hint: str

    @property
    def id(self) -> str:
        """The constraint id (``skus.*:minimum``): what a report lists this violation under."""
        return self.constraint

    def to_dict(self) -> dict[str, str]:
        """A plain dict for JSON output: ``rule`` is the constraint id, ``kind`` says so."""
        fields = asdict(self)
        return {"rule": fields.pop("constraint"), "kind": "constraint", **fields}


Violation = ConstraintViolation | RuleViolation
V = TypeVar("V", ConstraintViolation, Violation)


@dataclass(frozen=True)
class Verdict(Generic[V]):
    """The outcome for one payload or response: valid unless an error-severity violation was
    found.  A request's findings are constraint violations; a response's may be either kind."""

    findings: tuple[V, ...] = ()

    @property
    def valid(self) -> bool:
        """True when no finding is an error (warnings do not make a payload invalid)."""
        return not any(f.severity == "error" for f in self.findings)

    @property
    def errors(self) -> tuple[V, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[V, ...]:
        return tuple(f for f in self.findings if f.severity == "warning")


def short(value: Any, limit: int = 40) -> str:
    """Compact JSON for a value, cut to `limit` characters."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(value: Any) -> str:
    """How a value reads in a sentence: ``the number 499``, ``null``, ``the string "x"``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {short(value)}"
    if isinstance(value, str):
        return "an empty string" if value == "" else f"the string {short(value)}"
    if isinstance(value, list):
        return f"an array of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        return "an empty object" if not value else f"an object with {len(value)} field(s)"
    return repr(value)


_TYPE_WORDS = {
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "object": "an object",
    "array": "an array",
    "boolean": "true or false",
    "null": "null",
}


def type_words(expected: Any) -> str:
    """``"string"`` -> ``a string``; a list of types joins with "or"."""
    if isinstance(expected, list):
        return " or ".join(_TYPE_WORDS.get(t, str(t)) for t in expected)
    return _TYPE_WORDS.get(expected, str(expected))
