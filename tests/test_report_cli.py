"""`ordercheck report PATH` rebuilds report.html and junit.xml from a report.json, a fuzz
run's or a proxy's, and refuses what is not a report in one line."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from console import ordercheck
from ordercheck.reports import render_html, write_json
from ordercheck.results import PayloadFinding
from report_fixtures import failing_run


def test_report_rebuilds_html_and_junit_from_report_json(tmp_path: Path) -> None:
    """From a report.json alone, the HTML is the one the run would have written, and the
    JUnit XML has a case per rule."""
    result = failing_run()
    write_json(result, tmp_path / "report.json")
    run = ordercheck("report", str(tmp_path / "report.json"))
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(f"{tmp_path / 'report.html'}  (also junit.xml): fuzz run ")
    assert (tmp_path / "report.html").read_text("utf-8") == render_html(result)
    cases = ET.parse(tmp_path / "junit.xml").getroot().iter("testcase")
    assert [c.get("name") for c in cases][:2] == ["C1_no_server_error", "C2_json_envelope"]


def test_report_reads_a_run_directory_and_writes_elsewhere(tmp_path: Path) -> None:
    """PATH may be a run directory (reports/latest); --output-dir sends the files there.
    A proxy run's JUnit has the merchant's requests as a suite of their own."""
    finding = PayloadFinding("user.mobile:pattern", "recommended", "error", "$.user.mobile", "x")
    result = replace(failing_run(), kind="proxy", payload_findings=[finding])
    run_dir, out = tmp_path / "run", tmp_path / "out"
    write_json(result, run_dir / "report.json")
    run = ordercheck("report", str(run_dir), "--output-dir", str(out))
    assert run.returncode == 0, run.stderr
    assert "proxy run" in run.stdout
    suites = ET.parse(out / "junit.xml").getroot().findall("testsuite")
    assert [s.get("name") for s in suites] == ["ordercheck.conformance", "ordercheck.payloads"]
    assert "Your requests" in (out / "report.html").read_text("utf-8")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("{not json", "not valid JSON"),
        ('{"run_id": "x"}', "missing required key"),
    ],
    ids=["missing", "not-json", "not-a-report"],
)
def test_report_refuses_what_is_not_a_report(
    tmp_path: Path, content: str | None, message: str
) -> None:
    """A missing file, broken JSON or another document: one line naming it, exit 2."""
    path = tmp_path / "report.json"
    if content is not None:
        path.write_text(content)
    run = ordercheck("report", str(path))
    assert run.returncode == 2
    assert message in run.stderr and str(path) in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr
