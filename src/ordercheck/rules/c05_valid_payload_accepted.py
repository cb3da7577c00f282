"""C5: a payload valid under the profile is accepted (200), unless the rejection is declared."""

from __future__ import annotations

import re

from ordercheck.results import RuleViolation
from ordercheck.rules._observation import Observation
from ordercheck.rules._rule import violation

ID = "C5"
NEEDS = (
    "a payload valid under the profile, answered, and not refused as a declared business "
    "rejection (--allow-rejection)"
)


def applies(observation: Observation) -> bool:
    """The first request of each valid payload (replays are judged by C10 and C11)."""
    return (
        observation.expectation.expect == "valid"
        and observation.answered
        and not observation.declared_rejection
    )


def check(observation: Observation) -> RuleViolation | None:
    if observation.status == 200:
        return None
    message = observation.error_message or ""
    detail = f": {message}" if message else ""
    # One cause per kind of refusal: "SKU 117004 is not sold" and "SKU 225818 is not sold"
    # are one defect (or one undeclared business rule), not two.
    shape = re.sub(r"[0-9]+", "N", detail)
    return violation(
        ID,
        "valid payload rejected",
        f"a payload valid under the {observation.judging.profile} profile got "
        f"HTTP {observation.status}{detail}",
        expected="HTTP 200",
        found=f"HTTP {observation.status}",
        cause=f"HTTP {observation.status}{shape}",
    )
