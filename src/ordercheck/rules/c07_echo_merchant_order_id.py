"""C7: a success echoes the request's merchant_order_id exactly."""

from __future__ import annotations

from collections.abc import Mapping

from ordercheck.results import RuleViolation
from ordercheck.rules._observation import Observation
from ordercheck.rules._rule import violation
from ordercheck.validators import describe

ID = "C7"
NEEDS = "a success with data, for a request whose merchant_order_id is a string"


def applies(observation: Observation) -> bool:
    """A success with ``data``, for a request that sent a ``merchant_order_id``."""
    request = observation.request
    return (
        observation.succeeded
        and observation.data is not None
        and isinstance(request, Mapping)
        and isinstance(request.get("merchant_order_id"), str)
    )


def check(observation: Observation) -> RuleViolation | None:
    assert observation.data is not None and isinstance(observation.request, Mapping)
    sent = observation.request["merchant_order_id"]
    got = observation.data.get("merchant_order_id")
    if isinstance(got, str) and got == sent:
        return None
    return violation(
        ID,
        "merchant_order_id not echoed",
        "a success must echo the request's merchant_order_id "
        f"($.data.merchant_order_id: expected {describe(sent)}, found {describe(got)})",
        path="$.data.merchant_order_id",
        expected=describe(sent),
        found=describe(got),
    )
