"""Contract fuzzing: `ordercheck fuzz` beside a plain `schemathesis run --checks all`.

Against the embedded reference server and every deliberately broken variant
(`ordercheck.server.VARIANTS`, each breaking one rule of CONTRACT.md), with the same budget
(``--max-examples N`` per operation for Schemathesis, ``max_examples=N`` for ordercheck) and
the same seed, this measures for each tool: whether it caught the variant, how many requests
it sent, its request rate, and the time to its first failure.  Targets from issue 4: catch
every variant plain Schemathesis catches plus those it cannot (the multi-request rules), at no
worse than half its request rate.

Each target gets a fresh server per tool, served in this process on a loopback port
(`running_server`), wrapped in a small ASGI counter: the request figures of both tools are
what the server received, probes and preflights included.  The counter also measures how long
the server was answering (busy with at least one request); the reference server spends 50 ms
on each new order (400 ms in `slow_orders`), so the totals also give each tool's rate with
that time taken out.

ordercheck runs in this process: ``run_fuzz(FuzzConfig(base_url=..., max_examples=N,
seed=S))``, timed from the call to its return; a `Progress` subclass stamps the first
exchange after which a check has failed (a sequence rule, C9 to C14, is recorded after its
last request, so it is stamped at the next exchange, or at the end of the run for the last
ones).  Caught: the variant's rule failed.

Schemathesis runs as its own process on the resolved, default-profile OpenAPI document
(``Spec.openapi_for("default")`` as JSON) with::

    schemathesis run SPEC --url URL --checks all --max-examples N --seed S
        -H "X-Access-Key: <key>" --generation-database none --continue-on-failure
        --workers W --report ndjson

``--continue-on-failure`` lets it go on after the first failure (by default each phase stops
there, and the false positive below comes first); the example database is off, as for a
CI-style run.  Its time is taken from its own NDJSON events (loading the spec to the end of
the engine), so interpreter start-up and imports are not charged; its time to first failure
comes from the timestamp of the first failing exchange.  Caught: at least one failure that
is neither the known false positive nor of a kind it also reports against the reference.

The known false positive (SCHEMATHESIS.md): plain Schemathesis re-sends the spec example's
``merchant_order_id`` with other bodies, a correct server answers 400 ("already used with a
different order"), and Schemathesis reports "Schema-valid request rejected" (ST202).  It is
counted against Schemathesis on the reference and ignored as evidence on the variants.

One untimed warm-up run of each tool comes first, so imports and cold caches are not
charged to the first target.  ``--workers W`` (default 1) goes to both tools; Schemathesis
splits workers by operation, so on this one-operation API only ordercheck, which runs its
payload phases side by side, gains from it.

For the latency variant (rule C14) both tools get the same 250 ms budget: ordercheck
``fail_on_latency=True, latency_budget_ms=250``, Schemathesis ``--max-response-time 0.25``.

    .venv/bin/python benchmarks/fuzz_vs_schemathesis.py                  # all, ~4 minutes
    .venv/bin/python benchmarks/fuzz_vs_schemathesis.py --workers 2
    .venv/bin/python benchmarks/fuzz_vs_schemathesis.py --variants no_lock,no_auth -n 10
"""

from __future__ import annotations

import argparse
import base64
import json
import logging
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from importlib.metadata import version
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from ordercheck.defaults import DEFAULT_ACCESS_KEY
from ordercheck.fuzz import FuzzConfig, Progress, run_fuzz
from ordercheck.server import VARIANTS, create_app, running_server
from ordercheck.spec import Spec, load_spec

