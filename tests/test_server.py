"""The reference server keeps every rule of CONTRACT.md, over real loopback sockets."""

from __future__ import annotations

import copy
import re
import signal
import subprocess
from typing import Any

import orjson
import pytest
import requests

import ordercheck.server
from console import ORDERCHECK, environment, invoke
from ordercheck.rules import ResponseValidator
from ordercheck.server import VARIANTS, UnknownVariantError, create_app, running_server
from ordercheck.validators import RequestValidator
from server_helpers import KEY, LOCK, MERCHANT, LiveServer, burst, order

RESPONSES = ResponseValidator()


@pytest.fixture
def server(reference: LiveServer) -> LiveServer:
    """The session's reference server; tests use fresh merchant_order_ids and count orders
    from before to after."""
    return reference


def assert_conforms(reply: requests.Response, request: Any = None) -> dict[str, Any]:
    """The response passes the spec's response validator; returns its JSON body."""
    body = reply.json()
    verdict = RESPONSES.check(
        body, status=reply.status_code, headers=reply.headers, request=request
    )
    assert verdict.errors == (), verdict.errors
    return body


def assert_error(reply: requests.Response, status: int) -> dict[str, Any]:
    """An error envelope with `status` in both places and a non-empty message list."""
    assert reply.status_code == status
    assert reply.headers["Content-Type"] == "application/json"
    body = assert_conforms(reply)
    assert body["is_success"] is False
    assert body["status_code"] == status
    assert body["error"]["errors"]
    return body


# -- success -------------------------------------------------------------------------------
def test_cod_order_succeeds_without_payment_fields(server: LiveServer) -> None:
    """A valid COD order gets the page's COD success envelope and creates one order."""
    payload, before = order("COD"), server.orders_created
    reply = server.post(payload)
    assert reply.status_code == 200
    body = assert_conforms(reply, payload)
    assert re.fullmatch(r"PO[0-9]+", body["data"]["order_id"])
    assert body["data"]["merchant_order_id"] == payload["merchant_order_id"]
    assert body["partial_complete"] is False
    assert not {"action", "payment_id", "payment_aggregator"} & set(body["data"])
    assert server.orders_created == before + 1


def test_online_order_succeeds_with_payment_fields(server: LiveServer) -> None:
    """A valid ONLINE order adds action, an integer payment_id and the aggregator."""
    payload = order("ONLINE")
    reply = server.post(payload)
    body = assert_conforms(reply, payload)
    data = body["data"]
    assert (data["action"], data["payment_aggregator"]) == ("map_payment", "EKACARE")
    assert type(data["payment_id"]) is int


def test_order_and_payment_ids_are_unique(server: LiveServer) -> None:
    """Different merchant_order_ids never share an order_id or a payment_id."""
    bodies = [server.post(order("ONLINE")).json()["data"] for _ in range(5)]
    assert len({d["order_id"] for d in bodies}) == 5
    assert len({d["payment_id"] for d in bodies}) == 5


def test_unicode_names_and_large_amounts_are_accepted(server: LiveServer) -> None:
    """Valid edge cases a careless server refuses (Devanagari names, prescriptions) get 200."""
    user = {**order()["user"], "first_name": "आरव", "last_name": "शर्मा"}
    payload = order(user=user, payable_amount="125000.50", prescriptions=["https://x.in/rx.jpg"])
    assert_conforms(server.post(payload), payload)


# -- invalid payloads ----------------------------------------------------------------------
INVALID = {
    "numeric amount": {"payable_amount": 499},
    "zero quantity": {"skus": {"117004": 0}},
    "empty skus": {"skus": {}},
    "unknown method": {"payment_method": "CARD"},
    "null user": {"user": None},
    "pincode with newline": {"user": {**order()["user"], "address": {"pincode": "560001\n"}}},
}


@pytest.mark.parametrize("changes", INVALID.values(), ids=INVALID.keys())
def test_invalid_payload_gets_400_with_one_message_per_finding(
    server: LiveServer, changes: dict[str, Any]
) -> None:
    """Each error finding of the validator becomes one message; no order is created."""
    payload, before = order(**changes), server.orders_created
    body = assert_error(server.post(payload), 400)
    hints = [f.hint for f in RequestValidator().check(payload).errors]
    assert [e["message"] for e in body["error"]["errors"]] == hints
    assert body["error"]["message"] == "create_merchant_order : " + hints[0]
    assert server.orders_created == before


