"""Where the pytest-xdist workers of one shared campaign meet: an execnet channel from each
worker to the controller, which waits for every worker's part and then hands all of them to
every worker.

A channel rather than a directory, so that workers on other hosts (``--tx ssh=...``) share
the campaign like local ones: the channel travels to the worker inside its ``workerinput``
and rides the gateway xdist already opened, over whatever carries it (a pipe, ssh).  The
controller also learns at once when a worker goes down before handing in its part (its
channel closes), and tells the others, who would otherwise wait for it until they time out.

Messages, worker to controller: ``("part", bytes)`` or ``("failed", reason)``; controller to
worker, once: ``("parts", [bytes, ...])`` in worker order, or ``("failed", reason)``, to every
worker when the last part or the first failure comes, and to a worker that speaks later on
its own.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

from ordercheck.errors import OrdercheckError

_CLOSED = ("closed",)  # what a channel's callback receives when the worker's side is gone


class Relay:
    """On the controller: one channel per worker; the parts once all `count` have come, or
    the first failure, go to every worker."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._parts: dict[int, bytes] = {}
        self._channels: dict[int, Any] = {}
        self._answer: tuple[Any, ...] | None = None
        self._lock = threading.Lock()

    def channel_for(self, gateway: Any, index: int) -> Any:
        """A new channel on the worker's `gateway`, for the worker to take in its
        ``workerinput``; what comes back on it is the part of worker `index`."""
        channel = gateway.newchannel()
        with self._lock:
            self._channels[index] = channel
        channel.setcallback(lambda message: self.receive(index, message), endmarker=_CLOSED)
        return channel

    def receive(self, index: int, message: Any) -> None:
        """A worker's message (or the end of its channel), in execnet's receiving thread."""
        with self._lock:
            if self._answer is not None:
                # A worker that speaks after the answer (one xdist started in place of a
                # worker that went down) is answered alone.  Not earlier: execnet drops what
                # comes for a channel before the worker has taken it from its workerinput.
                if message != _CLOSED:
                    with contextlib.suppress(Exception):
                        self._channels[index].send(self._answer)
                return
            kind = message[0] if isinstance(message, tuple) and message else None
            if kind == "part" and len(message) == 2:
                self._parts[index] = bytes(message[1])
                if len(self._parts) < self.count:
                    return
                self._answer = ("parts", [self._parts[i] for i in range(self.count)])
            elif kind == "failed" and len(message) == 2:
                self._answer = ("failed", f"the shared run's part {index} failed: {message[1]}")
            elif message == _CLOSED and index not in self._parts:
                reason = f"the shared run's part {index} never came: its worker went down"
                self._answer = ("failed", reason)
            else:
                return
            channels = list(self._channels.values())
        for channel in channels:  # a worker already gone cannot be told, nor needs to be
            with contextlib.suppress(Exception):
                channel.send(self._answer)


class ChannelMeeting:
    """On a worker: the `ordercheck.fuzz.sharing.Meeting` over its channel to the relay."""

    def __init__(self, channel: Any) -> None:
        self.channel = channel

    def hand_in(self, part: bytes) -> None:
        self.channel.send(("part", part))

    def give_up(self, reason: str) -> None:
        with contextlib.suppress(Exception):  # the controller may already be gone
            self.channel.send(("failed", reason))

    def parts(self, timeout_s: float) -> list[bytes]:
        try:
            answer = self.channel.receive(timeout=timeout_s)
        except self.channel.TimeoutError:
            raise OrdercheckError(
                f"the shared run's parts did not all come in {timeout_s:.0f} s"
            ) from None
        except Exception as error:  # the channel closed: the controller went away
            raise OrdercheckError(f"the shared run's controller is gone: {error}") from None
        if answer[0] == "parts":
            return [bytes(part) for part in answer[1]]
        raise OrdercheckError(str(answer[1]))
