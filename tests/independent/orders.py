"""The order book: orders by merchant_order_id, idempotent replay, and a lock per id.

Requests run on their own threads (`http.server.ThreadingHTTPServer`), so the book guards its
state with one `threading.Lock`, held only for lookups and updates, never while an order is
being processed.  An id being processed is *busy*: another request for it does not wait, it
is refused at once with the page's lock error (`Busy`), as the page's example shows.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

ORDER_NUMBER_BASE = 3_147_000_000_000  # order_ids are "PO" and a number from here on
FIRST_PAYMENT_ID = 7_310_001


class Busy(Exception):
    """Another request for this merchant_order_id is being processed right now."""


class Reused(Exception):
    """This merchant_order_id already has an order, made from a different body."""


@dataclass(frozen=True)
class Order:
    """One created order."""

    order_id: str
    merchant_order_id: str
    payment_id: int | None
    fingerprint: Any
    row: Mapping[str, Any]


class OrderBook:
    """The orders one server has created; `created` counts them (replays do not count)."""

    def __init__(self, processing_s: float):
        self.processing_s = processing_s
        self._guard = threading.Lock()
        self._orders: dict[str, Order] = {}
        self._busy: set[str] = set()
        self._numbers = itertools.count(1)
        self._payment_ids = itertools.count(FIRST_PAYMENT_ID)

    @property
    def created(self) -> int:
        """How many orders exist."""
        with self._guard:
            return len(self._orders)

    def place(self, merchant_order_id: str, fingerprint: Any, row: Mapping[str, Any]) -> Order:
        """The order for this id: the existing one for the same body, else a new one made
        from `row` (the order's details; ``row["online"]`` asks for a payment id).

        Raises `Busy` while another request holds the id, `Reused` for a different body.
        """
        with self._guard:
            existing = self._orders.get(merchant_order_id)
            if merchant_order_id in self._busy:
                raise Busy(merchant_order_id)
            if existing is not None:
                if existing.fingerprint != fingerprint:
                    raise Reused(merchant_order_id)
                return existing
            self._busy.add(merchant_order_id)
        try:
            return self.process(merchant_order_id, fingerprint, row)
        finally:
            with self._guard:
                self._busy.discard(merchant_order_id)

    def process(self, merchant_order_id: str, fingerprint: Any, row: Mapping[str, Any]) -> Order:
        """Create the order while the id is held."""
        self.work()
        return self.create(merchant_order_id, fingerprint, row)

    def work(self) -> None:
        """The stock reservation and database write of a real server take `processing_s`:
        the window in which a concurrent request for the same id finds it busy."""
        time.sleep(self.processing_s)

    def create(self, merchant_order_id: str, fingerprint: Any, row: Mapping[str, Any]) -> Order:
        with self._guard:
            order = Order(
                f"PO{ORDER_NUMBER_BASE + next(self._numbers)}",
                merchant_order_id,
                next(self._payment_ids) if row["online"] else None,
                fingerprint,
                row,
            )
            self._orders[merchant_order_id] = order
        return order
