"""`ordercheck fuzz`: the main job. Fuzz a running implementation (or the embedded
reference server) against the contract and write the reports."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ordercheck.cli._fuzz_options import config_from, fuzz_options
from ordercheck.errors import OrdercheckError
from ordercheck.results import Exchange, RunResult

# 0: the gate passes (conformant, or inconclusive with --accept-unexercised); 1: it does
# not (a rule failed, or rules were never judged); 2 (OrdercheckError): nothing was judged.
EXIT_PASSED, EXIT_NOT_PASSED = 0, 1


def report_options(func: Any) -> Any:
    """Where the reports go: options of the command line only (pytest has its own)."""
    func = click.option(
        "--junit-xml",
        type=click.Path(dir_okay=False),
        help="Also write the JUnit XML here (for CI).",
    )(func)
    return click.option(
        "--report-dir", type=click.Path(file_okay=False), default="reports", show_default=True
    )(func)


@click.command("fuzz")
@fuzz_options
@report_options
@click.option("--quiet", "-q", is_flag=True, help="No progress display.")
def fuzz_command(report_dir: str, junit_xml: str | None, quiet: bool, **options: Any) -> None:
    """Fuzz a Create Order implementation and check every response against the contract.

    Exit codes: 0 conformant; 1 non-conformant (a rule failed) or inconclusive (a rule was
    never judged; --accept-unexercised makes that 0); 2 bad usage or an unreachable target.
    """
    code = run_and_report(options, report_dir=report_dir, junit_xml=junit_xml, quiet=quiet)
    sys.exit(code)


def run_and_report(
    options: dict[str, Any], *, report_dir: str, junit_xml: str | None, quiet: bool = False
) -> int:
    """Run, print the summary, write the reports; return the exit code."""
    from ordercheck.fuzz import Progress, run_fuzz

    config = config_from(options)
    color = sys.stdout.isatty()
    result = run_fuzz(config, progress=Progress(quiet=quiet), on_dry_run=_print_dry_run)
    if config.dry_run:
        click.echo(
            f"dry run: nothing was sent; {result.order_prefix} would prefix every merchant_order_id"
        )
        return EXIT_PASSED
    _print_and_write(
        result, Path(report_dir), None if junit_xml is None else Path(junit_xml), color
    )
    return EXIT_PASSED if result.passed else EXIT_NOT_PASSED


def _print_dry_run(exchange: Exchange) -> None:
    click.echo(exchange.curl())


def _print_and_write(result: RunResult, report_dir: Path, junit: Path | None, color: bool) -> None:
    from ordercheck.cli._summary import summary_lines
    from ordercheck.reports.writer import write_all

    for line in summary_lines(result, color=color):
        click.echo(line, color=color)
    try:
        paths = write_all(result, report_dir, junit_xml=junit)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in a path
        where = getattr(exc, "filename", None) or report_dir
        reason = getattr(exc, "strerror", None) or str(exc)
        raise OrdercheckError(f"{where}: cannot write the reports ({reason})") from None
    click.echo(f"Reports: {paths.html}  (also report.json, junit.xml in {paths.directory})")
