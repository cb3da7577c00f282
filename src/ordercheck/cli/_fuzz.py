"""`ordercheck fuzz`: the main job. Fuzz a running implementation (or the embedded
reference server) against the contract and write the reports."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ordercheck.catalogs import read_values
from ordercheck.results import Exchange, RunResult
from ordercheck.spec import OPERATION_PATH, PROFILES

EXIT_CONFORMANT, EXIT_FAILURES = 0, 1


def fuzz_options(func: click.decorators.FC) -> click.decorators.FC:
    """The options `fuzz` and `demo` share."""
    options = [
        click.option(
            "--base-url",
            help="The implementation to fuzz, e.g. "
            "https://staging.example.com. Without it: the embedded reference server.",
        ),
        click.option(
            "--path",
            "path_template",
            default=OPERATION_PATH,
            show_default=True,
            help="Path template of the Create Order operation.",
        ),
        click.option("--merchant-id", default="demo-merchant", show_default=True),
        click.option(
            "--access-key",
            envvar="ORDERCHECK_ACCESS_KEY",
            default="1mg_client_access_key",
            show_default="the page's example key",
            show_envvar=True,
            help="X-Access-Key; never printed or written to reports.",
        ),
        click.option(
            "--profile", type=click.Choice(PROFILES), default="default", show_default=True
        ),
        click.option(
            "--max-examples",
            type=click.IntRange(min=1),
            default=50,
            show_default=True,
            help="Payloads drawn per phase (valid, invalid; edge gets half).",
        ),
        click.option("--seed", type=int, help="Repeat a run's payloads exactly."),
        click.option(
            "--workers",
            type=click.IntRange(min=1),
            default=1,
            show_default=True,
            help="Payload phases run side by side on this many threads.",
        ),
        click.option(
            "--sku-catalog",
            type=click.Path(dir_okay=False),
            help="SKU ids the target sells: one a line, or a JSON array.",
        ),
        click.option(
            "--coupons",
            type=click.Path(dir_okay=False),
            help="Coupon codes the target knows: one a line, or a JSON array.",
        ),
        click.option(
            "--allow-rejection",
            metavar="REGEX",
            help="A 400 whose error message matches is a declared business rule, "
            "not a C5 failure (e.g. 'out of stock|invalid coupon').",
        ),
        click.option(
            "--rate-limit",
            type=click.FloatRange(min=0, min_open=True),
            help="At most this many requests per second.",
        ),
        click.option(
            "--latency-budget-ms",
            type=float,
            default=2000.0,
            show_default=True,
            help="C14: the p95 latency budget.",
        ),
        click.option(
            "--fail-on-latency", is_flag=True, help="Make C14 an error instead of a warning."
        ),
        click.option(
            "--report-dir", type=click.Path(file_okay=False), default="reports", show_default=True
        ),
        click.option(
            "--junit-xml",
            type=click.Path(dir_okay=False),
            help="Also write the JUnit XML here (for CI).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.command("fuzz")
@fuzz_options
@click.option("--dry-run", is_flag=True, help="Print what would be sent; send nothing.")
@click.option(
    "--variant",
    help="Embedded only: fuzz one of the project's broken servers "
    "(see `ordercheck serve --list-variants`).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress display.")
def fuzz_command(dry_run: bool, variant: str | None, quiet: bool, **options: Any) -> None:
    """Fuzz a Create Order implementation and check every response against the contract.

    Exit codes: 0 conformant, 1 a rule failed, 2 bad usage or an unreachable target.
    """
    code = run_and_report(dry_run=dry_run, variant=variant, quiet=quiet, **options)
    sys.exit(code)


def run_and_report(
    *, dry_run: bool = False, variant: str | None = None, quiet: bool = False, **options: Any
) -> int:
    """Run, print the summary, write the reports; return the exit code."""
    from ordercheck.runner import FuzzConfig, Progress, run_fuzz

    config = FuzzConfig(
        base_url=options["base_url"],
        path=options["path_template"],
        merchant_id=options["merchant_id"],
        access_key=options["access_key"],
        profile=options["profile"],
        max_examples=options["max_examples"],
        seed=options["seed"],
        workers=options["workers"],
        sku_ids=_skus(options["sku_catalog"]),
        coupons=_values(options["coupons"], "coupon code"),
        allow_rejection=options["allow_rejection"],
        rate_limit=options["rate_limit"],
        latency_budget_ms=options["latency_budget_ms"],
        fail_on_latency=bool(options["fail_on_latency"]),
        dry_run=dry_run,
        variant=variant,
    )
    color = sys.stdout.isatty()
    result = run_fuzz(config, progress=Progress(quiet=quiet), on_dry_run=_print_dry_run)
    if dry_run:
        click.echo(
            f"dry run: nothing was sent; {result.order_prefix} would prefix every merchant_order_id"
        )
        return EXIT_CONFORMANT
    _print_and_write(result, options, color)
    return EXIT_CONFORMANT if result.conformant else EXIT_FAILURES


def _skus(path: object) -> tuple[str, ...] | None:
    from ordercheck.strategies import read_sku_catalog

    return None if path is None else read_sku_catalog(str(path))


def _values(path: object, what: str) -> tuple[str, ...] | None:
    return None if path is None else read_values(str(path), what=what)


def _print_dry_run(exchange: Exchange) -> None:
    click.echo(exchange.curl())


def _print_and_write(result: RunResult, options: dict[str, Any], color: bool) -> None:
    from ordercheck.cli._summary import summary_lines
    from ordercheck.reports.writer import write_all

    for line in summary_lines(result, color=color):
        click.echo(line, color=color)
    junit = options.get("junit_xml")
    paths = write_all(
        result,
        Path(str(options["report_dir"])),
        junit_xml=None if junit is None else Path(str(junit)),
    )
    click.echo(f"Reports: {paths.html}  (also report.json, junit.xml in {paths.directory})")
