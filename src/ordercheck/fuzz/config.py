"""The settings of one fuzzing run: declared once, with their defaults and help, and checked
once.

`FuzzConfig` is the one declaration of the fuzz options.  Each field's `Option` metadata
carries its help text and how it is spelled on a command line; the ``ordercheck fuzz`` click
options (`ordercheck.cli._fuzz_options`) and the pytest plugin's ``--ordercheck-<name>``
options are generated from it, so the three cannot drift apart, and every default is one
named constant below.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import Field, dataclass, field, fields
from typing import Any, Literal

from ordercheck.defaults import ACCESS_KEY_ENVVAR, DEFAULT_ACCESS_KEY, DEFAULT_MERCHANT_ID
from ordercheck.errors import UsageError
from ordercheck.redaction import check_access_key, check_base_url, read_access_key_file
from ordercheck.spec import OPERATION_PATH, PROFILES, Profile, check_profile

DEFAULT_PROFILE: Profile = "default"
DEFAULT_MAX_EXAMPLES = 50
# Units of a run in flight at once: a server that spends 50 ms on an order is kept busy four
# orders at a time (--workers 1 runs them strictly in turn; --rate-limit caps the rate).
DEFAULT_WORKERS = 4
DEFAULT_LATENCY_BUDGET_MS = 2000.0
DEFAULT_BURST_SIZE = 8
DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MAX_RESPONSE_BYTES = 10 * 2**20
MAX_EXAMPLES = 1_000_000
MAX_WORKERS = 64
MAX_BURST_SIZE = 64
# A per-request timer must fit the platform's wait; an hour is already no deadline at all.
MAX_TIMEOUT_S = 3600.0
# Below this rate the pause between two requests no longer fits a sleep (one every 1000 s).
MIN_RATE_LIMIT = 0.001
# A Create Order answer is a few hundred bytes; below 1 KiB even an error page is cut.
MIN_RESPONSE_BYTES = 2**10
MAX_RESPONSE_BYTES = 2**30
# Letters, digits and the unreserved punctuation of RFC 3986: sent in the path unencoded.
_MERCHANT_ID = re.compile(r"[A-Za-z0-9._~-]{1,128}")
_PATH = re.compile(r"/[\x21-\x7e]*")

# Where an option exists: on both command lines, or in one only (see README, "Options").
Where = Literal["both", "cli", "pytest"]


@dataclass(frozen=True)
class Option:
    """How one `FuzzConfig` field is offered as a command-line option.

    `kind` is the value's type on the command line (``path`` is a file whose contents
    `convert` turns into the field's value); `aliases` are older spellings kept working.
    """

    help: str
    kind: Literal["str", "int", "float", "flag", "choice", "path"] = "str"
    metavar: str | None = None
    choices: Sequence[str] = ()
    flag: str | None = None
    envvar: str | None = None
    where: Where = "both"
    aliases: Sequence[str] = ()
    convert: Callable[[str], Any] | None = None

    def cli_flag(self, name: str) -> str:
        """``--max-examples`` for field ``max_examples``, unless `flag` says otherwise."""
        return self.flag or "--" + name.replace("_", "-")


def option(default: Any, help: str, **how: Any) -> Any:
    """A `FuzzConfig` field with its default and its `Option`."""
    return field(default=default, metadata={"option": Option(help, **how)})


def _read_skus(path: str) -> tuple[str, ...]:
    from ordercheck.strategies import read_sku_catalog

    return read_sku_catalog(path)


def _read_coupons(path: str) -> tuple[str, ...]:
    from ordercheck.strategies import read_coupons

    return read_coupons(path)


@dataclass(frozen=True)
class FuzzConfig:
    """Everything `run_fuzz` needs; `base_url=None` means the embedded reference server.

    >>> FuzzConfig(max_examples=5).workers
    1
    >>> FuzzConfig(rate_limit=float("nan"))
    Traceback (most recent call last):
    ...
    ordercheck.errors.UsageError: --rate-limit=nan: must be a finite number of at least 0.001
    """

    base_url: str | None = option(
        None,
        "The implementation to fuzz, e.g. https://staging.example.com. "
        "Without it: the embedded reference server.",
        metavar="URL",
        aliases=("--ordercheck-url",),
    )
    path: str = option(
        OPERATION_PATH, "Path template of the Create Order operation.", metavar="TEMPLATE"
    )
    merchant_id: str = option(
        DEFAULT_MERCHANT_ID, "The merchant_id in the path.", aliases=("--ordercheck-merchant",)
    )
    access_key: str = field(
        default=DEFAULT_ACCESS_KEY,
        repr=False,
        metadata={
            "option": Option(
                "X-Access-Key (default: the page's example key); never printed or written "
                "to reports. On the command line other users can see it (ps): prefer the "
                "environment variable or --access-key-file.",
                envvar=ACCESS_KEY_ENVVAR,
                metavar="KEY",
                aliases=("--ordercheck-key",),
            )
        },
    )
    access_key_file: str | None = option(
        None,
        "Read X-Access-Key from the first line of this file (instead of --access-key).",
        kind="path",
        metavar="FILE",
    )
    profile: Profile = option(
        DEFAULT_PROFILE,
        "Which rule levels the payloads are judged by.",
        kind="choice",
        choices=PROFILES,
    )
    max_examples: int = option(
        DEFAULT_MAX_EXAMPLES,
        "Payloads drawn per stage (valid; edge gets half; every rule is broken at least once).",
        kind="int",
        metavar="N",
    )
    seed: int | None = option(None, "Repeat a run's payloads exactly.", kind="int", metavar="S")
    workers: int = option(
        DEFAULT_WORKERS,
        f"Units of the run (payload stages, sequences) in flight at once, on threads "
        f"(1: strictly in turn; at most {MAX_WORKERS}).",
        kind="int",
        metavar="N",
    )
    sku_ids: tuple[str, ...] | None = option(
        None,
        "SKU ids the target sells: a file with one a line, or a JSON array.",
        kind="path",
        flag="--sku-catalog",
        metavar="FILE",
        convert=_read_skus,
    )
    coupons: tuple[str, ...] | None = option(
        None,
        "Coupon codes the target knows: a file with one a line, or a JSON array.",
        kind="path",
        metavar="FILE",
        convert=_read_coupons,
    )
    allow_rejection: str | None = option(
        None,
        "A 400 whose error message matches is a declared business rule, not a C5 failure "
        "(e.g. 'out of stock|invalid coupon').",
        metavar="REGEX",
    )
    rate_limit: float | None = option(
        None, "At most this many requests per second.", kind="float", metavar="N"
    )
    latency_budget_ms: float = option(
        DEFAULT_LATENCY_BUDGET_MS, "C14: the p95 latency budget.", kind="float", metavar="MS"
    )
    fail_on_latency: bool = option(False, "Make C14 an error instead of a warning.", kind="flag")
    accept_unexercised: bool = option(
        False,
        "Pass the gate even when some rules were never judged (the verdict stays "
        "'inconclusive' and the reports record that you accepted it).",
        kind="flag",
    )
    burst_size: int = option(
        DEFAULT_BURST_SIZE,
        f"C11: how many identical requests go at once (2 to {MAX_BURST_SIZE}).",
        kind="int",
        metavar="N",
    )
    timeout_s: float = option(
        DEFAULT_TIMEOUT_S,
        "Each request's deadline, from connecting to the last byte of the body; a response "
        f"not whole by then breaks C1 (at most {MAX_TIMEOUT_S:g}).",
        kind="float",
        metavar="S",
        flag="--timeout",
    )
    max_response_bytes: int = option(
        DEFAULT_MAX_RESPONSE_BYTES,
        "Give up on a response body larger than this, as sent or decompressed; it breaks C1 "
        f"({MIN_RESPONSE_BYTES} to {MAX_RESPONSE_BYTES}).",
        kind="int",
        metavar="BYTES",
    )
    deadline_s: float | None = option(
        None,
        "End the run after this many seconds: no request starts later, the one in flight "
        "keeps its --timeout, and the reports hold what was seen.",
        kind="float",
        metavar="SECONDS",
        flag="--deadline",
    )
    variant: str | None = option(
        None,
        "Embedded only: fuzz one of the project's broken servers "
        "(see `ordercheck serve --list-variants`).",
        metavar="NAME",
    )
    dry_run: bool = option(
        False, "Print what would be sent; send nothing.", kind="flag", where="cli"
    )

    def __post_init__(self) -> None:
        try:
            check_profile(self.profile)
        except ValueError as exc:
            raise UsageError(f"--profile: {exc}") from None
        _at_least("--max-examples", self.max_examples, 1, MAX_EXAMPLES)
        _at_least("--workers", self.workers, 1, MAX_WORKERS)
        _at_least("--burst-size", self.burst_size, 2, MAX_BURST_SIZE)
        _at_least(
            "--max-response-bytes", self.max_response_bytes, MIN_RESPONSE_BYTES, MAX_RESPONSE_BYTES
        )
        _positive("--rate-limit", self.rate_limit, smallest=MIN_RATE_LIMIT)
        _positive("--latency-budget-ms", self.latency_budget_ms)
        _positive("--timeout", self.timeout_s, largest=MAX_TIMEOUT_S)
        _positive("--deadline", self.deadline_s)
        if self.base_url is not None:
            check_base_url(self.base_url)
        self._check_target_path()
        self._take_access_key()
        if self.allow_rejection is not None:
            try:
                re.compile(self.allow_rejection)
            except re.error as exc:
                raise UsageError(f"--allow-rejection={self.allow_rejection!r}: {exc}") from None
        if self.variant is not None and self.base_url is not None:
            raise UsageError("--variant only applies to the embedded server (no --base-url)")

    def _check_target_path(self) -> None:
        if not _MERCHANT_ID.fullmatch(self.merchant_id):
            raise UsageError(
                f"--merchant-id={self.merchant_id!r}: use 1 to 128 letters, digits, "
                "'.', '_', '~' and '-'"
            )
        template = self.path.replace("{merchant_id}", "")
        if not _PATH.fullmatch(self.path) or any(c in template for c in "{}?#"):
            raise UsageError(
                f"--path={self.path!r}: expected a path such as {OPERATION_PATH} (printable, "
                "no spaces, no query; {merchant_id} is the only placeholder)"
            )

    def _take_access_key(self) -> None:
        """The key from `access_key_file` when one is named, checked either way."""
        if self.access_key_file is not None:
            key = read_access_key_file(self.access_key_file)
            if self.access_key not in (DEFAULT_ACCESS_KEY, key):
                raise UsageError(
                    "--access-key-file and --access-key both give a key; give only one"
                )
            object.__setattr__(self, "access_key", key)
        check_access_key(self.access_key)

    @property
    def allow_rejection_pattern(self) -> re.Pattern[str] | None:
        return None if self.allow_rejection is None else re.compile(self.allow_rejection)


def _at_least(name: str, value: int, low: int, high: int | None = None) -> None:
    if value < low or (high is not None and value > high):
        bound = f"at least {low}" if high is None else f"between {low} and {high}"
        raise UsageError(f"{name}={value}: must be {bound}")


def _positive(
    name: str, value: float | None, *, smallest: float | None = None, largest: float | None = None
) -> None:
    """`value` is None, or finite, more than 0 and within the bounds given."""
    if value is None:
        return
    low = smallest is None or value >= smallest
    high = largest is None or value <= largest
    if not (math.isfinite(value) and value > 0 and low and high):
        least = "more than 0" if smallest is None else f"of at least {smallest:g}"
        most = "" if largest is None else f" and at most {largest:g}"
        raise UsageError(f"{name}={value}: must be a finite number {least}{most}")


def options(where: Where) -> list[tuple[Field[Any], Option]]:
    """The `FuzzConfig` fields offered on one command line (``cli`` or ``pytest``), with
    their options, in declaration order."""
    found = []
    for config_field in fields(FuzzConfig):
        how: Option = config_field.metadata["option"]
        if how.where in ("both", where):
            found.append((config_field, how))
    return found
