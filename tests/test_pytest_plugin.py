"""The pytest plugin as users run it: `pytest` in a fresh subprocess (pytester), each contract
rule one item; the QA examples against a broken server; and the CI gate of examples/ci.

Every run is a subprocess because each one starts servers and Hypothesis of its own, as a
user's run would. The inner project is strict (`filterwarnings = error`,
`--strict-markers`), so the plugin must not warn and must register its markers.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import sysconfig
import xml.etree.ElementTree as ET
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from ordercheck.server import create_app, running_server
from ordercheck.spec import load_spec

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "qa"
GATE = ROOT / "examples" / "ci" / "gate.sh"
RULES = list(load_spec().conformance.values())
NODE = {rule.id: f"ordercheck::{rule.slug}" for rule in RULES}
# Small and seeded: every variant used here is still caught, and a run takes a few seconds.
EMBEDDED = ("--ordercheck-embedded", "--ordercheck-max-examples", "8", "--ordercheck-seed", "1")
SECRET = "s3cr3t-key-value"


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """An empty, strict pytest project, run without a cache directory or a key from the
    developer's environment."""
    monkeypatch.delenv("ORDERCHECK_ACCESS_KEY", raising=False)
    pytester.makeini(
        "[pytest]\naddopts = --strict-markers -p no:cacheprovider\nfilterwarnings = error\n"
    )
    return pytester


def junit_outcomes(path: Path) -> dict[str, str]:
    """Per node id, what a JUnit XML file records: passed, failure, error or skipped."""
    outcomes = {}
    for case in ET.parse(path).iter("testcase"):
        marks = {child.tag for child in case} & {"failure", "error", "skipped"}
        outcomes[f"{case.get('classname')}::{case.get('name')}"] = (
            marks.pop() if marks else "passed"
        )
    return outcomes


def every_rule(**exceptions: str) -> dict[str, str]:
    """All 14 rule items passed, but for `exceptions` (rule id to outcome)."""
    return {NODE[rule.id]: exceptions.get(rule.id, "passed") for rule in RULES}


def collected(result: pytest.RunResult) -> list[str]:
    """The rule items a `--collect-only -q` run listed, in order."""
    return [line for line in result.outlines if line.startswith("ordercheck::")]


def test_plugin_is_registered_through_the_pytest11_entry_point() -> None:
    """Installing ordercheck registers the plugin module with pytest under the name ordercheck."""
    plugins = {e.name: e.value for e in entry_points(group="pytest11")}
    assert plugins.get("ordercheck") == "ordercheck.pytest_plugin"


@pytest.mark.slow
def test_plain_run_has_no_rule_items_and_loads_nothing_heavy(project: pytest.Pytester) -> None:
    """Without the options the plugin is loaded but adds no item, imports no runner or server
    and starts no server thread."""
    project.makepyfile(
        """
        import sys, threading

        def test_plain():
            assert "ordercheck.pytest_plugin" in sys.modules
            heavy = {"ordercheck.fuzz.client", "ordercheck.server", "ordercheck.validators"}
            assert heavy.isdisjoint(sys.modules)
            assert not [t for t in threading.enumerate() if t.name == "ordercheck-server"]
        """
    )
    result = project.runpytest_subprocess("-v")
    assert result.ret == 0
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["plugins:*ordercheck-*", "*collected 1 item"])
    assert "ordercheck::" not in result.stdout.str()


@pytest.mark.slow
def test_fixtures_use_the_session_key_and_merchant(project: pytest.Pytester) -> None:
    """With --ordercheck-key (or the key in --ordercheck-access-key-file) and
    --ordercheck-merchant, `order_api` sends them and the `reference_server` it talks to
    accepts them: an order is created."""
    project.makepyfile(
        """
        ORDER = {
            "merchant_order_id": "qa-fixture-1", "payable_amount": "1.00",
            "payment_method": "COD", "skus": {"100000": 1},
            "user": {"first_name": "Ravi", "mobile": "9000000000",
                     "address": {"pincode": "411001", "name": "Ravi", "street1": "12 MG Road"}},
        }

        def test_order(order_api, ordercheck_target, reference_server, order_validator):
            assert ordercheck_target == reference_server
            assert order_validator.check(ORDER).valid
            sent = order_api.create_order(ORDER)
            assert sent.exchange.url.endswith("/merchants/acme/orders")
            assert (sent.status, order_api.check(sent)) == (200, [])
        """
    )
    result = project.runpytest_subprocess(
        f"--ordercheck-key={SECRET}", "--ordercheck-merchant=acme"
    )
    result.assert_outcomes(passed=1)
    assert SECRET not in result.stdout.str()
    key_file = project.path / "key.txt"
    key_file.write_text(SECRET + "\n")
    from_file = project.runpytest_subprocess(
        f"--ordercheck-access-key-file={key_file}", "--ordercheck-merchant=acme"
    )
    from_file.assert_outcomes(passed=1)
    assert SECRET not in from_file.stdout.str()


