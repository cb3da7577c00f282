"""What `ordercheck proxy` shows on the console: a line per finding as it happens, a one-line
summary every few seconds on a terminal, and the whole story when it stops.

Everything printed went through the proxy's scrubber (no access key) and through
`printable` (no control character from a target or a client reaches the terminal).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import click

from ordercheck.cli._summary import TERMINAL_LIMIT, outcome_lines, styler, verdict_words
from ordercheck.reports.text import payload_head, payload_lines, printable, violation_lines
from ordercheck.results import PayloadFinding, RuleViolation, RunResult

# Each distinct cause is printed this many times; the report counts every occurrence.
PRINTED_PER_CAUSE = 5
PROXY_VERDICT = (
    "a proxy judges only the traffic it sees, so a clean run is evidence, not proof: "
    "`ordercheck fuzz` gives the verdict for go-live"
)


class FindingPrinter:
    """Prints findings as the judge makes them, a few per distinct cause."""

    def __init__(self, echo: Callable[[str], Any] = click.echo) -> None:
        self.echo = echo
        self._printed: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()

    def __call__(self, finding: RuleViolation | PayloadFinding) -> None:
        key = finding.cause_key
        with self._lock:
            self._printed[key] += 1
            times = self._printed[key]
        if times <= PRINTED_PER_CAUSE:
            self.echo(finding_line(finding))
        elif times == PRINTED_PER_CAUSE + 1:
            self.echo(f"  ({printable(finding.id)}: seen again; the report counts the rest)")


def finding_line(finding: RuleViolation | PayloadFinding) -> str:
    """One line: ``finding: C7 ...`` for the upstream, ``request ...: CONSTRAINT ...`` for the
    merchant's own request."""
    if isinstance(finding, RuleViolation):
        return "finding: " + violation_lines(finding, limit=TERMINAL_LIMIT)[0]
    body = finding.exchange.body if finding.exchange is not None else None
    named = body.get("merchant_order_id") if isinstance(body, dict) else None
    which = f" {printable(repr(named))}" if isinstance(named, str) else ""
    return f"request{which}: {payload_head(finding)}"


def live_line(result: RunResult) -> str:
    """The run so far in one line, for a terminal every few seconds."""
    errors = sum(1 for f in result.findings if f.severity == "error")
    broken = len(result.payload_findings)
    requests = sum(f.count for f in result.payload_findings)
    return (
        f"[ordercheck proxy] {result.requests} requests judged · {len(result.findings)} "
        f"finding(s), {errors} error(s) · {broken} constraint(s) broken by your requests "
        f"({requests} breakages) · so far {result.verdict}"
    )


def final_lines(result: RunResult, *, color: bool) -> list[str]:
    """Rules, findings, the merchant's requests, what was never judged, and the verdict."""
    lines = outcome_lines(result, color=color)
    if result.payload_findings:
        lines += ["", "Your requests (constraints they broke; fix these in the client)"]
        for finding in result.payload_findings:
            lines += [f"  {line}" for line in payload_lines(finding, limit=TERMINAL_LIMIT)]
    else:
        lines += ["", f"Your requests: none broke a constraint of the {result.profile} profile"]
    words = verdict_words(result, styler(color))
    return [
        *lines,
        "",
        f"Verdict: {words} · {result.requests} requests judged in {result.duration_s:.1f}s",
        f"  ({PROXY_VERDICT})",
    ]
