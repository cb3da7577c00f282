"""The `ordercheck` command: a thin click group; each command lives in its own module.

Every `OrdercheckError` becomes one line on standard error and exit code 2, never a traceback.
"""

from __future__ import annotations

import sys

import click

from ordercheck import __version__
from ordercheck.errors import OrdercheckError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ordercheck")
def cli() -> None:
    """Contract testing and payload validation for the 1mg Create Order API."""


def _register() -> None:
    # Imported here so that `ordercheck --help` stays cheap and each command owns its module.
    from ordercheck.cli import _demo, _fuzz, _generate, _replay, _serve, _spec, _validate

    for command in (
        _fuzz.fuzz_command,
        _demo.demo_command,
        _generate.generate_command,
        _replay.replay_command,
        _serve.serve_command,
        _spec.spec_command,
        _validate.validate_command,
    ):
        cli.add_command(command)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    _register()
    try:
        code = cli.main(args=argv, prog_name="ordercheck", standalone_mode=False)
    except OrdercheckError as exc:
        click.echo(f"ordercheck: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("ordercheck: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    # Without standalone mode, click hands back `ctx.exit(n)` as a return value.
    sys.exit(code if isinstance(code, int) else 0)
