"""Worker processes for ``ordercheck validate --jobs N``: chunks of frames out, batches back,
in input order.

Memory stays constant: at most ``3 * jobs`` chunks are in flight (``Executor.map`` and
``Pool.imap`` would both read the whole input ahead of the workers).  Workers are forked on
Linux when this process has no other thread (the command line case): a fork starts in
milliseconds with everything already imported, where a fresh interpreter takes a second or
more on a busy machine.  A process with threads gets ``spawn`` workers, as does every other
platform, since forking a threaded process can deadlock.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from ordercheck.spec import Profile
from ordercheck.validate.checker import Checker, Kind
from ordercheck.validate.framing import Frame, LongLine, Unreadable
from ordercheck.validate.outcomes import Batch

IN_FLIGHT_PER_JOB = 3

_worker_checker: Checker | None = None


def _init_worker(kind: Kind, profile: Profile, max_line_bytes: int) -> None:
    global _worker_checker  # noqa: PLW0603 -- one checker per worker process, by design
    # Ctrl-C is the parent's to handle; workers dying on it would only add tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_checker = Checker(kind, profile, max_line_bytes)


def _check_chunk(chunk: list[Frame]) -> list[Batch]:
    assert _worker_checker is not None, "worker used before its initializer ran"
    return [_worker_checker.check(frame) for frame in chunk]


def _start_method() -> str:
    single_threaded = threading.active_count() == 1
    return "fork" if sys.platform.startswith("linux") and single_threaded else "spawn"


def in_workers(
    chunks: Iterator[list[tuple[bool, Frame]]], checker: Checker, jobs: int
) -> Iterator[tuple[bool, Batch]]:
    """Each chunk's frames checked by `jobs` workers built like `checker`, yielded in input
    order with the flag each frame came with."""
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context(_start_method()),
        initializer=_init_worker,
        initargs=(checker.kind, checker.profile, checker.max_line_bytes),
    )
    window: deque[tuple[list[bool], Future[list[Batch]]]] = deque()
    try:
        for chunk in chunks:
            starts = [starts for starts, _ in chunk]
            window.append((starts, pool.submit(_check_chunk, [frame for _, frame in chunk])))
            # Report an error frame before reading on: the input after it may never come.
            drain = isinstance(chunk[-1][1], LongLine | Unreadable)
            while window and (drain or len(window) >= jobs * IN_FLIGHT_PER_JOB):
                yield from _done(*window.popleft())
        while window:
            yield from _done(*window.popleft())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _done(starts: list[bool], future: Future[list[Batch]]) -> Iterator[tuple[bool, Batch]]:
    return zip(starts, future.result(), strict=True)
