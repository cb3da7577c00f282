"""`ordercheck proxy`: put the proxy between a merchant's client and the API, until stopped.

It runs in the foreground: Ctrl-C or SIGTERM stops it (exchanges in flight finish first),
then it prints what it saw, writes the final reports and exits by ``--fail-on``.  The
reports are rewritten as it runs, so a run that is killed outright loses at most the last
few seconds.
"""

from __future__ import annotations

import signal
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import click

from ordercheck.errors import OrdercheckError, UsageError
from ordercheck.fuzz.config import DEFAULT_LATENCY_BUDGET_MS
from ordercheck.proxy.config import (
    DEFAULT_LISTEN,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT_S,
    ProxyConfig,
    parse_listen,
)
from ordercheck.results import RunResult
from ordercheck.spec import OPERATION_PATH, PROFILES

EXIT_CLEAN, EXIT_FINDINGS = 0, 1
LIVE_SUMMARY_S = 5.0


def failing_findings(result: RunResult, fail_on: str) -> int:
    """How many findings (the upstream's and the merchant's requests') reach `fail_on`."""
    levels = {"error"} if fail_on == "error" else {"error", "warning"}
    found = [f.severity for f in result.findings] + [p.severity for p in result.payload_findings]
    return sum(1 for severity in found if severity in levels)


class ReportSink:
    """Writes every result it is given as the run's reports (atomically, as `fuzz` does).

    The first write happens before the proxy listens, so a report directory that cannot be
    written is bad input (exit 2); a later failure is said once and the run goes on."""

    def __init__(self, report_dir: Path) -> None:
        self.report_dir = report_dir
        self.latest: RunResult | None = None
        self.failed: str | None = None

    def first(self, result: RunResult) -> Path:
        from ordercheck.reports import write_all

        try:
            return write_all(result, self.report_dir).directory
        except OSError as exc:
            raise OrdercheckError(
                f"--report-dir={str(self.report_dir)!r}: cannot write reports there "
                f"({exc.strerror or exc})"
            ) from None

    def __call__(self, result: RunResult) -> None:
        from ordercheck.reports import write_all

        self.latest = result
        try:
            write_all(result, self.report_dir)
        except (OSError, OrdercheckError) as exc:
            if self.failed is None:
                click.echo(f"ordercheck: warning: cannot write the reports: {exc}", err=True)
            self.failed = str(exc)


def refuse_a_taken_address(host: str, port: int) -> None:
    """A `--listen` address that cannot be bound is bad input, said in one line before
    uvicorn tries (and logs its own lines about it).  Port 0 is always free."""
    if port == 0:
        return
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
            probe.bind(address)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise UsageError(f"--listen={host}:{port}: cannot listen there ({reason})") from None


