"""C5: a payload valid under the profile is accepted (200), unless the rejection is declared."""

from __future__ import annotations

from ordercheck.results import RuleViolation
from ordercheck.rules._observation import Observation
from ordercheck.rules._rule import violation

ID = "C5"


def applies(observation: Observation) -> bool:
    """The first request of each valid payload (replays are judged by C10 and C11)."""
    return observation.expectation.expect == "valid" and observation.answered


def check(observation: Observation) -> RuleViolation | None:
    if observation.status == 200:
        return None
    message = observation.error_message or ""
    allowed = observation.judging.allow_rejection
    if observation.status == 400 and allowed is not None and allowed.search(message):
        return None
    detail = f": {message}" if message else ""
    return violation(
        ID,
        "valid payload rejected",
        f"a payload valid under the {observation.judging.profile} profile got "
        f"HTTP {observation.status}{detail}",
        expected="HTTP 200",
        found=f"HTTP {observation.status}",
    )
