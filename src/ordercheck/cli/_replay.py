"""`ordercheck replay REPORT`: re-send the failing cases of an earlier run."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ordercheck.defaults import ACCESS_KEY_ENVVAR, DEFAULT_ACCESS_KEY


@click.command("replay")
@click.argument("report", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--base-url", help="Send to this target instead of the report's.")
@click.option(
    "--access-key",
    envvar=ACCESS_KEY_ENVVAR,
    default=DEFAULT_ACCESS_KEY,
    show_envvar=True,
    show_default="the page's example key",
)
def replay_command(report: Path, base_url: str | None, access_key: str) -> None:
    """Re-send each failing case of REPORT (a report.json) and say whether it still fails.

    Exit codes: 0 every replayed case now passes, 1 some still fail, 2 bad input or an
    unreachable target.  A report of the embedded server needs --base-url of a running one
    (`ordercheck serve`), since the embedded server stopped with its run.
    """
    from ordercheck.cli._fuzz_options import warn_if_key_typed
    from ordercheck.fuzz.replay import replay
    from ordercheck.reports.json_report import load_report

    warn_if_key_typed()
    result = load_report(report)
    outcomes = replay(result, access_key=access_key, base_url=base_url)
    failing = 0
    for outcome in outcomes:
        if outcome.still_failing is None:
            mark = "skipped"
        elif outcome.still_failing:
            mark, failing = "FAILS", failing + 1
        else:
            mark = "passes"
        click.echo(f"{outcome.finding.rule:<4} {mark:<8} {outcome.finding.title}: {outcome.detail}")
        if outcome.still_failing:
            click.echo(f"     {outcome.finding.curl}")
    click.echo(f"{len(outcomes)} finding(s) replayed: {failing} still failing")
    sys.exit(1 if failing else 0)
