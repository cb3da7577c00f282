"""The independent implementation (`tests/independent`) keeps the contract by itself, probed by
hand over real HTTP: what ordercheck is then judged against is a conformant server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from independent import ACCESS_KEY, LOCK_MESSAGE, CreateOrder, serving
from independent.client import SOLD, burst, order, post

CONTENDED_S = 0.3  # processing time where a burst must overlap


@dataclass
class Running:
    """A running service and its base URL."""

    service: CreateOrder
    url: str


@pytest.fixture(scope="module")
def server() -> Iterator[Running]:
    """One conformant independent server for the module (tests use fresh ids)."""
    service = CreateOrder()
    with serving(service) as url:
        yield Running(service, url)


def message(reply: Any) -> str:
    """``error.message`` of an error envelope."""
    return str(reply.json()["error"]["message"])


def test_cod_and_online_orders_get_the_pages_envelopes(server: Running) -> None:
    """COD: order_id and the echo only; ONLINE adds map_payment, an integer payment_id."""
    cod, online = order("COD"), order("ONLINE")
    cod_reply, online_reply = post(server.url, cod), post(server.url, online)
    assert cod_reply.status_code == online_reply.status_code == 200
    assert cod_reply.json()["data"].keys() == {"order_id", "merchant_order_id"}
    data = online_reply.json()["data"]
    assert data["action"] == "map_payment" and type(data["payment_id"]) is int
    assert data["merchant_order_id"] == online["merchant_order_id"]
    assert data["order_id"].startswith("PO") and data["order_id"][2:].isdigit()
    assert online_reply.json()["status_code"] == 200 and online_reply.json()["is_success"]


def test_unknown_sku_and_coupon_are_business_rejections(server: Running) -> None:
    """A SKU it does not sell, a coupon it does not know: 400 with a business message."""
    unknown_sku = post(server.url, order(skus={"999999": 1}))
    unknown_coupon = post(server.url, order(coupon_code="EXPIRED10"))
    known_coupon = post(server.url, order(coupon_code="winter25"))
    assert unknown_sku.status_code == unknown_coupon.status_code == 400
    assert message(unknown_sku) == "create_merchant_order : SKU 999999 is not sold"
    assert message(unknown_coupon) == "create_merchant_order : coupon EXPIRED10 is not valid"
    assert known_coupon.status_code == 200


def test_replay_gives_the_same_order_and_a_changed_body_is_refused(server: Running) -> None:
    """The same body again: the same order_id, no new order; another body: 400."""
    payload = order()
    first, again = post(server.url, payload), post(server.url, payload)
    before = server.service.book.created
    changed = post(server.url, {**payload, "payable_amount": "500.00"})
    assert first.json()["data"]["order_id"] == again.json()["data"]["order_id"]
    assert changed.status_code == 400 and "already used" in message(changed)
    assert server.service.book.created == before


def test_replay_with_keys_reordered_and_two_as_two_point_zero_is_the_same_body(
    server: Running,
) -> None:
    """Body identity is by value: key order and 2 versus 2.0 do not make another order."""
    payload = order()
    respelled = dict(reversed(payload.items())) | {"skus": {SOLD[0]: 2.0, SOLD[1]: 1}}
    first, again = post(server.url, payload), post(server.url, respelled)
    assert again.status_code == 200
    assert again.json()["data"]["order_id"] == first.json()["data"]["order_id"]


def test_a_burst_creates_one_order_and_the_rest_get_the_lock_error() -> None:
    """Eight identical requests at once: one order; every other reply is it or the lock."""
    # Orders take 0.3 s here, so the burst overlaps however busy the machine is.
    service = CreateOrder(processing_s=CONTENDED_S)
    with serving(service) as url:
        replies = burst(url, order())
    won = {r.json()["data"]["order_id"] for r in replies if r.status_code == 200}
    refused = [r for r in replies if r.status_code != 200]
    assert len(won) == 1 and service.book.created == 1
    assert refused, "the burst did not overlap: nothing to judge"
    assert all(r.status_code == 400 and message(r) == LOCK_MESSAGE for r in refused)
    assert all(r.json()["error"]["errors"] == [{"message": LOCK_MESSAGE}] for r in refused)


@pytest.mark.parametrize(
    ("key", "merchant", "status"),
    [
        (None, "demo-merchant", 401),
        ("", "demo-merchant", 401),
        (ACCESS_KEY[:5], "demo-merchant", 401),
        (ACCESS_KEY.upper(), "demo-merchant", 401),
        (ACCESS_KEY, "other-merchant", 403),
    ],
)
def test_auth_failures_create_nothing(
    server: Running, key: str | None, merchant: str, status: int
) -> None:
    """No, empty, prefix or other-case key: 401; another merchant: 403; an envelope each."""
    before = server.service.book.created
    reply = post(server.url, order(), key=key, merchant=merchant)
    assert reply.status_code == status and reply.json()["status_code"] == status
    assert reply.headers["Content-Type"] == "application/json"
    assert reply.headers["X-Request-ID"]
    assert server.service.book.created == before


def test_every_response_has_its_own_request_id(server: Running) -> None:
    """Successes, refusals and auth failures each carry a distinct X-Request-ID."""
    payload = order()
    replies = [post(server.url, payload) for _ in range(2)]
    replies += [post(server.url, raw=b"{"), post(server.url, order(), key=None)]
    ids = [r.headers["X-Request-ID"] for r in replies]
    assert all(ids) and len(set(ids)) == len(ids)


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"skus": {SOLD[0]: True}}, "a boolean is not an integer"),
        ({"skus": {SOLD[0]: 2.5}}, "a fraction is not an integer"),
        ({"skus": {SOLD[0]: 0}}, "a quantity is at least 1"),
        ({"skus": {}}, "at least one SKU"),
        ({"payable_amount": 499}, "the amount is a string"),
        ({"payable_amount": "499.001"}, "at most two decimals"),
        ({"payable_amount": "४९९.००"}, "ASCII digits only"),
        ({"coupon_code": None}, "null is not a string"),
        ({"merchant_order_id": ""}, "a required string is not empty"),
        ({"address_changes": {"pincode": "560001\n"}}, "no newline after the PIN"),
        ({"address_changes": {"pincode": "056001"}}, "a PIN does not start with 0"),
        ({"address_changes": {"pincode": "56001"}}, "a PIN has six digits"),
        ({"address_changes": {"pincode": 560001}}, "a PIN is a string"),
        ({"user_changes": {"first_name": None}}, "null in a required field"),
        ({"prescriptions": [""]}, "a prescription is not empty"),
    ],
)
def test_invalid_payloads_get_400(server: Running, change: dict[str, Any], why: str) -> None:
    """Each documented or inferred rule broken on its own is a 400 error envelope."""
    reply = post(server.url, order(**change))
    assert reply.status_code == 400, why
    assert reply.json()["is_success"] is False


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"user_changes": {"first_name": " ", "mobile": "not a number"}}, "recommended only"),
        ({"gift_wrap": True, "payable_amount": "0"}, "unknown fields, zero amount"),
        ({"coupon_code": "RXSAVE15", "prescriptions": ["https://rx.example/1.pdf"]}, "extras"),
    ],
)
def test_payloads_only_recommended_rules_dislike_are_accepted(
    server: Running, change: dict[str, Any], why: str
) -> None:
    """Strict the way the default profile is: recommended rules are not enforced."""
    assert post(server.url, order(**change)).status_code == 200, why


@pytest.mark.parametrize(
    "raw",
    [
        b'{"merchant_order_id": "a", "merchant_order_id": "b"}',
        b'{"payable_amount": NaN}',
        b'{"user": {"first_name": "\xff"}}',
        b"[" * 5000 + b"]" * 5000,
        b"[" * 101 + b"]" * 101,
        b"",
        b'"just a string"',
    ],
)
def test_bodies_that_are_not_an_order_get_400_never_500(server: Running, raw: bytes) -> None:
    """Repeated keys, NaN, bad UTF-8, deep nesting, no body, no object: 400 envelopes."""
    reply = post(server.url, raw=raw)
    assert reply.status_code == 400
    assert reply.json()["status_code"] == 400
    assert server.service.crashes == []


def test_a_byte_order_mark_is_ignored(server: Running) -> None:
    """A UTF-8 BOM before the JSON is skipped, as RFC 8259 allows a parser to."""
    payload = order()
    reply = post(server.url, raw=b"\xef\xbb\xbf" + json.dumps(payload).encode())
    assert reply.status_code == 200
    assert reply.json()["data"]["merchant_order_id"] == payload["merchant_order_id"]


def test_integers_beyond_python_s_digit_limit_are_integers(server: Running) -> None:
    """A 5,001-digit quantity (json.loads refuses > 4,300) is an integer; its negative a 400."""
    text = json.dumps(order(skus={SOLD[0]: "HUGE"}))
    huge = post(server.url, raw=text.replace('"HUGE"', "1" + "0" * 5000).encode())
    negative = post(server.url, raw=text.replace('"HUGE"', "-1" + "0" * 5000).encode())
    assert (huge.status_code, negative.status_code) == (200, 400)
    assert server.service.crashes == []


@pytest.mark.parametrize(
    "merchant_order_id",
    [" spaced ", "x" * 300, "cafe\u0301", "ＡＢＣ１２３", "ऑर्डर-7", "😀", "lone-\udc80"],
)
def test_the_echo_is_exactly_the_id_sent(server: Running, merchant_order_id: str) -> None:
    """Spaces, length, combining accents, full-width forms and scripts survive the echo."""
    reply = post(server.url, order(merchant_order_id=merchant_order_id))
    assert reply.json()["data"]["merchant_order_id"] == merchant_order_id


def test_a_chunked_body_is_read(server: Running) -> None:
    """A body sent with Transfer-Encoding: chunked is an order like any other."""
    text = json.dumps(order()).encode()
    reply = requests.post(
        f"{server.url}/merchants/demo-merchant/orders",
        data=iter([text[:40], text[40:]]),  # an iterator: requests sends it chunked
        headers={"Content-Type": "application/json", "X-Access-Key": ACCESS_KEY},
        timeout=10,
    )
    assert reply.request.headers.get("Transfer-Encoding") == "chunked"
    assert reply.status_code == 200