MALFORMED = {
    "truncated": (b'{"merchant_order_id": ', "application/json"),
    "empty": (b"", "application/json"),
    "not utf-8": (b'{"merchant_order_id": "\xff\xfe"}', "application/json"),
    "NaN": (b'{"payable_amount": NaN}', "application/json"),
    "array": (b"[]", "application/json"),
    "null": (b"null", "application/json"),
    "form": (b"merchant_order_id=1", "application/x-www-form-urlencoded"),
    "no content type": (orjson.dumps(order()), None),
}


@pytest.mark.parametrize(("raw", "content_type"), MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_body_gets_400_never_5xx(
    server: LiveServer, raw: bytes, content_type: str | None
) -> None:
    """Malformed JSON, non-UTF-8, non-objects and wrong Content-Types get a 400 envelope."""
    before = server.orders_created
    assert_error(server.post(raw=raw, content_type=content_type), 400)
    assert server.orders_created == before


# -- auth ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("key", "merchant", "status"),
    [(None, MERCHANT, 401), ("wrong-key", MERCHANT, 401), ("", MERCHANT, 401), (KEY, "other", 403)],
    ids=["missing key", "wrong key", "empty key", "another merchant"],
)
def test_auth_failure_gets_401_or_403_and_creates_no_order(
    server: LiveServer, key: str | None, merchant: str, status: int
) -> None:
    """A missing or wrong key is 401, the key on another merchant's path is 403; no order."""
    before = server.orders_created
    reply = server.post(order(), key=key, merchant=merchant)
    assert_error(reply, status)
    assert server.orders_created == before


def test_access_key_never_echoed(server: LiveServer) -> None:
    """Neither the configured key nor a wrong one sent shows up in any response."""
    replies = [server.post(order(), key="s3cr3t-wrong"), server.post(order())]
    for reply in replies:
        text = reply.text + repr(dict(reply.headers))
        assert KEY not in text and "s3cr3t-wrong" not in text


# -- idempotency and the lock --------------------------------------------------------------
def test_replay_of_same_body_returns_same_order(server: LiveServer) -> None:
    """The same merchant_order_id and body again: 200, the same order_id, no new order."""
    payload = order("ONLINE")
    first = server.post(payload).json()["data"]
    before = server.orders_created
    reordered = dict(reversed(list(payload.items())))  # same JSON, different key order
    second = assert_conforms(server.post(reordered), payload)["data"]
    assert second == first
    assert server.orders_created == before


def test_replay_with_different_body_is_rejected(server: LiveServer) -> None:
    """The same merchant_order_id with a different body: 400 and no second order."""
    payload = order()
    server.post(payload)
    before = server.orders_created
    changed = {**payload, "skus": {"117004": 3}}
    body = assert_error(server.post(changed), 400)
    assert "already used" in body["error"]["message"]
    assert server.orders_created == before


def test_concurrent_identical_requests_create_one_order() -> None:
    """A burst of 8: one order; the rest get the documented lock error or the same order."""
    app = create_app(processing_delay_s=0.5)
    with running_server(app) as base_url:
        target = LiveServer(base_url, app)
        replies = burst(target, order())
    assert target.orders_created == 1
    winners = {r.json()["data"]["order_id"] for r in replies if r.status_code == 200}
    assert len(winners) == 1
    locked = [assert_error(r, 400) for r in replies if r.status_code != 200]
    assert locked, "no request met the lock"
    for body in locked:
        assert body["error"]["message"] == LOCK
        assert body["error"]["errors"] == [{"message": LOCK}]


# -- headers, routing ----------------------------------------------------------------------
def test_request_ids_are_unique_across_responses(server: LiveServer) -> None:
    """Every response, success or error, carries its own X-Request-ID."""
    replies = [server.post(order()), server.post(order(payable_amount=1)), server.post(raw=b"{")]
    replies.append(requests.get(f"{server.base_url}/nowhere", timeout=10))
    ids = [r.headers["X-Request-ID"] for r in replies]
    assert all(ids) and len(set(ids)) == len(ids)


