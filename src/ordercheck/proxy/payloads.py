"""The merchant's own requests: which constraint of the spec each one broke.

Half of what go-live needs checked is the merchant's payloads, and the proxy sees every one
of them.  Each request is validated under the run's profile (`RequestValidator`, as
`ordercheck validate` does) and counted under every constraint it breaks, once per request;
the ledger keeps, per constraint, how many requests broke it and the first that did.  It
holds one entry per constraint of the spec (and the proxy's own two), however long it runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ordercheck.results import Exchange, PayloadFinding
from ordercheck.validators import ConstraintViolation

# Not constraints of the spec's request schema, but what the proxy can say about a request
# beyond its payload: a body that is not JSON or a Content-Type that does not say JSON (the
# page documents application/json), and a body over --max-body-bytes, refused before it
# reached the upstream.
NOT_JSON = "body:not-json"
TOO_LARGE = "body:too-large"
NO_JSON_TYPE = "headers.Content-Type:json"


def no_json_type(found: str | None, record: Exchange) -> PayloadFinding:
    """The request does not say its body is JSON."""
    said = f"it sent {found!r}" if found else "it sent none"
    return PayloadFinding(
        NO_JSON_TYPE,
        "documented",
        "error",
        "headers.Content-Type",
        f"send Content-Type: application/json; {said}",
        exchange=record,
    )


def not_json(record: Exchange) -> PayloadFinding:
    """The request body is not JSON."""
    return PayloadFinding(
        NOT_JSON,
        "documented",
        "error",
        "$",
        "the request body is not JSON; the API takes application/json",
        exchange=record,
    )


def too_large(size: int, limit: int, record: Exchange) -> PayloadFinding:
    """The request body was over the proxy's limit and never reached the upstream."""
    return PayloadFinding(
        TOO_LARGE,
        "proxy",
        "error",
        "$",
        f"the request body ({size:,} bytes or more) is over --max-body-bytes ({limit:,}); "
        "the proxy answered 413 and did not forward it",
        exchange=record,
    )


def from_violation(violation: ConstraintViolation, record: Exchange) -> PayloadFinding:
    """A validator's finding about one request, as a payload finding."""
    return PayloadFinding(
        violation.constraint,
        violation.level,
        violation.severity,
        violation.path,
        violation.hint,
        exchange=record,
    )


class PayloadLedger:
    """Per constraint: how many requests broke it, and the first that did."""

    def __init__(self) -> None:
        self._first: dict[str, PayloadFinding] = {}
        self._counts: dict[str, int] = {}

    def count(self, found: Iterable[PayloadFinding]) -> list[PayloadFinding]:
        """Count one request's findings (a constraint broken twice counts once); each as it
        now stands in the ledger, with its count so far."""
        counted = []
        for finding in {f.constraint: f for f in reversed(list(found))}.values():
            self._first.setdefault(finding.constraint, finding)
            total = self._counts[finding.constraint] = self._counts.get(finding.constraint, 0) + 1
            counted.append(replace(finding, count=total))
        return counted[::-1]

    def findings(self) -> list[PayloadFinding]:
        """Every constraint broken so far, errors first, then by how often."""
        found = [replace(f, count=self._counts[c]) for c, f in self._first.items()]
        return sorted(found, key=lambda f: (f.severity != "error", -f.count, f.constraint))

    def __len__(self) -> int:
        return len(self._first)
