"""Judging the captured traffic, off the response path, in one thread of its own.

For each exchange: the exchange rules (`ordercheck.rules.judge`, as the fuzzer runs them),
the cross-request rules (`cross_request`), and the merchant's payload under the profile
(`payloads`).  Everything lands in one `Collector` (bounded), the same that builds a fuzz
run's result, so the reports are the same.  Each finding goes to `on_finding` as it is
found; a fresh result goes to `on_result` at once when something new was found, and every
`flush_interval_s` while anything else changed, so a report on disk is never far behind.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from ordercheck.bounded import RecentDict
from ordercheck.fuzz.collector import Bounds, Collector
from ordercheck.proxy.capture import Backlog, Captured, GroupClosed, Item
from ordercheck.proxy.config import ProxyConfig
from ordercheck.proxy.cross_request import CrossRequestRules
from ordercheck.proxy.observe import (
    Seen,
    content_type,
    expectation,
    observe,
    parse,
    request_record,
    sends_json,
)
from ordercheck.proxy.payloads import (
    PayloadLedger,
    from_violation,
    no_json_type,
    not_json,
    too_large,
)
from ordercheck.proxy.scrub import Scrubber, own_key
from ordercheck.results import Exchange, PayloadFinding, RuleViolation, RunResult
from ordercheck.rules import NOT_JSON, Judging, Observation, judge, registry
from ordercheck.rules import c02_json_envelope as c02
from ordercheck.rules import c09_distinct_order_ids as c09
from ordercheck.rules import c10_idempotent_replay as c10
from ordercheck.rules import c11_lock_under_concurrency as c11
from ordercheck.rules import c12_auth_enforced as c12
from ordercheck.rules import c13_unique_request_id as c13
from ordercheck.spec import load_spec

Finding = RuleViolation | PayloadFinding

# Why a proxy run may leave a sequence rule unjudged (the fuzzer's reasons do not apply).
UNSEEN = {
    c09.ID: "no accepted order came after another in the traffic seen, so no order_ids "
    "could be compared",
    c10.ID: "no merchant_order_id that had created an order was sent again",
    c11.ID: "no identical requests were in flight at once with one of them accepted",
    c12.ID: "a proxy cannot tell a right key from a wrong one and sends no requests of its "
    "own; `ordercheck fuzz` judges auth",
}
# Judged as the traffic goes (a repeated request id), not over the whole run at its end.
JUDGED_LIVE = frozenset({c13.ID})


@dataclass(frozen=True)
class _Judged:
    """An exchange and its judgement, as the collector takes it."""

    observation: Observation
    applied: tuple[str, ...]
    violations: tuple[RuleViolation, ...]
    record: Exchange


class Judge:
    """Consumes the backlog in its own thread (`start`, `stop`), judging every item."""

    def __init__(
        self,
        config: ProxyConfig,
        backlog: Backlog,
        *,
        on_finding: Callable[[Finding], None] = lambda finding: None,
        on_result: Callable[[RunResult], None] = lambda result: None,
        facts: Callable[[], dict[str, Any]] = dict,
    ) -> None:
        self.config = config
        self.backlog = backlog
        self.on_finding = on_finding
        self.on_result = on_result
        self.facts = facts
        spec = load_spec()
        pattern = None if config.allow_rejection is None else re.compile(config.allow_rejection)
        self.judging = Judging(config.profile, pattern, spec)
        bounds = config.bounds or Bounds()
        self.collector = Collector(spec, latency_budget_ms=config.latency_budget_ms, bounds=bounds)
        for rule, reason in UNSEEN.items():
            self.collector.unjudged(rule, reason)
        self.cross = CrossRequestRules(self.collector.judge, bounds.order_ids)
        self.ledger = PayloadLedger()
        self.scrubber = Scrubber()
        self.merchants: RecentDict[str, None] = RecentDict(8)
        self.internal_errors = 0
        self._causes: RecentDict[tuple[str, str], None] = RecentDict(10_000)
        self._changed = self._news = False
        self._flushed = time.monotonic()
        self._thread = threading.Thread(target=self._run, name="ordercheck-judge", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Judge what is still waiting, then stop (the caller asks for the final result)."""
        self.backlog.close()
        self._thread.join()

    def _run(self) -> None:
        while not self.backlog.finished:
            item = self.backlog.take(self.config.flush_interval_s)
            if item is not None:
                self._handle(item)
            if self._changed and (
                self._news or time.monotonic() - self._flushed >= self.config.flush_interval_s
            ):
                self._flush()

    def _flush(self) -> None:
        try:
            self.on_result(self.result())
        except Exception:  # as in `_handle`: the run goes on, and the report counts it
            self.internal_errors += 1
        self._changed = self._news = False
        self._flushed = time.monotonic()

    def _handle(self, item: Item) -> None:
        try:
            if isinstance(item, GroupClosed):
                self._emit(self.cross.group_closed(item.group))
            elif item.body is None:
                self._refused(item)
            else:
                self._exchange(item)
        except Exception:  # a bug here must not stop the judging of everything after it
            self.internal_errors += 1
        self._changed = True

    def _refused(self, captured: Captured) -> None:
        key = own_key(captured.request_headers)
        self.scrubber.learn(key)
        record = self.scrubber.exchange(request_record(captured, self.upstream), key)
        limit = self.config.max_body_bytes
        self._emit(self.ledger.count([too_large(captured.body_size, limit, record)]))

    @property
    def upstream(self) -> str:
        return self.config.upstream_shown

    def _exchange(self, captured: Captured) -> None:
        self.scrubber.learn(own_key(captured.request_headers))
        if captured.merchant_id:
            self.merchants[captured.merchant_id] = None
        assert captured.body is not None
        payload = parse(captured.body)
        repeated = captured.concurrent or self.cross.is_repeat(captured.merchant_id, payload)
        expected = expectation(captured, payload, self.judging, repeated=repeated)
        seen = observe(
            captured,
            payload,
            expected,
            self.judging,
            upstream=self.upstream,
            scrubber=self.scrubber,
        )
        applied, violations = self._rules(seen, truncated=captured.truncated)
        self.collector.record(_Judged(seen.recorded, applied, violations, seen.record))
        found: list[Finding] = [replace(v, exchange=seen.record) for v in violations]
        found += self.cross.exchange(
            seen.recorded,
            merchant_id=captured.merchant_id,
            fingerprint=captured.fingerprint,
            group=captured.group,
            concurrent=captured.concurrent,
        )
        self._emit(found)
        self._emit(self.ledger.count(self._payload_findings(seen, captured)))

    def _rules(
        self, seen: Seen, *, truncated: bool
    ) -> tuple[tuple[str, ...], tuple[RuleViolation, ...]]:
        """The exchange rules' judgement, scrubbed; of a truncated body only what its status
        and headers show (C2 then judges its Content-Type alone)."""
        applied, violations = judge(seen.observation)
        if truncated:
            violations = [v for v in violations if v.rule != c02.ID]
            media = c02.media_type_violation(seen.observation)
            violations += [media] if media is not None else []
            applied = [r for r in applied if r != c02.ID or media is not None]
        scrubbed = tuple(self.scrubber.value(v, seen.key) for v in violations)
        return tuple(applied), tuple(v for v in scrubbed if v.rule in applied)

    def _payload_findings(self, seen: Seen, captured: Captured) -> list[PayloadFinding]:
        record = seen.record
        found = [] if sends_json(captured) else [no_json_type(content_type(captured), record)]
        if seen.payload is NOT_JSON:
            return [*found, not_json(record)]
        verdict = self.judging.requests.check(seen.payload)
        found += [from_violation(v, record) for v in verdict.findings]
        return [self.scrubber.value(finding, seen.key) for finding in found]

    def _emit(self, found: Iterable[Finding]) -> None:
        for finding in found:
            key = finding.cause_key
            if key not in self._causes:
                self._causes[key] = None
                self._news = True
            self.on_finding(self.scrubber.value(finding))

    def result(self) -> RunResult:
        """The run so far, every known key scrubbed from it."""
        finishing = [
            (rule.id, judgement)
            for rule in registry(self.judging.spec).values()
            if rule.id not in JUDGED_LIVE and (judgement := rule.finish(self.collector)) is not None
        ]
        result = self.collector.result(finishing, **self.facts())
        result = replace(
            result,
            kind="proxy",
            payload_findings=self.ledger.findings(),
            target=replace(result.target, merchant_id=", ".join(self.merchants) or "none seen"),
        )
        return self.scrubber.result(result)
