"""`ordercheck proxy` as users run it: the console script in its own process, stopped with
SIGTERM or Ctrl-C, findings on the console as they happen, exit codes by --fail-on, bad
input in one line, and reports that survive a kill."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from console import ORDERCHECK, environment, ordercheck
from ordercheck.cli._proxy import LIVE_SUMMARY_S
from ordercheck.reports import load_report
from ordercheck.server import create_app, running_server
from proxy_helpers import post_order
from server_helpers import order
from test_proxy_faults import report_on_disk


def proxy_command(upstream: str, report_dir: Path, *options: str) -> list[str]:
    """The console script's `proxy` in front of `upstream`, on a free loopback port."""
    listen = ("--listen", "127.0.0.1:0", "--report-dir", str(report_dir))
    return [str(ORDERCHECK), "proxy", "--upstream", upstream, *listen, *options]


@contextmanager
def proxy_process(upstream: str, report_dir: Path, *options: str) -> Iterator[ProxyProcess]:
    """`ordercheck proxy` on a free port in front of `upstream`, until the block ends (the
    test stops it itself; leaving the block kills what is left)."""
    process = subprocess.Popen(
        proxy_command(upstream, report_dir, *options),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(),
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        found = re.search(r"ordercheck proxy: (http://127\.0\.0\.1:[0-9]+) ->", first)
        assert found, f"no URL in {first!r}: {process.stderr.read() if process.stderr else ''}"
        yield ProxyProcess(process, found.group(1), first)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


class ProxyProcess:
    """A running `ordercheck proxy`: its URL, and how it ends."""

    def __init__(self, process: subprocess.Popen[str], url: str, first_line: str) -> None:
        self.process, self.url, self.first_line = process, url, first_line

    def stop(self, sig: int = signal.SIGTERM) -> tuple[int, str, str]:
        """Send `sig`; the exit code, the rest of standard output, and standard error."""
        self.process.send_signal(sig)
        out, err = self.process.communicate(timeout=60)
        return self.process.returncode, self.first_line + out, err


@pytest.fixture
def upstream() -> Iterator[str]:
    """A reference server for one test."""
    with running_server(create_app(processing_delay_s=0)) as url:
        yield url


@pytest.mark.slow
def test_findings_on_the_console_and_exit_1_on_sigterm(upstream: str, tmp_path: Path) -> None:
    """An invalid order goes through; its findings print as they happen, SIGTERM ends the
    run with the summary and exit 1 (an error-level finding), and the reports are there."""
    with proxy_process(upstream, tmp_path) as proxy:
        assert post_order(proxy.url, order()).status == 200
        assert post_order(proxy.url, order(payment_method="UPI")).status == 400
        report_on_disk(tmp_path, 2)
        code, out, err = proxy.stop()
    assert code == 1, out + err
    assert re.search(r"^request 't-[0-9a-f]+': payment_method:enum  documented  ", out, re.M)
    assert "Your requests (constraints they broke; fix these in the client)" in out
    assert re.search(r"^Verdict: inconclusive \(\d+ rule\(s\) not exercised\)", out, re.M)
    assert "Traceback" not in err and "1mg_client_access_key" not in out + err
    result = load_report(tmp_path / "latest" / "report.json")
    assert result.requests == 2 and result.kind == "proxy"


@pytest.mark.slow
def test_clean_traffic_exits_0_on_ctrl_c(upstream: str, tmp_path: Path) -> None:
    """Only valid orders: Ctrl-C (SIGINT) ends the run cleanly with exit 0."""
    with proxy_process(upstream, tmp_path) as proxy:
        post_order(proxy.url, order())
        code, out, err = proxy.stop(signal.SIGINT)
    assert code == 0, out + err
    assert "Your requests: none broke a constraint of the default profile" in out


@pytest.mark.slow
@pytest.mark.parametrize(("fail_on", "code"), [("error", 0), ("warn", 1)])
def test_fail_on_decides_whether_warnings_fail(
    upstream: str, tmp_path: Path, fail_on: str, code: int
) -> None:
    """A warning only (a mobile that is not Indian, recommended): exit 0 with --fail-on
    error, exit 1 with --fail-on warn."""
    payload = order()
    payload["user"]["mobile"] = "5551234567"
    with proxy_process(upstream, tmp_path, "--fail-on", fail_on) as proxy:
        assert post_order(proxy.url, payload).status == 200
        report_on_disk(tmp_path, 1)
        assert proxy.stop()[0] == code


@pytest.mark.slow
def test_a_killed_proxy_leaves_its_reports(upstream: str, tmp_path: Path) -> None:
    """SIGKILL, no chance to clean up: the reports written as it ran hold every exchange
    and finding seen up to then."""
    with proxy_process(upstream, tmp_path) as proxy:
        for _ in range(3):
            post_order(proxy.url, order())
        post_order(proxy.url, order(skus={}))
        on_disk = report_on_disk(tmp_path, 4)
        proxy.process.kill()
    assert on_disk.requests == 4
    assert [f.constraint for f in on_disk.payload_findings] == ["skus:minProperties"]
    assert (tmp_path / "latest" / "report.html").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--upstream", "ftp://example.com"], "--upstream='ftp://example.com': expected http"),
        (["--upstream", "http://127.0.0.1:9", "--listen", "nowhere"], "--listen='nowhere'"),
        (["--upstream", "http://127.0.0.1:9", "--max-body-bytes", "0"], "--max-body-bytes=0"),
        (["--upstream", "http://127.0.0.1:9", "--allow-rejection", "("], "--allow-rejection"),
        (["--upstream", "http://127.0.0.1:9", "--timeout", "nan"], "--timeout=nan"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(args: list[str], message: str) -> None:
    """An option that cannot work: one line naming it, exit 2, no traceback."""
    run = ordercheck("proxy", *args)
    assert run.returncode == 2, run.stdout + run.stderr
    assert message in run.stderr and len(run.stderr.strip().splitlines()) == 1


def test_an_unwritable_report_dir_is_bad_input(tmp_path: Path) -> None:
    """A --report-dir that cannot be written stops the proxy before it listens: exit 2."""
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    run = ordercheck(
        "proxy",
        "--upstream",
        "http://127.0.0.1:9",
        "--listen",
        "127.0.0.1:0",
        "--report-dir",
        str(blocker / "reports"),
    )
    assert run.returncode == 2
    assert "--report-dir=" in run.stderr and "Traceback" not in run.stderr


def test_a_port_in_use_is_bad_input(upstream: str, tmp_path: Path) -> None:
    """Listening where something already listens: one line, exit 2."""
    taken = upstream.removeprefix("http://")
    run = ordercheck(
        "proxy", "--upstream", upstream, "--listen", taken, "--report-dir", str(tmp_path)
    )
    assert run.returncode == 2, run.stdout + run.stderr
    assert (
        run.stderr
        == f"ordercheck: error: --listen={taken}: cannot listen there (Address already in use)\n"
    )


@pytest.mark.slow
def test_a_terminal_gets_a_summary_line_every_few_seconds(upstream: str, tmp_path: Path) -> None:
    """With standard error on a terminal, a one-line summary of the run so far appears
    every few seconds; in a pipe (every other test here) it never does."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        proxy_command(upstream, tmp_path),
        stdout=subprocess.PIPE,
        stderr=terminal,
        text=True,
        env=environment(),
    )
    os.close(terminal)
    try:
        assert process.stdout is not None
        url = re.search(r"http://127\.0\.0\.1:[0-9]+", process.stdout.readline())
        assert url is not None
        post_order(url.group(), order(payment_method="UPI"))
        shown = b""
        deadline = time.monotonic() + LIVE_SUMMARY_S * 3
        while b"so far" not in shown and time.monotonic() < deadline:
            if select.select([controller], [], [], 0.5)[0]:
                shown += os.read(controller, 4096)
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(controller)
    line = shown.decode().strip().splitlines()[0]
    assert line.startswith("[ordercheck proxy] 1 requests judged · 0 finding(s)")
    assert "1 constraint(s) broken by your requests" in line and line.endswith("inconclusive")
