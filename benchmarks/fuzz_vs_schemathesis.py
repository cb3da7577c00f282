"""Contract fuzzing: `ordercheck fuzz` beside a plain `schemathesis run --checks all`.

Targets: the reference server and every deliberately broken variant of it
(`ordercheck.server.VARIANTS`), and the independent server of ``tests/independent`` (written
from the page, not from ordercheck) and every variant of its own, each breaking one rule of
CONTRACT.md.  The same budget (``--max-examples N`` per operation for Schemathesis,
``max_examples=N`` for ordercheck) and the same seed for both tools.  Per target and tool:
whether it caught the variant, how many requests it sent, its request rate, the time to its
first failure, and the wall time of the whole command from process start to exit.

Each tool's run gets a fresh server, served in this process on a loopback port behind a
counter (`_targets`): the request figures of both tools are what the server received, probes
and preflights included, and the counter measures how long the server was answering.  The
reference server spends 50 ms on each new order (400 ms in `slow_orders`), the independent
one 30 ms (200 ms in its two lock variants).  The independent server sells only the SKUs of
its ``skus.txt`` and knows only its ``coupons.txt``: ordercheck is given both and the server's
declared business rejections (``--sku-catalog``, ``--coupons``, ``--allow-rejection``), as a
user fuzzing a staging system would; Schemathesis has no such options and gets the same server.

Three runs per target:

1. ordercheck in this process, ``run_fuzz(FuzzConfig(base_url=..., max_examples=N,
   seed=S))``, timed from the call to its return; a `Progress` subclass stamps the first
   exchange after which a check has failed (a sequence rule, C9 to C14, is recorded after its
   last request, so it is stamped at the next exchange, or at the end of the run for the last
   ones).  Caught: the variant's rule failed.  Gives the catch, requests, rate and time to
   first failure.
2. ordercheck as a command, timed from spawn to exit::

       ordercheck fuzz --base-url URL --max-examples N --seed S --report-dir TMP -q

   Caught (in this run too): the variant's rule failed in its ``report.json``.
3. Schemathesis as a command, timed from spawn to exit, on the resolved, default-profile
   OpenAPI document (``Spec.openapi_for("default")`` as JSON)::

       schemathesis run SPEC --url URL --checks all --max-examples N --seed S
           -H "X-Access-Key: <key>" --generation-database none --continue-on-failure
           --report ndjson

   Its engine time and time to first failure come from its NDJSON events (loading the spec
   to the end of the engine, and the first failing exchange's timestamp); its NDJSON report
   is its counterpart of ordercheck's reports.  Caught: at least one failure that is neither
   the known false positive nor of a kind it also reports against the conformant server of
   the same family.

``--continue-on-failure`` lets Schemathesis go on after the first failure (by default each
phase stops there, and the false positive below comes first); the example database is off, as
for a CI-style run.  Neither command is given ``--workers`` unless the benchmark is: each
runs with its own default (ordercheck 4 units in flight, Schemathesis 1 worker; Schemathesis
splits workers by operation, so more would not help it on this one-operation API).

The known false positive (SCHEMATHESIS.md): plain Schemathesis re-sends the spec example's
``merchant_order_id`` with other bodies, a correct server answers 400 ("already used with a
different order"), and Schemathesis reports "Schema-valid request rejected" (ST202).  It is
counted against Schemathesis on the conformant servers and ignored as evidence on the
variants.  Against the independent server, every positive case of Schemathesis is also refused
for its SKUs ("SKU ... is not sold"): that too is reported against the conformant independent
server, and so is no evidence on its variants.

One untimed warm-up of each of the three runs comes first, so imports and cold disk caches
are not charged to the first target.  Both commands run with bytecode caching on
(``PYTHONDONTWRITEBYTECODE`` removed from their environment), as an installed package runs:
ordercheck is installed in development mode here, and would otherwise compile its modules
from source at every start.  For the latency variant (rule C14) both tools get the
same 250 ms budget: ordercheck ``--fail-on-latency --latency-budget-ms 250``, Schemathesis
``--max-response-time 0.25``.

    .venv/bin/python benchmarks/fuzz_vs_schemathesis.py                  # all, ~12 minutes
    .venv/bin/python benchmarks/fuzz_vs_schemathesis.py --family reference
    .venv/bin/python benchmarks/fuzz_vs_schemathesis.py --variants no_lock,ind:echo_nfc -n 10
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
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from importlib.metadata import version
from pathlib import Path
from typing import Any

from _targets import INDEPENDENT, REFERENCE, Target, known_variants, targets
from ordercheck.defaults import DEFAULT_ACCESS_KEY
from ordercheck.fuzz import FuzzConfig, Progress, run_fuzz
from ordercheck.spec import Spec, load_spec

LATENCY_BUDGET_MS = 250.0
TIMEOUT_S = 600
WALL_TARGET = 0.6  # ordercheck's wall time over Schemathesis's, median over the variants
# What both conformant servers answer to a reused merchant_order_id with a different body.
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


class _DropInvalidRequestNotice(logging.Filter):
    """uvicorn logs a warning for each request it cannot parse (Schemathesis's probes)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Invalid HTTP request" not in record.getMessage()


@dataclass
class Outcome:
    """One tool against one target."""

    caught: bool
    requests: int  # as counted by the server
    seconds: float  # the engine's own time: run_fuzz, or Schemathesis's NDJSON events
    first_failure_s: float | None
    orders_created: int
    server_busy_s: float  # time the server spent answering, out of `seconds`
    reported_requests: int  # as the tool counts them
    wall_s: float = 0.0  # the command, from spawn to exit
    wall_caught: bool = False  # caught in the timed command's run
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


@dataclass(frozen=True)
class Budget:
    """What both tools are given: examples, seed, and workers (None: each tool's default)."""

    max_examples: int
    seed: int
    workers: int | None


def _run(command: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str] | None]:
    """Run a command to its exit: its wall time from spawn, and what it did (None: timeout)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: modules read from bytecode
    launched = time.perf_counter()
    try:
        done = subprocess.run(
            command,
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return time.perf_counter() - launched, None
    return time.perf_counter() - launched, done


def _failure(done: subprocess.CompletedProcess[str] | None) -> str | None:
    if done is None:
        return f"timed out after {TIMEOUT_S} s"
    return None if done.returncode in (0, 1) else (done.stderr or done.stdout)[-500:]


def _beside_python(name: str) -> str:
    beside = Path(sys.executable).with_name(name)
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"the {name} command is not installed next to this Python")
    return found


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


def ordercheck_config(url: str, target: Target, budget: Budget) -> FuzzConfig:
    config = FuzzConfig(
        base_url=url, max_examples=budget.max_examples, seed=budget.seed, **target.fuzz_options
    )
    if budget.workers is not None:
        config = replace(config, workers=budget.workers)
    if target.rule == "C14":
        config = replace(config, fail_on_latency=True, latency_budget_ms=LATENCY_BUDGET_MS)
    return config


def ordercheck_command(url: str, target: Target, budget: Budget, reports: Path) -> list[str]:
    command = [
        _beside_python("ordercheck"),
        "fuzz",
        "--base-url",
        url,
        "--max-examples",
        str(budget.max_examples),
        "--seed",
        str(budget.seed),
        "--report-dir",
        str(reports),
        "-q",
        *target.cli_flags,
    ]
    if budget.workers is not None:
        command += ["--workers", str(budget.workers)]
    if target.rule == "C14":
        command += ["--fail-on-latency", "--latency-budget-ms", str(LATENCY_BUDGET_MS)]
    return command


def run_ordercheck(target: Target, spec: Spec, budget: Budget) -> Outcome:
    """ordercheck in this process: what it catches, sends, and how soon it fails."""
    with target.serve() as served:
        progress = FirstFailure()
        result = run_fuzz(
            ordercheck_config(served.url, target, budget), spec=spec, progress=progress
        )
        seconds = time.perf_counter() - progress.started
        requests, orders, busy = served.requests, served.orders_created, served.busy.seconds
    failed = [outcome.id for outcome in result.rules if outcome.failures]
    first = progress.first
    if failed and first is None:  # only end-of-run rules (C13 uniqueness, C14) failed
        first = progress.last_phase_end
    return Outcome(
        caught=target.rule in failed,
        requests=requests,
        seconds=seconds,
        first_failure_s=None if first is None else first - progress.started,
        orders_created=orders,
        server_busy_s=busy,
        reported_requests=result.requests,
        found=failed,
        evidence=[r for r in failed if r == target.rule],
    )


def time_ordercheck(
    target: Target, budget: Budget, folder: Path
) -> tuple[float, list[str], str | None]:
    """`ordercheck fuzz` as a command: its wall time, the rules its report says failed, and
    an error when it did not finish with 0 or 1."""
    reports = Path(tempfile.mkdtemp(prefix="oc-reports-", dir=folder))
    with target.serve() as served:
        wall, done = _run(ordercheck_command(served.url, target, budget, reports), folder)
    report = reports / "latest" / "report.json"
    failed = []
    if report.exists():
        rules = json.loads(report.read_text("utf-8"))["rules"]
        failed = [rule["id"] for rule in rules if rule["failures"]]
    shutil.rmtree(reports, ignore_errors=True)
    return wall, failed, _failure(done)


# -- Schemathesis ----------------------------------------------------------------------------
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


def schemathesis_command(
    url: str, target: Target, budget: Budget, spec: Path, report: Path
) -> list[str]:
    command = [
        _beside_python("schemathesis"),
        "run",
        str(spec),
        "--url",
        url,
        "--checks",
        "all",
        "--max-examples",
        str(budget.max_examples),
        "--seed",
        str(budget.seed),
        "-H",
        f"X-Access-Key: {DEFAULT_ACCESS_KEY}",
        "--generation-database",
        "none",
        "--continue-on-failure",
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(report),
        "--no-color",
    ]
    if budget.workers is not None:
        command += ["--workers", str(budget.workers)]
    if target.rule == "C14":
        command += ["--max-response-time", str(LATENCY_BUDGET_MS / 1000)]
    return command


def run_schemathesis(
    target: Target, spec: Path, folder: Path, budget: Budget, baseline: set[tuple[str, str]]
) -> tuple[Outcome, StRun]:
    """Schemathesis as a command: its wall time, and from its NDJSON what it caught."""
    report = folder / f"schemathesis-{target.name.replace(':', '-')}.ndjson"
    with target.serve() as served:
        command = schemathesis_command(served.url, target, budget, spec, report)
        # cwd: no project config file, no .hypothesis folder in the repository
        wall, done = _run(command, folder)
        requests, orders, busy = served.requests, served.orders_created, served.busy.seconds
    run = parse_ndjson(report)
    seconds = run.finished - run.started if run.started and run.finished else wall
    evidence = [
        f
        for f in run.failures
        if not f.known_false_positive and (target.conformant or f.signature not in baseline)
    ]
    counted = run.failures if target.conformant else evidence
    first = min((f.timestamp for f in counted), default=None)
    caught = bool(run.failures) if target.conformant else bool(evidence)
    outcome = Outcome(
        caught=caught,
        requests=requests,
        seconds=seconds,
        first_failure_s=None if first is None or run.started is None else first - run.started,
        orders_created=orders,
        server_busy_s=busy,
        reported_requests=run.interactions,
        wall_s=wall,
        wall_caught=caught,
        found=_kinds(run.failures),
        evidence=_kinds(evidence),
        error=_failure(done),
    )
    return outcome, run


def _kinds(failures: Sequence[StFailure]) -> list[str]:
    counts = Counter(f.label() for f in failures)
    return [f"{label} (x{count})" for label, count in counts.items()]


# -- the report --------------------------------------------------------------------------
@dataclass
class Row:
    target: Target
    ordercheck: Outcome
    schemathesis: Outcome

    @property
    def wall_ratio(self) -> float:
        return self.ordercheck.wall_s / self.schemathesis.wall_s


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}s"


def _mark(outcome: Outcome, conformant: bool, caught: bool | None = None) -> str:
    caught = outcome.caught if caught is None else caught
    if outcome.error:
        return "ERROR"
    if conformant:
        return "FP" if caught else "clean"
    return "yes" if caught else "no"


def print_table(rows: Sequence[Row]) -> None:
    header = (
        f"{'target':<31} {'rule':<4} {'caught oc/st':>12} {'requests oc/st':>15} "
        f"{'req/s oc/st':>12} {'1st failure oc/st':>18} {'wall oc/st':>14} {'oc/st':>5}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        oc, st, conformant = row.ordercheck, row.schemathesis, row.target.conformant
        caught = f"{_mark(oc, conformant)}/{_mark(st, conformant)}"
        requests = f"{oc.requests}/{st.requests}"
        rates = f"{oc.rate:.0f}/{st.rate:.0f}"
        first = f"{_seconds(oc.first_failure_s)}/{_seconds(st.first_failure_s)}"
        wall = f"{oc.wall_s:.2f}/{st.wall_s:.2f}s"
        print(
            f"{row.target.name:<31} {row.target.rule:<4} {caught:>12} {requests:>15} "
            f"{rates:>12} {first:>18} {wall:>14} {row.wall_ratio:>5.2f}"
        )
    print(
        "caught: yes/no (a conformant server: clean, or FP = reported a failure); requests: as "
        "the server counted them; 1st failure: seconds into the run, - for none; wall: the "
        "command from spawn to exit"
    )


def print_details(rows: Sequence[Row], st_runs: dict[str, StRun]) -> None:
    print("\nwhat each tool reported (ordercheck: failing rules; schemathesis: failing checks)")
    for row in rows:
        oc, st = row.ordercheck, row.schemathesis
        print(f"  {row.target.name} ({row.target.rule}):")
        print(f"    ordercheck   : {', '.join(oc.found) or 'nothing'}; {oc.volume()}")
        if oc.error:
            print(f"    ordercheck command error: {oc.error}")
        found = st.found if row.target.conformant else st.evidence
        print(f"    schemathesis : {'; '.join(found) or 'nothing new'}; {st.volume()}")
        if st.error:
            print(f"    schemathesis error: {st.error}")
        errors = st_runs[row.target.name].errors
        if errors:
            print(f"    schemathesis non-fatal errors: {len(errors)}, first: {errors[0]}")


def print_catches(rows: Sequence[Row], st_runs: dict[str, StRun], family: str) -> None:
    """Catches and false positives of one family of targets."""
    variants = [row for row in rows if not row.target.conformant]
    conformant = next(row for row in rows if row.target.conformant)
    oc_caught = {row.target.name for row in variants if row.ordercheck.caught}
    st_caught = {row.target.name for row in variants if row.schemathesis.caught}
    print(f"\n{family} server and its {len(variants)} variants:")
    print(f"  caught by ordercheck:   {len(oc_caught)}/{len(variants)}")
    print(f"  caught by schemathesis: {len(st_caught)}/{len(variants)}")
    print(f"  caught by schemathesis, not by ordercheck: {sorted(st_caught - oc_caught) or 'none'}")
    by_rule: dict[str, list[str]] = {}
    for row in variants:
        if row.target.name in oc_caught - st_caught:
            by_rule.setdefault(row.target.rule, []).append(row.target.name)
    print(f"  caught only by ordercheck: {sum(len(v) for v in by_rule.values())}")
    for rule in sorted(by_rule, key=lambda r: int(r[1:])):
        print(f"    {rule}: {', '.join(by_rule[rule])}")
    missed = [row.target.name for row in variants if row.target.name not in oc_caught | st_caught]
    print(f"  caught by neither: {missed or 'none'}")
    st_run = st_runs[conformant.target.name]
    known = sum(f.known_false_positive for f in st_run.failures)
    print(
        f"  false positives on the {family} server: ordercheck "
        f"{len(conformant.ordercheck.found)} failing rules; schemathesis {len(st_run.failures)} "
        f"failing checks ({known} of them the known reused-merchant_order_id one)"
    )


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

    @property
    def wall(self) -> float:
        return sum(o.wall_s for o in self.outcomes)


def print_volume(rows: Sequence[Row]) -> None:
    """Requests, rates and the time the servers spent answering, over every target."""
    print(f"\nover all {len(rows)} targets:")
    totals = {tool: Totals([getattr(row, tool) for row in rows]) for tool in TOOLS}
    for tool, t in totals.items():
        print(
            f"  {tool + ':':<13} {t.requests:>6,} requests in {t.seconds:6.1f} s = "
            f"{t.rate:5.1f}/s; {t.orders:>5,} orders created; server answering "
            f"{t.busy:5.1f} s, the rest {t.requests / (t.seconds - t.busy):5.1f} requests/s; "
            f"commands {t.wall:6.1f} s from spawn to exit"
        )
    oc, st = totals["ordercheck"], totals["schemathesis"]
    ratios = [r.ordercheck.rate / r.schemathesis.rate for r in rows if r.schemathesis.rate]
    print(
        f"  request rate ordercheck/schemathesis = {oc.rate / st.rate:.2f}; per target: median "
        f"{statistics.median(ratios):.2f}, min {min(ratios):.2f}, max {max(ratios):.2f}"
    )


def print_wall(rows: Sequence[Row]) -> None:
    """The wall-time target, and the catches of the timed commands."""
    variants = [row for row in rows if not row.target.conformant]
    print(f"\nwall time, each command from spawn to exit (target: median <= {WALL_TARGET}):")
    for label, chosen in (
        ("the variants", variants),
        ("every target", list(rows)),
        *((f"the {f} variants", [r for r in variants if r.target.family == f]) for f in FAMILIES),
    ):
        if not chosen:
            continue
        ratios = [row.wall_ratio for row in chosen]
        print(
            f"  ordercheck/schemathesis over {label} ({len(chosen)}): median "
            f"{statistics.median(ratios):.2f}, min {min(ratios):.2f}, max {max(ratios):.2f}; "
            f"medians {statistics.median(r.ordercheck.wall_s for r in chosen):.2f} s / "
            f"{statistics.median(r.schemathesis.wall_s for r in chosen):.2f} s"
        )
    lost = [
        row.target.name for row in variants if row.ordercheck.caught != row.ordercheck.wall_caught
    ]
    print(
        f"  ordercheck catches in the timed commands: "
        f"{sum(row.ordercheck.wall_caught for row in variants)}/{len(variants)} "
        f"(differing from the in-process runs: {lost or 'none'})"
    )
    flagged = [
        row.target.name for row in rows if row.target.conformant and row.ordercheck.wall_caught
    ]
    print(f"  ordercheck false positives in the timed commands: {flagged or 'none'}")


def print_first_failures(rows: Sequence[Row]) -> None:
    """Time to first failure: paired over the variants both catch, and each tool alone."""
    variants = [row for row in rows if not row.target.conformant]
    both = [row for row in variants if row.ordercheck.caught and row.schemathesis.caught]
    print(
        "\ntime to first failure, from each engine's start (target: ordercheck's median <= "
        "schemathesis's):"
    )
    if both:
        oc = statistics.median(row.ordercheck.first_failure_s or 0.0 for row in both)
        st = statistics.median(row.schemathesis.first_failure_s or 0.0 for row in both)
        sooner = sum(
            (row.ordercheck.first_failure_s or 0.0) <= (row.schemathesis.first_failure_s or 0.0)
            for row in both
        )
        print(
            f"  median over the {len(both)} variants both catch: ordercheck {oc:.2f} s, "
            f"schemathesis {st:.2f} s; ordercheck as soon or sooner on {sooner}"
        )
    for tool in TOOLS:
        times = [
            getattr(row, tool).first_failure_s
            for row in variants
            if getattr(row, tool).caught and getattr(row, tool).first_failure_s is not None
        ]
        if times:
            print(
                f"  {tool}, median over the {len(times)} variants it catches: "
                f"{statistics.median(times):.2f} s"
            )


TOOLS = ("ordercheck", "schemathesis")
FAMILIES = (REFERENCE, INDEPENDENT)


# -- main --------------------------------------------------------------------------------
def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("-n", "--max-examples", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="--workers for both tools (default: each tool's own default)",
    )
    parser.add_argument(
        "--variants",
        default="",
        help="comma-separated variant names, ind:NAME for the independent server's (default: "
        "all); the conformant server of each family always runs",
    )
    parser.add_argument("--family", choices=[*FAMILIES, "all"], default="all")
    parser.add_argument(
        "--keep-reports", type=Path, default=None, help="keep Schemathesis's NDJSON files here"
    )
    args = parser.parse_args(argv)
    if args.max_examples < 1 or (args.workers is not None and args.workers < 1):
        parser.error("--max-examples and --workers must be at least 1")
    args.names = [name for name in args.variants.split(",") if name]
    unknown = [name for name in args.names if name not in known_variants()]
    if unknown:
        parser.error(f"--variants: unknown {unknown}; `ordercheck serve --list-variants`")
    args.families = FAMILIES if args.family == "all" else (args.family,)
    return args


def measure(
    target: Target,
    spec: Spec,
    spec_path: Path,
    folder: Path,
    budget: Budget,
    baseline: set[tuple[str, str]],
) -> tuple[Row, StRun]:
    """The three runs of one target, one after another."""
    oc = run_ordercheck(target, spec, budget)
    oc.wall_s, wall_failed, oc.error = time_ordercheck(target, budget, folder)
    oc.wall_caught = target.rule in wall_failed if not target.conformant else bool(wall_failed)
    st, st_run = run_schemathesis(target, spec_path, folder, budget, baseline)
    return Row(target, oc, st), st_run


def warm_up(
    chosen: Sequence[Target], spec: Spec, spec_path: Path, folder: Path, budget: Budget
) -> None:
    """Untimed: imports and caches in this process, disk caches for both commands."""
    one = replace(budget, max_examples=1)
    for target in {t.family: t for t in chosen if t.conformant}.values():
        run_ordercheck(target, spec, one)
        time_ordercheck(target, one, folder)
        run_schemathesis(target, spec_path, folder, one, set())


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    logging.getLogger("uvicorn.error").addFilter(_DropInvalidRequestNotice())
    spec = load_spec()
    chosen = targets(args.names, args.families)
    budget = Budget(args.max_examples, args.seed, args.workers)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep_reports or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        spec_path = folder / "create-order.default.openapi.json"
        spec_path.write_text(json.dumps(spec.openapi_for("default")), "utf-8")
        warm_up(chosen, spec, spec_path, folder, budget)
        load = os.getloadavg()
        print(
            f"fuzz_vs_schemathesis: {len(chosen)} targets, --max-examples {args.max_examples}, "
            f"--seed {args.seed}, --workers {args.workers or 'each tool default'}; Python "
            f"{platform.python_version()}, schemathesis {version('schemathesis')}, "
            f"hypothesis {version('hypothesis')}, {os.cpu_count()} CPUs",
            flush=True,
        )
        rows: list[Row] = []
        st_runs: dict[str, StRun] = {}
        baseline: set[tuple[str, str]] = set()
        started = time.perf_counter()
        for target in chosen:
            row, st_run = measure(target, spec, spec_path, folder, budget, baseline)
            if target.conformant:
                baseline = {f.signature for f in st_run.failures}
            rows.append(row)
            st_runs[target.name] = st_run
            print(
                f"  [{len(rows)}/{len(chosen)}] {target.name}: ordercheck "
                f"{_mark(row.ordercheck, target.conformant)}, schemathesis "
                f"{_mark(row.schemathesis, target.conformant)}, wall {row.wall_ratio:.2f}",
                file=sys.stderr,
                flush=True,
            )
    took = time.perf_counter() - started
    end_load = os.getloadavg()
    print(
        f"(whole benchmark: {took:.0f} s; load average {load[0]:.2f} at the start, "
        f"{end_load[0]:.2f} at the end, {end_load[2]:.2f} over 15 minutes)\n"
    )
    print_table(rows)
    print_details(rows, st_runs)
    for family in args.families:
        print_catches([r for r in rows if r.target.family == family], st_runs, family)
    print_volume(rows)
    print_wall(rows)
    print_first_failures(rows)


if __name__ == "__main__":
    main()