def test_responses_carry_the_pages_headers(server: LiveServer) -> None:
    """Server, Vary, Date and the CORS headers from the page's list are sent."""
    headers = server.post(order()).headers
    for name in ("Server", "Vary", "Date", "Access-Control-Allow-Origin"):
        assert headers[name]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/merchants/demo-merchant/orders", 405),
        ("POST", "/merchants/demo-merchant/orders/", 404),
        ("POST", "/orders", 404),
        ("DELETE", "/", 404),
    ],
)
def test_unknown_routes_get_json_error_envelopes(
    server: LiveServer, method: str, path: str, status: int
) -> None:
    """Other paths and methods get 404/405 in the error envelope, never a redirect."""
    reply = requests.request(method, server.base_url + path, timeout=10, allow_redirects=False)
    assert reply.status_code == status
    body = reply.json()
    assert (body["is_success"], body["status_code"]) == (False, status)


# -- configuration -------------------------------------------------------------------------
def test_configured_merchant_and_key_are_used() -> None:
    """A server for another merchant and key accepts those and refuses the defaults."""
    app = create_app(merchant_id="acme", access_key="acme-key")
    with running_server(app) as base_url:
        target = LiveServer(base_url, app)
        assert target.post(order(), key="acme-key", merchant="acme").status_code == 200
        assert target.post(order(), merchant="acme").status_code == 401
        assert target.post(order(), key="acme-key").status_code == 403


def test_profile_decides_what_is_valid() -> None:
    """`strict` refuses a recommended-rule break that `default` accepts; `documented` takes {}."""
    bad_mobile = order(user={**order()["user"], "mobile": "12345"})
    for profile, payload, status in [
        ("default", bad_mobile, 200),
        ("strict", copy.deepcopy(bad_mobile), 400),
        ("documented", {}, 200),
    ]:
        app = create_app(profile=profile)
        with running_server(app) as base_url:
            assert LiveServer(base_url, app).post(payload).status_code == status, profile


def test_unknown_variant_is_a_user_error() -> None:
    """An unknown variant name raises an error that is both an OrdercheckError and ValueError."""
    with pytest.raises(UnknownVariantError, match="no_such_variant"):
        create_app(variant="no_such_variant")
    with pytest.raises(ValueError, match="no_such_variant"):
        create_app(variant="no_such_variant")


def test_running_server_releases_its_port() -> None:
    """After the block the port is closed: a new connection is refused."""
    with running_server(create_app()) as base_url:
        assert requests.post(base_url + "/x", timeout=10).status_code == 404
    with pytest.raises(requests.ConnectionError):
        requests.post(base_url + "/x", timeout=10)


def test_public_api_is_exported() -> None:
    """`__all__` lists exactly the public names of ordercheck.server."""
    public = {n for n in dir(ordercheck.server) if n.isidentifier() and not n.startswith("_")}
    modules = {"variants"}
    assert set(ordercheck.server.__all__) == public - modules


# -- the serve command ---------------------------------------------------------------------
def test_serve_lists_variants() -> None:
    """`ordercheck serve --list-variants` prints every variant with its rule."""
    result = invoke("serve", "--list-variants")
    assert result.exit_code == 0
    for name, variant in VARIANTS.items():
        assert re.search(rf"^{name}\s+{variant.rule}\s", result.output, re.M)


def test_serve_refuses_an_unknown_variant() -> None:
    """`ordercheck serve --variant nope` is a usage error (exit 2) before any server starts."""
    result = invoke("serve", "--variant", "nope")
    assert result.exit_code == 2
    assert "--list-variants" in result.output


def test_serve_prints_its_url_never_the_key_and_stops_on_ctrl_c() -> None:
    """`ordercheck serve --port 0` prints a working URL, hides the key, and exits 0 on SIGINT."""
    key = "serve-test-key-7f3a"
    with subprocess.Popen(
        [str(ORDERCHECK), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=environment(ORDERCHECK_ACCESS_KEY=key),
        text=True,
    ) as process:
        assert process.stdout is not None
        first = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:[0-9]+", first)
        assert match, first
        url = f"{match.group(0)}/merchants/{MERCHANT}/orders"
        headers = {"X-Access-Key": key, "Content-Type": "application/json"}
        reply = requests.post(url, data=orjson.dumps(order()), headers=headers, timeout=10)
        assert reply.status_code == 200
        process.send_signal(signal.SIGINT)
        output = first + process.stdout.read()
        assert process.wait(timeout=10) == 0
    assert key not in output
