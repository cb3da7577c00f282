"""Gathering a run's outcomes into the plain `RunResult` that reports read.

Thread-safe: payload phases may run on several workers at once.  Per rule it keeps how often
the rule was checked and broken, the first exchange that broke it and, when Hypothesis has
shrunk one, the minimal one, which is what the report shows.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from ordercheck.checks import ExchangeContext
from ordercheck.results import FindingRecord, RuleOutcome, RunResult
from ordercheck.runner._client import RuleBreak, Sent
from ordercheck.spec import Spec
from ordercheck.validators import Severity

MAX_TEMPLATES = 20


@dataclass
class _RuleState:
    checks: int = 0
    failures: int = 0
    first: FindingRecord | None = None
    minimal: FindingRecord | None = None


@dataclass
class Collector:
    """Accumulates every exchange and every sequence check of one run."""

    spec: Spec
    fail_on_latency: bool = False
    _rules: dict[str, _RuleState] = field(default_factory=lambda: defaultdict(_RuleState))
    requests: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    request_ids: Counter[str] = field(default_factory=Counter)
    order_ids: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    error_messages: Counter[str] = field(default_factory=Counter)
    spec_rules: Counter[str] = field(default_factory=Counter)
    accepted: list[dict[str, Any]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def failing_checks(self) -> int:
        """How many checks have failed so far, over all rules (for progress display)."""
        return sum(state.failures for state in self._rules.values())

    def record(self, sent: Sent, context: ExchangeContext, breaks: list[RuleBreak]) -> None:
        """Count one exchange: every rule it was checked against, every rule it broke."""
        expectation = context.expectation
        with self._lock:
            self.requests += 1
            self.latencies_ms.append(sent.exchange.elapsed_ms)
            if expectation.payload_rule:
                self.spec_rules[expectation.payload_rule] += 1
            self._observe_response(sent, expectation.payload)
            for rule in self._applicable(sent, context):
                self._rules[rule].checks += 1
            for rule_break in {b.rule: b for b in breaks}.values():
                self._fail(rule_break, sent, expectation.payload_rule)

    def _applicable(self, sent: Sent, context: ExchangeContext) -> set[str]:
        rules = {"C1", "C2", "C4", "C13"}
        if sent.response is not None and sent.body is not None:
            rules.add("C3")
        expect = context.expectation.expect
        if expect == "valid":
            rules.add("C5")
        elif expect in ("invalid", "malformed"):
            rules.add("C6")
        if sent.status == 200 and isinstance(context.expectation.payload, dict):
            rules |= {"C7", "C8"}
        return rules

    def _observe_response(self, sent: Sent, payload: Any) -> None:
        exchange = sent.exchange
        request_id = {k.lower(): v for k, v in exchange.response_headers.items()}.get(
            "x-request-id"
        )
        if request_id:
            self.request_ids[request_id] += 1
        body = exchange.response_body
        if not isinstance(body, dict):
            return
        error = body.get("error")
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            self.error_messages[error["message"]] += 1
        data = body.get("data")
        if sent.status == 200 and isinstance(data, dict) and isinstance(payload, dict):
            order_id, merchant_order_id = data.get("order_id"), payload.get("merchant_order_id")
            if isinstance(order_id, str) and isinstance(merchant_order_id, str):
                self.order_ids[order_id].add(merchant_order_id)
            if len(self.accepted) < MAX_TEMPLATES:
                self.accepted.append(payload)

    def _fail(self, rule_break: RuleBreak, sent: Sent | None, payload_rule: str | None) -> None:
        state = self._rules[rule_break.rule]
        state.failures += 1
        if state.first is None:
            state.first = self._finding(rule_break, sent, payload_rule)

    def _finding(
        self, rule_break: RuleBreak, sent: Sent | None, payload_rule: str | None
    ) -> FindingRecord:
        severity: Severity = "warning" if self._is_warning(rule_break.rule) else "error"
        return FindingRecord(
            rule_break.rule,
            rule_break.title,
            rule_break.message,
            None if sent is None else sent.exchange,
            payload_rule,
            severity,
        )

    def _is_warning(self, rule: str) -> bool:
        return rule == "C14" and not self.fail_on_latency

    def has_minimal(self, rule: str) -> bool:
        """Whether a shrunk reproduction of `rule` is already kept."""
        state = self._rules.get(rule)
        return state is not None and state.minimal is not None

    def minimal(self, rule_break: RuleBreak, sent: Sent, payload_rule: str | None) -> None:
        """Hypothesis shrank a failing payload: keep it as the rule's reproduction."""
        with self._lock:
            state = self._rules[rule_break.rule]
            state.minimal = self._finding(rule_break, sent, payload_rule)

    def sequence(self, rule: str, breaks: list[RuleBreak], sent: Sent | None = None) -> None:
        """Count one multi-request check of `rule` and what it broke."""
        with self._lock:
            self._rules[rule].checks += 1
            for rule_break in breaks:
                self._fail(rule_break, sent, None)

    def result(self, **run: Any) -> RunResult:
        """The finished run, with rules in the spec's order."""
        rules, findings = [], []
        for rule in self.spec.conformance.values():
            state = self._rules.get(rule.id, _RuleState())
            severity: Severity = "warning" if self._is_warning(rule.id) else "error"
            rules.append(
                RuleOutcome(
                    rule.id,
                    rule.name,
                    rule.summary,
                    rule.level,
                    state.checks,
                    state.failures,
                    severity,
                )
            )
            finding = state.minimal or state.first
            if finding is not None:
                findings.append(finding)
        documented = {m: self.error_messages.get(m, 0) for m in self.documented_messages()}
        return RunResult(
            rules=rules,
            findings=findings,
            requests=self.requests,
            latencies_ms=list(self.latencies_ms),
            error_messages=dict(self.error_messages),
            documented_errors=documented,
            spec_rules_exercised=dict(self.spec_rules),
            **run,
        )

    def documented_messages(self) -> list[str]:
        """The error messages the page documents (its examples)."""
        messages = []
        for example in self.spec.examples("400").values():
            error = example.get("error", {}) if isinstance(example, dict) else {}
            if isinstance(error.get("message"), str):
                messages.append(error["message"])
        return messages
