"""Targets that misbehave on the wire: redirects, huge and compressed bodies, trickles,
stalls, resets and bytes that are not HTTP.  Each is a small real server on loopback
(`hostile.py`); the fuzzer must judge what it can, never follow the target elsewhere, and
stay within its memory and time limits."""

from __future__ import annotations

import gzip
import json
import shutil
import ssl
import subprocess
import sys
from pathlib import Path

import pytest

import hostile
from console import ORDERCHECK, environment, ordercheck
from hostile import Connection, after_preflight, reply, serving
from ordercheck.fuzz import FuzzConfig, OrderApi, run_fuzz
from ordercheck.fuzz.transport import BoundedSession, DeadlineExceeded, Limits
from ordercheck.server import create_app, running_server
from server_helpers import order

SECRET = "s3cr3t-key-4711"
# The rules that judge a whole response; an exchange without one is judged by C1 alone.
RESPONSE_RULES = ("C2", "C3", "C4", "C5", "C6", "C7", "C8")
# A run on this machine peaks near 90 MB; reading a 200 MB body whole would add 200 MB.
RSS_HEADROOM_MB = 120
# Each exchange in flight may hold a response up to the 10 MB cap, raw and decoded, and the
# run keeps --workers (default 4) exchanges in flight: a generous allowance per exchange.
PER_EXCHANGE_MB = 40
IN_FLIGHT = 4
BOUND_MB = RSS_HEADROOM_MB + IN_FLIGHT * PER_EXCHANGE_MB

