"""C14: the 95th percentile of latency stays under a budget (default 2 s); a warning unless
asked."""

from __future__ import annotations

import statistics

from ordercheck.rules._rule import Judgement, RunRecord, violation

ID = "C14"


def required(record: RunRecord) -> bool:
    """A warning-only budget does not make a run inconclusive; an error budget does."""
    return record.latency_is_error


def finish(record: RunRecord) -> Judgement | None:
    latencies = record.latencies_ms
    if len(latencies) < 2:
        return None
    p95 = statistics.quantiles(latencies, n=20)[-1]
    if p95 <= record.latency_budget_ms:
        return Judgement()
    return Judgement(
        (
            violation(
                ID,
                "slow responses",
                f"p95 latency {p95:.0f} ms exceeds the budget of {record.latency_budget_ms:.0f} ms",
                severity="error" if record.latency_is_error else "warning",
            ),
        )
    )