REFERENCE = "reference"
LATENCY_BUDGET_MS = 250.0
SCHEMATHESIS_TIMEOUT_S = 600
# What the reference server answers to a reused merchant_order_id with a different body.
KNOWN_FALSE_POSITIVE = "merchant_order_id already used with a different order"
# Schemathesis failure types, by the contract rule each one is evidence against (shown only).
ST_RULES = {
    "ServerError": "C1",
    "JsonSchemaError": "C2",
    "MalformedJson": "C2",
    "UndefinedContentType": "C2",
    "MissingContentType": "C2",
    "MalformedMediaType": "C2",
    "UndefinedStatusCode": "C4",
    "RejectedPositiveData": "C5",
    "AcceptedNegativeData": "C6",
    "IgnoredAuth": "C12",
    "MissingHeaders": "C13",
    "ResponseTimeExceeded": "C14",
}


class CountingApp:
    """ASGI wrapper: how many HTTP requests reached the app, and for how long it was busy
    with at least one (overlapping requests counted once).  One event loop: no lock."""

    def __init__(self, app: ASGIApp):
        self.app = app
        self.requests = 0
        self.busy_s = 0.0
        self._in_flight = 0
        self._busy_since = 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.requests += 1
        if not self._in_flight:
            self._busy_since = time.perf_counter()
        self._in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self._in_flight -= 1
            if not self._in_flight:
                self.busy_s += time.perf_counter() - self._busy_since


