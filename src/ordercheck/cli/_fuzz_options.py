"""The ``ordercheck fuzz`` options, generated from `FuzzConfig`'s declaration.

Each `FuzzConfig` field offered on the command line becomes one click option with the
field's default and help; a file-valued option (``--sku-catalog``) is read by the field's
`convert` when the config is built, so a bad file is a one-line error naming its line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import MISSING
from typing import Any

import click

from ordercheck.fuzz.config import FuzzConfig, Option, options


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
    return FuzzConfig(**arguments)
