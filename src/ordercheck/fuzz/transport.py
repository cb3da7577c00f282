"""Sending a request with hard limits: no redirect, a cap on the body, one deadline.

Everything ordercheck sends to a target (the fuzzer's exchanges through Schemathesis's
`Case.call`, the preflight, `OrderApi`, `ordercheck replay`) goes through a `BoundedSession`,
a `requests.Session` that

- never follows a redirect: a 3xx is the answer under judgement (C4: not a status this API
  uses), and the access key never travels to another origin;
- reads the body itself, in chunks, and gives up past `Limits.max_response_bytes`; it decodes
  ``gzip`` and ``deflate`` itself under the same cap, so a 3 MB gzip bomb that unpacks to
  3 GiB costs at most the cap in memory.  It asks for no other encoding, and one it did not
  ask for (``br``, ``zstd``) is left as it came: not JSON, which C2 reports;
- gives each request one deadline, from before connecting to the last byte of the body.  A
  socket timeout applies to each read, so a target that sends a byte a second never trips
  it; here a watchdog thread shuts the connection's socket down when the deadline passes,
  whatever the request is waiting for.

What went wrong is raised as a `requests.RequestException` (`DeadlineExceeded`,
`ResponseTooLarge`, `BrokenResponse` or requests' own); `describe` turns any of them into a
line for a report, and `unreachable` tells "nothing answered at the TCP level" apart from
an exchange a reachable server broke.
"""

from __future__ import annotations

import contextlib
import heapq
import http.client
import itertools
import os
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ReadTimeoutError,
)

# The encodings `decode_body` can undo under a cap; a server is told it may use only these.
ACCEPT_ENCODING = "gzip, deflate"
READ_CHUNK_BYTES = 64 * 1024
# Sockets wait this much longer than the deadline: the watchdog, not a read timeout, ends a
# request, and a read timeout that still comes first (the watchdog kept waiting on a loaded
# machine) means the same thing.
SOCKET_GRACE_S = 1.0
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class Limits:
    """How long one request may take, connect to last byte, and how big its body may be."""

    timeout_s: float
    max_response_bytes: int


class DeadlineExceeded(requests.Timeout):
    """No whole response arrived before the request's deadline."""


class ResponseTooLarge(requests.RequestException):
    """The body, as sent or once decoded, is larger than the cap."""


class BrokenResponse(requests.RequestException):
    """A reachable server broke the exchange: a body cut short, an undecodable encoding."""


