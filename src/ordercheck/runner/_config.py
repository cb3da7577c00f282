"""The settings of one fuzzing run, checked once, in one place."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ordercheck.errors import OrdercheckError
from ordercheck.spec import OPERATION_PATH, Profile, check_profile

DEFAULT_MERCHANT_ID = "demo-merchant"
DEFAULT_ACCESS_KEY = "1mg_client_access_key"


class UsageError(OrdercheckError):
    """An option value that cannot work (exit code 2)."""


@dataclass(frozen=True)
class FuzzConfig:
    """Everything `run_fuzz` needs; `base_url=None` means the embedded reference server."""

    base_url: str | None = None
    path: str = OPERATION_PATH
    merchant_id: str = DEFAULT_MERCHANT_ID
    access_key: str = DEFAULT_ACCESS_KEY
    profile: Profile = "default"
    max_examples: int = 50
    seed: int | None = None
    workers: int = 1
    sku_ids: tuple[str, ...] | None = None
    coupons: tuple[str, ...] | None = None
    allow_rejection: str | None = None
    rate_limit: float | None = None
    dry_run: bool = False
    latency_budget_ms: float = 2000.0
    fail_on_latency: bool = False
    burst_size: int = 8
    timeout_s: float = 10.0
    variant: str | None = None

    def __post_init__(self) -> None:
        try:
            check_profile(self.profile)
        except ValueError as exc:
            raise UsageError(f"--profile: {exc}") from None
        if self.max_examples < 1:
            raise UsageError(f"--max-examples={self.max_examples}: must be at least 1")
        if self.workers < 1:
            raise UsageError(f"--workers={self.workers}: must be at least 1")
        if self.rate_limit is not None and self.rate_limit <= 0:
            raise UsageError(f"--rate-limit={self.rate_limit}: must be more than 0")
        if self.base_url is not None and not re.match(r"^https?://[^/]+", self.base_url):
            raise UsageError(
                f"--base-url={self.base_url!r}: expected http(s)://host[:port][/prefix]"
            )
        if self.allow_rejection is not None:
            try:
                re.compile(self.allow_rejection)
            except re.error as exc:
                raise UsageError(f"--allow-rejection={self.allow_rejection!r}: {exc}") from None
        if self.variant is not None and self.base_url is not None:
            raise UsageError("--variant only applies to the embedded server (no --base-url)")

    @property
    def allow_rejection_pattern(self) -> re.Pattern[str] | None:
        return None if self.allow_rejection is None else re.compile(self.allow_rejection)
