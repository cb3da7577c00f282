"""`ordercheck spec`: print the bundled spec, as written (YAML) or as JSON."""

from __future__ import annotations

import json

import click

from ordercheck.spec import bundled_spec_text, load_spec


@click.command("spec")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["yaml", "json"]),
    default="yaml",
    show_default=True,
    help="YAML exactly as shipped, or the same document as JSON.",
)
def spec_command(fmt: str) -> None:
    """Print the OpenAPI 3.1 spec that every check derives from."""
    if fmt == "yaml":
        click.echo(bundled_spec_text(), nl=False)
    else:
        click.echo(json.dumps(load_spec().document, indent=2, ensure_ascii=False))
