"""The `ordercheck` command: a thin click group; each command lives in its own module.

The group knows its commands by name and imports a command's module only when that command
is looked up, so `import ordercheck.cli` stays cheap and `ordercheck validate` does not pay
for `fuzz`; `ordercheck --help` imports them all for their one-line help.  Registration is
part of the group itself, so `click.testing.CliRunner().invoke(cli, [...])` sees every
command, exactly as the console script does.

Every `OrdercheckError` becomes one line on standard error and exit code 2, never a traceback.
"""

from __future__ import annotations

import importlib
import sys

import click

from ordercheck import __version__
from ordercheck.errors import OrdercheckError

# name -> "module:attribute" of its click command.  tests/test_entry_points.py checks that
# every command defined under ordercheck/cli/ is here and listed by `ordercheck --help`.
COMMANDS = {
    "demo": "ordercheck.cli._demo:demo_command",
    "fuzz": "ordercheck.cli._fuzz:fuzz_command",
    "generate": "ordercheck.cli._generate:generate_command",
    "proxy": "ordercheck.cli._proxy:proxy_command",
    "replay": "ordercheck.cli._replay:replay_command",
    "report": "ordercheck.cli._report:report_command",
    "serve": "ordercheck.cli._serve:serve_command",
    "spec": "ordercheck.cli._spec:spec_command",
    "validate": "ordercheck.cli._validate:validate_command",
}


class _LazyGroup(click.Group):
    """A group that imports each command's module on first use (click's documented pattern
    for lazily loaded subcommands)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            module_name, attribute = COMMANDS[cmd_name].split(":")
            command = getattr(importlib.import_module(module_name), attribute)
            if not isinstance(command, click.Command):  # a wrong entry in COMMANDS
                raise TypeError(f"{COMMANDS[cmd_name]} is not a click command")
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ordercheck")
def cli() -> None:
    """Contract testing and payload validation for the 1mg Create Order API."""


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
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
