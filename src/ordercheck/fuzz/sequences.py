"""The session the sequence rules run in (C9 to C12), and the rules over the whole run.

The rules themselves live in `ordercheck.rules`; this module gives them a `Session`: sending
through the run's client (every response judged by the exchange rules and recorded like any
other), fresh prefixed ``merchant_order_id``s, and payloads the target accepted earlier (a
real server's business rules already agreed to them) to build on.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ordercheck.fuzz.client import Client, Judged
from ordercheck.fuzz.collector import Collector
from ordercheck.fuzz.config import FuzzConfig
from ordercheck.fuzz.payload_stages import OrderIds
from ordercheck.rules import KEEP, Expect, Expectation, Judgement, Observation, registry


class OutOfTime(Exception):
    """The run's deadline passed: the sequence under way stops before its next request."""


@dataclass
class RunSession:
    """A `ordercheck.rules.Session` over one client, counted into one collector."""

    client: Client
    collector: Collector
    config: FuzzConfig
    ids: OrderIds
    on_exchange: Callable[[], None] = lambda: None

    @property
    def merchant_id(self) -> str:
        return self.config.merchant_id

    @property
    def access_key(self) -> str:
        return self.config.access_key

    @property
    def burst_size(self) -> int:
        return self.config.burst_size

    @property
    def request_ids(self) -> Counter[str]:
        return self.collector.request_ids

    @property
    def order_owners(self) -> Mapping[str, set[str]]:
        return self.collector.order_owners

    @property
    def latencies_ms(self) -> Sequence[float]:
        return self.collector.latencies_ms

    @property
    def latency_budget_ms(self) -> float:
        return self.config.latency_budget_ms

    @property
    def latency_is_error(self) -> bool:
        return self.config.fail_on_latency

    def template(self) -> dict[str, Any] | None:
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
            observation = self._record(self.client.exchange(Expectation("sequence"), payload))
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

    def run_all(self) -> None:
        """Every rule's sequence, then every judgement over the whole run, in spec order."""
        rules = list(registry(self.client.judging.spec).values())
        try:
            for rule in rules:
                rule.run(self)
        except OutOfTime:
            pass  # the judgements over what the run saw still follow
        for rule in rules:
            judgement = rule.finish(self)
            if judgement is not None:
                self.judge(rule.id, judgement)
