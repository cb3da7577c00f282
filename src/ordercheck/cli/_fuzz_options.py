"""The ``ordercheck fuzz`` options, generated from `FuzzConfig`'s declaration.

Each `FuzzConfig` field offered on the command line becomes one click option with the
field's default and help; a file-valued option (``--sku-catalog``) is read by the field's
`convert` when the config is built, so a bad file is a one-line error naming its line.

The access key can come three ways: ``--access-key-file``, ``$ORDERCHECK_ACCESS_KEY`` or
``--access-key``.  A file beats the environment (an explicit option beats an ambient
variable, as everywhere in click); a key typed on the command line is visible to every user
of the machine (``ps``), so it draws one warning.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import MISSING
from typing import Any

import click
from click.core import ParameterSource

from ordercheck.fuzz.config import FuzzConfig, Option, options
from ordercheck.redaction import MIN_SCRUBBED_LENGTH

KEY_ON_COMMAND_LINE = (
    "ordercheck: warning: --access-key puts the key on the command line, where other users "
    "can see it (ps); prefer ORDERCHECK_ACCESS_KEY or --access-key-file"
)
SHORT_KEY = (
    f"ordercheck: warning: the access key is shorter than {MIN_SCRUBBED_LENGTH} characters: "
    "it is kept out of headers, curls and reports, but it cannot be scrubbed from the "
    "target's own responses without mangling them"
)


def _click_type(how: Option) -> Any:
    if how.kind == "int":
        return int
    if how.kind == "float":
        return float
    if how.kind == "choice":
        return click.Choice(list(how.choices))
    if how.kind == "path":
        return click.Path(dir_okay=False)
    return str


def fuzz_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a click command with every command-line fuzz option, in declaration order."""
    for config_field, how in reversed(options("cli")):
        default = None if config_field.default is MISSING else config_field.default
        secret = config_field.name == "access_key"
        decorator = click.option(
            how.cli_flag(config_field.name),
            config_field.name,
            type=None if how.kind == "flag" else _click_type(how),
            is_flag=how.kind == "flag",
            default=default,
            show_default=not secret and default not in (None, False),
            metavar=how.metavar,
            envvar=how.envvar,
            show_envvar=how.envvar is not None,
            help=how.help,
        )
        func = decorator(func)
    return func


def config_from(values: Mapping[str, Any]) -> FuzzConfig:
    """A `FuzzConfig` from parsed option values (file-valued options read here)."""
    arguments: dict[str, Any] = {}
    for config_field, how in options("cli"):
        if config_field.name not in values:
            continue
        value = values[config_field.name]
        if value is not None and how.convert is not None:
            value = how.convert(str(value))
        arguments[config_field.name] = value
    source = _access_key_source()
    if arguments.get("access_key_file") is not None and source is not ParameterSource.COMMANDLINE:
        arguments.pop("access_key", None)
    config = FuzzConfig(**arguments)
    warn_if_key_typed()
    if len(config.access_key) < MIN_SCRUBBED_LENGTH:
        click.echo(SHORT_KEY, err=True)
    return config


def warn_if_key_typed() -> None:
    """Warn (once: commands call this once) when ``--access-key`` came from argv."""
    if _access_key_source() is ParameterSource.COMMANDLINE:
        click.echo(KEY_ON_COMMAND_LINE, err=True)


def _access_key_source() -> ParameterSource | None:
    """Where the running command's ``--access-key`` came from (None: it has none)."""
    context = click.get_current_context(silent=True)
    return None if context is None else context.get_parameter_source("access_key")
