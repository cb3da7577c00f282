"""Gathering a run's judgements into the plain `RunResult` that reports read.

Thread-safe: payload stages may run on several workers at once.  Per rule it keeps how often
the rule was judged and broken, the first violation and, when Hypothesis has shrunk one, the
minimal one, which is what the report shows.  It is also the run's memory that the rules
judging the whole run read (`RunRecord`): request ids, which order ids answered which
merchant_order_ids, latencies.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from ordercheck.fuzz.client import Judged
from ordercheck.results import RuleOutcome, RuleViolation, RunResult, Severity
from ordercheck.rules import Judgement, Observation, registry
from ordercheck.spec import Spec

MAX_TEMPLATES = 20


@dataclass
class _RuleState:
    checks: int = 0
    failures: int = 0
    first: RuleViolation | None = None
    minimal: RuleViolation | None = None


@dataclass
class Collector:
    """Accumulates every exchange and every sequence judgement of one run."""

    spec: Spec
    latency_budget_ms: float = 2000.0
    latency_is_error: bool = False
    _rules: dict[str, _RuleState] = field(default_factory=lambda: defaultdict(_RuleState))
    requests: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    request_ids: Counter[str] = field(default_factory=Counter)
    order_owners: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    error_messages: Counter[str] = field(default_factory=Counter)
    constraints: Counter[str] = field(default_factory=Counter)
    accepted: list[dict[str, Any]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def failing_checks(self) -> int:
        """How many checks have failed so far, over all rules (for progress display)."""
        return sum(state.failures for state in self._rules.values())

    def record(self, judged: Judged) -> None:
        """Count one exchange: every rule that judged it, every rule it broke."""
        observation = judged.observation
        constraint = observation.expectation.constraint
        with self._lock:
            self.requests += 1
            self.latencies_ms.append(judged.record.elapsed_ms)
            if constraint:
                self.constraints[constraint] += 1
            self._observe(observation)
            for rule in judged.applied:
                self._rules[rule].checks += 1
            for broken in {v.rule: v for v in judged.violations}.values():
                self._fail(self._attached(broken, observation))

    def _attached(self, broken: RuleViolation, observation: Observation | None) -> RuleViolation:
        if observation is None:
            return broken
        return replace(
            broken, exchange=observation.record, constraint=observation.expectation.constraint
        )

    def _observe(self, observation: Observation) -> None:
        request_id = observation.header("x-request-id")
        if request_id:
            self.request_ids[request_id] += 1
        message = observation.error_message
        if message is not None:
            self.error_messages[message] += 1
        payload = observation.request
        order_id = observation.order_id
        if order_id is not None and isinstance(payload, dict):
            merchant_order_id = payload.get("merchant_order_id")
            if isinstance(merchant_order_id, str):
                self.order_owners[order_id].add(merchant_order_id)
            if observation.expectation.expect == "valid" and len(self.accepted) < MAX_TEMPLATES:
                self.accepted.append(payload)

    def _fail(self, broken: RuleViolation) -> None:
        state = self._rules[broken.rule]
        state.failures += 1
        if state.first is None:
            state.first = broken

    def has_minimal(self, rule: str) -> bool:
        """Whether a shrunk reproduction of `rule` is already kept."""
        state = self._rules.get(rule)
        return state is not None and state.minimal is not None

    def minimal(self, broken: RuleViolation, observation: Observation) -> None:
        """Hypothesis shrank a failing payload: keep it as the rule's reproduction."""
        with self._lock:
            self._rules[broken.rule].minimal = self._attached(broken, observation)

    def judge(self, rule: str, judgement: Judgement) -> None:
        """Count one judged check of `rule` over several exchanges, and what it broke."""
        with self._lock:
            self._rules[rule].checks += 1
            for broken in judgement.violations:
                self._fail(self._attached(broken, judgement.evidence))

    def result(self, **run: Any) -> RunResult:
        """The finished run, with rules in the spec's order."""
        rules, findings = [], []
        for rule in registry(self.spec).values():
            state = self._rules.get(rule.id, _RuleState())
            finding = state.minimal or state.first
            severity: Severity = (
                "warning" if finding is not None and finding.severity == "warning" else "error"
            )
            level = self.spec.conformance[rule.id].level
            rules.append(
                RuleOutcome(
                    rule.id,
                    rule.name,
                    rule.summary,
                    level,
                    state.checks,
                    state.failures,
                    severity,
                )
            )
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
            spec_rules_exercised=dict(self.constraints),
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
