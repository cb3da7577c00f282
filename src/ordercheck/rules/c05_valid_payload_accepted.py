"""C5: a payload valid under the profile is accepted (200), unless the rejection is declared."""

from __future__ import annotations

from ordercheck.results import RuleViolation
from ordercheck.rules._observation import Observation
from ordercheck.rules._rule import violation

ID = "C5"
NEEDS = (
    "a payload valid under the profile, answered, and not refused as a declared business "
    "rejection (--allow-rejection)"
)


def declared_rejection(observation: Observation) -> bool:
    """A 400 whose message the user declared a business rule (unknown SKU, expired coupon):
    it says nothing about C5 either way."""
    allowed = observation.judging.allow_rejection
    message = observation.error_message or ""
    return observation.status == 400 and allowed is not None and bool(allowed.search(message))


def applies(observation: Observation) -> bool:
    """The first request of each valid payload (replays are judged by C10 and C11)."""
    return (
        observation.expectation.expect == "valid"
        and observation.answered
        and not declared_rejection(observation)
    )


def check(observation: Observation) -> RuleViolation | None:
    if observation.status == 200:
        return None
    message = observation.error_message or ""
    detail = f": {message}" if message else ""
    return violation(
        ID,
        "valid payload rejected",
        f"a payload valid under the {observation.judging.profile} profile got "
        f"HTTP {observation.status}{detail}",
        expected="HTTP 200",
        found=f"HTTP {observation.status}",
        cause=f"HTTP {observation.status}{detail}",
    )
