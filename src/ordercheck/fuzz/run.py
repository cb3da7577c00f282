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

from ordercheck.fuzz.client import Client
from ordercheck.fuzz.collector import Collector
from ordercheck.fuzz.config import FuzzConfig
from ordercheck.fuzz.payload_stages import OrderIds, PayloadStage, StageRunner
from ordercheck.fuzz.progress import Progress
from ordercheck.fuzz.sequences import RunSession
from ordercheck.redaction import redact_url
from ordercheck.results import Exchange, RunResult, Target
from ordercheck.spec import Spec, load_spec


def new_run_id() -> str:
    """``20261127T165200Z-3fa9``: sortable, and unique enough for a reports folder."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(2)


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


def payload_stages(config: FuzzConfig) -> list[tuple[str, list[PayloadStage]]]:
    """Valid, edge-case and rule-breaking payloads, from ordercheck's strategies, by stage.

    The invalid stage sweeps the rules: every rule that is an error under the profile gets
    its share of the budget (at least one payload), so a small budget still breaks each one.
    """
    from ordercheck.strategies import breakable_rules, edge_case_orders, invalid_orders, orders

    budget, profile = config.max_examples, config.profile
    rules = breakable_rules(profile=profile)
    per_rule = max(1, budget // max(1, len(rules)))
    valid = orders(profile=profile, sku_ids=config.sku_ids, coupons=config.coupons)
    return [
        ("valid", [PayloadStage("valid", valid, budget)]),
        ("edge", [PayloadStage("edge", edge_case_orders(profile=profile), max(5, budget // 2))]),
        (
            "invalid",
            [
                PayloadStage("invalid", invalid_orders(profile=profile, rule=rule), per_rule)
                for rule in rules
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

        runner = StageRunner(
            client, collector, config, ids, tick, on_dry_run if config.dry_run else None
        )
        _run_payload_stages(runner, payload_stages(config), config.workers, progress)
        progress.start_phase("malformed")
        runner.run_malformed()
        progress.end_phase()
        if not config.dry_run:
            progress.start_phase("sequences")
            RunSession(client, collector, config, ids, tick).run_all()
            progress.end_phase()
        if client.out_of_time:
            progress.line(
                f"run deadline passed (--deadline {config.deadline_s:g}): stopped after "
                f"{collector.requests} requests; what was not reached is not exercised"
            )
        progress.finish()
        return collector.result(
            **_run_fields(
                run_id, started, time.monotonic() - clock, base_url, config, embedded, prefix
            )
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
        "target": Target(redact_url(base_url), config.path, config.merchant_id, embedded),
        "profile": config.profile,
        "seed": config.seed,
        "order_prefix": prefix,
    }
