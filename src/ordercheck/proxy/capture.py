"""What the forwarding path hands the judge, and the bounded backlog between them.

The forwarding path never waits for judging: it offers each finished exchange to the
`Backlog` and moves on.  The backlog holds at most a fixed number of body bytes; an
exchange offered past that still went through unchanged, it is only not judged, and the
report counts it.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, field


@dataclass
class Captured:
    """One exchange as the proxy saw it.

    `body` is the request body (None when the proxy refused it, `refused` says why);
    `status` and `response_headers` are the upstream's, `response_prefix` the first
    `--max-response-bytes` of its body (`truncated` when there was more, `response_size`
    in all); `error` names what went wrong with the upstream when no whole response came
    (the client then got the proxy's 502 or 504).  `latency_ms` is the time to the
    upstream's response headers.  `concurrent` is true when an identical request was in
    flight at the same time (`group` names them, for C11).
    """

    method: str
    path: str
    query: str
    merchant_id: str
    request_headers: list[tuple[str, str]]
    body: bytes | None
    body_size: int
    fingerprint: bytes = b""
    status: int | None = None
    response_headers: list[tuple[str, str]] = field(default_factory=list)
    response_prefix: bytes = b""
    response_size: int = 0
    truncated: bool = False
    error: str | None = None
    refused: str | None = None
    latency_ms: float = 0.0
    concurrent: bool = False
    group: int | None = None

    @property
    def weight(self) -> int:
        """The bytes this exchange holds while it waits to be judged."""
        return len(self.body or b"") + len(self.response_prefix)


@dataclass(frozen=True)
class GroupClosed:
    """The last of a group of concurrent identical requests finished: judge C11 over it."""

    group: int


Item = Captured | GroupClosed


class Backlog:
    """A queue of exchanges to judge, bounded by the bytes they hold (`capacity`)."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.dropped = 0
        self.finished = False
        self._held = 0
        self._queue: queue.SimpleQueue[Item | None] = queue.SimpleQueue()
        self._lock = threading.Lock()

    def offer(self, item: Item) -> bool:
        """Queue `item` unless that would pass the capacity; never blocks."""
        weight = item.weight if isinstance(item, Captured) else 0
        with self._lock:
            if weight and self._held + weight > self.capacity:
                self.dropped += 1
                return False
            self._held += weight
        self._queue.put(item)
        return True

    def take(self, timeout: float) -> Item | None:
        """The next item, or None after `timeout` seconds without one, or at the end
        (`finished` then says so: everything offered before `close` was taken)."""
        if self.finished:
            return None
        try:
            item = self._queue.get(timeout=timeout)
        except queue.Empty:
            return None
        if item is None:
            self.finished = True
        elif isinstance(item, Captured):
            with self._lock:
                self._held -= item.weight
        return item

    def close(self) -> None:
        """Wake the judge: nothing more will come (a None marks the end)."""
        self._queue.put(None)

    @property
    def waiting(self) -> int:
        return self._queue.qsize()
