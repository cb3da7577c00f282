"""The settings of one proxy run, checked once: a value that cannot work is a `UsageError`
(one line, exit 2) before anything listens."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from ordercheck.errors import UsageError
from ordercheck.fuzz.config import DEFAULT_LATENCY_BUDGET_MS
from ordercheck.spec import OPERATION_PATH, Profile, check_profile

if TYPE_CHECKING:
    from ordercheck.fuzz.collector import Bounds

FailOn = Literal["warn", "error"]
DEFAULT_LISTEN = "127.0.0.1:8080"
DEFAULT_MAX_BODY_BYTES = 1 << 20  # 1 MiB: an order is a few kilobytes
DEFAULT_MAX_RESPONSE_BYTES = 10 << 20  # beyond this a response passes through unjudged
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_FLUSH_INTERVAL_S = 2.0
# What waits to be judged may hold this many bytes of bodies; past it, exchanges still pass
# through but are not judged (and the report counts them), so a slow judge never costs
# memory without end.
DEFAULT_BACKLOG_BYTES = 64 << 20


@dataclass(frozen=True)
class ProxyConfig:
    """One `ordercheck proxy`: where it listens, the upstream it forwards to, how it judges.

    `path` is the Create Order path template: only POSTs to it are judged, anything else
    passes through untouched.  `bounds` caps what the run remembers (None: the defaults of
    `ordercheck.fuzz.collector.Bounds`).
    """

    upstream: str
    host: str = "127.0.0.1"
    port: int = 8080
    profile: Profile = "default"
    path: str = OPERATION_PATH
    fail_on: FailOn = "error"
    allow_rejection: str | None = None
    latency_budget_ms: float = DEFAULT_LATENCY_BUDGET_MS
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    timeout_s: float = DEFAULT_TIMEOUT_S
    flush_interval_s: float = DEFAULT_FLUSH_INTERVAL_S
    backlog_bytes: int = DEFAULT_BACKLOG_BYTES
    bounds: Bounds | None = None

    def __post_init__(self) -> None:
        parts = urlsplit(self.upstream)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(
                f"--upstream={self.upstream!r}: expected http(s)://host[:port][/prefix]"
            )
        if parts.query or parts.fragment:
            raise UsageError(f"--upstream={self.upstream!r}: no query or fragment, please")
        try:
            check_profile(self.profile)
        except ValueError as exc:
            raise UsageError(f"--profile: {exc}") from None
        if self.fail_on not in ("warn", "error"):
            raise UsageError(f"--fail-on={self.fail_on!r}: must be warn or error")
        if not 0 <= self.port <= 65535:
            raise UsageError(f"--listen port {self.port}: must be between 0 and 65535")
        for name, size in (
            ("--max-body-bytes", self.max_body_bytes),
            ("--max-response-bytes", self.max_response_bytes),
        ):
            if size < 1:
                raise UsageError(f"{name}={size}: must be at least 1")
        _positive("--timeout", self.timeout_s)
        _positive("--latency-budget-ms", self.latency_budget_ms)
        _positive("flush_interval_s", self.flush_interval_s)
        if self.allow_rejection is not None:
            try:
                re.compile(self.allow_rejection)
            except re.error as exc:
                raise UsageError(f"--allow-rejection={self.allow_rejection!r}: {exc}") from None
        if not self.path.startswith("/"):
            raise UsageError(f"--path={self.path!r}: must start with /")

    @property
    def upstream_shown(self) -> str:
        """The upstream without any user:password, as it may be printed and reported."""
        parts = urlsplit(self.upstream)
        netloc = parts.netloc.rpartition("@")[2]
        return f"{parts.scheme}://{netloc}{parts.path}".rstrip("/")

    @property
    def path_pattern(self) -> re.Pattern[str]:
        """The path template as a regex; ``merchant_id`` captures the path's merchant."""
        pieces = re.split(r"(\{merchant_id\})", self.path)
        regex = "".join(
            "(?P<merchant_id>[^/]+)" if piece == "{merchant_id}" else re.escape(piece)
            for piece in pieces
        )
        return re.compile(regex)


def parse_listen(value: str) -> tuple[str, int]:
    """``127.0.0.1:8080`` or ``[::1]:8080`` as (host, port); port 0 picks a free one.

    >>> parse_listen("127.0.0.1:0")
    ('127.0.0.1', 0)
    """
    match = re.fullmatch(r"\[([0-9A-Fa-f:.]+)\]:([0-9]{1,5})|([^:\[\]]+):([0-9]{1,5})", value)
    if match is None:
        raise UsageError(f"--listen={value!r}: expected HOST:PORT, such as {DEFAULT_LISTEN}")
    host = match.group(1) or match.group(3)
    port = int(match.group(2) or match.group(4))
    if port > 65535:
        raise UsageError(f"--listen={value!r}: the port must be between 0 and 65535")
    return host, port


def _positive(name: str, value: float) -> None:
    if not (math.isfinite(value) and value > 0):
        raise UsageError(f"{name}={value}: must be a finite number more than 0")