# Runs `ordercheck ARGS` (the console script) and reports its peak resident memory.
PEAK_RSS = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[1:])
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"peak-rss-kib {peak} exit {code}", file=sys.stderr)
"""


def fuzz_measured(*args: str, timeout: float = 300) -> tuple[int, int, str]:
    """`ordercheck fuzz ARGS` in a process of its own: exit code, peak RSS in MB, output."""
    run = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, str(ORDERCHECK), "fuzz", *args],
        capture_output=True,
        text=True,
        env=environment(),
        timeout=timeout,
        check=False,
    )
    *_, last = run.stderr.strip().splitlines()
    _, peak_kib, _, code = last.split()
    return int(code), int(peak_kib) // 1024, run.stdout + run.stderr


@pytest.fixture(scope="module")
def baseline_rss_mb(tmp_path_factory: pytest.TempPathFactory) -> int:
    """Peak RSS of a run against a small well-behaved server, measured the same way."""
    reports = tmp_path_factory.mktemp("baseline")
    with serving(hostile.conformant_400) as server:
        code, peak, output = fuzz_measured(
            "--base-url", server.url, "--max-examples", "1", "--report-dir", str(reports)
        )
    assert code == 1, output
    return peak


def report_json(report_dir: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((report_dir / "latest" / "report.json").read_text())
    return data


def rule_status(report: dict[str, object]) -> dict[str, tuple[str, int]]:
    rules = report["rules"]
    assert isinstance(rules, list)
    return {r["id"]: (r["status"], r["checks"]) for r in rules}


# -- redirects -------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [302, 307])
def test_a_redirect_is_judged_and_never_followed(status: int) -> None:
    """A 3xx pointing at another port is a C4 finding; the other port receives nothing."""
    with serving(hostile.unused) as elsewhere:
        redirect = reply(status, b"", {"Location": f"{elsewhere.url}/steal"})
        with serving(redirect) as server:
            sent = OrderApi(server.url, access_key=SECRET).create_order(order())
    assert sent.status == status
    assert "C4" in {v.rule for v in sent.violations}
    assert elsewhere.connections == 0


@pytest.mark.slow
def test_a_redirecting_target_fails_c4_and_the_key_stays_home(tmp_path: Path) -> None:
    """A whole run against a 307: exit 1, C4 FAILED, and the other origin never contacted."""
    with serving(hostile.unused) as elsewhere:
        redirect = reply(307, b"", {"Location": f"{elsewhere.url}/merchants/x/orders"})
        with serving(redirect) as server:
            run = ordercheck(
                "fuzz",
                "--base-url",
                server.url,
                "--max-examples",
                "1",
                "--report-dir",
                str(tmp_path),
                env={"ORDERCHECK_ACCESS_KEY": SECRET},
            )
    assert run.returncode == 1, run.stderr
    assert "C4   allowed_status               FAILED" in run.stdout
    assert "HTTP 307 is not a status this API uses" in run.stdout
    assert elsewhere.connections == 0


# -- bodies too big to read ------------------------------------------------------------------


@pytest.mark.slow
def test_a_200_mb_body_is_not_read_whole(tmp_path: Path, baseline_rss_mb: int) -> None:
    """Bodies past --max-response-bytes are cut (a C1 finding); memory stays near a normal run."""
    total = 200 * 2**20

    def huge(connection: Connection, number: int) -> None:
        if number == 0:
            hostile.conformant_400(connection)
        else:
            hostile.stream_body(connection, total, b"0" * 2**20)

    with serving(huge) as server:
        code, peak_mb, output = fuzz_measured(
            "--base-url", server.url, "--max-examples", "1", "--report-dir", str(tmp_path)
        )
        sent = server.bytes_sent
        exchanges = server.connections - 1
    assert code == 1, output
    assert "the body is larger than 10485760 bytes as sent (--max-response-bytes)" in output
    assert peak_mb < baseline_rss_mb + BOUND_MB, (peak_mb, baseline_rss_mb)
    # Each exchange took the cap and what the socket buffers held, far from 200 MB.
    assert sent < exchanges * total / 4
    c1 = rule_status(report_json(tmp_path))["C1"]
    assert c1[0] == "failed"


@pytest.mark.slow
def test_a_gzip_bomb_of_3_gib_stays_under_the_cap(tmp_path: Path, baseline_rss_mb: int) -> None:
    """3 MB of gzip that unpacks to 3 GiB is cut at the cap once decoded; memory stays low."""
    bomb = hostile.gzip_bomb(3 * 2**30)
    assert len(bomb) < 4 * 2**20
    headers = {"Content-Encoding": "gzip"}
    with serving(after_preflight(reply(200, bomb, headers))) as server:
        code, peak_mb, output = fuzz_measured(
            "--base-url", server.url, "--max-examples", "1", "--report-dir", str(tmp_path)
        )
    assert code == 1, output
    assert "the body is larger than 10485760 bytes once decoded" in output
    assert peak_mb < baseline_rss_mb + BOUND_MB, (peak_mb, baseline_rss_mb)


@pytest.mark.parametrize(
    ("encoding", "body"),
    [
        ("gzip", hostile.gzip_bomb(64 * 2**20)),
        ("deflate", hostile.deflate_bomb(64 * 2**20)),
        ("gzip", b"".join(hostile.gzip_bomb(2**20) for _ in range(20))),  # 20 gzip members
        ("gzip, gzip", gzip.compress(hostile.gzip_bomb(64 * 2**20))),
    ],
    ids=["gzip", "deflate", "gzip-members", "gzip-twice"],
)
def test_smaller_bombs_are_cut_at_the_cap(encoding: str, body: bytes) -> None:
    """Every encoding the transport decodes is decoded under the cap, members and layers too."""
    with serving(reply(200, body, {"Content-Encoding": encoding})) as server:
        sent = OrderApi(server.url).create_order(order())
    assert sent.status is None
    assert sent.observation.error is not None
    assert "ResponseTooLarge: the body is larger than 10485760 bytes once decoded" in (
        sent.observation.error
    )
    assert [v.rule for v in sent.violations] == ["C1"]


def test_a_compressed_answer_is_decoded_and_judged() -> None:
    """A well-formed gzip answer is decoded and judged like any other: the reference's 400."""
    body = gzip.compress(hostile.envelope_400("merchant_order_id is missing"))
    with serving(reply(400, body, {"Content-Encoding": "gzip"})) as server:
        sent = OrderApi(server.url).create_order({"not": "an order"})
    assert sent.status == 400
    assert sent.violations == ()


