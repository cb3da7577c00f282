"""Findings: what a validator says about one payload, in words a merchant can act on."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any, Literal

from ordercheck.spec import Level

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One broken rule: which, how sure we are of it, where, and what to do about it."""

    rule: str
    level: Level
    severity: Severity
    path: str
    expected: str
    found: str
    hint: str

    def to_dict(self) -> dict[str, str]:
        """A plain dict for JSON output."""
        return asdict(self)


@dataclass(frozen=True)
class Verdict:
    """The outcome for one payload: valid unless an error-severity finding was made."""

    findings: tuple[Finding, ...] = ()

    @property
    def valid(self) -> bool:
        """True when no finding is an error (warnings do not make a payload invalid)."""
        return not any(f.severity == "error" for f in self.findings)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
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
