"""The fuzz reports: report.json round trips, JUnit per rule, the HTML page, and write_all.

The browser rendering of the page is checked in `test_report_html_browser.py`.
"""

from __future__ import annotations

import json
import os
import stat
import statistics
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import orjson
import pytest
from hypothesis import HealthCheck, given, settings

from ordercheck import reports
from ordercheck.errors import InputError, OrdercheckError
from ordercheck.reports import (
    ReportPaths,
    junit_cases,
    load_report,
    render_html,
    render_json,
    write_all,
    write_html,
    write_json,
    write_junit,
)
from ordercheck.reports import html_report as html_module
from ordercheck.reports._html_latency import histogram_svg, latency_section, percentile
from ordercheck.reports.junitxml import render_junit
from ordercheck.reports.writer import atomic_write
from ordercheck.results import Exchange, RuleViolation, RunResult
from report_fixtures import (
    SENT_HEADERS,
    URL,
    clean_run,
    failing_run,
    parse_html,
    run_results,
    valid_order,
)

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _junit_root(result: RunResult) -> ET.Element:
    return ET.fromstring(render_junit([junit_cases(result)]))


def _with_finding(result: RunResult, finding: RuleViolation) -> RunResult:
    return replace(result, findings=[*result.findings, finding])


# -- report.json ----------------------------------------------------------------------------


@PROPERTY
@given(run_results())
def test_json_round_trips_for_any_run(result: RunResult) -> None:
    """`RunResult.from_dict(json.loads(report))` and `load_report` give back the same run."""
    text = render_json(result).decode()
    assert RunResult.from_dict(json.loads(text)) == result
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "report.json"
        write_json(result, path)
        assert load_report(path) == result


def test_json_carries_verdict_statuses_and_curl(tmp_path: Path) -> None:
    """report.json is `to_dict()`: verdict, each rule's status, each finding's curl."""
    result = failing_run()
    write_json(result, tmp_path / "report.json")
    data = json.loads((tmp_path / "report.json").read_text("utf-8"))
    assert data == json.loads(json.dumps(result.to_dict()))
    assert data["verdict"] == "non-conformant"
    assert {r["id"]: r["status"] for r in data["rules"]}["C11"] == "not-exercised"
    assert data["findings"][0]["curl"].startswith("curl -sS -X POST")
    assert data["findings"][3]["curl"] is None  # a finding with no exchange


def test_json_is_indented_and_ends_with_a_newline(tmp_path: Path) -> None:
    """The file is meant to be read and diffed: two-space indentation, final newline."""
    write_json(clean_run(), tmp_path / "report.json")
    text = (tmp_path / "report.json").read_text("utf-8")
    assert text.startswith('{\n  "run_id"') and text.endswith("}\n")


def test_json_survives_a_body_with_an_integer_beyond_64_bits(tmp_path: Path) -> None:
    """A fuzzed quantity of 2**70 must not stop the report from being written."""
    body = valid_order()
    body["skus"] = {"117004": 2**70}
    exchange = Exchange("POST", URL, SENT_HEADERS, body=body, status=500)
    result = _with_finding(failing_run(), RuleViolation("C1", "HTTP 500", "x", exchange))
    write_json(result, tmp_path / "report.json")
    assert load_report(tmp_path / "report.json") == result


def _drop_finding_rule(data: dict[str, object]) -> None:
    del data["findings"][2]["rule"]  # type: ignore[index]


def _string_status(data: dict[str, object]) -> None:
    data["findings"][0]["exchange"]["status"] = "500"  # type: ignore[index]


def _bad_severity(data: dict[str, object]) -> None:
    data["rules"][13]["severity"] = "fatal"  # type: ignore[index]


def _extra_target_key(data: dict[str, object]) -> None:
    data["target"]["token"] = "x"  # type: ignore[index]


def _odd_message_count(data: dict[str, object]) -> None:
    data["error_messages"]["bad amount"] = "many"  # type: ignore[index]


