"""Shared by the server and variant tests: a running server to post to, and a valid order."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from typing import Any

import orjson
import requests
from starlette.applications import Starlette

KEY = "1mg_client_access_key"
MERCHANT = "demo-merchant"
LOCK = "create_merchant_order : Could not acquire lock"


@dataclass
class LiveServer:
    """A running server: its base URL and its app (whose store counts created orders)."""

    base_url: str
    app: Starlette

    @property
    def orders_created(self) -> int:
        return int(self.app.state.store.orders_created)

    def post(
        self,
        payload: Any = None,
        *,
        raw: bytes | None = None,
        key: str | None = KEY,
        merchant: str = MERCHANT,
        content_type: str | None = "application/json",
    ) -> requests.Response:
        headers = {} if key is None else {"X-Access-Key": key}
        if content_type is not None:
            headers["Content-Type"] = content_type
        data = raw if raw is not None else orjson.dumps(payload)
        url = f"{self.base_url}/merchants/{merchant}/orders"
        return requests.post(url, data=data, headers=headers, timeout=10)


def new_id() -> str:
    """A fresh lower-case merchant_order_id."""
    return f"t-{uuid.uuid4().hex[:16]}"


def order(method: str = "COD", **changes: Any) -> dict[str, Any]:
    """A valid order with a fresh merchant_order_id; `changes` replace top-level fields."""
    body: dict[str, Any] = {
        "merchant_order_id": new_id(),
        "payable_amount": "499.00",
        "payment_method": method,
        "user": {
            "first_name": "Aarav",
            "mobile": "9876543210",
            "address": {"pincode": "560001", "name": "Aarav Sharma", "street1": "12 MG Road"},
        },
        "skus": {"117004": 2, "139559": 1},
    }
    body.update(changes)
    return body


def burst(target: LiveServer, payload: dict[str, Any], n: int = 8) -> list[requests.Response]:
    """`n` identical requests released together from `n` threads."""
    barrier = threading.Barrier(n)
    replies: list[requests.Response] = []

    def send() -> None:
        barrier.wait()
        replies.append(target.post(payload))

    threads = [threading.Thread(target=send) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return replies
