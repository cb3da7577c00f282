"""The command line itself, under bad arguments: no traceback ever escapes, and the exit code
is always 0, 1 or 2.

Every bad value of every fuzz option is checked by name, in-process on the real group
through click's `CliRunner`, mapped to exit codes the way the console script maps them
(`ordercheck.cli.main`: an `OrdercheckError` is one line and exit 2).
"""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from ordercheck.cli import cli
from ordercheck.errors import OrdercheckError

# Where the dry runs "send": nothing listens there, and a dry run sends nothing anyway.
NOWHERE = "http://127.0.0.1:9"


def command(name: str) -> click.Command:
    """The registered command `name`, as the group hands it out."""
    with click.Context(cli) as context:
        found = cli.get_command(context, name)
    assert found is not None
    return found


def options_of(name: str) -> list[click.Option]:
    return [p for p in command(name).params if isinstance(p, click.Option)]


def exit_code(result: click.testing.Result) -> int:
    """What the console script would exit with, or fail the test on an escaped exception."""
    exc = result.exception
    if exc is None or isinstance(exc, SystemExit):
        return result.exit_code
    if isinstance(exc, OrdercheckError):
        return exc.exit_code
    raise AssertionError(f"a traceback escaped: {exc!r}\n{result.output}") from exc


def invoke(*args: str) -> click.testing.Result:
    env: dict[str, str | None] = {"ORDERCHECK_ACCESS_KEY": None, "NO_COLOR": None}
    return CliRunner().invoke(cli, list(args), env=env)


# -- every bad value of every fuzz option, by name --------------------------------------------

BAD_VALUES = [
    ("--max-examples", "0"),
    ("--max-examples", "-5"),
    ("--max-examples", "10000000"),
    ("--workers", "0"),
    ("--workers", "65"),
    ("--burst-size", "1"),
    ("--burst-size", "65"),
    ("--rate-limit", "nan"),
    ("--rate-limit", "inf"),
    ("--rate-limit", "-1"),
    ("--rate-limit", "0"),
    ("--rate-limit", "1e-300"),
    ("--latency-budget-ms", "nan"),
    ("--latency-budget-ms", "-5"),
    ("--latency-budget-ms", "inf"),
    ("--timeout", "nan"),
    ("--timeout", "0"),
    ("--timeout", "-1"),
    ("--timeout", "1e300"),
    ("--deadline", "nan"),
    ("--deadline", "-1"),
    ("--deadline", "inf"),
    ("--max-response-bytes", "0"),
    ("--max-response-bytes", "-1"),
    ("--max-response-bytes", "100"),
    ("--max-response-bytes", str(2**40)),
    ("--merchant-id", ""),
    ("--merchant-id", "a/b"),
    ("--merchant-id", "x" * 129),
    ("--path", "orders"),
    ("--path", "/orders/{other}"),
    ("--path", "/orders?x=1"),
    ("--path", "/or ders"),
    ("--allow-rejection", "(unclosed"),
    ("--base-url", "http://[::1"),
    ("--access-key", "\u00e9t\u00e9-key-4711"),
    ("--variant", "no_such_variant"),
]


@pytest.mark.parametrize(("option", "value"), BAD_VALUES)
def test_every_bad_option_value_is_one_line_exit_2(option: str, value: str) -> None:
    """Each bad value: exit 2 with one line naming the option, in-process through the group."""
    result = invoke("fuzz", "--dry-run", "--base-url", NOWHERE, option, value)
    assert exit_code(result) == 2, result.output
    message = str(result.exception) if result.exception else result.output
    assert option in message


def test_every_number_option_is_checked() -> None:
    """Every int and float option of fuzz is in the table above with a bad value."""
    numeric = {
        o.opts[0]
        for o in options_of("fuzz")
        if isinstance(o.type, (click.types.IntParamType, click.types.FloatParamType))
    }
    checked = {option for option, _ in BAD_VALUES}
    assert numeric - {"--seed"} <= checked


@pytest.mark.slow
def test_every_seed_is_accepted() -> None:
    """Any integer is a seed, however large or negative: a dry run with it exits 0."""
    for seed in ("-1", str(2**200), "0"):
        result = invoke(
            "fuzz", "--dry-run", "--base-url", NOWHERE, "--max-examples", "1", "--seed", seed
        )
        assert exit_code(result) == 0, (seed, result.output)
