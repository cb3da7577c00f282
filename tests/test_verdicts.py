"""The three verdicts, end to end against real servers: conformant only when every rule was
judged, inconclusive (exit 1, with each unjudged rule and why) when some were not, unless the
user accepts that and the report says so; and the reproductions, counts and text a finding
is read by."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from console import ordercheck
from ordercheck.fuzz import FuzzConfig, run_fuzz
from ordercheck.fuzz.client import Client
from ordercheck.results import Exchange
from ordercheck.rules import RULES, Expectation
from ordercheck.spec import load_spec

pytestmark = pytest.mark.slow
pytest_plugins = ["pytester"]

OUT_OF_STOCK = ("--variant", "out_of_stock", "--allow-rejection", "out of stock")
SMALL = ("--max-examples", "8", "--seed", "3")


def report_of(report_dir: Path) -> dict[str, Any]:
    return json.loads((report_dir / "latest" / "report.json").read_text("utf-8"))


def test_every_order_refused_as_declared_is_inconclusive_and_fails_the_gate(
    tmp_path: Path,
) -> None:
    """A server that refuses every order as a declared business rejection never let C5 or
    C7 to C12 be judged: the verdict says inconclusive, lists each with why, and exits 1."""
    run = ordercheck("fuzz", *OUT_OF_STOCK, *SMALL, "--report-dir", str(tmp_path))
    assert run.returncode == 1, run.stderr
    assert "Verdict: inconclusive (7 rule(s) not exercised)" in run.stdout
    assert "Not exercised" in run.stdout
    assert "C10  no valid payload was accepted earlier in the run" in run.stdout
    report = report_of(tmp_path)
    assert report["verdict"] == "inconclusive"
    unjudged = [r["id"] for r in report["rules"] if r["status"] == "not-exercised"]
    assert unjudged == ["C5", "C7", "C8", "C9", "C10", "C11", "C12"]
    assert all(r["reason"] for r in report["rules"] if r["status"] == "not-exercised")


def test_accepting_unexercised_rules_passes_the_gate_and_the_report_says_so(
    tmp_path: Path,
) -> None:
    """--accept-unexercised: exit 0, the verdict still inconclusive, and every report
    records the acceptance and what a green run needs to be repeated."""
    run = ordercheck(
        "fuzz", *OUT_OF_STOCK, *SMALL, "--accept-unexercised", "--report-dir", str(tmp_path)
    )
    assert run.returncode == 0, run.stderr
    assert "inconclusive (7 rule(s) not exercised); accepted with --accept-unexercised" in (
        run.stdout
    )
    report = report_of(tmp_path)
    assert (report["verdict"], report["accept_unexercised"]) == ("inconclusive", True)
    assert report["settings"] == {
        "profile": "default",
        "seed": 3,
        "max_examples": 8,
        "sku_catalog": None,
        "coupons": None,
        "allow_rejection": "out of stock",
        "accept_unexercised": True,
    }
    junit = (tmp_path / "latest" / "junit.xml").read_text("utf-8")
    assert 'name="accept_unexercised" value="true"' in junit


def test_pytest_fails_each_unexercised_rule_with_its_reason(pytester: pytest.Pytester) -> None:
    """In pytest an unexercised rule fails its item with the reason (it is not skipped);
    with --ordercheck-accept-unexercised those items are skipped and the run passes."""
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider\n")
    options = (
        "--ordercheck-embedded",
        "--ordercheck-variant=out_of_stock",
        "--ordercheck-allow-rejection=out of stock",
        "--ordercheck-max-examples=8",
        "--ordercheck-seed=3",
    )
    strict = pytester.runpytest_subprocess(*options)
    strict.assert_outcomes(passed=7, failed=7)
    strict.stdout.fnmatch_lines(["*C10 was not exercised: no valid payload was accepted*"])
    accepted = pytester.runpytest_subprocess(*options, "--ordercheck-accept-unexercised")
    accepted.assert_outcomes(passed=7, skipped=7)
    assert accepted.ret == 0


def test_controls_keep_a_declared_business_rule_from_reading_as_a_breach() -> None:
    """A server that refuses odd amounts (declared): the changed body of C10 and C12 is
    refused for its amount, and the control under a fresh id shows it, so no false C10 or
    C12 finding; the run is conformant."""
    result = run_fuzz(
        FuzzConfig(variant="refuses_odd_amounts", allow_rejection="odd amount", max_examples=12)
    )
    assert result.findings == []
    assert result.verdict == "conformant"


def test_a_wrong_path_is_unusable_input_not_a_verdict(reference_url: str) -> None:
    """Every answer a 404: exit 2, one line that says to check --path."""
    run = ordercheck("fuzz", "--base-url", reference_url, "--path", "/v2/orders", *SMALL)
    assert run.returncode == 2
    assert "check --path" in run.stderr
    assert "Traceback" not in run.stderr
    assert run.stderr.count("\n") == 1


@pytest.mark.parametrize("variant", ["wrong_echo", "lock_500", "crash_on_null_user"])
def test_counts_never_exceed_judgements(variant: str) -> None:
    """Every rule fails at most as often as it was judged, has findings exactly when it
    failed, and for a rule judged one exchange at a time its causes' counts add up to its
    failures (one violation per exchange)."""
    result = run_fuzz(FuzzConfig(variant=variant, max_examples=8, seed=2))
    for rule in result.rules:
        assert rule.failures <= rule.checks, rule
        causes = [f for f in result.findings if f.rule == rule.id]
        assert bool(causes) == bool(rule.failures), rule.id
        module = RULES[rule.id].module
        if not hasattr(module, "run") and not hasattr(module, "finish"):
            assert sum(f.count for f in causes) == rule.failures, rule.id


# -- reproductions --------------------------------------------------------------------------


class _Capture(BaseHTTPRequestHandler):
    """Records each request's key header and body bytes; answers 400 in the envelope."""

    seen: ClassVar[list[tuple[str | None, bytes]]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        self.seen.append((self.headers.get("x-access-key"), self.rfile.read(length)))
        body = b'{"is_success":false,"status_code":400,"error":{"errors":[],"message":"x"}}'
        self.send_response(400)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def capture() -> Iterator[tuple[str, list[tuple[str | None, bytes]]]]:
    """A loopback server that records what each request carried."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Capture)
    _Capture.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", _Capture.seen
    finally:
        server.shutdown()
        server.server_close()


KEY = "Secret-Key-4711"


@pytest.mark.parametrize(
    ("body", "raw", "key"),
    [
        (None, None, "keep"),
        ({"skus": {"1": True}}, None, "keep"),
        ("not set", b'{"user": {"first_name": "\xff\xfe"}}', "keep"),
        ("not set", b"", "keep"),
        ({"a": 1}, None, None),
        ({"a": 1}, None, ""),
        ({"a": 1}, None, KEY[:7]),
        ({"a": 1}, None, KEY.swapcase()),
        ({"a": 1}, None, "ordercheck-wrong-key"),
    ],
)
def test_every_curl_reproduces_its_request_byte_for_byte(
    capture: tuple[str, list[tuple[str | None, bytes]]], body: Any, raw: bytes | None, key: Any
) -> None:
    """Run the printed curl for real: the server gets the same key header and the same body
    bytes as from ordercheck (null and non-UTF-8 bodies, and every wrong-key form, included),
    and the curl itself never holds the key."""
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    url, seen = capture
    from schemathesis.core import NOT_SET

    from ordercheck.rules import KEEP

    client = Client(load_spec(), FuzzConfig(base_url=url, access_key=KEY), url)
    sent = client.exchange(
        Expectation("invalid"),
        NOT_SET if body == "not set" else body,
        raw=raw,
        key=KEEP if key == "keep" else key,
    )
    command = sent.record.curl()
    assert KEY not in command and KEY.swapcase() not in command and KEY[:7] not in command
    subprocess.run(
        ["bash", "-c", command],
        env={"ORDERCHECK_ACCESS_KEY": KEY, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        check=True,
        timeout=30,
    )
    assert seen[0] == seen[1], command


def test_the_terminal_cuts_long_payloads_and_the_report_keeps_them(tmp_path: Path) -> None:
    """A finding's payload and curl are cut in the terminal; report.json has them whole."""
    run = ordercheck("fuzz", "--variant", "wrong_echo", *SMALL, "--report-dir", str(tmp_path), "-q")
    assert run.returncode == 1
    finding_lines = [line for line in run.stdout.splitlines() if line.startswith("    ")]
    assert finding_lines and all(len(line) <= 180 for line in finding_lines)
    report = report_of(tmp_path)
    curls = [f["curl"] for f in report["findings"]]
    assert any(len(curl) > 180 for curl in curls)
    assert all(Exchange(**f["exchange"]).curl() == f["curl"] for f in report["findings"])
