"""Gathering a run's judgements into the plain `RunResult` that reports read.

Thread-safe: payload stages may run on several workers at once.  Per rule it keeps how often
a response was judged for the rule and how many of those judgements failed (never more than
were made), and per distinct cause of failure the first violation, how often it was seen and,
when Hypothesis has shrunk one, the minimal one, which is what the report shows.  A rule no
response was judged for keeps the reason.  It is also the run's memory that the rules judging
the whole run read (`RunRecord`): request ids, which order ids answered which
merchant_order_ids, latencies.

It is not tied to the fuzzer: anything that judges exchanges (`ordercheck proxy` too) hands
it `JudgedExchange`s.  A run that never ends gives it `Bounds`, so that what it remembers
stops growing: latencies are then a random sample, request ids, order owners and error
messages the most recent ones, and each rule keeps a fixed number of distinct causes.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Protocol

from ordercheck.bounded import RecentCounter, RecentDict, Reservoir
from ordercheck.results import Exchange, RuleOutcome, RuleViolation, RunResult, Severity
from ordercheck.rules import Judgement, Observation, registry
from ordercheck.spec import Spec

MAX_TEMPLATES = 20
CauseKey = tuple[str, str]
OTHER_CAUSES = "other causes"


class JudgedExchange(Protocol):
    """One exchange and its judgement, as an engine hands it in (`ordercheck.fuzz.Judged`)."""

    @property
    def observation(self) -> Observation: ...

    @property
    def applied(self) -> tuple[str, ...]: ...

    @property
    def violations(self) -> tuple[RuleViolation, ...]: ...

    @property
    def record(self) -> Exchange: ...


@dataclass(frozen=True)
class Bounds:
    """How much a run that never ends remembers: `latencies` sampled, the most recent
    `request_ids`, `order_ids` (with their merchant_order_ids) and distinct error
    `messages`, and `causes_per_rule` distinct causes per rule, later ones counted under
    one "other causes" finding."""

    latencies: int = 10_000
    request_ids: int = 100_000
    order_ids: int = 100_000
    messages: int = 1_000
    causes_per_rule: int = 50


@dataclass
class _Cause:
    """One distinct cause of a rule's failure."""

    first: RuleViolation
    count: int = 0
    minimal: RuleViolation | None = None
    consequences: set[str] = field(default_factory=set)

    def finding(self) -> RuleViolation:
        shown = self.minimal or self.first
        consequences = tuple(sorted(self.consequences, key=lambda r: int(r[1:] or 0)))
        return replace(shown, count=self.count, consequences=consequences)


@dataclass
class _RuleState:
    checks: int = 0
    failures: int = 0
    reason: str = ""


