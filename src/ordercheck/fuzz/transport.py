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

This module is the session and what it reads; the deadlines (`_deadlines`), the decoding
under a cap (`_content_coding`) and the failures (`_transport_errors`) each have their own.
"""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool
from urllib3.exceptions import HTTPError, ReadTimeoutError

from ordercheck.fuzz._content_coding import ACCEPT_ENCODING, decode_body
from ordercheck.fuzz._deadlines import WATCHED, Deadline, watched
from ordercheck.fuzz._transport_errors import (
    BrokenResponse,
    DeadlineExceeded,
    ResponseTooLarge,
    describe,
    reason,
    tls_reason,
    too_large,
    unreachable,
)

__all__ = [
    "ACCEPT_ENCODING",
    "BoundedSession",
    "BrokenResponse",
    "DeadlineExceeded",
    "Limits",
    "ResponseTooLarge",
    "decode_body",
    "describe",
    "tls_reason",
    "unreachable",
]

READ_CHUNK_BYTES = 64 * 1024
# Sockets wait this much longer than the deadline: the watchdog, not a read timeout, ends a
# request, and a read timeout that still comes first (the watchdog kept waiting on a loaded
# machine) means the same thing.
SOCKET_GRACE_S = 1.0


@dataclass(frozen=True)
class Limits:
    """How long one request may take, connect to last byte, and how big its body may be."""

    timeout_s: float
    max_response_bytes: int


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
        pool.ConnectionCls = WATCHED.get(pool.ConnectionCls, pool.ConnectionCls)
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
        with watched(self.limits.timeout_s) as deadline:
            response = self._exchange(request, deadline, verify, cert, proxies)
        # Back to the pool only now: the watchdog can no longer cut it under another request.
        response.raw.release_conn()
        return response

    def _exchange(
        self, request: requests.PreparedRequest, deadline: Deadline, *args: Any
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

    def _chunks(self, response: requests.Response, deadline: Deadline) -> Iterator[bytes]:
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
                    f"the body was cut short ({reason(exc)})", request=response.request
                ) from exc
            if not chunk:
                break
            read += len(chunk)
            if read > limit:
                raise ResponseTooLarge(too_large(limit, "as sent"), request=response.request)
            yield chunk
        if deadline.expired:  # the cut socket looked like the end of a body without a length
            raise self._late(deadline, response.request)

    @staticmethod
    def _late(deadline: Deadline, request: requests.PreparedRequest) -> DeadlineExceeded:
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
