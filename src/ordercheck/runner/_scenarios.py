"""The rules one request cannot show: C9 to C14, as short sequences of requests.

They run after the payload phases and reuse payloads the target accepted there (a real
server's business rules already agreed to them), with fresh prefixed ``merchant_order_id``s.
"""

from __future__ import annotations

import statistics
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ordercheck.checks import ExchangeContext, Expect, Expectation
from ordercheck.runner._client import Client, RuleBreak, Sent
from ordercheck.runner._collector import Collector
from ordercheck.runner._config import FuzzConfig
from ordercheck.runner._phases import OrderIds

LOCK_MESSAGE = "create_merchant_order : Could not acquire lock"


def _order_id(sent: Sent) -> str | None:
    body = sent.body
    if sent.status == 200 and isinstance(body, dict) and isinstance(body.get("data"), dict):
        order_id = body["data"].get("order_id")
        return order_id if isinstance(order_id, str) else None
    return None


def _error_envelope(sent: Sent) -> bool:
    body = sent.body
    return (
        sent.status == 400
        and isinstance(body, dict)
        and body.get("is_success") is False
        and isinstance(body.get("error"), dict)
    )


def _changed(payload: dict[str, Any]) -> dict[str, Any]:
    """The same order with a different amount: a different body for the same id."""
    whole = str(payload.get("payable_amount", "1")).split(".", maxsplit=1)[0]
    whole = whole if whole.isdigit() else "1"
    return {**payload, "payable_amount": f"{int(whole) + 1}.00"}


