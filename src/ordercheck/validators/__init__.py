"""Validators compiled from the spec: request payloads and response envelopes.

The public API is `RequestValidator`, `EnvelopeValidator`, `ConstraintViolation` and
`Verdict`::

    from ordercheck.validators import RequestValidator
    verdict = RequestValidator("default").check(payload)
    for violation in verdict.errors:
        print(violation.constraint, violation.path, violation.hint)

A whole response (status, headers and the request too) is judged by
`ordercheck.rules.ResponseValidator`, which adds the contract rules to the envelope check.
"""

from ordercheck.validators.envelope import EnvelopeValidator
from ordercheck.validators.request import RequestValidator
from ordercheck.validators.violations import ConstraintViolation, Verdict, Violation, describe

__all__ = [
    "ConstraintViolation",
    "EnvelopeValidator",
    "RequestValidator",
    "Verdict",
    "Violation",
    "describe",
]
