"""Re-sending the failing cases of an earlier run, to see whether a fix took.

Only violations of exchange rules can be replayed one request at a time; sequence rules (C9
to C14) need their whole sequence, which a new `ordercheck fuzz` run repeats.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from schemathesis.core import NOT_SET

from ordercheck.fuzz.client import Client
from ordercheck.fuzz.config import FuzzConfig
from ordercheck.results import RuleViolation, RunResult
from ordercheck.rules import Expectation, registry
from ordercheck.spec import Spec, check_profile, load_spec


@dataclass(frozen=True)
class ReplayOutcome:
    """One finding re-sent: whether its rule still fails, or why it was not replayed."""

    finding: RuleViolation
    still_failing: bool | None
    detail: str


def _expectation(finding: RuleViolation) -> Expectation:
    if finding.exchange is not None and finding.exchange.raw_body is not None:
        return Expectation("malformed")
    if finding.constraint:
        return Expectation("invalid", finding.constraint)
    return Expectation("valid")


def replay(
    report: RunResult, *, access_key: str, base_url: str | None = None, spec: Spec | None = None
) -> list[ReplayOutcome]:
    """Re-send each replayable finding of `report` to its target (or `base_url`)."""
    spec = spec or load_spec()
    target = report.target
    config = FuzzConfig(
        base_url=base_url or target.base_url,
        path=target.path,
        merchant_id=target.merchant_id,
        access_key=access_key,
        profile=check_profile(report.profile),
    )
    client = Client(spec, config, config.base_url or target.base_url)
    client.preflight()
    rules = registry(spec)
    outcomes = []
    for finding in report.findings:
        exchange = finding.exchange
        rule = rules.get(finding.rule)
        if rule is None or not rule.judges_exchanges or exchange is None:
            outcomes.append(
                ReplayOutcome(
                    finding, None, "a sequence rule: run `ordercheck fuzz` again to re-check it"
                )
            )
            continue
        raw = None if exchange.raw_body is None else exchange.raw_body.encode()
        body: Any = NOT_SET if raw is not None or exchange.body is None else exchange.body
        judged = client.exchange(_expectation(finding), body, raw=raw)
        broken = [v for v in judged.violations if v.rule == finding.rule]
        detail = broken[0].message if broken else f"now passes (HTTP {judged.record.status})"
        outcomes.append(
            ReplayOutcome(replace(finding, exchange=judged.record), bool(broken), detail)
        )
    return outcomes