@pytest.mark.parametrize(
    ("damage", "json_path", "reason"),
    [
        (_drop_finding_rule, "$.findings[2].rule", "missing required key"),
        (_string_status, "$.findings[0].exchange.status", "expected a number"),
        (_bad_severity, "$.rules[13].severity", "expected one of 'error', 'warning'"),
        (_extra_target_key, "$.target.token", "unexpected key"),
        (_odd_message_count, '$.error_messages["bad amount"]', "expected a number"),
        (lambda d: d.pop("latencies_ms"), "$.latencies_ms", "missing required key"),
        (lambda d: d.update(seed=True), "$.seed", "found a boolean"),
    ],
)
def test_load_report_names_the_json_path_that_is_wrong(
    tmp_path: Path, damage, json_path: str, reason: str
) -> None:
    """A report with a missing key or a wrong type is an InputError naming the JSON path."""
    data = failing_run().to_dict()
    damage(data)
    path = tmp_path / "report.json"
    path.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))
    with pytest.raises(InputError) as caught:
        load_report(path)
    assert caught.value.path == json_path
    assert reason in caught.value.reason
    assert str(caught.value).startswith(f"{path}: {json_path}: ")
    assert "\n" not in str(caught.value)


def test_load_report_gives_the_line_of_invalid_json(tmp_path: Path) -> None:
    """Broken JSON is reported with the line it breaks on, in one line."""
    path = tmp_path / "report.json"
    path.write_text('{\n  "run_id": "x",\n  "rules": [,]\n}\n', "utf-8")
    with pytest.raises(InputError) as caught:
        load_report(path)
    assert caught.value.line == 3
    assert str(caught.value).startswith(f"{path}:3: $: not valid JSON")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "not valid JSON"),
        (b"\xff\xfe{}", "not valid JSON"),
        (b"[1, 2]", "expected an object, found an array"),
        (b'{"rules": []}', "missing required key"),
    ],
)
def test_load_report_rejects_what_is_not_a_report(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    """Empty, non-UTF-8, non-object and foreign documents are one-line InputErrors."""
    path = tmp_path / "report.json"
    path.write_bytes(content)
    with pytest.raises(InputError, match=reason):
        load_report(path)


def test_load_report_of_a_missing_file_says_so(tmp_path: Path) -> None:
    """A path that does not exist is an InputError naming it, not a FileNotFoundError."""
    with pytest.raises(InputError) as caught:
        load_report(tmp_path / "nope.json")
    assert str(caught.value) == f"{tmp_path / 'nope.json'}: $: no such file"


def test_load_report_of_a_directory_is_an_input_error(tmp_path: Path) -> None:
    """Reading a directory fails with the OS's reason in one line."""
    with pytest.raises(InputError, match="cannot read"):
        load_report(tmp_path)


# -- JUnit XML ------------------------------------------------------------------------------


@PROPERTY
@given(run_results())
def test_junit_has_a_case_per_rule_and_fails_exactly_the_failed_rules(result: RunResult) -> None:
    """The XML parses; one case per rule in order; `failures` counts the failed rules and,
    unless the run accepted it, the required rules never judged (a gate must not pass on
    them); the other unjudged rules are skipped with the reason."""
    root = _junit_root(result)
    cases = root.findall("./testsuite/testcase")
    assert [c.get("name") for c in cases] == [f"{r.id}_{r.name}" for r in result.rules]
    assert {c.get("classname") for c in cases} == {"ordercheck.conformance"}
    unjudged = [r for r in result.rules if r.status == "not-exercised"]
    gating = [r for r in unjudged if r.required and not result.accept_unexercised]
    failed = [r for r in result.rules if r.status == "failed" or r in gating]
    assert root.get("failures") == str(len(failed))
    assert [c.get("name") for c in cases if c.find("failure") is not None] == [
        f"{r.id}_{r.name}" for r in failed
    ]
    skipped = [c for c in cases if c.find("skipped") is not None]
    assert len(skipped) == len(unjudged) - len(gating)
    assert all(
        c.find("skipped").get("message", "").startswith("not exercised")  # type: ignore[union-attr]
        for c in skipped
    )


def test_junit_failure_has_first_title_and_every_finding_with_curl() -> None:
    """A failed rule's message is its first finding's title; details hold all, with curl."""
    suite = junit_cases(failing_run())
    c7 = next(c for c in suite.cases if c.name == "C7_echo_merchant_order_id")
    assert c7.outcome == "failed"
    assert c7.message == "Success does not echo merchant_order_id"
    assert "got 'oc-3f2a-000050' back" in c7.details
    assert "got none back" in c7.details
    assert "reproduce: curl -sS -X POST" in c7.details
    assert "$ORDERCHECK_ACCESS_KEY" in c7.details
    c6 = next(c for c in suite.cases if c.name.startswith("C6_"))
    assert "payload breaks: user.address.pincode:pattern" in c6.details


def test_junit_warning_passes_with_severity_property() -> None:
    """C14 over budget at warning severity passes (never fails CI) and says it is a warning."""
    suite = junit_cases(failing_run())
    c14 = next(c for c in suite.cases if c.name == "C14_latency_budget")
    assert c14.outcome == "passed"
    assert c14.properties["severity"] == "warning"
    assert c14.message == "p95 latency 3.10 s is over the 2 s budget"
    assert suite.properties["warnings"] == "C14_latency_budget"
    xml_case = _junit_root(failing_run()).find("./testsuite/testcase[@name='C14_latency_budget']")
    assert xml_case is not None
    assert [child.tag for child in xml_case] == ["properties"]  # no <failure>, no <skipped>
    assert xml_case.find("./properties/property[@name='severity']").get("value") == "warning"


def test_junit_fails_a_required_rule_that_was_not_exercised() -> None:
    """C11 never judged fails its case with the reason; accepted, it is skipped instead."""
    run = replace(failing_run(), rules=[replace(r, reason="no order") for r in failing_run().rules])
    failure = _junit_root(run).find(
        "./testsuite/testcase[@name='C11_lock_under_concurrency']/failure"
    )
    assert failure is not None and failure.get("message") == "not exercised: no order"
    accepted = _junit_root(replace(run, accept_unexercised=True))
    skipped = accepted.find("./testsuite/testcase[@name='C11_lock_under_concurrency']/skipped")
    assert skipped is not None and skipped.get("message") == "not exercised: no order"
    assert accepted.get("skipped") == "1"


def test_junit_of_a_clean_run_has_no_failures_and_run_properties() -> None:
    """A conformant run is all passes; the suite records verdict, target and seed."""
    root = _junit_root(clean_run())
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("14", "0", "0")
    props = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert props["verdict"] == "conformant"
    assert props["seed"] == "none"
    assert props["target"] == "http://127.0.0.1:8765/merchants/{merchant_id}/orders"


def test_junit_keeps_findings_of_an_unlisted_rule_failing() -> None:
    """An error finding whose rule is not in the rule list still fails CI, in its own case."""
    result = _with_finding(clean_run(), RuleViolation("C99", "Unheard of", "boom"))
    root = _junit_root(result)
    case = root.find("./testsuite/testcase[@name='C99']/failure")
    assert case is not None and case.get("message") == "Unheard of"
    assert root.get("failures") == "1"


def test_junit_escapes_characters_xml_cannot_carry(tmp_path: Path) -> None:
    """NUL, ESC and a lone surrogate from a response become visible escapes; XML parses."""
    finding = RuleViolation("C2", "Body is not JSON\x00", "got \x1b[31mred\udc80", None)
    result = _with_finding(clean_run(), finding)
    write_junit(result, tmp_path / "junit.xml")
    root = ET.parse(tmp_path / "junit.xml").getroot()
    failure = root.find("./testsuite/testcase[@name='C2_json_envelope']/failure")
    assert failure is not None
    assert failure.get("message") == "Body is not JSON\\x00"
    assert "got \\x1b[31mred\\udc80" in (failure.text or "")


# -- the HTML page (static checks; the browser test renders it) -----------------------------


def test_html_shows_verdict_bars_histogram_coverage_and_findings() -> None:
    """The page has the verdict, a bar per rule with its status, the histogram and findings."""
    result = failing_run()
    dom = parse_html(render_html(result))
    assert dom.by_id("verdict").text() == "Non-conformant"
    rows = dom.find_all("li", cls="rule")
    assert [(r.attrs["data-rule"], r.attrs["data-status"]) for r in rows] == [
        (r.id, r.status) for r in result.rules
    ]
    assert all(row.find_all(cls="track") for row in rows)
    markers = {g.attrs["data-percentile"]: g.text() for g in dom.find_all("g", cls="marker")}
    assert set(markers) == {"p50", "p95", "p99"}
    p95 = percentile(result.latencies_ms, 95)
    assert markers["p95"] == f"p95 {p95 / 1000:.2f} s"
    assert dom.by_id("findings-count").text() == "5"
    assert len(dom.find_all("details", cls="finding")) == 5
    assert "user.address.pincode:pattern" in dom.by_id("cov-spec").text()
    assert "create_merchant_order : Could not acquire lock" in dom.by_id("cov-documented").text()
    assert "13 of 14 rules exercised" in dom.by_id("rules-exercised").text()


def test_html_banner_names_the_run() -> None:
    """Target, profile, seed, run id, order prefix, duration and requests are in the banner."""
    banner = parse_html(render_html(failing_run())).by_id("top").text()
    for fact in (
        "https://staging.example.test/merchants/{merchant_id}/orders",
        "default",
        "20260509",
        "20260509T073525-3f2a",
        "oc-3f2a-",
        "1 min 13 s",
        "616",
        "2026-05-09 07:35:25 UTC",
        "3 of 14 rules failed · 1 warning · 9 passed · 1 not exercised · 5 findings",
    ):
        assert fact in banner


def test_html_finding_shows_request_response_and_curl() -> None:
    """An expanded finding has the rule, payload rule, both sides of the exchange and curl."""
    dom = parse_html(render_html(failing_run()))
    c6 = dom.by_id("finding-2")
    text = c6.text()
    assert "C6 · invalid_payload_rejected" in text
    assert "user.address.pincode:pattern" in text
    assert '"pincode": "056001"' in text  # the request body, pretty-printed
    assert "HTTP 200" in text and '"order_id": "PO1042"' in text
    (curl,) = c6.find_all("pre", cls="curl-command")
    assert curl.text() == failing_run().findings[1].curl
    (button,) = c6.find_all("button", cls="copy")
    assert button.attrs["data-copy"] == curl.attrs["id"]


def test_html_loads_nothing_from_anywhere() -> None:
    """No attribute points off the page, no external script or style, and a CSP forbids it."""
    document = render_html(failing_run())
    dom = parse_html(document)
    for node in dom.iter():
        for name in ("href", "src", "action", "xlink:href", "srcset", "poster"):
            value = node.attrs.get(name)
            assert value is None or value.startswith(("#", "data:")), (node.tag, name, value)
    assert not dom.find_all("link", rel="stylesheet")
    (script,) = dom.find_all("script")
    assert "src" not in script.attrs
    (style,) = dom.find_all("style")
    assert "url(" not in style.text() and "@import" not in style.text()
    (csp,) = dom.find_all("meta", http_equiv="Content-Security-Policy")
    assert "default-src 'none'" in csp.attrs["content"]


HOSTILE = '</pre><script>alert("x")</script><img src=x onerror=alert(1)>'


def test_html_escapes_everything_from_the_target() -> None:
    """Markup in titles, messages, headers, bodies and error messages stays text."""
    exchange = Exchange(
        "POST",
        URL + "?q=<marquee>",
        {**SENT_HEADERS, "X-Note": HOSTILE},
        body={"merchant_order_id": HOSTILE},
        status=400,
        response_headers={"X-Request-ID": HOSTILE},
        response_text=HOSTILE,
    )
    finding = RuleViolation("C2", HOSTILE, HOSTILE, exchange, constraint=HOSTILE)
    result = replace(
        _with_finding(failing_run(), finding),
        run_id="r1",
        order_prefix=HOSTILE,
        error_messages={HOSTILE: 3},
        spec_rules_exercised={HOSTILE: 1},
    )
    dom = parse_html(render_html(result))
    assert len(dom.find_all("script")) == 1
    assert not dom.find_all("img")
    assert not dom.find_all("marquee")
    page_text = dom.text()
    assert page_text.count(HOSTILE) >= 8


@PROPERTY
@given(run_results())
def test_html_renders_any_run_with_one_row_per_rule(result: RunResult) -> None:
    """Any run renders; generated text never breaks out of its element."""
    dom = parse_html(render_html(result))
    assert len(dom.find_all("script")) == 1
    assert len(dom.find_all("li", cls="rule")) == len(result.rules)
    assert len(dom.find_all("details", cls="finding")) == len(result.findings)
    assert dom.by_id("verdict").attrs["data-verdict"] == result.verdict


def test_html_never_shows_an_access_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Secret headers are redacted even if a runner forgot, and nothing comes from the env."""
    monkeypatch.setenv("ORDERCHECK_ACCESS_KEY", "env-secret-4242")
    leaky = Exchange(
        "POST",
        URL,
        {"X-Access-Key": "live-key-9999", "Authorization": "Bearer tok-7777"},
        body=valid_order(),
        status=500,
    )
    result = _with_finding(clean_run(), RuleViolation("C1", "HTTP 500", "boom", leaky))
    document = render_html(result)
    for secret in ("live-key-9999", "tok-7777", "env-secret-4242"):
        assert secret not in document
    assert "$ORDERCHECK_ACCESS_KEY" in document


def test_html_clips_a_huge_body_and_says_where_the_rest_is() -> None:
    """A megabyte-long response body is cut in the page; report.json keeps it whole."""
    exchange = Exchange("POST", URL, SENT_HEADERS, body={}, status=500, response_text="A" * 10**6)
    result = _with_finding(clean_run(), RuleViolation("C1", "HTTP 500", "boom", exchange))
    document = render_html(result)
    assert len(document) < 200_000
    assert "980,000 more characters in report.json" in document


def test_write_html_survives_text_utf8_cannot_encode(tmp_path: Path) -> None:
    """A lone surrogate in a response (as `surrogateescape` leaves it) is written as an escape."""
    exchange = Exchange("POST", URL, SENT_HEADERS, body={}, status=500, response_text="bad \udcff")
    result = _with_finding(clean_run(), RuleViolation("C1", "HTTP 500", "boom", exchange))
    write_html(result, tmp_path / "report.html")
    assert "bad \\udcff" in (tmp_path / "report.html").read_text("utf-8")


def test_html_of_a_clean_run_says_there_is_nothing_to_fix() -> None:
    """A conformant run shows the conformant verdict, no findings and every rule passed."""
    dom = parse_html(render_html(clean_run()))
    assert dom.by_id("verdict").text() == "Conformant"
    assert {r.attrs["data-status"] for r in dom.find_all("li", cls="rule")} == {"passed"}
    assert dom.by_id("findings-count").text() == "0"
    assert "No findings" in dom.by_id("findings").text()
    assert "embedded reference server" in dom.by_id("top").text()


# -- latency --------------------------------------------------------------------------------


def test_percentile_agrees_with_the_runner_and_stays_within_the_data() -> None:
    """p95 is `statistics.quantiles(..., n=20)[-1]` as C14 uses, clamped to what was seen."""
    values = failing_run().latencies_ms
    assert percentile(values, 95) == pytest.approx(statistics.quantiles(values, n=20)[-1])
    assert percentile([1.0, 2.0, 3.0], 99) == 3.0
    assert percentile([7.5], 50) == 7.5


def test_histogram_cuts_an_extreme_tail_and_says_so() -> None:
    """One 60 s request among 5 ms ones gets a note instead of squashing every bar."""
    values = [5.0 + i % 7 for i in range(200)] + [60_000.0]
    section = latency_section(values)
    assert "the slowest 60.00 s" in section
    svg = parse_html(histogram_svg(values))
    ticks = [t.text() for t in svg.find_all("text", cls="tick-label")]
    assert ticks[-1].endswith(" ms")  # the axis ends near p99, not at 60 s


def test_latency_section_without_latencies_says_none_were_recorded() -> None:
    """A run that timed nothing has no histogram but a sentence saying so."""
    section = latency_section([])
    assert "No latencies were recorded" in section and "<svg" not in section


# -- write_all and atomic files -------------------------------------------------------------


def test_write_all_writes_three_reports_and_points_latest(tmp_path: Path) -> None:
    """report.json, junit.xml and report.html land in reports/<run_id>/; latest follows."""
    result = failing_run()
    paths = write_all(result, tmp_path / "reports", junit_xml=tmp_path / "ci" / "junit.xml")
    run_dir = tmp_path / "reports" / result.run_id
    assert paths == ReportPaths(
        run_dir, run_dir / "report.json", run_dir / "junit.xml", run_dir / "report.html"
    )
    assert load_report(paths.json) == result
    assert (tmp_path / "ci" / "junit.xml").read_bytes() == paths.junit.read_bytes()
    assert "Non-conformant" in paths.html.read_text("utf-8")
    latest = tmp_path / "reports" / "latest"
    assert latest.is_symlink() and os.readlink(latest) == result.run_id
    second = write_all(clean_run(), tmp_path / "reports")
    assert os.readlink(latest) == clean_run().run_id
    assert (latest / "report.json").read_bytes() == second.json.read_bytes()
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == sorted(
        [result.run_id, clean_run().run_id, "latest"]
    )


def test_write_all_keeps_what_it_wrote_when_a_writer_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the HTML fails, the JSON and JUnit are complete, the old page intact, latest unmoved."""
    result = failing_run()
    report_dir = tmp_path / "reports"
    write_all(clean_run(), report_dir)
    old_page = report_dir / result.run_id / "report.html"
    old_page.parent.mkdir()
    old_page.write_text("previous page", "utf-8")

    def broken(_: RunResult) -> str:
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(html_module, "render_html", broken)
    with pytest.raises(RuntimeError, match="renderer crashed"):
        write_all(result, report_dir)
    assert load_report(report_dir / result.run_id / "report.json") == result
    ET.parse(report_dir / result.run_id / "junit.xml")
    assert old_page.read_text("utf-8") == "previous page"
    assert os.readlink(report_dir / "latest") == clean_run().run_id
    assert not list(report_dir.rglob("*.tmp"))


@pytest.mark.parametrize("run_id", ["../escape", "a/b", "latest", "", ".hidden", "x\n"])
def test_write_all_refuses_a_run_id_that_is_not_a_plain_name(tmp_path: Path, run_id: str) -> None:
    """A run id that could climb out of the report folder is refused before anything is written."""
    with pytest.raises(OrdercheckError, match="not usable as a directory name"):
        write_all(replace(clean_run(), run_id=run_id), tmp_path / "reports")
    assert not (tmp_path / "reports").exists()
    assert list(tmp_path.iterdir()) == []


def test_write_all_will_not_replace_a_real_latest_directory(tmp_path: Path) -> None:
    """A user's own `latest` directory is left alone, with a one-line error saying why."""
    (tmp_path / "latest").mkdir()
    with pytest.raises(OrdercheckError, match="exists and is not a symbolic link"):
        write_all(clean_run(), tmp_path)
    assert (tmp_path / "latest").is_dir() and not (tmp_path / "latest").is_symlink()


def test_atomic_write_leaves_the_old_file_when_the_rename_fails(tmp_path: Path) -> None:
    """Writing over a directory fails, leaving the directory and no temporary file behind."""
    target = tmp_path / "report.json"
    target.mkdir()
    with pytest.raises(OSError):
        atomic_write(target, b"{}")
    assert target.is_dir()
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_atomic_write_lets_the_umask_decide_permissions(tmp_path: Path) -> None:
    """Reports are artifacts to share: with umask 022 they are world-readable, like any file."""
    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "a" / "report.html", b"<!DOCTYPE html>")
    finally:
        os.umask(old)
    mode = stat.S_IMODE((tmp_path / "a" / "report.html").stat().st_mode)
    assert mode == 0o644


