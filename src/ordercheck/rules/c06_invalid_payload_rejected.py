"""C6: a payload that breaks an error-level rule of the profile gets a 400 error envelope."""

from __future__ import annotations

from ordercheck.results import RuleViolation
from ordercheck.rules._observation import Observation
from ordercheck.rules._rule import violation

ID = "C6"
NEEDS = (
    "a payload built to break an error-level constraint, or a malformed body, answered and "
    "not refused as a declared business rejection (--allow-rejection)"
)


def applies(observation: Observation) -> bool:
    """Payloads built to break a constraint, and bodies that are not JSON payloads."""
    return (
        observation.expectation.expect in ("invalid", "malformed")
        and observation.answered
        and not observation.declared_rejection
    )


def check(observation: Observation) -> RuleViolation | None:
    if observation.status == 400:
        return None
    constraint = observation.expectation.constraint
    what = (
        f"a payload breaking {constraint}"
        if constraint
        else "a request body that is not a JSON payload"
    )
    accepted = observation.succeeded
    return violation(
        ID,
        "invalid payload accepted" if accepted else "invalid payload not refused with 400",
        f"{what} got HTTP {observation.status}, not 400",
        expected="HTTP 400",
        found=f"HTTP {observation.status}",
        cause=constraint or "a body that is not a JSON payload",
    )