class _Deadline:
    """One request's deadline, and the connection to cut when it passes."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expires_at = time.monotonic() + seconds
        self.expired = False
        self._finished = False
        self._connection: HTTPConnection | None = None
        self._lock = threading.Lock()

    def remaining(self) -> float:
        return max(0.001, self.expires_at - time.monotonic())

    def attach(self, connection: HTTPConnection) -> None:
        """The connection the request is about to use (a fresh or a pooled one)."""
        with self._lock:
            self._connection = connection
            if self.expired:
                _cut(connection)

    def expire(self) -> None:
        """Called by the watchdog: cut the connection, unless the request is already done."""
        with self._lock:
            if self._finished:
                return
            self.expired = True
            if self._connection is not None:
                _cut(self._connection)

    def finish(self) -> None:
        with self._lock:
            self._finished = True
            self._connection = None


class _Watchdog:
    """One daemon thread that expires each request's deadline when it passes.

    One thread for all requests, started on first use: a thread per request (a
    `threading.Timer`) costs a start-up handshake with the scheduler on every request,
    milliseconds on a loaded machine, and that time would count as the target's latency.
    Finished deadlines stay queued until their time and are then skipped.
    """

    def __init__(self) -> None:
        self._queue: list[tuple[float, int, _Deadline]] = []
        self._wake = threading.Condition()
        self._order = itertools.count()
        self._thread: threading.Thread | None = None

    def watch(self, deadline: _Deadline) -> None:
        with self._wake:
            heapq.heappush(self._queue, (deadline.expires_at, next(self._order), deadline))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="ordercheck-deadlines", daemon=True
                )
                self._thread.start()
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._queue or self._queue[0][0] > time.monotonic():
                    wait = self._queue[0][0] - time.monotonic() if self._queue else None
                    self._wake.wait(wait)
                _, _, deadline = heapq.heappop(self._queue)
            deadline.expire()

    def forget_thread(self) -> None:
        """In a forked child the thread is gone: start a new one on the next request."""
        self._wake = threading.Condition()
        self._queue = []
        self._thread = None


_WATCHDOG = _Watchdog()
os.register_at_fork(after_in_child=_WATCHDOG.forget_thread)


def _cut(connection: HTTPConnection) -> None:
    """Shut the socket down from another thread: a blocked read returns at once.

    The base class's method, even for TLS: `ssl.SSLSocket.shutdown` also drops the TLS
    object the reading thread is using."""
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):  # already closed
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


_current = threading.local()  # the deadline of the request this thread is sending


def _attach_current(connection: HTTPConnection) -> None:
    deadline: _Deadline | None = getattr(_current, "deadline", None)
    if deadline is not None:
        deadline.attach(connection)


class _WatchedHTTPConnection(HTTPConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        _attach_current(self)
        super().request(*args, **kwargs)


class _WatchedHTTPSConnection(HTTPSConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        _attach_current(self)
        super().request(*args, **kwargs)


_WATCHED: dict[type[Any], type[Any]] = {
    HTTPConnection: _WatchedHTTPConnection,
    HTTPSConnection: _WatchedHTTPSConnection,
}


class _BoundedAdapter(HTTPAdapter):
    """Sends with one deadline per request and reads the body under the cap."""

    def __init__(self, limits: Limits):
        super().__init__()
        self.limits = limits

    def get_connection_with_tls_context(
        self,
        request: requests.PreparedRequest,
        verify: Any,
        proxies: dict[str, str] | None = None,
        cert: Any = None,
    ) -> HTTPConnectionPool:
        pool = super().get_connection_with_tls_context(request, verify, proxies, cert)
        # Every connection of the pool tells the request's deadline which socket to cut.
        pool.ConnectionCls = _WATCHED.get(pool.ConnectionCls, pool.ConnectionCls)
        return pool

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        """Send `request` and read its whole body; the caller's `timeout` is replaced by
        the session's deadline, and `stream` makes no difference."""
        deadline = _Deadline(self.limits.timeout_s)
        _current.deadline = deadline
        _WATCHDOG.watch(deadline)
        try:
            response = self._exchange(request, deadline, verify, cert, proxies)
        finally:
            deadline.finish()
            _current.deadline = None
        # Back to the pool only now: the watchdog can no longer cut it under another request.
        response.raw.release_conn()
        return response

    def _exchange(
        self, request: requests.PreparedRequest, deadline: _Deadline, *args: Any
    ) -> requests.Response:
        remaining = deadline.remaining()
        try:
            response = super().send(request, True, (remaining, remaining + SOCKET_GRACE_S), *args)
        except requests.RequestException as exc:
            late = deadline.expired or isinstance(exc, requests.ReadTimeout)
            if late and not unreachable(exc):
                raise self._late(deadline, request) from exc
            raise
        try:
            body = b"".join(self._chunks(response, deadline))
            content = decode_body(
                body, response.headers.get("Content-Encoding"), self.limits.max_response_bytes
            )
        except BaseException:
            response.close()
            raise
        response._content = content
        response._content_consumed = True
        return response

    def _chunks(self, response: requests.Response, deadline: _Deadline) -> Iterator[bytes]:
        """The body as sent (still encoded), chunk by chunk, up to the cap."""
        limit, read = self.limits.max_response_bytes, 0
        chunks = response.raw.stream(READ_CHUNK_BYTES, decode_content=False)
        while True:
            try:
                chunk = next(chunks, b"")
            # requests' own exceptions are OSErrors too, but none comes from reading here.
            except (HTTPError, OSError, http.client.HTTPException, ValueError) as exc:
                if deadline.expired or isinstance(exc, (ReadTimeoutError, TimeoutError)):
                    raise self._late(deadline, response.request) from exc
                raise BrokenResponse(
                    f"the body was cut short ({_reason(exc)})", request=response.request
                ) from exc
            if not chunk:
                break
            read += len(chunk)
            if read > limit:
                raise ResponseTooLarge(_too_large(limit, "as sent"), request=response.request)
            yield chunk
        if deadline.expired:  # the cut socket looked like the end of a body without a length
            raise self._late(deadline, response.request)

    @staticmethod
    def _late(deadline: _Deadline, request: requests.PreparedRequest) -> DeadlineExceeded:
        return DeadlineExceeded(
            f"no whole response within {deadline.seconds:g} s (--timeout)", request=request
        )


class BoundedSession(requests.Session):
    """A `requests.Session` with ordercheck's limits on every request it sends.

    >>> session = BoundedSession(Limits(timeout_s=10, max_response_bytes=10 * 2**20))
    >>> response = session.post(url, data=b"{}")  # doctest: +SKIP
    """

    def __init__(self, limits: Limits):
        super().__init__()
        self.limits = limits
        self.headers["Accept-Encoding"] = ACCEPT_ENCODING
        adapter = _BoundedAdapter(limits)
        self.mount("http://", adapter)
        self.mount("https://", adapter)

    def get_redirect_target(self, resp: requests.Response) -> str | None:
        """Never a redirect target: every answer, a 3xx included, is the one judged."""
        return None


