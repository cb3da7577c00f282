"""One fuzzing run, start to finish: target up, payload stages, malformed bodies, sequences.

`run_fuzz` returns a plain `RunResult`; writing reports and choosing an exit code belong to
the callers (the CLI and the pytest plugin).
"""

from __future__ import annotations

import contextlib
import gc
import secrets
import threading
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from typing import Any

from ordercheck.errors import TargetError
from ordercheck.fuzz.campaign import Unit, for_rules, plan, run_units
from ordercheck.fuzz.client import Client
from ordercheck.fuzz.collector import Collector
from ordercheck.fuzz.config import FuzzConfig
from ordercheck.fuzz.order_ids import OrderIds
from ordercheck.fuzz.payload_stages import StageRunner
from ordercheck.fuzz.progress import Progress
from ordercheck.fuzz.sequences import OutOfTime, RunSession
from ordercheck.fuzz.sharing import Share, gather, my_units, publish, publish_failure
from ordercheck.redaction import redact_url
from ordercheck.results import Exchange, RunResult, Target, new_run_id
from ordercheck.rules import registry
from ordercheck.spec import Spec, load_spec


def new_order_prefix() -> str:
    """``oc3fa9c1-``: every merchant_order_id of the run starts with it."""
    return f"oc{secrets.token_hex(3)}-"


@contextmanager
def target_url(config: FuzzConfig) -> Iterator[tuple[str, bool]]:
    """The base URL to fuzz and whether it is the embedded reference server."""
    if config.base_url is not None:
        yield config.base_url, False
        return
    from ordercheck.server import create_app, running_server

    app = create_app(
        merchant_id=config.merchant_id,
        access_key=config.access_key,
        variant=config.variant,
        profile=config.profile,
    )
    with running_server(app) as base_url:
        yield base_url, True


