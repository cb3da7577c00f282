"""In-memory orders for the reference server: creation, idempotent replay and per-id locks.

One asyncio event loop serves every request, so "is this merchant_order_id busy?" is a set
lookup with no ``await`` between the check and the claim: atomic without a threading lock.
The lock is never waited for.  The page documents the behaviour: a second request for an id
that is being processed is refused at once with "Could not acquire lock", so a busy id raises
`LockBusy` instead of queueing.

The broken variants subclass `OrderStore` and override one of the small steps (`_acquire`,
`_replay`, `_order_id`); `place` itself, the order of those steps, stays the reference's.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

ORDER_ID_PREFIX = "PO2952336"
FIRST_PAYMENT_ID = 2946454


class LockBusy(Exception):
    """Another request for the same merchant_order_id is being processed right now."""


class ReplayConflict(Exception):
    """A merchant_order_id that already has an order, sent again with a different body."""


@dataclass(frozen=True)
class Order:
    """One created order, with the canonical request body it was created from."""

    order_id: str
    merchant_order_id: str | None
    payment_method: str | None
    payment_id: int | None
    fingerprint: bytes


@dataclass(frozen=True)
class Placement:
    """What `OrderStore.place` did: the order, and whether it was a replay of an earlier one."""

    order: Order
    replayed: bool


def fingerprint(payload: Any) -> bytes:
    """Canonical JSON of a request body, so key order and spacing do not make a new body."""
    return orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)


class OrderStore:
    """The orders one reference server has created, keyed by merchant_order_id.

    `orders_created` counts every order really created (a broken variant may create two for
    one merchant_order_id; the count shows it), so tests can prove "this created no order".
    """

    def __init__(self, processing_delay_s: float = 0.05):
        self.processing_delay_s = processing_delay_s
        self._orders: list[Order] = []
        self._by_merchant_id: dict[str, Order] = {}
        self._busy: set[str] = set()
        self._payment_ids = itertools.count(FIRST_PAYMENT_ID)

    @property
    def orders_created(self) -> int:
        """How many orders were really created (replays do not count)."""
        return len(self._orders)

    def orders(self) -> tuple[Order, ...]:
        """Every created order, oldest first."""
        return tuple(self._orders)

    def find(self, merchant_order_id: str) -> Order | None:
        """The latest order created for `merchant_order_id`, if any."""
        return self._by_merchant_id.get(merchant_order_id)

    async def place(self, payload: Mapping[str, Any]) -> Placement:
        """Create the order for a validated payload, or replay the one its id already has.

        Raises `LockBusy` while another request for the same id is in flight and
        `ReplayConflict` when the id was used before with a different body.
        """
        key = payload.get("merchant_order_id")
        if not isinstance(key, str):
            # Only the `documented` profile lets a body without merchant_order_id through:
            # with no id there is nothing to lock on or replay.
            await self._work()
            return Placement(self._create(payload), replayed=False)
        self._acquire(key)
        try:
            existing = self._by_merchant_id.get(key)
            if existing is not None:
                return self._replay(existing, payload)
            await self._work()
            return Placement(self._create(payload), replayed=False)
        finally:
            self._release(key)

    async def _work(self) -> None:
        # Stands for the stock check and the database write of a real server: the window in
        # which a concurrent request for the same id meets the lock.
        await asyncio.sleep(self.processing_delay_s)

    def _acquire(self, key: str) -> None:
        if key in self._busy:
            raise LockBusy(key)
        self._busy.add(key)

    def _release(self, key: str) -> None:
        self._busy.discard(key)

    def _replay(self, existing: Order, payload: Mapping[str, Any]) -> Placement:
        if existing.fingerprint != fingerprint(payload):
            raise ReplayConflict(existing.merchant_order_id)
        return Placement(existing, replayed=True)

    def _order_id(self, payload: Mapping[str, Any], number: int) -> str:
        return f"{ORDER_ID_PREFIX}{number:07d}"

    def _create(self, payload: Mapping[str, Any]) -> Order:
        method = payload.get("payment_method")
        key = payload.get("merchant_order_id")
        order = Order(
            order_id=self._order_id(payload, len(self._orders) + 1),
            merchant_order_id=key if isinstance(key, str) else None,
            payment_method=method if isinstance(method, str) else None,
            payment_id=next(self._payment_ids) if method == "ONLINE" else None,
            fingerprint=fingerprint(payload),
        )
        self._orders.append(order)
        if order.merchant_order_id is not None:
            self._by_merchant_id[order.merchant_order_id] = order
        return order
