"""What the fuzz benchmarks fuzz: the reference server and its broken variants, and the
independent server of ``tests/independent`` and its own variants, each served from the
benchmark's process on a loopback port behind a counter.

The counter is how both tools' request figures are measured alike (what the server received,
probes and preflights included), with the time the server spent answering (busy with at least
one request; overlapping requests counted once).  The reference server is an ASGI app on
uvicorn, wrapped in `CountingApp`; the independent one is a `CreateOrder` service on
`http.server` threads, wrapped in `CountingService`.

The independent server sells only the SKUs of its ``skus.txt`` and knows only the coupons of
its ``coupons.txt``; ordercheck is given both and the server's declared business rejections,
as a user fuzzing a real staging system would be (`Target.fuzz_options`, `Target.cli_flags`).
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from ordercheck.server import VARIANTS, create_app, running_server

TESTS = Path(__file__).resolve().parents[1] / "tests"
REFERENCE = "reference"
INDEPENDENT = "independent"
INDEPENDENT_PREFIX = "ind:"


def _independent() -> Any:
    """The `tests/independent` package (tests/ is not a package: it goes on sys.path)."""
    if str(TESTS) not in sys.path:
        sys.path.insert(0, str(TESTS))
    import independent
    import independent.variants

    return independent


class Busy:
    """How long a server was busy with at least one request, across threads."""

    def __init__(self) -> None:
        self.requests = 0
        self.seconds = 0.0
        self._in_flight = 0
        self._since = 0.0
        self._lock = threading.Lock()

    def enter(self) -> None:
        with self._lock:
            self.requests += 1
            if not self._in_flight:
                self._since = time.perf_counter()
            self._in_flight += 1

    def leave(self) -> None:
        with self._lock:
            self._in_flight -= 1
            if not self._in_flight:
                self.seconds += time.perf_counter() - self._since


class CountingApp:
    """ASGI wrapper: how many HTTP requests reached the app, and for how long it was busy."""

    def __init__(self, app: ASGIApp):
        self.app = app
        self.busy = Busy()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.busy.enter()
        try:
            await self.app(scope, receive, send)
        finally:
            self.busy.leave()


class CountingService:
    """The independent server's service, counting the requests it handles (on many threads);
    everything else is the service's own."""

    def __init__(self, service: Any):
        self.service = service
        self.busy = Busy()

    def handle(self, request: Any) -> Any:
        self.busy.enter()
        try:
            return self.service.handle(request)
        finally:
            self.busy.leave()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.service, name)


@dataclass
class Served:
    """A server up for one tool's run: its URL, its counter, and how many orders it holds."""

    url: str
    busy: Busy
    orders: Callable[[], int]

    @property
    def requests(self) -> int:
        return self.busy.requests

    @property
    def orders_created(self) -> int:
        return self.orders()


@dataclass(frozen=True)
class Target:
    """One server to fuzz: the reference or independent implementation, or a variant."""

    name: str  # as printed: "reference", "wrong_echo", "independent", "ind:echo_nfc"
    family: str  # REFERENCE or INDEPENDENT
    variant: str | None  # the variant's own name, None for the conformant server
    rule: str  # the rule the variant breaks, "-" for a conformant server
    fuzz_options: dict[str, Any] = field(default_factory=dict)  # FuzzConfig fields
    cli_flags: tuple[str, ...] = ()  # the same, as `ordercheck fuzz` options

    @property
    def conformant(self) -> bool:
        return self.variant is None

    def serve(self) -> AbstractContextManager[Served]:
        """A fresh server (an empty order book) for one tool's run."""
        if self.family == REFERENCE:
            return _serve_reference(self.variant)
        return _serve_independent(self.variant)


@contextmanager
def _serve_reference(variant: str | None) -> Iterator[Served]:
    app = create_app(variant=variant)
    counter = CountingApp(app)
    with running_server(counter) as url:
        yield Served(url, counter.busy, lambda: int(app.state.store.orders_created))


@contextmanager
def _serve_independent(variant: str | None) -> Iterator[Served]:
    independent = _independent()
    service = (
        independent.CreateOrder()
        if variant is None
        else independent.variants.VARIANTS[variant].build()
    )
    counter = CountingService(service)
    with independent.serving(counter) as url:
        yield Served(url, counter.busy, lambda: int(service.book.created))


def reference_targets(names: list[str] | None) -> list[Target]:
    """The reference server, then its variants (all, or those named)."""
    chosen = list(VARIANTS) if names is None else names
    return [Target(REFERENCE, REFERENCE, None, "-")] + [
        Target(name, REFERENCE, name, VARIANTS[name].rule) for name in chosen
    ]


def independent_targets(names: list[str] | None) -> list[Target]:
    """The independent server, then its variants (all, or those named), each fuzzed by
    ordercheck with the server's catalogue, coupons and declared rejections."""
    independent = _independent()
    from ordercheck.strategies import read_coupons, read_sku_catalog

    options = {
        "sku_ids": read_sku_catalog(independent.SKUS_FILE),
        "coupons": read_coupons(independent.COUPONS_FILE),
        "allow_rejection": independent.BUSINESS_REJECTIONS,
    }
    flags = (
        "--sku-catalog",
        str(independent.SKUS_FILE),
        "--coupons",
        str(independent.COUPONS_FILE),
        "--allow-rejection",
        independent.BUSINESS_REJECTIONS,
    )
    variants = independent.variants.VARIANTS
    chosen = list(variants) if names is None else names
    conformant = Target(INDEPENDENT, INDEPENDENT, None, "-", options, flags)
    return [conformant] + [
        Target(INDEPENDENT_PREFIX + name, INDEPENDENT, name, variants[name].rule, options, flags)
        for name in chosen
    ]


def known_variants() -> dict[str, str]:
    """Every variant the benchmarks know, by printed name: its family."""
    names = dict.fromkeys(VARIANTS, REFERENCE)
    names |= {INDEPENDENT_PREFIX + n: INDEPENDENT for n in _independent().variants.VARIANTS}
    return names


def targets(selected: list[str], families: tuple[str, ...]) -> list[Target]:
    """The conformant server of each family, then its variants: all, or those `selected`
    by printed name (``wrong_echo``, ``ind:echo_nfc``)."""
    chosen: list[Target] = []
    for family, make in ((REFERENCE, reference_targets), (INDEPENDENT, independent_targets)):
        if family not in families:
            continue
        prefix = INDEPENDENT_PREFIX if family == INDEPENDENT else ""
        names = [n.removeprefix(prefix) for n in selected if known_variants()[n] == family]
        chosen += make(names if selected else None)
    return chosen
