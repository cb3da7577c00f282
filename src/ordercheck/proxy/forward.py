"""The reverse proxy itself: an ASGI app that forwards each request to the upstream and
streams the upstream's response back unchanged.

Unchanged means: the status, every end-to-end header in its order and case, and the body's
raw bytes (never decompressed: the client asked for what it asked for).  Only hop-by-hop
headers stay behind (`ordercheck.proxy.headers`).  The request body is read whole before it
is forwarded, because a body over ``--max-body-bytes`` must be refused before any of it
reaches the upstream; it is small (an order), the response may not be, so the response is
streamed, and only its first ``--max-response-bytes`` are kept for judging.

Nothing here judges.  A finished Create Order exchange is handed to `deliver` (the judge's
backlog), which never blocks, so a client never waits for validation.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib.util
import sys
import time
from collections.abc import Callable

import httpx
from starlette.types import Receive, Scope, Send

from ordercheck.proxy.capture import Captured, GroupClosed, Item
from ordercheck.proxy.concurrency import InFlight
from ordercheck.proxy.config import ProxyConfig
from ordercheck.proxy.envelope import error_response
from ordercheck.proxy.headers import RawHeaders, as_text, end_to_end, upstream_headers

# httpcore asks which async library runs it on every request by importing sniffio; where
# sniffio is not installed, each ask is a failed import that searches sys.path (about a
# millisecond, most of the proxy's own cost).  Where it cannot be imported anyway, saying so
# once in sys.modules makes the ask fail at once, with the same ImportError.
if importlib.util.find_spec("sniffio") is None:
    sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]

# A refused body is read to its end (and dropped) up to this size, so the client, still
# sending, gets the 413 rather than a reset connection; past it the connection is closed.
DRAIN_LIMIT = 64 << 20


class UpstreamBrokeOff(Exception):
    """The upstream's response stopped midway: the client's response is cut off too (the
    connection is dropped, so the client cannot take half a body for a whole one)."""


class _ClientGone(Exception):
    """The client went away before its request was whole: nothing to forward or judge."""


class ProxyApp:
    """Forwards everything to `config.upstream`; hands Create Order exchanges to `deliver`.

    ``passed_through`` counts the requests that were forwarded but are not the Create Order
    operation (other paths or methods), which nothing judges.
    """

    def __init__(self, config: ProxyConfig, deliver: Callable[[Item], object]) -> None:
        self.config = config
        self.deliver = deliver
        self.upstream = httpx.URL(config.upstream)
        self.prefix = self.upstream.raw_path.split(b"?")[0].rstrip(b"/")
        self.operation = config.path_pattern
        self.in_flight = InFlight()
        self.passed_through = 0
        self.client: httpx.AsyncClient | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            try:
                await self._http(scope, receive, send)
            except _ClientGone:
                return

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        """One upstream client for the server's life: connections are reused across requests."""
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.client = _upstream_client(self.config)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.client is not None:
                    await self.client.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers: RawHeaders = list(scope["headers"])
        match = self.operation.fullmatch(scope["path"])
        judged = scope["method"] == "POST" and match is not None
        body, size = await self._read_body(receive, headers)
        captured = Captured(
            method=scope["method"],
            path=scope["path"],
            query=scope["query_string"].decode("latin-1"),
            merchant_id=(match.groupdict().get("merchant_id") or "") if match else "",
            request_headers=as_text(headers),
            body=body,
            body_size=size,
        )
        if body is None:
            await self._refuse(send, captured, judged=judged)
        elif judged:
            await self._forward_judged(scope, headers, body, send, captured)
        else:
            self.passed_through += 1
            await self._forward(scope, headers, body, send, captured)

    async def _refuse(self, send: Send, captured: Captured, *, judged: bool) -> None:
        """A body over the limit: a 413, nothing forwarded; the merchant's finding when it
        was meant for Create Order."""
        captured.refused = "too-large"
        await self._answer(send, 413, self._too_large(captured.body_size))
        if judged:
            self.deliver(captured)

    async def _forward_judged(
        self, scope: Scope, headers: RawHeaders, body: bytes, send: Send, captured: Captured
    ) -> None:
        """Forward a Create Order request, tracking identical ones in flight, and hand the
        finished exchange (then, when it closes, its group) to the judge."""
        captured.fingerprint = hashlib.blake2b(
            scope["path"].encode("utf-8", "surrogateescape") + b"\0" + body, digest_size=16
        ).digest()
        group = self.in_flight.enter(captured.fingerprint)
        abandoned = False
        try:
            await self._forward(scope, headers, body, send, captured)
        except asyncio.CancelledError:  # the server is stopping under it
            abandoned = True
            raise
        finally:
            captured.concurrent, closed = self.in_flight.leave(group)
            captured.group = group.id
            if not abandoned:
                self.deliver(captured)
                if closed:
                    self.deliver(GroupClosed(group.id))

    async def _read_body(self, receive: Receive, headers: RawHeaders) -> tuple[bytes | None, int]:
        """The whole body, or (None, size seen) when it is over the limit."""
        limit = self.config.max_body_bytes
        declared = _content_length(headers)
        if declared is not None and declared > limit:
            return None, await _drain(receive, 0)
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _ClientGone
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                more = message.get("more_body", False)
                return None, await _drain(receive, size) if more else size
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks), size

    async def _forward(
        self, scope: Scope, headers: RawHeaders, body: bytes, send: Send, captured: Captured
    ) -> None:
        assert self.client is not None, "the lifespan startup creates the client"
        query = scope["query_string"]
        raw_path = self.prefix + scope.get("raw_path", scope["path"].encode())
        url = self.upstream.copy_with(raw_path=raw_path + (b"?" + query if query else b""))
        request = self.client.build_request(
            scope["method"], url, headers=upstream_headers(headers), content=body
        )
        sent = time.perf_counter()
        try:
            response = await self.client.send(request, stream=True)
        except httpx.TimeoutException as exc:
            captured.error = type(exc).__name__
            captured.latency_ms = (time.perf_counter() - sent) * 1000
            await self._answer(send, 504, self._timed_out(captured.error))
            return
        except httpx.HTTPError as exc:
            captured.error = type(exc).__name__
            captured.latency_ms = (time.perf_counter() - sent) * 1000
            await self._answer(send, 502, self._unreachable(captured.error))
            return
        captured.latency_ms = (time.perf_counter() - sent) * 1000
        try:
            await self._relay(response, send, captured)
        finally:
            await response.aclose()

    async def _relay(self, response: httpx.Response, send: Send, captured: Captured) -> None:
        """Stream the upstream's response to the client, keeping its first part to judge."""
        passed = end_to_end(response.headers.raw)
        captured.status = response.status_code
        captured.response_headers = as_text(passed)
        await send(
            {"type": "http.response.start", "status": response.status_code, "headers": passed}
        )
        kept, cap = bytearray(), self.config.max_response_bytes
        try:
            async for chunk in response.aiter_raw():
                captured.response_size += len(chunk)
                if len(kept) < cap:
                    kept += chunk[: cap - len(kept)]
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        except httpx.HTTPError as exc:
            captured.error = type(exc).__name__
            raise UpstreamBrokeOff(f"the upstream's response broke off: {captured.error}") from None
        finally:
            captured.response_prefix = bytes(kept)
            captured.truncated = captured.response_size > len(kept)
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _answer(self, send: Send, status: int, message: str) -> None:
        headers, body = error_response(status, message)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})

    def _unreachable(self, error: str) -> str:
        shown = self.config.upstream_shown
        return f"ordercheck proxy: the upstream {shown} could not be reached ({error})"

    def _timed_out(self, error: str) -> str:
        return (
            f"ordercheck proxy: the upstream {self.config.upstream_shown} did not answer within "
            f"{self.config.timeout_s:g} s ({error})"
        )

    def _too_large(self, size: int) -> str:
        return (
            f"ordercheck proxy: the request body ({size:,} bytes or more) is over the limit of "
            f"{self.config.max_body_bytes:,} bytes (--max-body-bytes); it was not forwarded"
        )


def _upstream_client(config: ProxyConfig) -> httpx.AsyncClient:
    """The client to the upstream: no default headers of its own (the request goes up with
    the client's headers and no others), no redirects followed (a redirect is the client's
    to see), no proxies from the environment, and the run's timeout."""
    client = httpx.AsyncClient(
        timeout=httpx.Timeout(config.timeout_s),
        follow_redirects=False,
        trust_env=False,
        limits=httpx.Limits(max_connections=16, max_keepalive_connections=16),
    )
    client.headers.clear()
    return client


def _content_length(headers: RawHeaders) -> int | None:
    for name, value in headers:
        if name.lower() == b"content-length" and value.strip().isdigit():
            return int(value)
    return None


async def _drain(receive: Receive, seen: int) -> int:
    """Read (and drop) the rest of a refused body, up to `DRAIN_LIMIT`; the size seen."""
    while seen <= DRAIN_LIMIT:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        seen += len(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return seen