@dataclass
class Collector:
    """Accumulates every exchange and every sequence judgement of one run."""

    spec: Spec
    latency_budget_ms: float = 2000.0
    latency_is_error: bool = False
    _rules: dict[str, _RuleState] = field(default_factory=lambda: defaultdict(_RuleState))
    _causes: dict[CauseKey, _Cause] = field(default_factory=dict)
    requests: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    request_ids: Counter[str] = field(default_factory=Counter)
    order_owners: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    error_messages: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    constraints: Counter[str] = field(default_factory=Counter)
    accepted: list[dict[str, Any]] = field(default_factory=list)
    bounds: Bounds | None = None
    _shrinkers: dict[CauseKey, object] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if self.bounds is not None:
            self.latencies_ms = Reservoir(self.bounds.latencies)
            self.request_ids = RecentCounter(self.bounds.request_ids)
            self.order_owners = RecentDict(self.bounds.order_ids, set)
            self.error_messages = RecentCounter(self.bounds.messages)

    @property
    def failing_checks(self) -> int:
        """How many judgements have failed so far, over all rules (for progress display)."""
        return sum(state.failures for state in self._rules.values())

    def record(self, judged: JudgedExchange) -> None:
        """Count one exchange: every rule judged by it, every cause of failure it shows."""
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
            for violation in judged.violations:
                for folded in violation.consequences:
                    state = self._rules[folded]
                    state.reason = state.reason or (
                        f"every exchange that could judge it broke {violation.rule} first, "
                        f"which explains it (see {violation.rule})"
                    )
            broken = {v.rule: v for v in judged.violations if v.rule in judged.applied}
            for violation in broken.values():
                self._rules[violation.rule].failures += 1
                self._cause(self._attached(violation, observation))

    def _attached(self, broken: RuleViolation, observation: Observation | None) -> RuleViolation:
        if observation is None:
            return broken
        return replace(
            broken, exchange=observation.record, constraint=observation.expectation.constraint
        )

    def _cause(
        self, violation: RuleViolation, causes: dict[CauseKey, _Cause] | None = None
    ) -> None:
        causes = self._causes if causes is None else causes
        key = violation.cause_key
        if key not in causes and self._causes_full(violation.rule, causes):
            violation = replace(violation, cause=OTHER_CAUSES)
            key = violation.cause_key
        cause = causes.get(key)
        if cause is None:
            cause = causes[key] = _Cause(violation)
        cause.count += 1
        cause.consequences.update(violation.consequences)

    def _causes_full(self, rule: str, causes: dict[CauseKey, _Cause]) -> bool:
        if self.bounds is None:
            return False
        kept = sum(1 for key in causes if key[0] == rule)
        return kept >= self.bounds.causes_per_rule

    def _observe(self, observation: Observation) -> None:
        if observation.status is not None:
            self.statuses[observation.status] += 1
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

    def has_minimal(self, key: CauseKey) -> bool:
        """Whether a shrunk reproduction of this cause is already kept."""
        cause = self._causes.get(key)
        return cause is not None and cause.minimal is not None

    def claim_shrink(self, key: CauseKey, shrinker: object) -> bool:
        """Whether `shrinker` (a stage's run) is the one to shrink this cause: the first to
        ask, as long as no shrunk reproduction is kept.  Stages in flight at once each meet
        the same cause (a defect that breaks every error response), and each would otherwise
        shrink it; the answer never changes while the shrinker runs, as Hypothesis needs."""
        with self._lock:
            if self.has_minimal(key):
                return False
            return self._shrinkers.setdefault(key, shrinker) is shrinker

    def minimal(self, broken: RuleViolation, observation: Observation) -> None:
        """Hypothesis shrank a failing payload: keep it as the cause's reproduction."""
        with self._lock:
            cause = self._causes.get(broken.cause_key)
            if cause is not None:
                cause.minimal = self._attached(broken, observation)

    def judge(self, rule: str, judgement: Judgement) -> None:
        """Count one judged check of `rule` over several exchanges, and its causes."""
        with self._lock:
            self._judge(rule, judgement, self._rules, self._causes)

    def _judge(
        self,
        rule: str,
        judgement: Judgement,
        rules: dict[str, _RuleState],
        causes: dict[CauseKey, _Cause],
    ) -> None:
        state = rules[rule]
        state.checks += 1
        if judgement.violations:
            state.failures += 1
        for broken in judgement.violations:
            self._cause(self._attached(broken, judgement.evidence), causes)

    def snapshot(self) -> dict[str, Any]:
        """Everything this collector holds, as plain data: one process's part of a run that
        several processes share (`absorb` merges the parts)."""
        with self._lock:
            return {
                "rules": {rule: vars(state) for rule, state in self._rules.items()},
                "causes": [
                    {
                        "first": asdict(cause.first),
                        "count": cause.count,
                        "minimal": None if cause.minimal is None else asdict(cause.minimal),
                        "consequences": sorted(cause.consequences),
                    }
                    for cause in self._causes.values()
                ],
                "requests": self.requests,
                "latencies_ms": list(self.latencies_ms),
                "request_ids": dict(self.request_ids),
                "order_owners": {k: sorted(v) for k, v in self.order_owners.items()},
                "error_messages": dict(self.error_messages),
                "statuses": {str(k): v for k, v in self.statuses.items()},
                "constraints": dict(self.constraints),
            }

    def absorb(self, part: dict[str, Any]) -> None:
        """Add another process's `snapshot` of the same run to this one."""
        with self._lock:
            for rule, state in part["rules"].items():
                mine = self._rules[rule]
                mine.checks += state["checks"]
                mine.failures += state["failures"]
                mine.reason = mine.reason or state["reason"]
            for data in part["causes"]:
                first = RuleViolation.from_dict(data["first"])
                cause = self._causes.setdefault(first.cause_key, _Cause(first))
                cause.count += data["count"]
                cause.consequences.update(data["consequences"])
                if cause.minimal is None and data["minimal"] is not None:
                    cause.minimal = RuleViolation.from_dict(data["minimal"])
            self.requests += part["requests"]
            for latency in part["latencies_ms"]:
                self.latencies_ms.append(latency)
            self.request_ids.update(part["request_ids"])
            for order_id, owners in part["order_owners"].items():
                self.order_owners[order_id].update(owners)
            self.error_messages.update(part["error_messages"])
            self.statuses.update({int(k): v for k, v in part["statuses"].items()})
            self.constraints.update(part["constraints"])

    def judge_whole_run(self) -> None:
        """Each rule's judgement over everything the run saw (unique request ids, order ids
        never shared, the latency percentile), once every exchange is in."""
        for rule in registry(self.spec).values():
            judgement = rule.finish(self)
            if judgement is not None:
                self.judge(rule.id, judgement)

    def unjudged(self, rule: str, reason: str) -> None:
        """`rule` could not be judged (this time), and why: the first reason is kept."""
        with self._lock:
            state = self._rules[rule]
            state.reason = state.reason or reason

    def result(self, finishing: Iterable[tuple[str, Judgement]] = (), /, **run: Any) -> RunResult:
        """The finished run, with rules in the spec's order and findings by rule, then by
        how often each cause was seen.

        `finishing` are judgements over the run so far (a latency percentile) counted into
        this result only: a run that is still going asks for a result again and again, and
        each must count them once."""
        with self._lock:
            rules = defaultdict(_RuleState, {k: replace(v) for k, v in self._rules.items()})
            causes = {
                key: replace(cause, consequences=set(cause.consequences))
                for key, cause in self._causes.items()
            }
            for rule_id, judgement in finishing:
                self._judge(rule_id, judgement, rules, causes)
            return self._result(rules, causes, run)

    def _result(
        self, states: dict[str, _RuleState], all_causes: dict[CauseKey, _Cause], run: Any
    ) -> RunResult:
        rules, findings = [], []
        for rule in registry(self.spec).values():
            state = states.get(rule.id, _RuleState())
            causes = [c for key, c in all_causes.items() if key[0] == rule.id]
            causes.sort(key=lambda c: -c.count)
            severity: Severity = (
                "warning"
                if causes and all(c.first.severity == "warning" for c in causes)
                else "error"
            )
            reason = (
                "" if state.checks else (state.reason or f"never judged: it needs {rule.needs}")
            )
            rules.append(
                RuleOutcome(
                    rule.id,
                    rule.name,
                    rule.summary,
                    self.spec.conformance[rule.id].level,
                    state.checks,
                    state.failures,
                    severity,
                    reason,
                    rule.required(self),
                )
            )
            findings += [cause.finding() for cause in causes]
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
