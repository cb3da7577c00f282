"""The conformance rules (C1 to C14 of CONTRACT.md) as the spec lists them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ordercheck.errors import SpecError
from ordercheck.spec._profiles import LEVELS, Level

Scope = Literal["exchange", "sequence"]


@dataclass(frozen=True)
class ConformanceRule:
    """One behaviour rule: `C7`, `echo_merchant_order_id`, its scope, level and summary."""

    id: str
    name: str
    scope: Scope
    level: Level
    summary: str

    @property
    def slug(self) -> str:
        """``C7_echo_merchant_order_id``: how tests and reports name the rule."""
        return f"{self.id}_{self.name}"


def conformance_rules(document: Mapping[str, Any], source: str) -> dict[str, ConformanceRule]:
    """Read ``x-conformance-rules`` from the document, checking each entry's shape."""
    rules: dict[str, ConformanceRule] = {}
    for index, entry in enumerate(document.get("x-conformance-rules", [])):
        where = f"{source}: $['x-conformance-rules'][{index}]"
        try:
            rule = ConformanceRule(
                str(entry["id"]),
                str(entry["name"]),
                entry["scope"],
                entry["level"],
                str(entry["summary"]),
            )
        except (KeyError, TypeError) as exc:
            raise SpecError(f"{where}: missing {exc}") from None
        if rule.scope not in ("exchange", "sequence") or rule.level not in LEVELS:
            raise SpecError(f"{where}: scope or level not recognised")
        rules[rule.id] = rule
    return rules