@pytest.mark.slow
def test_reference_server_passes_all_fourteen_rules(project: pytest.Pytester) -> None:
    """`pytest --ordercheck-embedded` collects one item per rule C1-C14 and all of them pass."""
    result = project.runpytest_subprocess(*EMBEDDED, "--junitxml=reference.xml")
    assert result.ret == 0
    result.stdout.fnmatch_lines(["collected 14 items"])
    result.assert_outcomes(passed=14)
    assert junit_outcomes(project.path / "reference.xml") == every_rule()
    assert list(junit_outcomes(project.path / "reference.xml")) == list(NODE.values())


@pytest.mark.slow
def test_broken_echo_fails_c7_alone_with_a_reproduction(project: pytest.Pytester) -> None:
    """Against wrong_echo only C7 fails, its text has the minimal payload and a curl, and the
    access key given with --ordercheck-key appears nowhere in the output or the JUnit XML."""
    result = project.runpytest_subprocess(
        *EMBEDDED,
        "--ordercheck-variant=wrong_echo",
        f"--ordercheck-key={SECRET}",
        "--junitxml=echo.xml",
    )
    assert result.ret == 1
    assert junit_outcomes(project.path / "echo.xml") == every_rule(C7="failure")
    result.stdout.fnmatch_lines(
        [
            "*ordercheck::C7_echo_merchant_order_id*",
            "C7 merchant_order_id not echoed (* times): *",
            "  sent: *",
            "  got:  HTTP 200 *",
            "  reproduce: curl -sS -X POST http://127.0.0.1:*"
            '"X-Access-Key: $ORDERCHECK_ACCESS_KEY"*',
            "FAILED ordercheck::C7_echo_merchant_order_id - Failed: C7 *",
        ]
    )
    assert SECRET not in result.stdout.str() + result.stderr.str()
    assert SECRET not in (project.path / "echo.xml").read_text()


@pytest.mark.slow
def test_xdist_run_agrees_with_the_serial_run(project: pytest.Pytester) -> None:
    """Against accepts_missing_mobile only C6 fails, and `-n 2` gives every item the same
    outcome as the serial run, with the campaign split between the workers: together they
    send about what one process sends, not twice as much."""
    broken = (*EMBEDDED, "--ordercheck-variant=accepts_missing_mobile")
    serial = project.runpytest_subprocess(*broken, "--junitxml=serial.xml")
    parallel = project.runpytest_subprocess(*broken, "-p", "xdist", "-n", "2", "--junitxml=n2.xml")
    assert (serial.ret, parallel.ret) == (1, 1)
    parallel.stdout.fnmatch_lines(["2 workers [[]14 items[]]"])
    serial.stdout.fnmatch_lines(
        ["C6 invalid payload accepted*: *", "  payload breaks: user*mobile*"]
    )
    expected = every_rule(C6="failure")
    assert junit_outcomes(project.path / "serial.xml") == expected
    assert junit_outcomes(project.path / "n2.xml") == expected
    one, split = campaign_requests(serial), campaign_requests(parallel)
    assert one * 0.8 <= split <= one * 1.2 + 10, (one, split)


