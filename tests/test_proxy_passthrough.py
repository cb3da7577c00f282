"""`ordercheck proxy` changes nothing on the way through: every request reaches the upstream
as the client sent it, and every response reaches the client as the upstream sent it, bytes
and headers alike, hop-by-hop headers aside (RFC 9110 §7.6.1)."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from ordercheck.server import create_app, running_server
from proxy_helpers import ORDERS, exchange, post_order, proxy_in_front
from server_helpers import order

HOP = {"connection", "keep-alive", "x-hop", "proxy-authorization", "te", "transfer-encoding"}
# What the two paths may differ in: each response gets its own X-Request-ID and Date, and a
# connection's framing headers are the proxy's own on its side.
PER_RESPONSE = ("x-request-id", "date")

GZIPPED = gzip.compress(b'{"is_success": true, "note": "compressed, never decoded"}' * 40)


class Recorder:
    """A raw ASGI upstream that records each request it gets and answers with bytes and
    headers no framework would choose: gzip without being asked, repeated Set-Cookie,
    odd casing, hop-by-hop headers, an odd status, and a chunked stream on /stream."""

    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        self.seen.append(
            {
                "method": scope["method"],
                "target": scope["raw_path"] + b"?" + scope["query_string"],
                "headers": [(n.decode().lower(), v.decode()) for n, v in scope["headers"]],
                "body": body,
            }
        )
        if scope["path"] == "/stream":
            await self._stream(send)
            return
        await send(
            {
                "type": "http.response.start",
                "status": 207,
                "headers": [
                    (b"Content-Type", b"application/json"),
                    (b"Content-Encoding", b"gzip"),
                    (b"Set-Cookie", b"a=1; Path=/"),
                    (b"Set-Cookie", b"b=2; Path=/"),
                    (b"X-MiXeD-Case", b"value  with  spaces"),
                    (b"Connection", b"X-Hop"),
                    (b"X-Hop", b"only for this connection"),
                    (b"Keep-Alive", b"timeout=5"),
                    (b"Content-Length", str(len(GZIPPED)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": GZIPPED})

    async def _stream(self, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"x-a", b"1")]})
        for part in (b"first,", b"second,", b"third"):
            await send({"type": "http.response.body", "body": part, "more_body": True})
        await send({"type": "http.response.body", "body": b""})


@pytest.fixture
def recorder() -> Iterator[tuple[Recorder, str]]:
    """The recording upstream on a loopback port, without uvicorn's own Date header."""
    app = Recorder()
    with running_server(app, date_header=False) as url:  # type: ignore[arg-type]
        yield app, url


def test_response_bytes_and_headers_pass_through_unchanged(
    recorder: tuple[Recorder, str], tmp_path: Path
) -> None:
    """Status, end-to-end headers (order, case, repeats) and gzip bytes are the upstream's,
    undecoded; the hop-by-hop headers stay behind."""
    _, upstream = recorder
    with proxy_in_front(upstream, tmp_path) as proxy:
        direct = exchange(upstream, "/any/path", b"x", headers={"Accept-Encoding": "identity"})
        proxied = exchange(proxy.url, "/any/path", b"x", headers={"Accept-Encoding": "identity"})
    assert proxied.status == direct.status == 207
    assert proxied.body == direct.body == GZIPPED
    assert proxied.headers == [(n, v) for n, v in direct.headers if n.lower() not in HOP]
    assert ("X-MiXeD-Case", "value  with  spaces") in proxied.headers
    assert [v for n, v in proxied.headers if n == "Set-Cookie"] == ["a=1; Path=/", "b=2; Path=/"]


def test_a_streamed_response_arrives_whole(recorder: tuple[Recorder, str], tmp_path: Path) -> None:
    """A chunked response without a length reaches the client with every byte."""
    _, upstream = recorder
    with proxy_in_front(upstream, tmp_path) as proxy:
        proxied = exchange(proxy.url, "/stream", method="GET")
    assert proxied.body == b"first,second,third"
    assert ("x-a", "1") in proxied.headers


def test_the_request_reaches_the_upstream_unchanged(
    recorder: tuple[Recorder, str], tmp_path: Path
) -> None:
    """Method, raw path and query, end-to-end headers (repeats and order kept) and body
    bytes reach the upstream as sent; hop-by-hop request headers do not."""
    app, upstream = recorder
    headers = {
        "X-Custom": "A",
        "Accept-Encoding": "gzip",
        "User-Agent": "merchant-client/1.0",
        "Connection": "keep-alive, X-Hop",
        "X-Hop": "1",
        "Proxy-Authorization": "Basic eA==",
        "X-Access-Key": "the-key",
    }
    body = b'{"merchant_order_id": "caf\xc3\xa9", "raw": [1, 2.50, "\\u00e9"]}'
    target = "/merchants/m%20x/orders?b=2&a=%2F"
    exchange(upstream, target, body, method="PUT", headers=headers)
    exchange(upstream, target, body, method="PUT", headers=headers)
    with proxy_in_front(upstream, tmp_path) as proxy:
        exchange(proxy.url, target, body, method="PUT", headers=headers)
    direct, proxied = app.seen[0], app.seen[-1]
    assert proxied["method"] == "PUT" and proxied["body"] == body
    assert proxied["target"] == direct["target"] == b"/merchants/m%20x/orders?b=2&a=%2F"
    framing = HOP | {"host", "content-length"}
    assert [h for h in proxied["headers"] if h[0] not in framing] == [
        h for h in direct["headers"] if h[0] not in framing
    ]


@pytest.fixture(scope="module")
def reference() -> Iterator[str]:
    """A reference server of this module's own (no processing delay)."""
    with running_server(create_app(processing_delay_s=0)) as url:
        yield url


@pytest.mark.parametrize(
    "payload",
    [
        order("COD"),
        order("ONLINE"),
        order(payable_amount=499),
        b"not json",
    ],
    ids=["cod", "online", "invalid", "malformed"],
)
def test_reference_answers_are_the_same_through_the_proxy(
    reference: str, tmp_path: Path, payload: Any
) -> None:
    """The reference server's answer to a request is the same direct and proxied: the
    body byte for byte (a replay of an order answers with the same order), and every
    header but the per-response X-Request-ID and Date."""
    body = payload if isinstance(payload, bytes) else orjson.dumps(payload)
    direct = exchange(reference, body=body, headers={"X-Access-Key": "1mg_client_access_key"})
    with proxy_in_front(reference, tmp_path) as proxy:
        proxied = exchange(proxy.url, body=body, headers={"X-Access-Key": "1mg_client_access_key"})
    assert (proxied.status, proxied.body) == (direct.status, direct.body)
    assert proxied.without(*PER_RESPONSE) == direct.without(*PER_RESPONSE)
    assert proxied.without("date") != direct.without("date")  # X-Request-ID is per response


def test_other_paths_pass_through_unjudged(reference: str, tmp_path: Path) -> None:
    """A request that is not POST to the Create Order path is forwarded (the upstream's 404
    or 405 comes back as it was) and counted, never judged."""
    with proxy_in_front(reference, tmp_path) as proxy:
        missing = exchange(proxy.url, "/health", method="GET")
        wrong_method = exchange(proxy.url, ORDERS, method="GET")
        post_order(proxy.url, order())
    result = proxy.proxy.result()
    assert (missing.status, wrong_method.status) == (404, 405)
    assert result.requests == 1
    assert result.settings["passed_through_unjudged"] == 2
