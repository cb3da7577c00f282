"""C4: statuses are 200 or 400 (401/403 allowed for auth failures only)."""

from __future__ import annotations

from functools import cache

from ordercheck.results import RuleViolation
from ordercheck.rules._observation import Observation
from ordercheck.rules._rule import violation
from ordercheck.spec import Spec

ID = "C4"
NEEDS = "a response with a status"
# A status the API does not use explains a payload answered with it: 201 for a valid order
# is C4 alone, not also C5; 422 for an invalid one, not also C6.
CONSEQUENCES = ("C3", "C5", "C6")
AUTH_STATUSES = frozenset({401, 403})


@cache
def allowed_statuses(spec: Spec) -> frozenset[int]:
    """The statuses the spec documents for the operation (200, 400, 401, 403)."""
    return frozenset(int(code) for code in spec.operation["responses"] if code.isdigit())


def applies(observation: Observation) -> bool:
    """Every response with a status."""
    return observation.status is not None


def check(observation: Observation) -> RuleViolation | None:
    status = observation.status
    allowed = allowed_statuses(observation.judging.spec)
    if status is None:
        return None
    if status in AUTH_STATUSES and status in allowed:
        if observation.expectation.expect in ("unauthorized", "unknown"):
            return None
        return violation(
            ID,
            "auth failure for an authorized request",
            f"HTTP {status} answered a request that carried the right key for its merchant; "
            "401 and 403 are for auth failures only",
            expected="HTTP 200 or 400",
            found=f"HTTP {status}",
            cause=f"HTTP {status} for an authorized request",
        )
    if status in allowed:
        return None
    return violation(
        ID,
        "status the API does not use",
        f"HTTP {status} is not a status this API uses",
        expected="HTTP " + " or ".join(str(s) for s in sorted(allowed)),
        found=f"HTTP {status}",
        cause=f"HTTP {status}",
    )
