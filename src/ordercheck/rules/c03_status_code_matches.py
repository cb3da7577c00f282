"""C3: status_code in the body equals the HTTP status; is_success is true exactly on 2xx."""

from __future__ import annotations

from ordercheck.results import RuleViolation
from ordercheck.rules._observation import Observation
from ordercheck.rules._rule import violation
from ordercheck.validators import describe

ID = "C3"
NEEDS = "a JSON response that states status_code or is_success"


def applies(observation: Observation) -> bool:
    """A JSON object that says a status or a success flag."""
    body = observation.json_object
    return body is not None and ("status_code" in body or "is_success" in body)


def check(observation: Observation) -> RuleViolation | None:
    body = observation.json_object
    assert body is not None
    status, code = observation.status, body.get("status_code")
    # Compared by value: 201.0 is not 200, and 200.0 is (whether it may be a float is C2's).
    numeric = isinstance(code, int | float) and not isinstance(code, bool)
    if status is not None and numeric and code != status:
        return violation(
            ID,
            "status_code and is_success disagree",
            f"status_code says {code} but HTTP says {status}",
            path="$.status_code",
            expected=f"{status}, the HTTP status",
            found=describe(code),
        )
    effective = status if status is not None else (code if numeric else None)
    flag = body.get("is_success")
    if effective is not None and isinstance(flag, bool):
        ok = 200 <= effective < 300
        if flag != ok:
            return violation(
                ID,
                "status_code and is_success disagree",
                f"is_success must be {str(ok).lower()} for status {effective}",
                path="$.is_success",
                expected=str(ok).lower(),
                found=describe(flag),
            )
    return None