class _DropInvalidRequestNotice(logging.Filter):
    """uvicorn logs a warning for each request it cannot parse (Schemathesis's probes)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Invalid HTTP request" not in record.getMessage()


@dataclass
class Served:
    url: str
    counter: CountingApp
    app: Any

    @property
    def orders_created(self) -> int:
        return int(self.app.state.store.orders_created)


@contextmanager
def serve(variant: str | None) -> Iterator[Served]:
    """A fresh reference server (or variant) on a free loopback port, with a request count."""
    app = create_app(variant=variant)
    counter = CountingApp(app)
    with running_server(counter) as url:
        yield Served(url, counter, app)


@dataclass
class Outcome:
    """One tool against one target."""

    caught: bool
    requests: int  # as counted by the server
    seconds: float
    first_failure_s: float | None
    orders_created: int
    server_busy_s: float  # time the server spent answering, out of `seconds`
    reported_requests: int  # as the tool counts them
    found: list[str] = field(default_factory=list)  # what it reported, in short
    evidence: list[str] = field(default_factory=list)  # what counts as catching the variant
    error: str | None = None

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def volume(self) -> str:
        return (
            f"{self.requests} requests ({self.reported_requests} in its own count), "
            f"{self.orders_created} orders created, server answering "
            f"{self.server_busy_s:.1f} s of {self.seconds:.1f} s"
        )


# -- ordercheck ------------------------------------------------------------------------------
class FirstFailure(Progress):
    """Silent progress that stamps the first exchange after which a check has failed."""

    def __init__(self) -> None:
        super().__init__(quiet=True, interactive=False)
        self.started = time.perf_counter()
        self.first: float | None = None
        self.last_phase_end = self.started

    def exchange(self, failures: int) -> None:
        super().exchange(failures)
        if failures and self.first is None:
            self.first = time.perf_counter()

    def end_phase(self) -> None:
        super().end_phase()
        self.last_phase_end = time.perf_counter()


def ordercheck_config(
    url: str, rule: str | None, max_examples: int, seed: int, workers: int
) -> FuzzConfig:
    config = FuzzConfig(base_url=url, max_examples=max_examples, seed=seed, workers=workers)
    if rule == "C14":
        config = replace(config, fail_on_latency=True, latency_budget_ms=LATENCY_BUDGET_MS)
    return config


def run_ordercheck(
    variant: str | None, rule: str | None, spec: Spec, max_examples: int, seed: int, workers: int
) -> Outcome:
    with serve(variant) as served:
        config = ordercheck_config(served.url, rule, max_examples, seed, workers)
        progress = FirstFailure()
        result = run_fuzz(config, spec=spec, progress=progress)
        seconds = time.perf_counter() - progress.started
        requests, orders = served.counter.requests, served.orders_created
        busy = served.counter.busy_s
    failed = [outcome.id for outcome in result.rules if outcome.failures]
    first = progress.first
    if failed and first is None:  # only end-of-run rules (C13 uniqueness, C14) failed
        first = progress.last_phase_end
    return Outcome(
        caught=rule in failed,
        requests=requests,
        seconds=seconds,
        first_failure_s=None if first is None else first - progress.started,
        orders_created=orders,
        server_busy_s=busy,
        reported_requests=result.requests,
        found=failed,
        evidence=[r for r in failed if r == rule],
    )


# -- Schemathesis ----------------------------------------------------------------------------
def schemathesis_command() -> list[str]:
    beside = Path(sys.executable).with_name("schemathesis")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("schemathesis")
    if found is None:
        raise SystemExit("the schemathesis CLI is not installed next to this Python")
    return [found]


@dataclass(frozen=True)
class StFailure:
    """One failing check of a Schemathesis run, from its NDJSON events."""

    code: str
    kind: str  # failure type, e.g. RejectedPositiveData
    title: str
    detail: str  # the error envelope's message for rejected positive data, else ""
    timestamp: float
    request: str

    @property
    def known_false_positive(self) -> bool:
        return self.kind == "RejectedPositiveData" and KNOWN_FALSE_POSITIVE in self.detail

    @property
    def signature(self) -> tuple[str, str]:
        return (self.kind, self.detail)

    def label(self) -> str:
        rule = ST_RULES.get(self.kind, "?")
        detail = f": {self.detail}" if self.detail else ""
        return f"{self.code or self.kind} {self.title} [{rule}]{detail}"


def _decoded(content: Any) -> str:
    if not isinstance(content, dict):
        return ""
    if "$base64" in content:
        return base64.b64decode(content["$base64"]).decode("utf-8", "replace")
    return str(content.get("string", ""))


def _error_message(interaction: dict[str, Any] | None) -> str:
    response = (interaction or {}).get("response") or {}
    try:
        body = json.loads(_decoded(response.get("content")))
    except ValueError:
        return f"HTTP {response.get('status_code')}, not JSON"
    error = body.get("error") if isinstance(body, dict) else None
    message = error.get("message") if isinstance(error, dict) else None
    return str(message) if message else f"HTTP {response.get('status_code')}"


def _request_line(interaction: dict[str, Any] | None) -> str:
    request = (interaction or {}).get("request") or {}
    body = _decoded(request.get("body"))
    return f"{request.get('method', '?')} {request.get('uri', '?')} {body[:300]}"


@dataclass
class StRun:
    started: float | None = None
    finished: float | None = None
    failures: list[StFailure] = field(default_factory=list)
    interactions: int = 0
    errors: list[str] = field(default_factory=list)


def parse_ndjson(path: Path) -> StRun:
    run = StRun()
    if not path.exists():
        return run
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        ((name, event),) = json.loads(line).items()
        if not isinstance(event, dict):
            continue
        if name == "LoadingStarted":
            run.started = float(event["timestamp"])
        elif name == "EngineFinished":
            run.finished = float(event["timestamp"])
        elif name == "NonFatalError":
            run.errors.append(str(event.get("info", event))[:200])
        elif name == "ScenarioFinished":
            _scenario(run, event)
    return run


def _scenario(run: StRun, event: dict[str, Any]) -> None:
    recorder = event.get("recorder") or {}
    interactions: dict[str, Any] = recorder.get("interactions") or {}
    run.interactions += len(interactions)
    for case_id, checks in (recorder.get("checks") or {}).items():
        for check in checks:
            if check.get("status") != "failure":
                continue
            failure = (check.get("failure_info") or {}).get("failure") or {}
            interaction = interactions.get(case_id)
            kind = str(failure.get("type", check.get("name")))
            detail = _error_message(interaction) if kind == "RejectedPositiveData" else ""
            when = (interaction or {}).get("timestamp", event["timestamp"])
            run.failures.append(
                StFailure(
                    str(failure.get("code", "")),
                    kind,
                    str(failure.get("title", check.get("name"))),
                    detail,
                    float(when),
                    _request_line(interaction),
                )
            )


def run_schemathesis(
    variant: str | None,
    rule: str | None,
    spec_path: Path,
    folder: Path,
    max_examples: int,
    seed: int,
    workers: int,
    baseline: set[tuple[str, str]],
) -> tuple[Outcome, StRun]:
    report = folder / f"schemathesis-{variant or REFERENCE}.ndjson"
    with serve(variant) as served:
        command = [
            *schemathesis_command(),
            "run",
            str(spec_path),
            "--url",
            served.url,
            "--checks",
            "all",
            "--max-examples",
            str(max_examples),
            "--seed",
            str(seed),
            "-H",
            f"X-Access-Key: {DEFAULT_ACCESS_KEY}",
            "--generation-database",
            "none",
            "--continue-on-failure",
            "--workers",
            str(workers),
            "--report",
            "ndjson",
            "--report-ndjson-path",
            str(report),
            "--no-color",
        ]
        if rule == "C14":
            command += ["--max-response-time", str(LATENCY_BUDGET_MS / 1000)]
        launched = time.perf_counter()
        try:
            done = subprocess.run(
                command,
                cwd=folder,  # no project config file, no .hypothesis folder in the repository
                capture_output=True,
                text=True,
                timeout=SCHEMATHESIS_TIMEOUT_S,
                check=False,
            )
            error = None if done.returncode in (0, 1) else done.stderr[-500:] or done.stdout[-500:]
        except subprocess.TimeoutExpired:
            error = f"timed out after {SCHEMATHESIS_TIMEOUT_S} s"
        wall = time.perf_counter() - launched
        requests, orders = served.counter.requests, served.orders_created
        busy = served.counter.busy_s
    run = parse_ndjson(report)
    seconds = run.finished - run.started if run.started and run.finished else wall
    evidence = [
        f
        for f in run.failures
        if not f.known_false_positive and (variant is None or f.signature not in baseline)
    ]
    counted = evidence if variant is not None else run.failures
    first = min((f.timestamp for f in counted), default=None)
    return (
        Outcome(
            caught=bool(evidence) if variant is not None else bool(run.failures),
            requests=requests,
            seconds=seconds,
            first_failure_s=None if first is None or run.started is None else first - run.started,
            orders_created=orders,
            server_busy_s=busy,
            reported_requests=run.interactions,
            found=_kinds(run.failures),
            evidence=_kinds(evidence),
            error=error,
        ),
        run,
    )


def _kinds(failures: Sequence[StFailure]) -> list[str]:
    counts = Counter(f.label() for f in failures)
    return [f"{label} (x{count})" for label, count in counts.items()]


# -- the report --------------------------------------------------------------------------
@dataclass
class Row:
    target: str
    rule: str
    ordercheck: Outcome
    schemathesis: Outcome


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}s"


def _mark(outcome: Outcome, reference: bool) -> str:
    if outcome.error:
        return "ERROR"
    if reference:
        return "FP" if outcome.caught else "clean"
    return "yes" if outcome.caught else "no"


def print_table(rows: Sequence[Row]) -> None:
    header = (
        f"{'target':<31} {'rule':<4} {'caught oc/st':>12} {'requests oc/st':>15} "
        f"{'req/s oc/st':>13} {'1st failure oc/st':>18}"
    )
    print(header)
    print("-" * len(header))
    legend = (
        "caught: yes/no (reference: clean, or FP = reported a failure); requests: as the "
        "server counted them; 1st failure: seconds into the run, - for none"
    )
    for row in rows:
        oc, st = row.ordercheck, row.schemathesis
        reference = row.target == REFERENCE
        caught = f"{_mark(oc, reference)}/{_mark(st, reference)}"
        requests = f"{oc.requests}/{st.requests}"
        rates = f"{oc.rate:.0f}/{st.rate:.0f}"
        first = f"{_seconds(oc.first_failure_s)}/{_seconds(st.first_failure_s)}"
        print(f"{row.target:<31} {row.rule:<4} {caught:>12} {requests:>15} {rates:>13} {first:>18}")
    print(legend)


def print_details(rows: Sequence[Row], st_runs: dict[str, StRun]) -> None:
    print("\nwhat each tool reported (ordercheck: failing rules; schemathesis: failing checks)")
    for row in rows:
        oc, st = row.ordercheck, row.schemathesis
        print(f"  {row.target} ({row.rule}):")
        print(f"    ordercheck   : {', '.join(oc.found) or 'nothing'}; {oc.volume()}")
        found = st.found if row.target == REFERENCE else st.evidence
        print(f"    schemathesis : {'; '.join(found) or 'nothing new'}; {st.volume()}")
        if st.error:
            print(f"    schemathesis error: {st.error}")
        errors = st_runs[row.target].errors
        if errors:
            print(f"    schemathesis non-fatal errors: {len(errors)}, first: {errors[0]}")


def print_totals(rows: Sequence[Row], st_runs: dict[str, StRun], max_examples: int) -> None:
    variants = [row for row in rows if row.target != REFERENCE]
    reference = next(row for row in rows if row.target == REFERENCE)
    oc_caught = {row.target for row in variants if row.ordercheck.caught}
    st_caught = {row.target for row in variants if row.schemathesis.caught}
    print(f"\ntotals over {len(variants)} variants (--max-examples {max_examples}):")
    print(f"  caught by ordercheck:   {len(oc_caught)}/{len(variants)}")
    print(f"  caught by schemathesis: {len(st_caught)}/{len(variants)}")
    print(f"  caught by schemathesis, not by ordercheck: {sorted(st_caught - oc_caught) or 'none'}")
    only = [row for row in variants if row.target in oc_caught - st_caught]
    by_rule: dict[str, list[str]] = {}
    for row in only:
        by_rule.setdefault(row.rule, []).append(row.target)
    print(f"  caught only by ordercheck: {len(only)}")
    for rule in sorted(by_rule, key=lambda r: int(r[1:])):
        print(f"    {rule}: {', '.join(by_rule[rule])}")
    missed = [row.target for row in variants if row.target not in oc_caught | st_caught]
    print(f"  caught by neither: {missed or 'none'}")
    ref_st = st_runs[REFERENCE]
    known = sum(f.known_false_positive for f in ref_st.failures)
    print(
        f"  false positives on the reference: ordercheck {len(reference.ordercheck.found)} "
        f"failing rules; schemathesis {len(ref_st.failures)} failing checks "
        f"({known} of them the known reused-merchant_order_id one)"
    )

    totals = {tool: Totals([getattr(row, tool) for row in rows]) for tool in TOOLS}
    oc, st = totals["ordercheck"], totals["schemathesis"]
    for tool, t in totals.items():
        print(
            f"  {tool + ':':<13} {t.requests:>6,} requests in {t.seconds:6.1f} s = "
            f"{t.rate:5.1f}/s; {t.orders:>5,} orders created; server answering "
            f"{t.busy:5.1f} s, the rest {t.requests / (t.seconds - t.busy):5.1f} requests/s"
        )
    ratios = [r.ordercheck.rate / r.schemathesis.rate for r in rows if r.schemathesis.rate]
    print(
        f"  request rate ordercheck/schemathesis = {oc.rate / st.rate:.2f}   (target >= 0.5); "
        f"per target: median {statistics.median(ratios):.2f}, "
        f"min {min(ratios):.2f}, max {max(ratios):.2f}"
    )
    own = oc.requests / (oc.seconds - oc.busy) / (st.requests / (st.seconds - st.busy))
    print(f"  same, server answering time taken out: {own:.2f}")
    both = [
        row
        for row in variants
        if row.ordercheck.first_failure_s is not None
        and row.schemathesis.first_failure_s is not None
        and row.ordercheck.caught
        and row.schemathesis.caught
    ]
    if both:
        oc_first = statistics.median(row.ordercheck.first_failure_s or 0.0 for row in both)
        st_first = statistics.median(row.schemathesis.first_failure_s or 0.0 for row in both)
        print(
            f"  time to first failure, median over the {len(both)} variants both caught: "
            f"ordercheck {oc_first:.2f} s, schemathesis {st_first:.2f} s"
        )


TOOLS = ("ordercheck", "schemathesis")


@dataclass
class Totals:
    outcomes: list[Outcome]

    @property
    def requests(self) -> int:
        return sum(o.requests for o in self.outcomes)

    @property
    def seconds(self) -> float:
        return sum(o.seconds for o in self.outcomes)

    @property
    def busy(self) -> float:
        return sum(o.server_busy_s for o in self.outcomes)

    @property
    def orders(self) -> int:
        return sum(o.orders_created for o in self.outcomes)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


# -- main --------------------------------------------------------------------------------
def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("-n", "--max-examples", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="ordercheck's FuzzConfig.workers and Schemathesis's --workers (default 1)",
    )
    parser.add_argument(
        "--variants",
        default="",
        help="comma-separated variant names (default: all); the reference always runs",
    )
    parser.add_argument(
        "--keep-reports", type=Path, default=None, help="keep Schemathesis's NDJSON files here"
    )
    args = parser.parse_args(argv)
    if args.max_examples < 1 or args.workers < 1:
        parser.error("--max-examples and --workers must be at least 1")
    names = [name for name in args.variants.split(",") if name]
    unknown = [name for name in names if name not in VARIANTS]
    if unknown:
        parser.error(f"--variants: unknown {unknown}; `ordercheck serve --list-variants`")
    args.names = names or list(VARIANTS)
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    logging.getLogger("uvicorn.error").addFilter(_DropInvalidRequestNotice())
    spec = load_spec()
    targets: list[tuple[str, str | None, str]] = [(REFERENCE, None, "-")]
    targets += [(name, name, VARIANTS[name].rule) for name in args.names]
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep_reports or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        spec_path = folder / "create-order.default.openapi.json"
        spec_path.write_text(json.dumps(spec.openapi_for("default")), "utf-8")
        # Untimed warm-ups: imports and caches in this process, disk caches for Schemathesis.
        run_ordercheck(None, None, spec, 1, args.seed, args.workers)
        run_schemathesis(None, None, spec_path, folder, 1, args.seed, args.workers, set())
        print(
            f"fuzz_vs_schemathesis: {len(targets) - 1} variants + the reference, "
            f"--max-examples {args.max_examples}, --seed {args.seed}, --workers {args.workers}; "
            f"Python "
            f"{platform.python_version()}, schemathesis {version('schemathesis')}, "
            f"hypothesis {version('hypothesis')}, {os.cpu_count()} CPUs",
            flush=True,
        )
        rows: list[Row] = []
        st_runs: dict[str, StRun] = {}
        baseline: set[tuple[str, str]] = set()
        started = time.perf_counter()
        for target, variant, rule in targets:
            rule_id = None if variant is None else rule
            oc = run_ordercheck(variant, rule_id, spec, args.max_examples, args.seed, args.workers)
            st, st_run = run_schemathesis(
                variant,
                rule_id,
                spec_path,
                folder,
                args.max_examples,
                args.seed,
                args.workers,
                baseline,
            )
            if variant is None:
                baseline = {f.signature for f in st_run.failures}
            rows.append(Row(target, rule, oc, st))
            st_runs[target] = st_run
            print(
                f"  [{len(rows)}/{len(targets)}] {target}: ordercheck "
                f"{_mark(oc, variant is None)}, schemathesis {_mark(st, variant is None)}",
                file=sys.stderr,
                flush=True,
            )
    print(f"(whole benchmark: {time.perf_counter() - started:.0f} s)\n")
    print_table(rows)
    print_details(rows, st_runs)
    print_totals(rows, st_runs, args.max_examples)


if __name__ == "__main__":
    main()
