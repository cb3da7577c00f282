"""The per-request stages: Hypothesis draws payloads, Schemathesis sends and checks them.

Each stage is one Hypothesis test run in-process.  A payload that breaks a rule raises a
`Failure` whose *type* names the rule, so Hypothesis treats each broken rule as a distinct bug
and shrinks each to a minimal payload.  Every exchange is memoised by the drawn value: replays
during shrinking cost no request and cannot flake, and a cap on new requests bounds shrinking
against a slow or shared target.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import orjson
from hypothesis import HealthCheck, Verbosity, given, settings
from hypothesis import Phase as HypothesisPhase
from hypothesis import seed as hypothesis_seed
from hypothesis.strategies import SearchStrategy

from ordercheck.errors import Failure
from ordercheck.fuzz.client import Client, Judged
from ordercheck.fuzz.collector import CauseKey, Collector
from ordercheck.fuzz.config import FuzzConfig
from ordercheck.fuzz.order_ids import OrderIds
from ordercheck.results import Exchange, RuleViolation
from ordercheck.rules import Expectation, Observation

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


@dataclass(frozen=True)
class PayloadStage:
    """A named stream of payloads: valid, edge or invalid (drawn as `InvalidOrder`); an
    `id_style` gives its orders ids in one of `order_ids.STYLES` (the echo stage, whose
    ids are odd on purpose: it reports what it finds but leaves shrinking to the others).

    A stage of many accepted orders is run as several `part`s (one Hypothesis run each, so
    they can be in flight at once); the parts of one `memo_group` share their memo, so a
    value one part sent (every part draws the simplest value first) is judged again from
    that exchange, not sent again."""

    name: str
    strategy: SearchStrategy[Any]
    budget: int
    id_style: str | None = None
    id_limit: int = 0
    part: int = 0
    memo_group: str | None = None

    @property
    def shrinks(self) -> bool:
        return self.id_style is None

    def seed(self, run_seed: int) -> int | str:
        """The Hypothesis seed of this part: the run's, told apart for parts after the first
        (parts of one stage with one seed would draw the same values)."""
        return run_seed if self.part == 0 else f"{run_seed}/{self.part}"


class _OutOfTime(BaseException):
    """The run's deadline passed mid-stage.  A BaseException, so Hypothesis ends the stage
    at once, without drawing the rest of its budget or shrinking anything."""


class _Shrinkable(Failure):
    """Raised inside the Hypothesis test for a payload that broke a rule."""

    def __init__(self, violation: RuleViolation, observation: Observation):
        super().__init__(violation)
        self.observation = observation


_CAUSE_NUMBERS: dict[CauseKey, int] = {}


@cache
def _failure_type(key: CauseKey) -> type[_Shrinkable]:
    # One exception type per cause: Hypothesis tells bugs apart by type and shrinks each.
    number = _CAUSE_NUMBERS.setdefault(key, len(_CAUSE_NUMBERS) + 1)
    return type(f"Broke{key[0]}Cause{number}", (_Shrinkable,), {})


def _settings(budget: int) -> settings:
    """The Hypothesis settings of a stage of `budget` examples: generation and shrinking
    only, no database, no deadline (the target's latency is not the payload's fault), no
    health check."""
    return settings(
        max_examples=budget,
        database=None,
        deadline=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=True,
        phases=[HypothesisPhase.generate, HypothesisPhase.shrink],
        verbosity=Verbosity.quiet,
        print_blob=False,
    )


def _rule_order(violation: RuleViolation) -> int:
    number = violation.rule[1:]
    return int(number) if number.isdigit() else 99


def prepare(value: Any, stage: PayloadStage, ids: OrderIds) -> tuple[Any, Expectation]:
    """The payload to send for a drawn value, with a prefixed ``merchant_order_id`` unless
    the constraint being broken is about that very field."""
    if stage.name == "invalid":
        payload, constraint = value.payload, value.rule
    else:
        payload, constraint = value, None
    if isinstance(payload, dict) and not (constraint or "").startswith("merchant_order_id"):
        fresh = ids.styled(stage.id_style, stage.id_limit) if stage.id_style else ids.next()
        payload = {**payload, "merchant_order_id": fresh}
    return payload, Expectation("invalid" if constraint else "valid", constraint)


def _memo_key(value: Any) -> bytes:
    """The drawn value as bytes, for the memo: orjson, or the stdlib for what orjson cannot
    write (integers with thousands of digits, a kind the invalid stage draws on purpose)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    except TypeError:
        return repr(value).encode()