@pytest.mark.slow
def test_a_worker_that_dies_before_its_part_stops_the_shared_run(
    project: pytest.Pytester,
) -> None:
    """One xdist worker of a shared run dies before handing in its part: the others learn it
    from the relay at once (not after the 30-minute wait), no rule is counted as passed, and
    the session stops with the reason."""
    project.makeconftest(
        """
        import os
        import pytest

        @pytest.hookimpl(tryfirst=True)
        def pytest_collection_finish(session):
            if os.environ.get("PYTEST_XDIST_WORKER") == "gw1":
                os._exit(3)
        """
    )
    args = (*EMBEDDED, "-p", "xdist", "-n", "2")
    result = project.runpytest_subprocess(*args, timeout=240)
    assert result.ret != 0
    assert "passed" not in result.outlines[-1]
    result.stdout.fnmatch_lines(["*the shared run's part 1 never came: its worker went down*"])


def campaign_requests(result: pytest.RunResult) -> int:
    """The request count of the campaign summary line the plugin prints."""
    (line,) = [line for line in result.stdout.lines if line.startswith("ordercheck: ")]
    return int(re.search(r"(\d+) requests", line).group(1))  # type: ignore[union-attr]


def test_selecting_one_rule_runs_only_what_it_needs(project: pytest.Pytester) -> None:
    """`-k C10` runs C10's sequence and the order it builds on, not the whole campaign, and
    the same under `-n 2`."""
    full = project.runpytest_subprocess(*EMBEDDED)
    alone = project.runpytest_subprocess(*EMBEDDED, "-k", "C10")
    split = project.runpytest_subprocess(*EMBEDDED, "-k", "C10", "-p", "xdist", "-n", "2")
    assert (full.ret, alone.ret, split.ret) == (0, 0, 0)
    alone.assert_outcomes(passed=1, deselected=13)
    assert campaign_requests(alone) < 12 < campaign_requests(full)
    assert campaign_requests(split) == campaign_requests(alone)


EXCHANGE = [rule.id for rule in RULES if rule.scope == "exchange"]
SEQUENCE = [rule.id for rule in RULES if rule.scope == "sequence"]


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (("-k", "C10"), ["C10"]),
        (("-m", "not ordercheck_sequence"), EXCHANGE),
        (("-m", "ordercheck_sequence"), SEQUENCE),
        (("--deselect", "ordercheck::C14_latency_budget"), [*EXCHANGE, *SEQUENCE[:-1]]),
    ],
    ids=["k", "m-not-sequence", "m-sequence", "deselect"],
)
def test_rules_are_selected_like_any_test(
    project: pytest.Pytester, selection: tuple[str, str], expected: list[str]
) -> None:
    """-k, -m on the scope markers and --deselect by node id pick rule items as they pick
    tests (collection only: no server, no fuzzing, so in-process)."""
    result = project.runpytest_inprocess(
        "--ordercheck-embedded", *selection, "--collect-only", "-q"
    )
    assert result.ret == 0
    assert collected(result) == [NODE[rule] for rule in expected]
    assert (len(EXCHANGE), len(SEQUENCE)) == (8, 6)