def test_an_encoding_nobody_asked_for_is_left_as_sent() -> None:
    """A body in an encoding ordercheck did not offer (br) is not JSON: C2, not a crash."""
    with serving(reply(200, b"\x1b\x00\xf8\xa5", {"Content-Encoding": "br"})) as server:
        sent = OrderApi(server.url).create_order(order())
    assert sent.status == 200
    assert "C2" in {v.rule for v in sent.violations}


# -- deadlines -------------------------------------------------------------------------------

RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"


def trickling(connection: Connection, number: int) -> None:
    """Read the request, then send a response a byte every 0.2 s."""
    connection.read_request()
    hostile.trickle(connection, RESPONSE, 0.2)


def trickling_body(connection: Connection, number: int) -> None:
    """Read the request, send the headers at once, then the body a byte every 0.2 s."""
    connection.read_request()
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n"
    connection.send(head)
    hostile.trickle(connection, b'{"data": "' + b"x" * 28 + b'"}', 0.2)


@pytest.mark.parametrize("misbehave", [trickling, trickling_body], ids=["head", "body"])
def test_one_deadline_covers_the_whole_response(misbehave: hostile.Answer) -> None:
    """A byte every 0.2 s never trips a read timeout; the request's deadline cuts it."""
    session = BoundedSession(Limits(timeout_s=1, max_response_bytes=2**20))
    with serving(misbehave) as server:
        with pytest.raises(DeadlineExceeded, match="no whole response within 1 s"):
            session.post(f"{server.url}/orders", data=b"{}", timeout=60)
        trickled = server.bytes_sent
    assert trickled < 20  # about five bytes a second for one second, not the whole answer


def stalling(connection: Connection, number: int) -> None:
    """Read the request and never answer (until the test ends)."""
    connection.read_request()
    connection.server.wait_for_end()


@pytest.mark.slow
@pytest.mark.parametrize("misbehave", [trickling, stalling], ids=["trickle", "stall"])
def test_a_stalling_target_ends_the_run_with_c1_and_reports(
    tmp_path: Path, misbehave: hostile.Answer
) -> None:
    """--timeout cuts each exchange (one deadline, connect to last byte), --deadline ends
    the run: exit 1, a C1 finding for the stalled exchange, and the reports written."""
    with serving(after_preflight(misbehave)) as server:
        run = ordercheck(
            "fuzz",
            "--base-url",
            server.url,
            "--timeout",
            "1",
            "--deadline",
            "3",
            "--report-dir",
            str(tmp_path),
            timeout=120,  # a generous ceiling: the run itself ends near 4 s
        )
        trickled = server.bytes_sent
        exchanges = server.connections - 1
    assert run.returncode == 1, run.stderr
    assert "run deadline passed (--deadline 3)" in run.stderr
    assert "no whole response within 1 s (--timeout)" in run.stdout
    report = report_json(tmp_path)
    assert rule_status(report)["C1"][0] == "failed"
    assert 1 <= exchanges <= 4
    assert trickled < exchanges * len(RESPONSE)  # no exchange was read to its end


@pytest.mark.slow
def test_a_run_deadline_on_a_healthy_target_stops_sending(reference_url: str) -> None:
    """--deadline on a target that answers, with a budget of days: the run stops drawing
    and sending at once, no finding is made up, and the verdict is inconclusive (the run
    was not all sent), never conformant."""
    config = FuzzConfig(base_url=reference_url, max_examples=100_000, deadline_s=1.0)
    result = run_fuzz(config)
    assert result.duration_s < 60  # a generous ceiling: it ends a moment after 1 s
    assert result.findings == []
    assert result.verdict == "inconclusive"
    assert "--deadline 1 s" in result.stopped_early
    assert not result.passed


# -- broken exchanges from a reachable server -----------------------------------------------


