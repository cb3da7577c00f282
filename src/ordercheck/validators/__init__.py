"""Validators compiled from the spec: request payloads and response envelopes.

The public API is `RequestValidator`, `ResponseValidator`, `Finding` and `Verdict`::

    from ordercheck.validators import RequestValidator
    verdict = RequestValidator("default").check(payload)
    for finding in verdict.errors:
        print(finding.rule, finding.path, finding.hint)
"""

from ordercheck.validators._findings import Finding, Severity, Verdict, describe
from ordercheck.validators.request import RequestValidator
from ordercheck.validators.response import ResponseValidator

__all__ = [
    "Finding",
    "RequestValidator",
    "ResponseValidator",
    "Severity",
    "Verdict",
    "describe",
]
