"""C2: every response is JSON with the success or the error envelope."""

from __future__ import annotations

from ordercheck.results import RuleViolation
from ordercheck.rules._observation import NOT_JSON, Observation
from ordercheck.rules._rule import violation

ID = "C2"
NEEDS = "a whole response"


def applies(observation: Observation) -> bool:
    """Every whole response."""
    return observation.answered


def media_type_violation(observation: Observation) -> RuleViolation | None:
    """A Content-Type other than JSON (only when the headers are known)."""
    if not observation.headers:
        return None
    content_type = observation.header("content-type") or ""
    if "json" in content_type.split(";")[0]:
        return None
    return violation(
        ID,
        "response is not JSON",
        f"HTTP {observation.status} with Content-Type "
        f"{content_type!r}; responses must be JSON: Content-Type: application/json"
        if content_type
        else f"HTTP {observation.status} without a Content-Type; responses must be JSON",
        path="headers.Content-Type",
        expected="application/json",
        found=repr(content_type) if content_type else "nothing",
    )


def check(observation: Observation) -> RuleViolation | None:
    if observation.body is NOT_JSON:
        return violation(
            ID,
            "response is not JSON",
            f"HTTP {observation.status} body is not JSON: {observation.text[:80]!r}",
        )
    found = media_type_violation(observation)
    if found is not None:
        return found
    errors = [v for v in observation.envelope_violations if v.severity == "error"]
    if not errors:
        return None
    first = errors[0]
    envelope = observation.judging.envelopes.expected(observation.body, observation.status)
    return violation(
        ID,
        "not the documented envelope",
        f"not the {envelope} envelope: {first.hint} ({first.constraint})",
        path=first.path,
        expected=first.expected,
        found=first.found,
    )
