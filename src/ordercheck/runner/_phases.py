"""The per-request phases: Hypothesis draws payloads, Schemathesis sends and checks them.

Each phase is one Hypothesis test run in-process.  A payload that breaks a rule raises a
failure whose *type* names the rule, so Hypothesis treats each broken rule as a distinct bug
and shrinks each to a minimal payload.  Every exchange is memoised by the drawn value: replays
during shrinking cost no request and cannot flake, and a cap on new requests bounds shrinking
against a slow or shared target.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import orjson
from hypothesis import HealthCheck, Verbosity, given, settings
from hypothesis import Phase as HypothesisPhase
from hypothesis import seed as hypothesis_seed
from hypothesis.strategies import SearchStrategy

from ordercheck.checks import ExchangeContext, Expectation
from ordercheck.errors import Failure
from ordercheck.results import Exchange
from ordercheck.runner._client import Client, RuleBreak, Sent
from ordercheck.runner._collector import Collector
from ordercheck.runner._config import FuzzConfig

# Bodies that are not JSON payloads at all; a conformant server answers each with a 400.
MALFORMED_BODIES: dict[str, bytes] = {
    "truncated JSON": b'{"merchant_order_id": "x", "skus": {',
    "form-encoded body": b"merchant_order_id=1&payment_method=COD",
    "empty body": b"",
    "trailing comma": b'{"payment_method": "COD",}',
    "invalid UTF-8": b'{"user": {"first_name": "\xff\xfe"}}',
    "NaN literal": b'{"payable_amount": NaN}',
    "deeply nested arrays": b"[" * 5000 + b"]" * 5000,
}


class OrderIds:
    """Unique ``merchant_order_id``s that all start with the run's prefix, so the orders a
    run creates on a shared system can be found and cancelled."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self._counter = itertools.count(1)
        self._lock = threading.Lock()

    def next(self) -> str:
        with self._lock:
            return f"{self.prefix}{next(self._counter):05d}"


@dataclass(frozen=True)
class PayloadPhase:
    """A named stream of payloads: valid, edge or invalid (drawn as `InvalidOrder`)."""

    name: str
    strategy: SearchStrategy[Any]
    budget: int


class RuleFailure(Failure):
    """Raised inside the Hypothesis test for a payload that broke `rule_break.rule`."""

    def __init__(self, rule_break: RuleBreak, sent: Sent, payload_rule: str | None):
        super().__init__(rule_break.rule, rule_break.message)
        self.rule_break = rule_break
        self.sent = sent
        self.payload_rule = payload_rule


@cache
def _failure_type(rule: str) -> type[RuleFailure]:
    # One exception type per rule: Hypothesis tells bugs apart by type and shrinks each.
    return type(f"Broke{rule}", (RuleFailure,), {})


def _rule_order(rule_break: RuleBreak) -> int:
    return int(rule_break.rule[1:]) if rule_break.rule[1:].isdigit() else 99


def prepare(value: Any, phase: str, ids: OrderIds) -> tuple[Any, Expectation]:
    """The payload to send for a drawn value, with a prefixed ``merchant_order_id`` unless
    the rule being broken is about that very field."""
    if phase == "invalid":
        payload, rule = value.payload, value.rule
    else:
        payload, rule = value, None
    if isinstance(payload, dict) and not (rule or "").startswith("merchant_order_id"):
        payload = {**payload, "merchant_order_id": ids.next()}
    return payload, Expectation("invalid" if rule else "valid", payload, rule)


def _flatten(exc: BaseException) -> Iterator[BaseException]:
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            yield from _flatten(inner)
    else:
        yield exc


@dataclass
class PhaseRunner:
    """Runs payload phases against one client, recording into one collector."""

    client: Client
    collector: Collector
    config: FuzzConfig
    ids: OrderIds
    on_exchange: Callable[[], None] = lambda: None
    dry_run_sink: Callable[[Exchange], None] | None = None

    def _context(self, expectation: Expectation) -> ExchangeContext:
        return ExchangeContext(
            expectation, self.config.profile, self.config.allow_rejection_pattern
        )

    def run(self, phase: PayloadPhase) -> None:
        """Draw up to `phase.budget` payloads, send each once, shrink what fails."""
        memo: dict[bytes, tuple[Sent, list[RuleBreak], str | None]] = {}
        # Generation, then at most as many shrinking requests again (and never under 10).
        cap = phase.budget + max(10, phase.budget)

        def probe(value: Any) -> None:
            key = orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
            if key not in memo:
                if len(memo) >= cap:
                    return
                memo[key] = self._exchange(value, phase.name)
            sent, breaks, payload_rule = memo[key]
            # A rule already shrunk earlier in the run is recorded, not shrunk again: a
            # defect that breaks every payload would otherwise cost a shrink per phase.
            fresh = [b for b in breaks if not self.collector.has_minimal(b.rule)]
            if fresh:
                first = min(fresh, key=_rule_order)
                raise _failure_type(first.rule)(first, sent, payload_rule)

        test = settings(
            max_examples=phase.budget,
            database=None,
            deadline=None,
            derandomize=False,
            suppress_health_check=list(HealthCheck),
            report_multiple_bugs=True,
            phases=[HypothesisPhase.generate, HypothesisPhase.shrink],
            verbosity=Verbosity.quiet,
            print_blob=False,
        )(given(phase.strategy)(probe))
        if self.config.seed is not None:
            test = hypothesis_seed(self.config.seed)(test)
        try:
            test()
        except BaseException as exc:  # Hypothesis re-raises what the probe raised
            for failure in _flatten(exc):
                if not isinstance(failure, RuleFailure):
                    raise
                self.collector.minimal(failure.rule_break, failure.sent, failure.payload_rule)

    def _exchange(self, value: Any, phase: str) -> tuple[Sent, list[RuleBreak], str | None]:
        payload, expectation = prepare(value, phase, self.ids)
        if self.dry_run_sink is not None:
            self.dry_run_sink(self.client.describe(payload))
            return Sent(self.client.describe(payload), None, None), [], expectation.payload_rule
        context = self._context(expectation)
        sent = self.client.send(payload)
        breaks = self.client.check(sent, context)
        self.collector.record(sent, context, breaks)
        self.on_exchange()
        return sent, breaks, expectation.payload_rule

    def run_malformed(self) -> None:
        """Send each malformed body once: a conformant server answers 400, never 5xx."""
        for _name, raw in MALFORMED_BODIES.items():
            if self.dry_run_sink is not None:
                self.dry_run_sink(self.client.describe(raw=raw))
                continue
            context = self._context(Expectation("malformed"))
            sent = self.client.send(raw=raw)
            self.collector.record(sent, context, self.client.check(sent, context))
            self.on_exchange()
