"""What a person (or a CI log) sees while a run goes on.

On a terminal one line is redrawn in place: phase, requests, failures so far.  Elsewhere
(CI logs, pipes) each phase gets one plain line when it starts and one when it ends.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO


class Progress:
    """Progress display; `quiet=True` prints nothing."""

    def __init__(
        self, stream: TextIO | None = None, *, quiet: bool = False, interactive: bool | None = None
    ):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.interactive = self.stream.isatty() if interactive is None else interactive
        self.phase = ""
        self.requests = 0
        self.failures = 0
        self._phase_started = time.monotonic()
        self._last_draw = 0.0
        self._lock = threading.Lock()

    def line(self, text: str) -> None:
        """A plain line that stays (the run's header, notices)."""
        if not self.quiet:
            self._clear()
            print(text, file=self.stream, flush=True)

    def start_phase(self, name: str) -> None:
        self.phase = name
        self._phase_started = time.monotonic()
        if not self.interactive:
            self.line(f"[{name}] started")
        else:
            self._draw(force=True)

    def end_phase(self) -> None:
        took = time.monotonic() - self._phase_started
        if not self.interactive:
            self.line(
                f"[{self.phase}] done in {took:.1f}s: {self.requests} requests so far, "
                f"{self.failures} failing checks"
            )

    def exchange(self, failures: int) -> None:
        with self._lock:
            self.requests += 1
            self.failures = failures
        if self.interactive:
            self._draw()

    def _draw(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if self.quiet or (not force and now - self._last_draw < 0.1):
            return
        self._last_draw = now
        text = f"  {self.phase:<10} {self.requests:>6} requests  {self.failures:>4} failing checks"
        self.stream.write("\r" + text)
        self.stream.flush()

    def _clear(self) -> None:
        if self.interactive and not self.quiet:
            self.stream.write("\r\033[K")

    def finish(self) -> None:
        self._clear()
