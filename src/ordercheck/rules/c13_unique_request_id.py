"""C13: X-Request-ID is present, non-empty and unique per response."""

from __future__ import annotations

from ordercheck.results import RuleViolation
from ordercheck.rules._observation import Observation
from ordercheck.rules._rule import Judgement, RunRecord, violation

ID = "C13"
NEEDS = "a whole response whose headers are known"


def applies(observation: Observation) -> bool:
    """Every whole response whose headers are known."""
    return observation.answered and bool(observation.headers)


def check(observation: Observation) -> RuleViolation | None:
    if (observation.header("x-request-id") or "").strip():
        return None
    return violation(
        ID,
        "X-Request-ID missing",
        f"HTTP {observation.status} without a non-empty X-Request-ID header",
        path="headers.X-Request-ID",
        expected="a non-empty value",
        found="nothing",
    )


def finish(record: RunRecord) -> Judgement:
    """Every X-Request-ID the run saw is unique."""
    repeated = [(rid, n) for rid, n in record.request_ids.items() if n > 1]
    if not repeated:
        return Judgement()
    rid, count = repeated[0]
    return Judgement((repeated_request_id(rid, count),))


def repeated_request_id(request_id: str, count: int) -> RuleViolation:
    """`request_id` came back on `count` responses (also what `ordercheck proxy` reports the
    moment it sees a repeat)."""
    return violation(
        ID, "X-Request-ID repeated", f"X-Request-ID {request_id!r} was returned {count} times"
    )
