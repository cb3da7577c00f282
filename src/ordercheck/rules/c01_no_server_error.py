"""C1: no 5xx and no dropped connection, for any input, malformed JSON included."""

from __future__ import annotations

from ordercheck.results import RuleViolation
from ordercheck.rules._observation import Observation
from ordercheck.rules._rule import violation

ID = "C1"
NEEDS = "any request"
# A crash or a dropped connection explains what else is wrong with that exchange.
CONSEQUENCES = ("C2", "C3", "C4", "C5", "C6", "C13")


def applies(observation: Observation) -> bool:
    """Every exchange: a request that got nothing back broke this rule too."""
    return True


def check(observation: Observation) -> RuleViolation | None:
    if observation.error is not None:
        return violation(
            ID,
            "no whole response",
            f"no whole response came back: {observation.error}",
            cause=observation.error.split(":", 1)[0],
        )
    status = observation.status
    if status is not None and status >= 500:
        return violation(
            ID,
            "server error",
            f"HTTP {status}: the server failed on this request",
            cause=f"HTTP {status}",
            expected="a status below 500",
            found=f"HTTP {status}",
        )
    return None