def decode_body(body: bytes, content_encoding: str | None, limit: int) -> bytes:
    """`body` with its ``Content-Encoding`` undone, never growing past `limit` bytes.

    gzip (several members too) and deflate (zlib-wrapped or raw) are decoded; at the first
    other encoding, decoding stops and the body stays as it is from there.

    >>> import gzip
    >>> decode_body(gzip.compress(b"{}"), "gzip", 100)
    b'{}'
    """
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    for coding in reversed(codings):  # the last encoding applied is undone first
        if coding in ("gzip", "x-gzip"):
            body = _gunzip(body, limit)
        elif coding == "deflate":
            body = _inflate_deflate(body, limit)
        elif coding != "identity":
            break
    return body


def _inflate(inflater: Any, data: bytes, out: bytearray, limit: int) -> None:
    """Feed `data` to `inflater`, appending to `out`, never past `limit` bytes."""
    while data:
        out += inflater.decompress(data, limit + 1 - len(out))
        if len(out) > limit:
            raise ResponseTooLarge(_too_large(limit, "once decoded"))
        data = inflater.unconsumed_tail


def _gunzip(body: bytes, limit: int) -> bytes:
    out = bytearray()
    member = body
    try:
        while member:
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            _inflate(inflater, member, out, limit)
            if not inflater.eof:
                raise BrokenResponse("the gzip body is cut short")
            rest = inflater.unused_data
            member = rest if rest.startswith(_GZIP_MAGIC) else b""
    except zlib.error as exc:
        raise BrokenResponse(f"the body is not valid gzip ({exc})") from None
    return bytes(out)


def _inflate_deflate(body: bytes, limit: int) -> bytes:
    # "deflate" means zlib-wrapped, but some servers send raw deflate: try both, as browsers do.
    for wbits in (zlib.MAX_WBITS, -zlib.MAX_WBITS):
        out = bytearray()
        try:
            _inflate(zlib.decompressobj(wbits), body, out, limit)
        except zlib.error:
            continue
        return bytes(out)
    raise BrokenResponse("the body is not valid deflate")


def _too_large(limit: int, how: str) -> str:
    return f"the body is larger than {limit} bytes {how} (--max-response-bytes)"


def causes(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and everything it wraps: requests and urllib3 nest the real reason in `args`,
    `reason`, `__cause__` and `__context__`."""
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        inner = [*current.args, getattr(current, "reason", None)]
        inner += [current.__cause__, current.__context__]
        pending += [e for e in inner if isinstance(e, BaseException)]


def unreachable(exc: BaseException) -> bool:
    """True when nothing answered at the TCP level: refused, no route, unknown host, or no
    connection before the deadline."""
    return any(
        isinstance(cause, (NewConnectionError, ConnectTimeoutError, requests.ConnectTimeout))
        for cause in causes(exc)
    )


_REASONS: tuple[tuple[type[BaseException], str], ...] = (
    (http.client.RemoteDisconnected, "the server closed the connection without a response"),
    (ConnectionResetError, "the server reset the connection"),
    (http.client.BadStatusLine, "the answer is not HTTP"),
    (http.client.LineTooLong, "the answer is not HTTP (a line too long)"),
    (http.client.IncompleteRead, "the body is shorter than its Content-Length"),
    (BrokenPipeError, "the server closed the connection while the request was sent"),
)


def _reason(exc: BaseException) -> str:
    for cause in causes(exc):
        for kind, words in _REASONS:
            if isinstance(cause, kind):
                return words
    return type(exc).__name__


def describe(exc: requests.RequestException) -> str:
    """What went wrong with an exchange, in a line fit for a report (no URL in it: the URL
    may carry credentials).

    >>> describe(DeadlineExceeded("no whole response within 10 s (--timeout)"))
    'DeadlineExceeded: no whole response within 10 s (--timeout)'
    """
    if isinstance(exc, (DeadlineExceeded, ResponseTooLarge, BrokenResponse)):
        return f"{type(exc).__name__}: {exc}"
    if unreachable(exc):
        return f"{type(exc).__name__}: no TCP connection"
    return f"{type(exc).__name__}: {_reason(exc)}"


def tls_reason(exc: BaseException) -> str:
    """The TLS library's reason for a failed handshake (``certificate verify failed: ...``)."""
    for cause in causes(exc):
        if isinstance(cause, ssl.SSLError):
            return re.sub(r" \(_ssl\.c:[0-9]+\)$", "", str(cause))
    return type(exc).__name__
