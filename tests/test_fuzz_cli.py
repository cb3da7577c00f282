"""`ordercheck fuzz`, `replay` and `demo` as a user runs them: real processes, real servers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from console import ordercheck
from ordercheck.server import create_app, running_server

SECRET = "s3cr3t-key-4711"


def _all_text(directory: Path) -> str:
    return "".join(p.read_text("utf-8", "replace") for p in directory.rglob("*") if p.is_file())


@pytest.mark.slow
def test_clean_run_exits_0_and_writes_three_reports(tmp_path: Path) -> None:
    """On the embedded reference: exit 0, the verdict, and report.json/junit.xml/html + latest."""
    junit = tmp_path / "ci" / "junit.xml"
    run = ordercheck(
        "fuzz",
        "--max-examples",
        "5",
        "--seed",
        "3",
        "--report-dir",
        str(tmp_path / "reports"),
        "--junit-xml",
        str(junit),
    )
    assert run.returncode == 0, run.stderr
    assert "Verdict: conformant" in run.stdout
    latest = tmp_path / "reports" / "latest"
    assert latest.is_symlink()
    report = json.loads((latest / "report.json").read_text("utf-8"))
    assert report["verdict"] == "conformant"
    assert report["order_prefix"] in run.stdout
    assert (latest / "junit.xml").read_bytes() == junit.read_bytes()
    assert "<html" in (latest / "report.html").read_text("utf-8")
    assert str(latest.resolve() / "report.html") in run.stdout or "report.html" in run.stdout


@pytest.mark.slow
def test_broken_variant_exits_1_naming_the_rule_with_a_curl(tmp_path: Path) -> None:
    """A broken server: exit 1, the rule marked FAILED, and a curl that reproduces it."""
    run = ordercheck(
        "fuzz",
        "--variant",
        "wrong_echo",
        "--max-examples",
        "5",
        "--seed",
        "3",
        "--report-dir",
        str(tmp_path),
    )
    assert run.returncode == 1, run.stderr
    c7 = next(line for line in run.stdout.splitlines() if line.strip().startswith("C7 "))
    assert "FAILED" in c7
    assert "curl -sS -X POST" in run.stdout
    assert "Verdict: non-conformant" in run.stdout


def test_unreachable_target_exits_2_with_one_line() -> None:
    """A URL nobody listens on: exit 2 and one line saying so, never a traceback."""
    run = ordercheck("fuzz", "--base-url", "http://127.0.0.1:9", "--max-examples", "1")
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert run.stderr.strip().splitlines() == [
        "ordercheck: error: cannot reach http://127.0.0.1:9: ConnectionError"
    ]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--allow-rejection", "(unclosed"], "--allow-rejection"),
        (["--rate-limit", "0"], "--rate-limit"),
        (["--base-url", "ftp://x"], "--base-url"),
        (["--variant", "no_such_variant"], "no_such_variant"),
    ],
)
def test_bad_options_exit_2_naming_the_option(args: list[str], says: str) -> None:
    """A bad option value is a usage error: exit 2 and its name in the message."""
    run = ordercheck("fuzz", "--max-examples", "1", *args)
    assert run.returncode == 2
    assert says in run.stderr
    assert "Traceback" not in run.stderr


def test_bad_sku_catalog_names_file_and_line(tmp_path: Path) -> None:
    """An unusable SKU catalogue: exit 2, one line with the file and the line number."""
    catalog = tmp_path / "skus.txt"
    catalog.write_text("117004\n139 559\n", "utf-8")
    run = ordercheck("fuzz", "--sku-catalog", str(catalog), "--max-examples", "1")
    assert run.returncode == 2
    assert f"{catalog}:2:" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_access_key_never_appears_in_output_or_reports(tmp_path: Path) -> None:
    """The key, from the environment, reaches the server but no output, report or curl."""
    app = create_app(access_key=SECRET, variant="wrong_echo")  # failures, so curls get written
    with running_server(app) as url:
        run = ordercheck(
            "fuzz",
            "--base-url",
            url,
            "--max-examples",
            "5",
            "--report-dir",
            str(tmp_path),
            env={"ORDERCHECK_ACCESS_KEY": SECRET},
        )
    assert run.returncode == 1, run.stdout + run.stderr
    assert app.state.store.orders_created > 0  # the key worked
    assert SECRET not in run.stdout + run.stderr
    assert SECRET not in _all_text(tmp_path)
    assert "$ORDERCHECK_ACCESS_KEY" in _all_text(tmp_path)
    assert "$ORDERCHECK_ACCESS_KEY" in run.stdout


@pytest.fixture
def secret_server() -> Iterator[tuple[str, object]]:
    """A reference server whose key is a secret that must never be printed."""
    app = create_app(access_key=SECRET)
    with running_server(app) as url:
        yield url, app


def test_dry_run_sends_nothing_and_prints_curls(secret_server) -> None:
    """--dry-run prints the requests it would send, as curls without the key, and sends none."""
    url, app = secret_server
    run = ordercheck(
        "fuzz", "--base-url", url, "--max-examples", "3", "--dry-run", "--access-key", SECRET
    )
    assert run.returncode == 0, run.stderr
    assert app.state.store.orders_created == 0
    curls = [line for line in run.stdout.splitlines() if line.startswith("curl ")]
    assert len(curls) >= 10
    assert all("$ORDERCHECK_ACCESS_KEY" in line for line in curls)
    assert SECRET not in run.stdout + run.stderr


@pytest.mark.slow
def test_replay_resends_failures_and_sees_a_fix(tmp_path: Path, reference_url: str) -> None:
    """replay: the failing cases of a run fail again on the broken server, pass once fixed."""
    with running_server(create_app(variant="wrong_echo")) as broken:
        run = ordercheck(
            "fuzz",
            "--base-url",
            broken,
            "--max-examples",
            "5",
            "--seed",
            "1",
            "--report-dir",
            str(tmp_path),
        )
        assert run.returncode == 1
        report = tmp_path / "latest" / "report.json"
        again = ordercheck("replay", str(report))
    assert again.returncode == 1, again.stderr
    assert "C7   FAILS" in again.stdout
    after_fix = ordercheck("replay", str(report), "--base-url", reference_url)
    assert after_fix.returncode == 0, after_fix.stdout + after_fix.stderr
    assert "C7   passes" in after_fix.stdout


def test_replay_of_a_broken_report_exits_2(tmp_path: Path) -> None:
    """A report.json that is not one: exit 2 naming the file, no traceback."""
    bad = tmp_path / "report.json"
    bad.write_text('{"run_id": 1', "utf-8")
    run = ordercheck("replay", str(bad))
    assert run.returncode == 2
    assert str(bad) in run.stderr
    assert "Traceback" not in run.stderr


def report_of(run_dir: Path, *args: str) -> dict[str, Any]:
    """`ordercheck fuzz ARGS` writing into `run_dir`: its report.json."""
    run = ordercheck("fuzz", "--quiet", "--report-dir", str(run_dir), *args)
    assert run.returncode in (0, 1), run.stderr
    report: dict[str, Any] = json.loads((run_dir / "latest" / "report.json").read_text("utf-8"))
    return report


@pytest.mark.slow
def test_rate_limit_spaces_requests(tmp_path: Path) -> None:
    """--rate-limit N: a run of R requests takes at least (R - 1) / N seconds."""
    report = report_of(tmp_path, "--max-examples", "2", "--rate-limit", "40")
    assert report["requests"] > 40
    assert report["duration_s"] >= (report["requests"] - 1) / 40.0


@pytest.mark.slow
def test_workers_reach_the_same_verdict(tmp_path: Path) -> None:
    """Phases on two threads give the same verdict and rule outcomes as on one."""
    args = ("--variant", "accepts_zero_quantity", "--max-examples", "5", "--seed", "9")
    serial = report_of(tmp_path / "serial", *args)
    parallel = report_of(tmp_path / "parallel", *args, "--workers", "2")
    assert serial["verdict"] == parallel["verdict"] == "non-conformant"
    assert [(r["id"], r["status"]) for r in serial["rules"]] == [
        (r["id"], r["status"]) for r in parallel["rules"]
    ]


def test_refused_access_key_exits_2_naming_the_options(reference_url: str) -> None:
    """A key the target refuses is a usage error (exit 2), not a list of broken rules."""
    run = ordercheck(
        "fuzz", "--base-url", reference_url, "--max-examples", "1", "--access-key", "not-the-key"
    )
    assert run.returncode == 2
    assert "refuses the access key for merchant 'demo-merchant' (HTTP 401)" in run.stderr
    assert "not-the-key" not in run.stdout + run.stderr
    assert "Traceback" not in run.stderr