def _flatten(exc: BaseException) -> Iterator[BaseException]:
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            yield from _flatten(inner)
    else:
        yield exc


@dataclass
class StageRunner:
    """Runs payload stages against one client, recording into one collector."""

    client: Client
    collector: Collector
    config: FuzzConfig
    ids: OrderIds
    on_exchange: Callable[[], None] = lambda: None
    dry_run_sink: Callable[[Exchange], None] | None = None
    _memos: dict[str, dict[bytes, Judged | None]] = field(default_factory=dict)

    def _memo(self, stage: PayloadStage) -> dict[bytes, Judged | None]:
        if stage.memo_group is None:
            return {}
        return self._memos.setdefault(stage.memo_group, {})

    def run(self, stage: PayloadStage) -> None:
        """Draw up to `stage.budget` payloads, send each once, shrink what fails."""
        memo = self._memo(stage)
        # Generation, then at most as many shrinking requests again (and never under 10).
        cap = stage.budget + max(10, stage.budget)
        sent = 0
        shrinker = object()  # this run of the stage, as the collector knows its claims

        def probe(value: Any) -> None:
            nonlocal sent
            key = _memo_key(value)
            if key not in memo:
                if sent >= cap:
                    return
                sent += 1
                memo[key] = self._exchange(value, stage)
            judged = memo[key]
            if judged is None or not stage.shrinks:
                return
            broken = self._to_shrink(judged, shrinker)
            if broken is not None:
                raise _failure_type(broken.cause_key)(broken, judged.observation)

        try:
            self._hypothesis_test(stage, probe)()
        except _OutOfTime:
            return
        except BaseException as exc:  # Hypothesis re-raises what the probe raised
            for failure in _flatten(exc):
                if not isinstance(failure, _Shrinkable):
                    raise
                self.collector.minimal(failure.violation, failure.observation)

    def _to_shrink(self, judged: Judged, shrinker: object) -> RuleViolation | None:
        """The violation of `judged` for this stage to shrink: the first, by rule, of the
        causes it may shrink.  Every cause is shrunk once in a run, by the first stage to
        meet it; the others record it (a defect that breaks every payload would otherwise
        cost a shrink per stage)."""
        for violation in sorted(judged.violations, key=_rule_order):
            if self.collector.claim_shrink(violation.cause_key, shrinker):
                return violation
        return None

    def _hypothesis_test(self, stage: PayloadStage, probe: Callable[[Any], None]) -> Any:
        """`probe` as a Hypothesis test over the stage's strategy, with its settings and seed."""
        test: Any = _settings(stage.budget)(given(stage.strategy)(probe))
        if self.config.seed is not None:
            test = hypothesis_seed(stage.seed(self.config.seed))(test)
        # No example database, so no key to name its entries by: without this Hypothesis
        # hashes the probe's source (inspect.getsource) on every run to make one, as
        # Schemathesis's own executor also avoids.
        test._hypothesis_internal_database_key = None
        return test

    def _exchange(self, value: Any, stage: PayloadStage) -> Judged | None:
        payload, expectation = prepare(value, stage, self.ids)
        if self.dry_run_sink is not None:
            self.dry_run_sink(self.client.describe(payload))
            return None
        if self.client.out_of_time:  # --deadline passed: end the stage now
            raise _OutOfTime
        judged = self.client.exchange(expectation, payload)
        self.collector.record(judged)
        self.on_exchange()
        return judged

    def run_malformed(self) -> None:
        """Send each malformed body once: a conformant server answers 400, never 5xx."""
        for _name, raw in MALFORMED_BODIES.items():
            if self.dry_run_sink is not None:
                self.dry_run_sink(self.client.describe(raw=raw))
                continue
            if self.client.out_of_time:
                return
            self.collector.record(self.client.exchange(Expectation("malformed"), raw=raw))
            self.on_exchange()
