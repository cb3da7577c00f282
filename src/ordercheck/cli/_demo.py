"""`ordercheck demo`: what `make demo` runs. The main job on the embedded default, with no
setup: fuzz the reference server, print the verdict and where the HTML report is."""

from __future__ import annotations

import sys
from typing import Any

import click

from ordercheck.cli._fuzz import fuzz_command, run_and_report
from ordercheck.fuzz.config import DEFAULT_MAX_EXAMPLES


@click.command("demo")
@click.option(
    "--max-examples", type=click.IntRange(min=1), default=DEFAULT_MAX_EXAMPLES, show_default=True
)
@click.option("--seed", type=int)
@click.option(
    "--report-dir", type=click.Path(file_okay=False), default="reports", show_default=True
)
def demo_command(max_examples: int, seed: int | None, report_dir: str) -> None:
    """Fuzz the embedded reference server and write the reports (a clean run exits 0)."""
    args = ["--max-examples", str(max_examples)]
    if seed is not None:
        args += ["--seed", str(seed)]
    # The fuzz command's own parser fills in its defaults, so demo and fuzz cannot drift.
    options: dict[str, Any] = dict(fuzz_command.make_context("fuzz", args).params)
    for cli_only in ("report_dir", "junit_xml", "quiet"):
        options.pop(cli_only)
    options["base_url"] = None
    code = run_and_report(options, report_dir=report_dir, junit_xml=None)
    click.echo(
        "Next: `ordercheck fuzz --variant wrong_echo` shows a failing run; "
        "`ordercheck fuzz --base-url URL` fuzzes your own implementation."
    )
    sys.exit(code)
