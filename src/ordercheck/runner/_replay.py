"""Re-sending the failing cases of an earlier run, to see whether a fix took.

Only exchange-level findings can be replayed one request at a time; sequence rules (C9 to
C14) need their whole sequence, which a new `ordercheck fuzz` run repeats.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from schemathesis.core import NOT_SET

from ordercheck.checks import EXCHANGE_RULES, ExchangeContext, Expectation
from ordercheck.results import FindingRecord, RunResult
from ordercheck.runner._client import Client
from ordercheck.runner._config import FuzzConfig
from ordercheck.spec import Spec, check_profile, load_spec


@dataclass(frozen=True)
class ReplayOutcome:
    """One finding re-sent: whether its rule still fails, or why it was not replayed."""

    finding: FindingRecord
    still_failing: bool | None
    detail: str


def _expectation(finding: FindingRecord, body: Any) -> Expectation:
    if finding.exchange is not None and finding.exchange.raw_body is not None:
        return Expectation("malformed")
    if finding.payload_rule:
        return Expectation("invalid", body, finding.payload_rule)
    return Expectation("valid", body)


def replay(
    report: RunResult, *, access_key: str, base_url: str | None = None, spec: Spec | None = None
) -> list[ReplayOutcome]:
    """Re-send each replayable finding of `report` to its target (or `base_url`)."""
    target = report.target
    config = FuzzConfig(
        base_url=base_url or target.base_url,
        path=target.path,
        merchant_id=target.merchant_id,
        access_key=access_key,
        profile=check_profile(report.profile),
    )
    client = Client(spec or load_spec(), config, config.base_url or target.base_url)
    client.preflight()
    outcomes = []
    for finding in report.findings:
        exchange = finding.exchange
        if finding.rule not in EXCHANGE_RULES or exchange is None:
            outcomes.append(
                ReplayOutcome(
                    finding, None, "a sequence rule: run `ordercheck fuzz` again to re-check it"
                )
            )
            continue
        raw = None if exchange.raw_body is None else exchange.raw_body.encode()
        body = NOT_SET if raw is not None or exchange.body is None else exchange.body
        sent = client.send(body, raw=raw)
        context = ExchangeContext(
            _expectation(finding, exchange.body), config.profile, config.allow_rejection_pattern
        )
        broken = [b for b in client.check(sent, context) if b.rule == finding.rule]
        detail = broken[0].message if broken else f"now passes (HTTP {sent.status})"
        outcomes.append(
            ReplayOutcome(replace(finding, exchange=sent.exchange), bool(broken), detail)
        )
    return outcomes
