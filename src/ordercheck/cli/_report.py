"""`ordercheck report PATH`: rebuild the HTML and JUnit reports from a report.json.

report.json is the record every other report is rebuilt from, so this works on any run's,
a fuzz run's or a proxy's, and at any time: while `ordercheck proxy` is still running (it
rewrites report.json atomically, so a reader never sees half of one), after it was killed,
or on a copy from a CI artifact.
"""

from __future__ import annotations

from pathlib import Path

import click

from ordercheck.errors import OrdercheckError


@click.command("report")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write report.html and junit.xml here instead of beside the report.json.",
)
def report_command(path: Path, output_dir: Path | None) -> None:
    """Write report.html and junit.xml from PATH (a report.json, or a run directory such as
    reports/latest that holds one).

    Exit codes: 0 written; 2 a PATH that is not a report, or a directory that cannot be
    written (one line naming it).
    """
    from ordercheck.reports import load_report, write_html, write_junit
    from ordercheck.reports.writer import HTML_NAME, JSON_NAME, JUNIT_NAME

    source = path / JSON_NAME if path.is_dir() else path
    result = load_report(source)
    directory = output_dir if output_dir is not None else source.parent
    try:
        write_html(result, directory / HTML_NAME)
        write_junit(result, directory / JUNIT_NAME)
    except OSError as exc:
        raise OrdercheckError(f"{directory}: cannot write there ({exc.strerror or exc})") from None
    findings = len(result.findings) + len(result.payload_findings)
    click.echo(
        f"{directory / HTML_NAME}  (also {JUNIT_NAME}): {result.kind} run {result.run_id}, "
        f"{result.verdict}, {findings} finding(s)"
    )
