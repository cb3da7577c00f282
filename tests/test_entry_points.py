"""Every command the package defines is reachable the way users reach it: registered in the
`ordercheck` group, listed by `ordercheck --help`, and runnable through the installed console
script with a small real job.

The command modules are discovered under `ordercheck/cli/`, not listed here, so a command
that someone writes and forgets to register fails this file.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import click
import pytest

import ordercheck.cli as cli_package
from console import ORDERCHECK, environment, ordercheck
from ordercheck.validators import RequestValidator

SAMPLES = Path(str(resources.files("ordercheck") / "samples"))


def defined_commands() -> dict[str, click.Command]:
    """Each click command defined (not merely imported) in a module of `ordercheck.cli`,
    by the name it is registered under."""
    found: dict[str, click.Command] = {}
    for module_info in pkgutil.iter_modules(cli_package.__path__):
        name = f"{cli_package.__name__}.{module_info.name}"
        module = importlib.import_module(name)
        for value in vars(module).values():
            defined_here = getattr(getattr(value, "callback", None), "__module__", None) == name
            if isinstance(value, click.Command) and defined_here:
                assert value.name is not None
                found[value.name] = value
    return found


COMMANDS = defined_commands()


def listed_in_help() -> list[str]:
    """The command names the console script's `--help` lists under "Commands:"."""
    run = ordercheck("--help")
    assert run.returncode == 0, run.stderr
    section = run.stdout.split("Commands:", 1)[1]
    return re.findall(r"^  (\S+)", section, flags=re.MULTILINE)


def test_discovery_finds_the_known_commands() -> None:
    """Discovery works: it finds at least the seven commands the README documents."""
    assert set(COMMANDS) >= {"demo", "fuzz", "generate", "replay", "serve", "spec", "validate"}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_defined_command_is_registered(name: str) -> None:
    """The group resolves each command name to the very command object its module defines."""
    with click.Context(cli_package.cli) as ctx:
        assert cli_package.cli.get_command(ctx, name) is COMMANDS[name]


def test_help_lists_exactly_the_defined_commands() -> None:
    """`ordercheck --help` lists every defined command and nothing that is not one."""
    assert ORDERCHECK.is_file()
    assert sorted(listed_in_help()) == sorted(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_console_script_runs_each_commands_help(name: str) -> None:
    """`ordercheck NAME --help` exits 0 with the command's usage line and no error output."""
    run = ordercheck(name, "--help")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(f"Usage: ordercheck {name} ")
    assert run.stderr == ""


def test_python_dash_m_is_the_same_program() -> None:
    """`python -m ordercheck` (where the console script is not on PATH) prints the same help,
    under the same program name, as the console script."""
    module = subprocess.run(
        [sys.executable, "-m", "ordercheck", "--help"],
        capture_output=True,
        text=True,
        env=environment(),
        timeout=60,
        check=False,
    )
    assert module.returncode == 0, module.stderr
    assert module.stdout == ordercheck("--help").stdout


def test_unknown_command_exits_2() -> None:
    """A command that does not exist is a usage error (exit 2) naming it, not a traceback."""
    run = ordercheck("no-such-command")
    assert run.returncode == 2
    assert "No such command 'no-such-command'" in run.stderr
    assert "Traceback" not in run.stderr


def test_spec_prints_the_spec_as_json() -> None:
    """`ordercheck spec --format json` prints the OpenAPI 3.1 document with its operation."""
    run = ordercheck("spec", "--format", "json")
    assert run.returncode == 0, run.stderr
    document = json.loads(run.stdout)
    assert document["openapi"].startswith("3.1")
    assert list(document["paths"]) == ["/merchants/{merchant_id}/orders"]


def test_generate_writes_n_valid_orders() -> None:
    """`generate --kind valid -n 2 --seed 1` writes two valid orders, the same for one seed."""
    run = ordercheck("generate", "--kind", "valid", "-n", "2", "--seed", "1")
    assert run.returncode == 0, run.stderr
    orders = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(orders) == 2
    assert all(RequestValidator().is_valid(order) for order in orders)
    assert ordercheck("generate", "--kind", "valid", "-n", "2", "--seed", "1").stdout == run.stdout


@pytest.mark.parametrize(
    ("sample", "code", "summary"),
    [
        ("valid-orders.jsonl", 0, "5 payloads: 5 valid, 0 invalid"),
        ("invalid-orders.jsonl", 1, "6 payloads: 1 valid, 5 invalid (6 errors, 2 warnings)"),
    ],
)
def test_validate_judges_the_shipped_samples(sample: str, code: int, summary: str) -> None:
    """`validate` on a shipped sample exits 0 or 1 as it is valid or not, with its summary."""
    run = ordercheck("validate", str(SAMPLES / sample))
    assert run.returncode == code, run.stderr
    assert summary in run.stdout.splitlines()[-1]


def test_serve_lists_its_variants() -> None:
    """`ordercheck serve --list-variants` prints one line per broken variant with its rule."""
    run = ordercheck("serve", "--list-variants")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) >= 25
    assert all(re.match(r"^[a-z0-9_]+ +C[0-9]+ +\S", line) for line in lines), lines


def test_fuzz_dry_run_sends_nothing() -> None:
    """`ordercheck fuzz --dry-run --max-examples 2` prints curls and its order prefix, exit 0."""
    run = ordercheck("fuzz", "--dry-run", "--max-examples", "2")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0].startswith("curl -sS -X POST http://127.0.0.1:")
    assert re.search(r"^dry run: nothing was sent; oc[0-9a-f]+- would prefix", run.stdout, re.M)


@pytest.mark.slow
def test_replay_resends_a_tiny_runs_failures(tmp_path: Path, reference_url: str) -> None:
    """`replay` of a tiny broken run's report.json against a fixed server: all pass, exit 0."""
    run = ordercheck(
        "fuzz",
        "--variant",
        "wrong_echo",
        "--max-examples",
        "2",
        "--seed",
        "1",
        "--quiet",
        "--report-dir",
        str(tmp_path),
    )
    assert run.returncode == 1, run.stderr
    again = ordercheck(
        "replay", str(tmp_path / "latest" / "report.json"), "--base-url", reference_url
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert re.search(r"^C7 +passes ", again.stdout, re.M)
    assert again.stdout.splitlines()[-1].endswith("replayed: 0 still failing")
