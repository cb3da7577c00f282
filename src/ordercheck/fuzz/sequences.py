"""The session the sequence rules run in (C9 to C12).

The rules themselves live in `ordercheck.rules`; this module gives them a `Session`: sending
through the run's client (every response judged by the exchange rules and recorded like any
other), fresh prefixed ``merchant_order_id``s, and an order the target accepted to build on:
one the run's valid stages had accepted (a real server's business rules already agreed to
it), else one the session sends itself, so a sequence run on its own (``-k C10``, or one
process of a split run) still has its order.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ordercheck.fuzz.client import Client, Judged
from ordercheck.fuzz.collector import Collector
from ordercheck.fuzz.config import FuzzConfig
from ordercheck.fuzz.order_ids import OrderIds
from ordercheck.rules import KEEP, Expect, Expectation, Judgement, Observation

# How many valid orders a session tries, when the run had none accepted, to find one.
TEMPLATE_TRIES = 3


class OutOfTime(Exception):
    """The run's deadline passed: the sequence under way stops before its next request."""


@dataclass
class RunSession:
    """A `ordercheck.rules.Session` over one client, counted into one collector.

    `candidates` gives valid orders to try when the run has none accepted yet."""

    client: Client
    collector: Collector
    config: FuzzConfig
    ids: OrderIds
    candidates: Callable[[], Iterable[dict[str, Any]]]
    on_exchange: Callable[[], None] = lambda: None
    _template_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def merchant_id(self) -> str:
        return self.config.merchant_id

    @property
    def access_key(self) -> str:
        return self.config.access_key

    @property
    def burst_size(self) -> int:
        return self.config.burst_size

    def template(self) -> dict[str, Any] | None:
        with self._template_lock:
            if not self.collector.accepted:
                for candidate, _ in zip(self.candidates(), range(TEMPLATE_TRIES), strict=False):
                    if self.send(self.fresh(candidate), "valid").order_id is not None:
                        break
        accepted = self.collector.accepted
        return dict(accepted[0]) if accepted else None

    def fresh(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        return {**payload, "merchant_order_id": self.ids.next()}

    def send(
        self,
        payload: Any,
        expect: Expect = "sequence",
        *,
        key: Any = KEEP,
        merchant_id: str | None = None,
    ) -> Observation:
        if self.client.out_of_time:
            raise OutOfTime
        expectation = Expectation(expect)
        return self._record(
            self.client.exchange(expectation, payload, key=key, merchant_id=merchant_id)
        )

    def _record(self, judged: Judged) -> Observation:
        self.collector.record(judged)
        self.on_exchange()
        return judged.observation

    def burst(self, payload: Any, count: int) -> list[Observation]:
        if self.client.out_of_time:  # checked once: a burst is all or nothing
            raise OutOfTime
        barrier = threading.Barrier(count)
        results: list[Observation] = []
        lock = threading.Lock()

        def fire() -> None:
            barrier.wait()
            sent_at = time.monotonic()
            judged = self.client.exchange(Expectation("sequence"), payload)
            done_at = time.monotonic()
            observation = replace(self._record(judged), sent_at=sent_at, done_at=done_at)
            with lock:
                results.append(observation)

        threads = [threading.Thread(target=fire) for _ in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return results

    def judge(self, rule: str, judgement: Judgement) -> None:
        self.collector.judge(rule, judgement)

    def unjudged(self, rule: str, reason: str) -> None:
        self.collector.unjudged(rule, reason)