@dataclass
class Scenarios:
    """C9 to C14 against one client, counted into one collector."""

    client: Client
    collector: Collector
    config: FuzzConfig
    ids: OrderIds
    on_exchange: Callable[[], None] = lambda: None

    def _send(self, payload: Any, expect: Expect = "valid", **kwargs: Any) -> Sent:
        """Send and record one request of a sequence; only the first request of an order is
        held to C5 ("valid"), replays and bursts are judged by their sequence rule."""
        context = ExchangeContext(
            Expectation(expect, payload), self.config.profile, self.config.allow_rejection_pattern
        )
        sent = self.client.send(payload, **kwargs)
        breaks = [] if expect == "unauthorized" else self.client.check(sent, context)
        self.collector.record(sent, context, breaks)
        self.on_exchange()
        return sent

    def _template(self) -> dict[str, Any] | None:
        accepted = self.collector.accepted
        return dict(accepted[0]) if accepted else None

    def _fresh(self, template: dict[str, Any]) -> dict[str, Any]:
        return {**template, "merchant_order_id": self.ids.next()}

    def run_all(self) -> None:
        """Every sequence rule; those that need an accepted payload are skipped without one."""
        template = self._template()
        if template is not None:
            self.distinct_order_ids(template)
            self.idempotent_replay(template)
            self.lock_under_concurrency(template)
            self.auth_enforced(template)
        self.unique_request_ids()
        self.latency_budget()

    def distinct_order_ids(self, template: dict[str, Any]) -> None:
        """C9: identical orders under different ids get different order_ids; and no order_id
        seen in the whole run belongs to two merchant_order_ids."""
        sent = [self._send(self._fresh(template)) for _ in range(3)]
        order_ids = [o for o in map(_order_id, sent) if o]
        breaks = []
        if len(set(order_ids)) < len(order_ids):
            breaks.append(
                RuleBreak(
                    "C9",
                    "order_id reused",
                    f"three orders with different merchant_order_ids got order_ids {order_ids}",
                )
            )
        for order_id, owners in self.collector.order_ids.items():
            if len(owners) > 1:
                breaks.append(
                    RuleBreak(
                        "C9",
                        "order_id shared",
                        f"order_id {order_id} was returned for "
                        f"{len(owners)} merchant_order_ids: {sorted(owners)[:3]}",
                    )
                )
                break
        self.collector.sequence("C9", breaks, sent[-1])

    def idempotent_replay(self, template: dict[str, Any]) -> None:
        """C10: the same id again never creates a second order."""
        payload = self._fresh(template)
        first = self._send(payload)
        original = _order_id(first)
        if original is None:
            return
        again = self._send(payload, "sequence")
        breaks = []
        replayed = _order_id(again)
        if replayed is not None and replayed != original:
            breaks.append(
                RuleBreak(
                    "C10",
                    "replay created a second order",
                    f"the same body sent twice under {payload['merchant_order_id']}"
                    f" got order_ids {original} and {replayed}",
                )
            )
        elif replayed is None and not _error_envelope(again):
            breaks.append(
                RuleBreak(
                    "C10",
                    "replay not answered",
                    f"a replay got HTTP {again.status}: expected the same "
                    "order_id or a 400 error envelope",
                )
            )
        changed = self._send(_changed(payload), "sequence")
        if not _error_envelope(changed):
            breaks.append(
                RuleBreak(
                    "C10",
                    "reused id with a different body accepted",
                    f"a different body under a used merchant_order_id got "
                    f"HTTP {changed.status}, expected a 400 error envelope",
                )
            )
        self.collector.sequence("C10", breaks, changed if breaks else again)

    def lock_under_concurrency(self, template: dict[str, Any]) -> None:
        """C11: a burst of identical requests creates at most one order; the others get the
        lock error or the same order_id; none gets a 5xx."""
        payload = self._fresh(template)
        barrier = threading.Barrier(self.config.burst_size)
        results: list[Sent] = []
        lock = threading.Lock()

        def fire() -> None:
            barrier.wait()
            sent = self._send(payload, "sequence")
            with lock:
                results.append(sent)

        threads = [threading.Thread(target=fire) for _ in range(self.config.burst_size)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        order_ids = {o for o in map(_order_id, results) if o}
        breaks = []
        if len(order_ids) > 1:
            breaks.append(
                RuleBreak(
                    "C11",
                    "concurrent requests created several orders",
                    f"{self.config.burst_size} concurrent identical requests "
                    f"created {len(order_ids)} orders: {sorted(order_ids)}",
                )
            )
        for sent in results:
            if sent.status is None or sent.status >= 500:
                breaks.append(
                    RuleBreak(
                        "C11",
                        "concurrent request failed",
                        f"a concurrent identical request got "
                        f"{sent.status or sent.error}, expected the lock error "
                        "or the same order_id",
                    )
                )
                break
            if _order_id(sent) is None and not _error_envelope(sent):
                breaks.append(
                    RuleBreak(
                        "C11",
                        "concurrent request answered wrongly",
                        f"HTTP {sent.status}: expected the lock error "
                        f"({LOCK_MESSAGE!r}) or the same order_id",
                    )
                )
                break
        self.collector.sequence("C11", breaks, results[-1] if results else None)

    def auth_enforced(self, template: dict[str, Any]) -> None:
        """C12: a missing key, a wrong key and this key on another merchant never get 2xx and
        create no order (checked by then sending a different body under the same id)."""
        payload = self._fresh(template)
        attempts = {
            "no X-Access-Key": self._send(payload, "unauthorized", key=None),
            "a wrong X-Access-Key": self._send(payload, "unauthorized", key="ordercheck-wrong-key"),
            "this key on another merchant": self._send(
                payload, "unauthorized", merchant_id=f"{self.config.merchant_id}-other"
            ),
        }
        breaks, status_breaks = [], []
        for what, sent in attempts.items():
            if sent.status is not None and 200 <= sent.status < 300:
                breaks.append(
                    RuleBreak(
                        "C12",
                        "unauthorized request accepted",
                        f"a request with {what} got HTTP {sent.status}",
                    )
                )
            elif sent.status not in (400, 401, 403):
                status_breaks.append(
                    RuleBreak(
                        "C4",
                        "unexpected status for an auth failure",
                        f"a request with {what} got HTTP {sent.status}; expected 401 or 403",
                    )
                )
        self.collector.sequence("C4", status_breaks, attempts["no X-Access-Key"])
        follow_up = self._send(_changed(payload), "sequence")
        if follow_up.status == 400 and not breaks:
            breaks.append(
                RuleBreak(
                    "C12",
                    "unauthorized request created an order",
                    "after unauthorized attempts, an authorized order under the "
                    "same merchant_order_id was refused as a reuse",
                )
            )
        self.collector.sequence("C12", breaks, follow_up)

    def unique_request_ids(self) -> None:
        """C13: every response's X-Request-ID is unique in the run."""
        repeated = [(rid, n) for rid, n in self.collector.request_ids.items() if n > 1]
        breaks = []
        if repeated:
            rid, count = repeated[0]
            breaks.append(
                RuleBreak(
                    "C13",
                    "X-Request-ID repeated",
                    f"X-Request-ID {rid!r} was returned {count} times",
                )
            )
        self.collector.sequence("C13", breaks)

    def latency_budget(self) -> None:
        """C14: the 95th percentile latency under the budget."""
        latencies = self.collector.latencies_ms
        if len(latencies) < 2:
            return
        p95 = statistics.quantiles(latencies, n=20)[-1]
        breaks = []
        if p95 > self.config.latency_budget_ms:
            breaks.append(
                RuleBreak(
                    "C14",
                    "slow responses",
                    f"p95 latency {p95:.0f} ms exceeds the budget of "
                    f"{self.config.latency_budget_ms:.0f} ms",
                )
            )
        self.collector.sequence("C14", breaks)
