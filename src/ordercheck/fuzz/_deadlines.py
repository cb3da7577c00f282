"""One deadline per request, enforced from another thread.

A socket timeout bounds each read, not a request: a target that sends a byte a second never
trips it.  Here each request gets a `Deadline`; one watchdog thread expires deadlines as
they pass and shuts down the socket of the connection the request is using, so a blocked
read returns at once, whether it waits for the status line, the headers or the body.  The
connection classes in `WATCHED` tell the current thread's deadline which connection that is
(a fresh one or one from the pool) as the request goes out.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import os
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

from urllib3.connection import HTTPConnection, HTTPSConnection


class Deadline:
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


_current = threading.local()  # the deadline of the request this thread is sending


class _Watchdog:
    """One daemon thread that expires each request's deadline when it passes.

    One thread for all requests, started on first use: a thread per request (a
    `threading.Timer`) costs a start-up handshake with the scheduler on every request,
    milliseconds on a loaded machine, and that time would count as the target's latency.
    Finished deadlines stay queued until their time and are then skipped.
    """

    def __init__(self) -> None:
        self._queue: list[tuple[float, int, Deadline]] = []
        self._wake = threading.Condition()
        self._order = itertools.count()
        self._thread: threading.Thread | None = None

    def watch(self, deadline: Deadline) -> None:
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


WATCHDOG = _Watchdog()
os.register_at_fork(after_in_child=WATCHDOG.forget_thread)


def _cut(connection: HTTPConnection) -> None:
    """Shut the socket down from another thread: a blocked read returns at once.

    The base class's method, even for TLS: `ssl.SSLSocket.shutdown` also drops the TLS
    object the reading thread is using."""
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):  # already closed
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _attach_current(connection: HTTPConnection) -> None:
    deadline: Deadline | None = getattr(_current, "deadline", None)
    if deadline is not None:
        deadline.attach(connection)


@contextlib.contextmanager
def watched(seconds: float) -> Iterator[Deadline]:
    """A deadline `seconds` from now for the request this thread sends inside the block:
    the connection it uses is cut when the deadline passes before the block ends."""
    deadline = Deadline(seconds)
    _current.deadline = deadline
    WATCHDOG.watch(deadline)
    try:
        yield deadline
    finally:
        deadline.finish()
        _current.deadline = None


class _WatchedHTTPConnection(HTTPConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        _attach_current(self)
        super().request(*args, **kwargs)


class _WatchedHTTPSConnection(HTTPSConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        _attach_current(self)
        super().request(*args, **kwargs)


WATCHED: dict[type[Any], type[Any]] = {
    HTTPConnection: _WatchedHTTPConnection,
    HTTPSConnection: _WatchedHTTPSConnection,
}