def closed_port() -> int:
    """A loopback port nothing listens on (just released by the OS)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.slow
def test_unreachable_target_stops_the_session_with_exit_2(project: pytest.Pytester) -> None:
    """An unreachable --ordercheck-url stops the run after one item with exit code 2 and the
    reason, instead of reporting 14 broken rules."""
    url = f"http://127.0.0.1:{closed_port()}"
    result = project.runpytest_subprocess(f"--ordercheck-url={url}")
    assert result.ret == 2
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [f"ordercheck could not run: cannot reach {url}: *", f"*Interrupted: *cannot reach {url}*"]
    )


@pytest.mark.slow
def test_qa_examples_catch_a_server_that_breaks_the_echo(project: pytest.Pytester) -> None:
    """The worked examples, pointed with --ordercheck-url at a server that upper-cases the
    echoed merchant_order_id, fail the echo example and pass the others."""
    # Shrinking the failing example costs seconds over HTTP, and only pass or fail matters.
    project.makepyfile(
        no_shrink="""
        from hypothesis import Phase, settings

        settings.register_profile("no_shrink", phases=[Phase.explicit, Phase.generate])
        """
    )
    with running_server(create_app(variant="wrong_echo", access_key=SECRET)) as url:
        result = project.runpytest_subprocess(
            str(EXAMPLES),
            f"--ordercheck-key={SECRET}",
            "-p",
            "no_shrink",
            "--hypothesis-profile=no_shrink",
            f"--ordercheck-url={url}",
            "-m",
            "not ordercheck",
            "-p",
            "no:cacheprovider",
            "--junitxml=qa.xml",
        )
    assert result.ret == 1
    outcomes = junit_outcomes(project.path / "qa.xml")
    failed = sorted(node.rsplit("::", 1)[1] for node, seen in outcomes.items() if seen != "passed")
    assert failed == ["test_valid_online_order_is_created"]
    assert len(outcomes) == 6


def run_gate(
    cwd: Path,
    base_url: str | None,
    key: str = SECRET,
    *args: str,
    gate: Path = GATE,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """examples/ci/gate.sh as CI runs it; by default with ordercheck already installed (this
    venv), and `env` on top."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ORDERCHECK_")}
    environment.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{environment.get('PATH', '')}",
        ORDERCHECK_SKIP_INSTALL="1",
        ORDERCHECK_ACCESS_KEY=key,
    )
    if base_url is not None:
        environment["ORDERCHECK_BASE_URL"] = base_url
    environment.update(env or {})
    return subprocess.run(
        ["bash", str(gate), *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,  # the exit code is what the tests look at
    )


def copy_of_the_repository(destination: Path) -> Path:
    """The source tree as a clone has it (no venv, no caches), for pip to build from: pip
    builds a local directory in place, which must not write into this checkout."""
    anywhere = shutil.ignore_patterns("*.egg-info", "__pycache__", ".*_cache", ".hypothesis")

    def ignore(directory: str, names: list[str]) -> set[str]:
        at_top = {".venv", ".git", "build", "dist", "reports"} if Path(directory) == ROOT else set()
        return set(anywhere(directory, names)) | (at_top & set(names))

    shutil.copytree(ROOT, destination, symlinks=True, ignore=ignore)
    return destination


def fresh_venv(path: Path) -> dict[str, str]:
    """A new venv with no ordercheck, whose interpreter sees this venv's site-packages (the
    dependencies, pip and setuptools) through a .pth file, so installing ordercheck into it
    needs no download; the environment for a gate that installs into it."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    [site_packages] = path.glob("lib/python*/site-packages")
    (site_packages / "project-venv.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return {
        "PYTHON": str(path / "bin" / "python"),
        "PATH": f"{path / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "ORDERCHECK_SKIP_INSTALL": "0",
        # pip's own variables: no dependencies, build with this venv's setuptools (the
        # variable's meaning is inverted, as pip documents), never reach an index.
        "PIP_NO_DEPS": "1",
        "PIP_NO_BUILD_ISOLATION": "0",
        "PIP_NO_INDEX": "1",
    }


@pytest.mark.slow
@pytest.mark.parametrize(("variant", "code"), [(None, 0), ("wrong_echo", 1)])
def test_gate_passes_the_exit_code_through_and_keeps_the_reports(
    tmp_path: Path, variant: str | None, code: int
) -> None:
    """gate.sh exits 0 against the reference and 1 against a broken server, and leaves
    junit.xml, report.html and report.json under reports/ either way, without the key."""
    with running_server(create_app(access_key=SECRET, variant=variant)) as url:
        gate = run_gate(tmp_path, url, SECRET, "--max-examples", "5", "--seed", "1")
    assert gate.returncode == code, gate.stderr
    reports = tmp_path / "reports"
    written = {name: (reports / name).read_text() for name in ("junit.xml", "report.html")}
    assert (reports / "report.json").is_file()
    failed = [
        case.get("name", "")
        for case in ET.fromstring(written["junit.xml"]).iter("testcase")
        if case.find("failure") is not None
    ]
    assert [name.split("_")[0] for name in failed] == (["C7"] if variant else [])
    assert SECRET not in gate.stdout + gate.stderr + "".join(written.values())


def test_gate_exits_2_for_an_unreachable_target_or_a_missing_url(tmp_path: Path) -> None:
    """gate.sh exits 2, with no report, when the target cannot be reached or no URL is set."""
    unreachable = run_gate(tmp_path, f"http://127.0.0.1:{closed_port()}")
    assert unreachable.returncode == 2, unreachable.stderr
    assert "unreachable target" in unreachable.stderr
    missing = run_gate(tmp_path, None)
    assert missing.returncode == 2
    assert "set ORDERCHECK_BASE_URL" in missing.stderr
    assert not (tmp_path / "reports" / "report.html").exists()


@pytest.mark.slow
@pytest.mark.parametrize("where", ["in_the_repository", "copied_with_ordercheck_source"])
def test_gate_installs_ordercheck_from_its_source(
    tmp_path: Path, reference_url: str, where: str
) -> None:
    """gate.sh installs ordercheck in a fresh venv from its own repo or ORDERCHECK_SOURCE."""
    source = copy_of_the_repository(tmp_path / "ordercheck")
    venv = tmp_path / "venv"
    env = fresh_venv(venv)
    if where == "in_the_repository":
        gate = source / "examples" / "ci" / "gate.sh"
    else:
        gate = tmp_path / "ci" / "ordercheck-gate.sh"
        gate.parent.mkdir()
        shutil.copy(GATE, gate)
        env["ORDERCHECK_SOURCE"] = str(source)
    (tmp_path / "work").mkdir()
    run = run_gate(
        tmp_path / "work",
        reference_url,
        "1mg_client_access_key",
        "--max-examples",
        "2",
        gate=gate,
        env=env,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ordercheck gate: conformant" in run.stdout
    assert (venv / "bin" / "ordercheck").is_file()
    assert list(venv.glob("lib/python*/site-packages/ordercheck/cli/__init__.py"))
    assert (tmp_path / "work" / "reports" / "junit.xml").is_file()


def test_gate_exits_2_when_ordercheck_cannot_be_installed(tmp_path: Path) -> None:
    """An ORDERCHECK_SOURCE pip cannot install exits 2 naming it, never 1 (nothing judged)."""
    missing = tmp_path / "no-such-checkout"
    env = {"ORDERCHECK_SKIP_INSTALL": "0", "ORDERCHECK_SOURCE": str(missing)}
    run = run_gate(tmp_path, "http://127.0.0.1:9", env={**env, "PIP_NO_INDEX": "1"})
    assert run.returncode == 2, run.stdout + run.stderr
    assert f"could not install ordercheck from {missing}" in run.stderr
    assert not (tmp_path / "reports").exists()


def test_gate_copied_elsewhere_without_a_source_exits_2(tmp_path: Path) -> None:
    """A copy of gate.sh outside ordercheck's repository without ORDERCHECK_SOURCE exits 2."""
    gate = tmp_path / "ci" / "ordercheck-gate.sh"
    gate.parent.mkdir()
    shutil.copy(GATE, gate)
    run = run_gate(tmp_path, "http://127.0.0.1:9", gate=gate, env={"ORDERCHECK_SKIP_INSTALL": "0"})
    assert run.returncode == 2, run.stdout + run.stderr
    assert "set ORDERCHECK_SOURCE" in run.stderr


def cli_only_options_in_readme() -> set[str]:
    """The options the README's one-side-only table gives to `ordercheck fuzz` alone."""
    readme = (ROOT / "README.md").read_text("utf-8")
    rows = [line for line in readme.splitlines() if line.startswith("| `--")]
    found = set()
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        if cells[1] == "`ordercheck fuzz`":
            found |= set(re.findall(r"`(--[a-z-]+)`", cells[0]))
    return found


def test_every_fuzz_option_is_a_plugin_option_but_the_listed_ones(
    project: pytest.Pytester,
) -> None:
    """`pytest --help` shows an --ordercheck- option for every `ordercheck fuzz` option,
    except exactly those the README lists as command-line only."""
    from click.testing import CliRunner

    from ordercheck.cli import cli

    fuzz_help = CliRunner().invoke(cli, ["fuzz", "--help"], terminal_width=200).output
    fuzz_options = set(re.findall(r"^\s+(?:-\w, )?(--[a-z-]+)", fuzz_help, re.M)) - {"--help"}
    pytest_help = project.runpytest_subprocess("--help").stdout.str()
    in_plugin = {o for o in fuzz_options if f"--ordercheck-{o.removeprefix('--')}" in pytest_help}
    assert fuzz_options - in_plugin == cli_only_options_in_readme()