def garbage(connection: Connection, number: int) -> None:
    connection.read_request()
    connection.send(b"\x00\xffthis is not HTTP\r\n\r\n")


def reset(connection: Connection, number: int) -> None:
    connection.read_request()
    connection.reset()


def cut_body(connection: Connection, number: int) -> None:
    connection.read_request()
    connection.send(b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n" + b'{"data": {')


def closes(connection: Connection, number: int) -> None:
    connection.read_request()


BROKEN = {
    "garbage": (garbage, "the answer is not HTTP"),
    "reset": (reset, "the server reset the connection"),
    "cut-body": (cut_body, "the body is shorter than its Content-Length"),
    "close": (closes, "the server closed the connection without a response"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_exchange_is_judged_by_c1_alone(name: str) -> None:
    """No whole response: C1 fails once per exchange, and C2 to C8 are never counted."""
    misbehave, reason = BROKEN[name]
    with serving(after_preflight(misbehave)) as server:
        result = run_fuzz(FuzzConfig(base_url=server.url, max_examples=1, timeout_s=5))
    outcomes = {rule.id: rule for rule in result.rules}
    assert outcomes["C1"].status == "failed"
    assert outcomes["C1"].failures == outcomes["C1"].checks == result.requests
    assert all(outcomes[rule].checks == 0 for rule in RESPONSE_RULES)
    assert reason in result.findings[0].message


def test_only_a_silent_port_cannot_be_reached() -> None:
    """A server that answers garbage is reached (the run goes on); a closed port is not."""
    with serving(garbage) as server:
        url = server.url
        sent = OrderApi(url).create_order(order())
    assert sent.observation.error == "ConnectionError: the answer is not HTTP"
    closed = ordercheck("fuzz", "--base-url", url, "--max-examples", "1")
    assert closed.returncode == 2
    assert closed.stderr.startswith(f"ordercheck: error: cannot reach {url}:")


@pytest.mark.slow
def test_garbage_at_the_preflight_is_judged_not_unreachable(tmp_path: Path) -> None:
    """A target answering bytes that are not HTTP, the preflight included: exit 1, C1."""
    with serving(garbage) as server:
        run = ordercheck(
            "fuzz", "--base-url", server.url, "--max-examples", "1", "--report-dir", str(tmp_path)
        )
    assert run.returncode == 1, run.stderr
    assert "cannot reach" not in run.stderr
    assert "C1   no_server_error              FAILED" in run.stdout


def test_https_to_a_plain_http_port_is_a_setup_error(reference_url: str) -> None:
    """https:// to a server that speaks plain HTTP: the handshake fails, exit 2, one line."""
    url = reference_url.replace("http://", "https://")
    run = ordercheck("fuzz", "--base-url", url, "--max-examples", "1", timeout=60)
    assert run.returncode == 2
    [line] = run.stderr.strip().splitlines()
    assert line.startswith(f"ordercheck: error: {url}: the TLS handshake failed ([SSL: ")


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl to make a certificate")
def test_an_untrusted_certificate_is_a_setup_error(tmp_path: Path) -> None:
    """A self-signed certificate: exit 2, one line with the TLS library's reason."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    request = "req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1"
    names = "subjectAltName=IP:127.0.0.1"
    subprocess.run(
        ["openssl", *request.split(), "-addext", names, "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    with serving(hostile.conformant_400, tls) as server:
        run = ordercheck("fuzz", "--base-url", server.url, "--max-examples", "1", timeout=60)
    assert run.returncode == 2
    [line] = run.stderr.strip().splitlines()
    assert "the TLS handshake failed" in line
    assert "certificate verify failed" in line


def test_the_reference_still_answers_through_the_bounded_transport() -> None:
    """A conformant server: a valid order gets 200 with keep-alive, judged clean."""
    with running_server(create_app()) as url:
        api = OrderApi(url)
        first, second = api.create_order(order()), api.create_order(order())
    assert (first.status, second.status) == (200, 200)
    assert first.violations == second.violations == ()
