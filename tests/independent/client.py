"""Posting to the independent implementation by hand, for tests that probe it directly."""

from __future__ import annotations

import json
import threading
import uuid
from typing import Any

import requests

from independent.service import ACCESS_KEY, MERCHANT_ID, SKUS_FILE, read_list

SOLD = read_list(SKUS_FILE)


def post(
    base_url: str,
    payload: Any = None,
    *,
    raw: bytes | None = None,
    key: str | None = ACCESS_KEY,
    merchant: str = MERCHANT_ID,
    content_type: str = "application/json",
) -> requests.Response:
    """One Create Order request; `raw` is sent as it is, else `payload` as JSON."""
    headers = {"Content-Type": content_type}
    if key is not None:
        headers["X-Access-Key"] = key
    data = raw if raw is not None else json.dumps(payload).encode()
    url = f"{base_url}/merchants/{merchant}/orders"
    return requests.post(url, data=data, headers=headers, timeout=10)


def order(method: str = "COD", **changes: Any) -> dict[str, Any]:
    """A valid order of SKUs this server sells, with a fresh merchant_order_id; `changes`
    replace top-level fields (`user_changes` and `address_changes` replace nested ones)."""
    address = {"pincode": "560001", "name": "Aarav Sharma", "street1": "12 MG Road"}
    address |= changes.pop("address_changes", {})
    user = {"first_name": "Aarav", "mobile": "9876543210", "address": address}
    user |= changes.pop("user_changes", {})
    return {
        "merchant_order_id": f"ind-{uuid.uuid4().hex[:12]}",
        "payable_amount": "499.00",
        "payment_method": method,
        "user": user,
        "skus": {SOLD[0]: 2, SOLD[1]: 1},
    } | changes


def burst(base_url: str, payload: Any, count: int = 8) -> list[requests.Response]:
    """`count` identical requests released together from as many threads."""
    barrier = threading.Barrier(count)
    replies: list[requests.Response] = []
    lock = threading.Lock()

    def send() -> None:
        barrier.wait()
        reply = post(base_url, payload)
        with lock:
            replies.append(reply)

    threads = [threading.Thread(target=send) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return replies
