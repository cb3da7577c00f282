"""What can go wrong with an exchange, and how to say it in one line.

`DeadlineExceeded`, `ResponseTooLarge` and `BrokenResponse` are the transport's own
failures; requests and urllib3 raise the rest, nesting the real reason (a reset, bytes that
are not HTTP) a few levels deep.  `describe` finds it and says it without the URL (which may
carry credentials); `unreachable` tells "nothing answered at the TCP level" apart from an
exchange a reachable server broke.
"""

from __future__ import annotations

import http.client
import re
import ssl
from collections.abc import Iterator

import requests
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError


class DeadlineExceeded(requests.Timeout):
    """No whole response arrived before the request's deadline."""


class ResponseTooLarge(requests.RequestException):
    """The body, as sent or once decoded, is larger than the cap."""


class BrokenResponse(requests.RequestException):
    """A reachable server broke the exchange: a body cut short, an undecodable encoding."""


def too_large(limit: int, how: str) -> str:
    """The message of a `ResponseTooLarge`: ``how`` is "as sent" or "once decoded"."""
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


def reason(exc: BaseException) -> str:
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
    return f"{type(exc).__name__}: {reason(exc)}"


def tls_reason(exc: BaseException) -> str:
    """The TLS library's reason for a failed handshake (``certificate verify failed: ...``)."""
    for cause in causes(exc):
        if isinstance(cause, ssl.SSLError):
            return re.sub(r" \(_ssl\.c:[0-9]+\)$", "", str(cause))
    return type(exc).__name__
