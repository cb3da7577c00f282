"""Report writers over plain results (`ordercheck.results`): JSON, JUnit XML and HTML.

The CLI and the pytest plugin share these writers; none of them imports the runner, so a
report can be rebuilt from ``report.json`` alone (`load_report`).

    >>> paths = write_all(result, Path("reports"), junit_xml=Path("junit.xml"))
    >>> load_report(paths.json) == result
    True
"""

from ordercheck.reports.html_report import render_html, write_html
from ordercheck.reports.json_report import load_report, render_json, write_json
from ordercheck.reports.junit_report import junit_cases, write_junit
from ordercheck.reports.junitxml import JUnitCase, JUnitSuite, render_junit
from ordercheck.reports.writer import ReportPaths, write_all

__all__ = [
    "JUnitCase",
    "JUnitSuite",
    "ReportPaths",
    "junit_cases",
    "load_report",
    "render_html",
    "render_json",
    "render_junit",
    "write_all",
    "write_html",
    "write_json",
    "write_junit",
]