@contextmanager
def stop_signals() -> Iterator[threading.Event]:
    """An event set by Ctrl-C (SIGINT) or SIGTERM while the block runs; the previous
    handlers come back after it."""
    stop = threading.Event()

    def handler(number: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


@click.command("proxy")
@click.option("--upstream", required=True, metavar="URL", help="The API to forward to.")
@click.option(
    "--listen",
    default=DEFAULT_LISTEN,
    show_default=True,
    metavar="HOST:PORT",
    help="Where the merchant's client connects instead; port 0 picks a free one.",
)
@click.option("--profile", type=click.Choice(PROFILES), default="default", show_default=True)
@click.option(
    "--path",
    default=OPERATION_PATH,
    show_default=True,
    help="The Create Order path template: POSTs to it are judged, all else only forwarded.",
)
@click.option(
    "--report-dir", type=click.Path(file_okay=False), default="reports", show_default=True
)
@click.option(
    "--fail-on",
    type=click.Choice(["warn", "error"]),
    default="error",
    show_default=True,
    help="Exit 1 when a finding of this level or above was seen (warn: warnings too).",
)
@click.option(
    "--allow-rejection",
    metavar="REGEX",
    help="A 400 whose error message matches is a declared business rule, not a C5 failure.",
)
@click.option(
    "--latency-budget-ms",
    type=float,
    default=DEFAULT_LATENCY_BUDGET_MS,
    show_default=True,
    help="C14: the p95 latency budget (a warning when exceeded).",
)
@click.option(
    "--max-body-bytes",
    type=int,
    default=DEFAULT_MAX_BODY_BYTES,
    show_default=True,
    help="Refuse larger request bodies (413) without forwarding them.",
)
@click.option(
    "--max-response-bytes",
    type=int,
    default=DEFAULT_MAX_RESPONSE_BYTES,
    show_default=True,
    help="Judge only this much of a larger response (it still passes through whole).",
)
@click.option(
    "--timeout",
    "timeout_s",
    type=float,
    default=DEFAULT_TIMEOUT_S,
    show_default=True,
    help="Answer 504 when the upstream takes longer.",
)
@click.option("--quiet", "-q", is_flag=True, help="Only the final summary.")
def proxy_command(
    upstream: str,
    listen: str,
    profile: str,
    path: str,
    report_dir: str,
    fail_on: str,
    allow_rejection: str | None,
    latency_budget_ms: float,
    max_body_bytes: int,
    max_response_bytes: int,
    timeout_s: float,
    quiet: bool,
) -> None:
    """Forward a merchant's traffic to --upstream unchanged, and judge it on the side.

    Every request and response passes through untouched; each Create Order exchange is
    judged by the contract rules and each request body by the spec, into the same reports
    as `fuzz`, rewritten as the run goes.  Stop it with Ctrl-C or SIGTERM.

    The verdict covers only the traffic seen: non-conformant when the upstream broke a
    rule; otherwise inconclusive, since a proxy never judges every rule (C12 needs
    `ordercheck fuzz`).  Exit codes: 1 when a finding at --fail-on's level was seen (the
    upstream's, or a constraint your requests broke), else 0; 2 bad usage.
    """
    host, port = parse_listen(listen)
    refuse_a_taken_address(host, port)
    config = ProxyConfig(
        upstream=upstream,
        host=host,
        port=port,
        profile=profile,  # type: ignore[arg-type]  # click.Choice checked it
        path=path,
        fail_on=fail_on,  # type: ignore[arg-type]
        allow_rejection=allow_rejection,
        latency_budget_ms=latency_budget_ms,
        max_body_bytes=max_body_bytes,
        max_response_bytes=max_response_bytes,
        timeout_s=timeout_s,
    )
    sys.exit(_run(config, Path(report_dir), quiet=quiet))


def _run(config: ProxyConfig, report_dir: Path, *, quiet: bool) -> int:
    """Listen until stopped, then print the summary; the exit code."""
    from ordercheck.cli._proxy_console import FindingPrinter, final_lines, live_line
    from ordercheck.proxy import Proxy

    sink = ReportSink(report_dir)
    printer = FindingPrinter()
    proxy = Proxy(config, on_finding=(lambda f: None) if quiet else printer, on_result=sink)
    directory = sink.first(proxy.result())
    live = sys.stderr.isatty() and not quiet
    with stop_signals() as stop, proxy:
        click.echo(
            f"ordercheck proxy: {proxy.url} -> {config.upstream_shown} "
            f"(profile {config.profile}); judging POST {config.path}"
        )
        click.echo(f"  reports in {directory}; Ctrl-C to stop")
        while not stop.wait(LIVE_SUMMARY_S):
            if live and sink.latest is not None:
                click.echo(live_line(sink.latest), err=True)
    result = proxy.result()
    color = sys.stdout.isatty()
    for line in final_lines(result, color=color):
        click.echo(line, color=color)
    click.echo(f"Reports: {directory / 'report.html'}  (also report.json, junit.xml)")
    failing = failing_findings(result, config.fail_on)
    return EXIT_FINDINGS if failing else EXIT_CLEAN
