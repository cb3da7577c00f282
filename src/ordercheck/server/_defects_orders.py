"""Broken variants of orders: the success body (C7, C8) and the store (C9, C10, C11, C14).

Success-body variants override `Reference.success_body`; store variants swap in an
`OrderStore` subclass that overrides one step (`_acquire`, `_replay`, `_order_id`, `_work`).
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Mapping
from typing import Any

from ordercheck.server._reference import Reference
from ordercheck.server._registry import Registry
from ordercheck.server._store import Order, OrderStore, Placement

registry = Registry()

SLOW_ORDER_S = 0.4


# -- C7, C8: the success body ------------------------------------------------------------
@registry.add(
    "wrong_echo",
    "C7",
    "echoes merchant_order_id upper-cased, as the database normalised it",
)
class WrongEcho(Reference):
    def success_body(self, order: Order) -> dict[str, Any]:
        body = super().success_body(order)
        if order.merchant_order_id is not None:
            body["data"]["merchant_order_id"] = order.merchant_order_id.upper()
        return body


@registry.add(
    "cod_has_payment_fields",
    "C8",
    "the serializer always includes the payment fields, so COD successes carry them as null",
    consequences=("C2",),  # the null fields break the success envelope's types
)
class CodHasPaymentFields(Reference):
    def success_body(self, order: Order) -> dict[str, Any]:
        body = super().success_body(order)
        for key in ("action", "payment_id", "payment_aggregator"):
            body["data"].setdefault(key, None)
        return body


@registry.add(
    "online_payment_id_string",
    "C8",
    'payment_id is read from a varchar column and sent as a string ("2946454")',
    consequences=("C2",),  # payment_id is an integer in the success envelope
)
class OnlinePaymentIdString(Reference):
    def success_body(self, order: Order) -> dict[str, Any]:
        body = super().success_body(order)
        if order.payment_id is not None:
            body["data"]["payment_id"] = str(order.payment_id)
        return body


# -- C9: distinct order ids --------------------------------------------------------------
class _CartHashStore(OrderStore):
    def _order_id(self, payload: Mapping[str, Any], number: int) -> str:
        skus = payload.get("skus")
        cart = ",".join(sorted(skus)) if isinstance(skus, Mapping) else ""
        return f"PO{zlib.crc32(cart.encode()):010d}"


@registry.add(
    "order_id_collision",
    "C9",
    "order_id is a hash of the cart's SKU ids, so two orders for the same cart share one",
)
class OrderIdCollision(Reference):
    store_type = _CartHashStore


# -- C10: idempotent replay --------------------------------------------------------------
class _NoLookupStore(OrderStore):
    def _replay(self, existing: Order, payload: Mapping[str, Any]) -> Placement:
        return Placement(self._create(payload), replayed=False)


@registry.add(
    "replay_creates_new_order",
    "C10",
    "merchant_order_id is never looked up, so a client's retry creates a second order",
)
class ReplayCreatesNewOrder(Reference):
    store_type = _NoLookupStore


class _FirstOrderWinsStore(OrderStore):
    def _replay(self, existing: Order, payload: Mapping[str, Any]) -> Placement:
        return Placement(existing, replayed=True)


@registry.add(
    "replay_different_body_accepted",
    "C10",
    "a reused merchant_order_id returns the first order even when the cart changed",
)
class ReplayDifferentBodyAccepted(Reference):
    store_type = _FirstOrderWinsStore


# -- C11: the lock -----------------------------------------------------------------------
class _NoLockStore(OrderStore):
    def _acquire(self, key: str) -> None:
        return None


@registry.add(
    "no_lock",
    "C11",
    "no per-id lock: concurrent identical requests each create an order",
)
class NoLock(Reference):
    store_type = _NoLockStore


class _RaisingLockStore(OrderStore):
    def _acquire(self, key: str) -> None:
        if key in self._busy:
            raise RuntimeError(f"lock for merchant_order_id {key!r} is held")
        super()._acquire(key)


@registry.add(
    "lock_500",
    "C11",
    "a busy lock raises an unhandled exception, so the losing concurrent request gets a 500",
    consequences=("C1",),  # the lock's 500 is a server error
)
class Lock500(Reference):
    store_type = _RaisingLockStore


# -- C14: latency ------------------------------------------------------------------------
class _SlowStore(OrderStore):
    async def _work(self) -> None:
        await asyncio.sleep(max(self.processing_delay_s, SLOW_ORDER_S))


@registry.add(
    "slow_orders",
    "C14",
    f"every new order waits on a {SLOW_ORDER_S:g} s stock check, over a 250 ms latency budget",
)
class SlowOrders(Reference):
    store_type = _SlowStore
