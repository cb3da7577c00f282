"""One fuzzing run, start to finish: target up, payload stages, malformed bodies, sequences.

`run_fuzz` returns a plain `RunResult`; writing reports and choosing an exit code belong to
the callers (the CLI and the pytest plugin).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime

from ordercheck.errors import TargetError
from ordercheck.fuzz.client import Client
from ordercheck.fuzz.collector import Collector
from ordercheck.fuzz.config import FuzzConfig
from ordercheck.fuzz.order_ids import OrderIds, admitted_styles
from ordercheck.fuzz.payload_stages import PayloadStage, StageRunner
from ordercheck.fuzz.progress import Progress
from ordercheck.fuzz.sequences import RunSession
from ordercheck.results import Exchange, RunResult, Target, new_run_id
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


def payload_stages(
    config: FuzzConfig, spec: Spec, prefix: str
) -> list[tuple[str, list[PayloadStage]]]:
    """Valid, echo, edge-case and rule-breaking payloads, from ordercheck's strategies, by
    stage.

    The echo stage sends one valid order per id shape the profile admits (C7 is only proven
    for the ids tried).  The invalid stage sweeps the constraints and the kinds of value
    that break each (a boolean for an integer, null, a number for a string, one past a
    bound, a trailing newline, thousands of digits...): every pair gets its share of the
    budget, at least one payload, so the default budget breaks every constraint every way.
    Every stage uses only the user's SKUs and coupons, where given, except where the
    constraint broken is about them.
    """
    from ordercheck.strategies import (
        breakable_rules,
        edge_case_orders,
        invalid_orders,
        orders,
        violation_kinds,
    )

    budget, profile = config.max_examples, config.profile
    skus, coupons = config.sku_ids, config.coupons
    pairs = [
        (rule, kind)
        for rule in breakable_rules(profile=profile)
        for kind in violation_kinds(rule, profile=profile)
    ]
    per_pair = max(1, budget // max(1, len(pairs)))
    valid = orders(profile=profile, sku_ids=skus, coupons=coupons)
    echo = [
        PayloadStage("echo", valid, 1, id_style=style, id_limit=limit)
        for style, limit in admitted_styles(spec, profile, prefix).items()
    ]
    return [
        ("valid", [PayloadStage("valid", valid, budget)]),
        ("echo", echo),
        (
            "edge",
            [
                PayloadStage(
                    "edge",
                    edge_case_orders(profile=profile, sku_ids=skus, coupons=coupons),
                    max(5, budget // 2),
                )
            ],
        ),
        (
            "invalid",
            [
                PayloadStage(
                    "invalid",
                    invalid_orders(
                        profile=profile, rule=rule, kind=kind, sku_ids=skus, coupons=coupons
                    ),
                    per_pair,
                )
                for rule, kind in pairs
            ],
        ),
    ]


def run_fuzz(
    config: FuzzConfig,
    *,
    spec: Spec | None = None,
    progress: Progress | None = None,
    on_dry_run: Callable[[Exchange], None] | None = None,
) -> RunResult:
    """Fuzz the target of `config` and return what happened.

    >>> result = run_fuzz(FuzzConfig(max_examples=5))  # doctest: +SKIP
    >>> result.verdict  # doctest: +SKIP
    'conformant'
    """
    spec = spec or load_spec()
    progress = progress or Progress(quiet=True)
    run_id, prefix = new_run_id(), new_order_prefix()
    started, clock = datetime.now(UTC), time.monotonic()
    collector = Collector(
        spec,
        latency_budget_ms=config.latency_budget_ms,
        latency_is_error=config.fail_on_latency,
    )
    ids = OrderIds(prefix)
    with target_url(config) as (base_url, embedded):
        client = Client(spec, config, base_url)
        if not config.dry_run:
            client.preflight()
        progress.line(
            f"ordercheck fuzz: {base_url}{config.path} (profile {config.profile}, "
            f"order prefix {prefix})"
        )

        def tick() -> None:
            progress.exchange(collector.failing_checks)

        runner = StageRunner(
            client, collector, config, ids, tick, on_dry_run if config.dry_run else None
        )
        stages = payload_stages(config, spec, prefix)
        _run_payload_stages(runner, stages, config.workers, progress)
        progress.start_phase("malformed")
        runner.run_malformed()
        progress.end_phase()
        if not config.dry_run:
            progress.start_phase("sequences")
            RunSession(client, collector, config, ids, tick).run_all()
            progress.end_phase()
        progress.finish()
        _refuse_a_wrong_path(collector, client)
        return collector.result(
            **_run_fields(
                run_id, started, time.monotonic() - clock, base_url, config, embedded, prefix
            )
        )


def _refuse_a_wrong_path(collector: Collector, client: Client) -> None:
    """Every answer a 404 means the operation is not at this path: nothing was judged, so
    the run is unusable input (exit 2), not a non-conformant target."""
    if collector.statuses and set(collector.statuses) == {404}:
        raise TargetError(
            f"every request to {client.url_for(client.config.merchant_id)} got HTTP 404: "
            "check --path (the Create Order operation's path template)"
        )


def _run_payload_stages(
    runner: StageRunner,
    stages: list[tuple[str, list[PayloadStage]]],
    workers: int,
    progress: Progress,
) -> None:
    if workers == 1:
        for name, group in stages:
            progress.start_phase(name)
            for stage in group:
                runner.run(stage)
            progress.end_phase()
        return
    progress.start_phase("payloads")
    with ThreadPoolExecutor(max_workers=workers) as pool:
        jobs = [pool.submit(runner.run, stage) for _, group in stages for stage in group]
        for job in jobs:
            job.result()
    progress.end_phase()


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
        "target": Target(base_url, config.path, config.merchant_id, embedded),
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
