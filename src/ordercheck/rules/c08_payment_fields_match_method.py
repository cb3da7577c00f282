"""C8: ONLINE success has action map_payment, an integer payment_id and a non-empty
payment_aggregator; COD success has none of the three."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ordercheck.json_tools import is_json_type
from ordercheck.results import RuleViolation
from ordercheck.rules._observation import Observation
from ordercheck.rules._rule import violation
from ordercheck.validators import describe

ID = "C8"
NEEDS = "a success with data"
PAYMENT_FIELDS = ("action", "payment_id", "payment_aggregator")
ONLINE_EXPECTS: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "action": ('"map_payment"', lambda v: v == "map_payment"),
    "payment_id": ("a whole number", lambda v: is_json_type(v, "integer")),
    "payment_aggregator": ("a non-empty string", lambda v: isinstance(v, str) and bool(v)),
}


def applies(observation: Observation) -> bool:
    """A success with ``data``."""
    return observation.succeeded and observation.data is not None


def _method(data: Mapping[str, Any], request: Any) -> Any:
    method = request.get("payment_method") if isinstance(request, Mapping) else None
    if method is None:  # a response read without its request: judge it by what it says
        method = "ONLINE" if any(k in data for k in PAYMENT_FIELDS) else "COD"
    return method


def _broken(field: str, expected: str, found: str, why: str) -> RuleViolation:
    return violation(
        ID,
        "payment fields do not match the payment method",
        f"{why} ($.data.{field}: expected {expected}, found {found})",
        path=f"$.data.{field}",
        expected=expected,
        found=found,
    )


def check(observation: Observation) -> RuleViolation | None:
    data = observation.data
    assert data is not None
    method = _method(data, observation.request)
    if method == "COD":
        for field in PAYMENT_FIELDS:
            if field in data:
                found = describe(data[field])
                return _broken(field, "nothing (COD order)", found, f"a COD success has no {field}")
    elif method == "ONLINE":
        for field, (expected, ok) in ONLINE_EXPECTS.items():
            if not ok(data.get(field)):
                found = describe(data[field]) if field in data else "nothing"
                why = f"an ONLINE success needs {field}: {expected}"
                return _broken(field, expected, found, why)
    return None
