"""One proxy run, start to finish: the forwarding app on uvicorn in a background thread, the
judge in another, and the result when it stops.

    with Proxy(ProxyConfig(upstream="http://127.0.0.1:8000", port=0)) as proxy:
        ...  # send the merchant's traffic to proxy.url
    proxy.result().verdict

`ordercheck proxy` runs one until Ctrl-C or SIGTERM; tests run one around a block.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import ExitStack
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from ordercheck.proxy.capture import Backlog
from ordercheck.proxy.config import ProxyConfig
from ordercheck.proxy.forward import ProxyApp, UpstreamBrokeOff
from ordercheck.proxy.judge import Finding, Judge
from ordercheck.results import RunResult, Target, new_run_id


class _HideBrokenOff(logging.Filter):
    """uvicorn logs an app's exception with its traceback; an upstream that broke off
    mid-response is the proxy's own finding (C1), reported as such, not a crash."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, UpstreamBrokeOff)


def _hide_broken_off_responses() -> None:
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _HideBrokenOff) for f in logger.filters):
        logger.addFilter(_HideBrokenOff())


class Proxy:
    """A running proxy for as long as a ``with`` block: `url` is where it listens.

    `on_finding` hears each finding as it is made, `on_result` each fresh result (at once
    after a new finding, every few seconds while anything changes, and once at the end);
    both are called from the judge's thread, never two at a time.
    """

    def __init__(
        self,
        config: ProxyConfig,
        *,
        on_finding: Callable[[Finding], None] = lambda finding: None,
        on_result: Callable[[RunResult], None] = lambda result: None,
    ) -> None:
        self.config = config
        self.run_id = new_run_id()
        self.url = ""
        self.backlog = Backlog(config.backlog_bytes)
        self.app = ProxyApp(config, self.backlog.offer)
        self.judge = Judge(
            config,
            self.backlog,
            on_finding=on_finding,
            on_result=self._publish,
            facts=self._facts,
        )
        self._on_result = on_result
        self._latest: RunResult | None = None
        self._started_at = datetime.now(UTC)
        self._clock = time.monotonic()
        self._stack = ExitStack()

    def __enter__(self) -> Proxy:
        from ordercheck.server import running_server

        _hide_broken_off_responses()
        self.judge.start()
        try:
            self.url = self._stack.enter_context(
                running_server(
                    self.app,
                    host=self.config.host,
                    port=self.config.port,
                    lifespan="on",
                    date_header=False,  # the upstream's Date passes through, no other
                )
            )
        except BaseException:
            self.judge.stop()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            self._stack.close()  # the server stops; exchanges in flight finish first
        finally:
            self._finish()

    def _finish(self) -> None:
        """After the server stopped (in-flight exchanges finished): judge what waits, and
        publish the final result."""
        self.judge.stop()
        self._publish(self.judge.result())

    def _publish(self, result: RunResult) -> None:
        self._latest = result
        self._on_result(result)

    def result(self) -> RunResult:
        """The latest result: the final one once the block has ended."""
        return self._latest if self._latest is not None else self.judge.result()

    def _facts(self) -> dict[str, Any]:
        config = self.config
        return {
            "run_id": self.run_id,
            "started_at": self._started_at.isoformat(timespec="seconds"),
            "duration_s": round(time.monotonic() - self._clock, 3),
            "target": Target(config.upstream_shown, config.path, "", False),
            "profile": config.profile,
            "seed": None,
            "order_prefix": "",
            "settings": {
                "upstream": config.upstream_shown,
                "listen": self.url,
                "path": config.path,
                "profile": config.profile,
                "fail_on": config.fail_on,
                "allow_rejection": config.allow_rejection,
                "latency_budget_ms": config.latency_budget_ms,
                "max_body_bytes": config.max_body_bytes,
                "max_response_bytes": config.max_response_bytes,
                "timeout_s": config.timeout_s,
                "passed_through_unjudged": self.app.passed_through,
                "not_judged_backlog_full": self.backlog.dropped,
                "internal_errors": self.judge.internal_errors,
            },
        }