_FREEZE_LOCK = threading.Lock()
_FROZEN = [0]  # campaigns of this process inside `frozen_heap`


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Leave the objects alive when the campaign starts (modules, the spec, the plan's
    strategies) out of garbage collection until it ends.

    The first Hypothesis test on each thread calls `gc.collect()` (registering its random
    generator), and a full collection walks every tracked object: with Schemathesis and
    Hypothesis loaded, some 25 ms, once per worker thread, and again at each automatic full
    collection.  Frozen objects are skipped; unfreezing at the end hands them back to the
    collector, so nothing that became garbage meanwhile is kept beyond the run.

    Campaigns run at once in one process (threads) freeze once, when the first starts, and
    unfreeze when the last ends: a freeze in the middle of another campaign would freeze the
    random generator Hypothesis is registering there, which it then warns about.
    """
    with _FREEZE_LOCK:
        _FROZEN[0] += 1
        if _FROZEN[0] == 1:
            gc.freeze()
    try:
        yield
    finally:
        with _FREEZE_LOCK:
            _FROZEN[0] -= 1
            if not _FROZEN[0]:
                gc.unfreeze()


def run_fuzz(
    config: FuzzConfig,
    *,
    spec: Spec | None = None,
    progress: Progress | None = None,
    on_dry_run: Callable[[Exchange], None] | None = None,
    rules: Collection[str] | None = None,
    share: Share | None = None,
) -> RunResult:
    """Fuzz the target of `config` and return what happened.

    `rules` narrows the run to what those rules need (the others stay unexercised);
    `share` makes this process one part of a run several processes share.

    >>> result = run_fuzz(FuzzConfig(max_examples=5))  # doctest: +SKIP
    >>> result.verdict  # doctest: +SKIP
    'conformant'
    """
    spec = spec or load_spec()
    progress = progress or Progress(quiet=True)
    if share is None:
        run_id, prefix, own_prefix = new_run_id(), new_order_prefix(), None
    else:
        run_id, prefix, own_prefix = share.run_id, share.prefix, f"{share.prefix}w{share.index}-"
    started, clock = datetime.now(UTC), time.monotonic()
    collector = _collector(spec, config)
    ids = OrderIds(own_prefix or prefix)
    stop_at = None if config.deadline_s is None else clock + config.deadline_s
    with target_url(config) as (base_url, embedded):
        client = Client(spec, config, base_url, stop_at=stop_at)
        if not config.dry_run:
            client.preflight()
        progress.line(
            f"ordercheck fuzz: {client.shown_url}{config.path} (profile {config.profile}, "
            f"order prefix {prefix})"
        )

        def tick() -> None:
            progress.exchange(collector.failing_checks)

        dry_run = on_dry_run if config.dry_run else None
        runner = StageRunner(client, collector, config, ids, tick, dry_run)
        session = RunSession(client, collector, config, ids, _candidates(config), tick)
        units = _units(config, spec, prefix, rules, share)
        progress.start_phase("campaign")
        with frozen_heap():
            if share is None:
                run_units(units, partial(_execute, runner, session), config.workers)
            else:
                execute = partial(_execute, runner, session)
                collector = _shared(units, execute, collector, config, share)
        progress.end_phase()
        if not config.dry_run:
            collector.judge_whole_run()
        if client.out_of_time:
            progress.line(
                f"run deadline passed (--deadline {config.deadline_s:g}): stopped after "
                f"{collector.requests} requests; what was not reached is not exercised"
            )
        progress.finish()
        _refuse_a_wrong_path(collector, client)
        stopped = (
            f"the run deadline (--deadline {config.deadline_s:g} s) passed before every part "
            "of the run was sent"
            if client.out_of_time
            else ""
        )
        return collector.result(
            stopped_early=stopped,
            **_run_fields(
                run_id, started, time.monotonic() - clock, base_url, config, embedded, prefix
            ),
        )


def _collector(spec: Spec, config: FuzzConfig) -> Collector:
    return Collector(
        spec, latency_budget_ms=config.latency_budget_ms, latency_is_error=config.fail_on_latency
    )


def _units(
    config: FuzzConfig, spec: Spec, prefix: str, rules: Collection[str] | None, share: Share | None
) -> list[Unit]:
    """The plan, narrowed to `rules` and to this process's share; a dry run sends no
    sequence (it has no answers to build one on)."""
    units = plan(config, spec, prefix)
    if rules is not None:
        units = for_rules(units, [registry(spec)[rule] for rule in rules])
    if share is not None:
        units = my_units(units, share)
    return [unit for unit in units if not (config.dry_run and unit.rule)]


def _shared(
    units: list[Unit],
    execute: Callable[[Unit], None],
    mine: Collector,
    config: FuzzConfig,
    share: Share,
) -> Collector:
    """Run this process's units, publish what it saw, and merge every process's part into
    one collector (its own part included), as a single process would have filled it."""
    try:
        run_units(units, execute, config.workers)
        publish(share, mine.snapshot())
    except BaseException as error:
        publish_failure(share, f"{type(error).__name__}: {error}")
        raise
    merged = _collector(mine.spec, config)
    for part in gather(share):
        merged.absorb(part)
    return merged


def _execute(runner: StageRunner, session: RunSession, unit: Unit) -> None:
    """Run one unit of the plan (a sequence the run deadline cuts short stays unjudged).
    Once the deadline has passed the units still queued start nothing: each would only
    set up a Hypothesis run to stop at its first draw."""
    if session.client.out_of_time:
        return
    if unit.stage is not None:
        runner.run(unit.stage)
    elif unit.rule is not None:
        with contextlib.suppress(OutOfTime):
            unit.rule.run(session)
    else:
        runner.run_malformed()


def _candidates(config: FuzzConfig) -> Callable[[], Iterator[dict[str, Any]]]:
    """Valid orders (the user's SKUs and coupons) a sequence may build on when the run has
    none accepted yet; repeatable by the run's seed."""

    def draw() -> Iterator[dict[str, Any]]:
        from ordercheck.strategies import orders, samples

        strategy = orders(profile=config.profile, sku_ids=config.sku_ids, coupons=config.coupons)
        yield from samples(strategy, seed=config.seed or 0)

    return draw


def _refuse_a_wrong_path(collector: Collector, client: Client) -> None:
    """Every answer a 404 means the operation is not at this path: nothing was judged, so
    the run is unusable input (exit 2), not a non-conformant target."""
    if collector.statuses and set(collector.statuses) == {404}:
        raise TargetError(
            f"every request to {client.url_for(client.config.merchant_id)} got HTTP 404: "
            "check --path (the Create Order operation's path template)"
        )


def _run_fields(
    run_id: str,
    started: datetime,
    duration: float,
    base_url: str,
    config: FuzzConfig,
    embedded: bool,
    prefix: str,
) -> dict[str, object]:
    return {
        "run_id": run_id,
        "started_at": started.isoformat(timespec="seconds"),
        "duration_s": round(duration, 3),
        "target": Target(redact_url(base_url), config.path, config.merchant_id, embedded),
        "profile": config.profile,
        "seed": config.seed,
        "order_prefix": prefix,
        "accept_unexercised": config.accept_unexercised,
        "settings": {
            "profile": config.profile,
            "seed": config.seed,
            "max_examples": config.max_examples,
            "sku_catalog": None if config.sku_ids is None else list(config.sku_ids),
            "coupons": None if config.coupons is None else list(config.coupons),
            "allow_rejection": config.allow_rejection,
            "accept_unexercised": config.accept_unexercised,
        },
    }