# -- public API -----------------------------------------------------------------------------


def test_reports_package_exports_exactly_its_public_api() -> None:
    """`__all__` lists every public name of `ordercheck.reports`, and each one exists."""
    public = {
        name
        for name, value in vars(reports).items()
        if not name.startswith("_") and not isinstance(value, ModuleType)
    }
    assert public == set(reports.__all__)
    assert {"write_json", "load_report", "junit_cases", "write_junit", "write_html"} <= public
    assert {"write_all", "ReportPaths"} <= public


def test_every_report_records_what_a_green_run_needs_to_be_repeated() -> None:
    """Catalogue, coupons, declared rejections, profile and seed are in report.json, the
    HTML facts and the JUnit properties; so is accepting unexercised rules."""
    recorded = {
        "profile": "strict",
        "seed": 9,
        "max_examples": 20,
        "sku_catalog": ["117004", "225818"],
        "coupons": ["SAVE10"],
        "allow_rejection": "out of stock",
        "accept_unexercised": True,
    }
    result = replace(clean_run(), settings=recorded, accept_unexercised=True)
    assert json.loads(render_json(result))["settings"] == recorded
    page = render_html(result)
    for shown in ("117004, 225818", "SAVE10", "out of stock", "Unexercised rules"):
        assert shown in page
    properties = {
        p.get("name"): p.get("value")
        for p in _junit_root(result).findall("./testsuite/properties/property")
    }
    assert properties["sku_catalog"] == "117004,225818"
    assert properties["coupons"] == "SAVE10"
    assert properties["allow_rejection"] == "out of stock"
    assert properties["accept_unexercised"] == "true"
