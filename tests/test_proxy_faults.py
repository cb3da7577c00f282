"""When the upstream fails, `ordercheck proxy` answers for it in the API's error envelope and
keeps going: an upstream down is a 502, a slow one a 504, a body over the limit a 413 that
never reaches the upstream; a huge response still passes whole; and the report on disk
holds everything seen so far while the proxy runs."""

from __future__ import annotations

import http.client
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import orjson
import pytest

from ordercheck.reports import load_report
from ordercheck.results import REDACTED, RunResult
from ordercheck.server import create_app, running_server
from proxy_helpers import Raw, exchange, post_order, proxy_in_front
from server_helpers import KEY, order


def envelope_of(reply: Raw) -> dict[str, Any]:
    """The error envelope the proxy answered with, checked for its shape."""
    body = orjson.loads(reply.body)
    assert body["is_success"] is False and body["status_code"] == reply.status
    assert body["error"]["errors"] == [{"message": body["error"]["message"]}]
    assert ("x-ordercheck-proxy", str(reply.status)) in reply.without()
    return body


def report_on_disk(report_dir: Path, requests: int, timeout: float = 10) -> RunResult:
    """The report the running proxy wrote, once it holds `requests` exchanges."""
    deadline = time.monotonic() + timeout
    path = report_dir / "latest" / "report.json"
    while time.monotonic() < deadline:
        if path.exists() and (result := load_report(path)).requests >= requests:
            return result
        time.sleep(0.05)
    pytest.fail(f"no report.json with {requests} requests in {timeout} s")


def test_upstream_killed_mid_run(tmp_path: Path) -> None:
    """Kill the upstream mid-run: the client gets 502 envelopes (never a hang), the proxy
    stays up, C1 names the dropped connections, and the report on disk already holds
    every exchange, those before the kill included."""
    with ExitStack() as upstream_alive:
        url = upstream_alive.enter_context(running_server(create_app(processing_delay_s=0)))
        with proxy_in_front(url, tmp_path) as proxy:
            before = [post_order(proxy.url, order()) for _ in range(3)]
            upstream_alive.close()
            after = [post_order(proxy.url, order()) for _ in range(2)]
            on_disk = report_on_disk(tmp_path, 5)
    assert [r.status for r in before] == [200, 200, 200]
    assert [r.status for r in after] == [502, 502]
    assert "could not be reached (ConnectError)" in envelope_of(after[0])["error"]["message"]
    assert on_disk.requests == 5
    [dropped] = [f for f in on_disk.findings if f.rule == "C1"]
    assert dropped.title == "no whole response" and dropped.count == 2
    status = {rule.id: rule.status for rule in on_disk.rules}
    assert status["C5"] == "passed" and status["C1"] == "failed"


def test_a_slow_upstream_gets_a_504(tmp_path: Path) -> None:
    """An upstream slower than --timeout: the client gets a 504 envelope at the timeout,
    and the exchange is a C1 finding (no response)."""
    with (
        running_server(create_app(processing_delay_s=2.0)) as url,
        proxy_in_front(url, tmp_path, timeout_s=0.3) as proxy,
    ):
        reply = post_order(proxy.url, order())
    assert reply.status == 504
    assert "did not answer within 0.3 s (ReadTimeout)" in envelope_of(reply)["error"]["message"]
    result = proxy.proxy.result()
    assert [(f.rule, f.title) for f in result.findings] == [("C1", "no whole response")]


def test_a_body_over_the_limit_is_refused_and_never_forwarded(tmp_path: Path) -> None:
    """A body over --max-body-bytes gets a 413 envelope, creates no order upstream and is
    a finding about the merchant's request (body:too-large), not about the upstream."""
    app = create_app(processing_delay_s=0)
    big = order(note="x" * 5_000)
    with running_server(app) as url, proxy_in_front(url, tmp_path, max_body_bytes=2_000) as proxy:
        reply = post_order(proxy.url, big)
        fine = post_order(proxy.url, order())
    assert (reply.status, fine.status) == (413, 200)
    assert "--max-body-bytes" in envelope_of(reply)["error"]["message"]
    assert app.state.store.orders_created == 1
    result = proxy.proxy.result()
    assert result.findings == [] and result.requests == 1
    [too_large] = result.payload_findings
    assert too_large.constraint == "body:too-large" and too_large.severity == "error"
    assert too_large.exchange is not None
    assert too_large.exchange.headers["x-access-key"] == REDACTED != KEY


class HugeAnswer:
    """An upstream whose answer is a valid success envelope padded to 3 MB."""

    body = orjson.dumps(
        {
            "data": {"order_id": "PO1", "merchant_order_id": "m-1"},
            "partial_complete": False,
            "is_success": True,
            "status_code": 200,
            "padding": "p" * 3_000_000,
        }
    )

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        while (await receive()).get("more_body"):
            pass
        headers = [(b"content-type", b"application/json"), (b"x-request-id", b"r-1")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        for start in range(0, len(self.body), 65_536):
            chunk = self.body[start : start + 65_536]
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})


def test_a_response_over_the_cap_passes_whole_and_is_judged_by_its_head(tmp_path: Path) -> None:
    """A response over --max-response-bytes reaches the client byte for byte; its status
    and headers are judged, its cut body is not taken for a broken envelope (no C2)."""
    upstream_app = HugeAnswer()
    with (
        running_server(upstream_app) as url,  # type: ignore[arg-type]
        proxy_in_front(url, tmp_path, max_response_bytes=10_000) as proxy,
    ):
        reply = post_order(proxy.url, order(merchant_order_id="m-1"))
    assert reply.body == HugeAnswer.body
    result = proxy.proxy.result()
    judged = {rule.id: rule.checks for rule in result.rules}
    assert result.findings == []
    assert judged["C1"] == judged["C13"] == 1 and judged["C2"] == 0


def test_the_proxy_listens_on_after_upstream_errors(tmp_path: Path) -> None:
    """Against an upstream that was never there, every request gets its 502 at once and
    the proxy answers the next one just the same."""
    with running_server(create_app()) as url:
        pass  # a port that was just free: nothing listens there now
    with proxy_in_front(url, tmp_path) as proxy:
        replies = [exchange(proxy.url, "/anything", method="GET") for _ in range(3)]
        replies.append(post_order(proxy.url, order()))
    assert [r.status for r in replies] == [502] * 4
    assert proxy.proxy.result().requests == 1


class BreaksOff:
    """An upstream that promises 1,000 bytes, sends 10, and drops the connection (but
    answers ``GET /fine`` properly)."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        while (await receive()).get("more_body"):
            pass
        if scope["path"] == "/fine":
            await send({"type": "http.response.start", "status": 204, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        headers = [(b"content-type", b"application/json"), (b"content-length", b"1000")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b'{"data": {', "more_body": True})
        raise ConnectionAbortedError("the upstream's worker died")


def test_a_response_broken_off_upstream_is_broken_off_for_the_client(tmp_path: Path) -> None:
    """An upstream that dies mid-response: the client's response is cut off too (never
    passed off as whole), the proxy goes on serving, and C1 reports the broken exchange."""
    with (
        running_server(BreaksOff()) as url,  # type: ignore[arg-type]
        proxy_in_front(url, tmp_path) as proxy,
    ):
        with pytest.raises(http.client.IncompleteRead):
            post_order(proxy.url, order())
        assert exchange(proxy.url, "/fine", method="GET").status == 204
    result = proxy.proxy.result()
    assert [(f.rule, f.title) for f in result.findings] == [("C1", "no whole response")]
