"""`ordercheck serve`: run the reference server, or one broken variant, until Ctrl-C.

The server module is imported only when the command runs, so ``ordercheck --help`` does not
pay for Starlette, uvicorn and the validators.  The access key is never printed.
"""

from __future__ import annotations

import threading
from urllib.parse import quote

import click

from ordercheck.defaults import ACCESS_KEY_ENVVAR, DEFAULT_ACCESS_KEY, DEFAULT_MERCHANT_ID


def _list_variants() -> None:
    from ordercheck.server import VARIANTS

    def by_rule(name: str) -> tuple[int, str]:
        return int(VARIANTS[name].rule.removeprefix("C")), name

    width = max(len(name) for name in VARIANTS)
    for name in sorted(VARIANTS, key=by_rule):
        variant = VARIANTS[name]
        click.echo(f"{name:<{width}}  {variant.rule:<4} {variant.description}")


def _check_variant(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    # Checked here rather than with click.Choice so that --help need not import the server.
    if value is None:
        return None
    from ordercheck.server import VARIANTS

    if value not in VARIANTS:
        raise click.BadParameter(f"{value!r} is not a variant; --list-variants lists them")
    return value


def _wait_for_interrupt() -> None:
    # Blocks the main thread, where Ctrl-C lands, while uvicorn serves in its own thread.
    threading.Event().wait()


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on; 0 picks a free one.",
)
@click.option(
    "--merchant-id",
    default=DEFAULT_MERCHANT_ID,
    show_default=True,
    help="The one merchant the server knows; other merchant_ids in the path get 403.",
)
@click.option(
    "--access-key",
    envvar=ACCESS_KEY_ENVVAR,
    default=DEFAULT_ACCESS_KEY,
    show_default=False,
    help="The merchant's X-Access-Key (default: the page's example key; "
    "or set ORDERCHECK_ACCESS_KEY). Never printed.",
)
@click.option(
    "--variant",
    metavar="NAME",
    default=None,
    callback=_check_variant,
    help="Serve a deliberately broken variant instead of the reference (see --list-variants).",
)
@click.option("--list-variants", is_flag=True, help="List the broken variants and exit.")
def serve_command(
    host: str,
    port: int,
    merchant_id: str,
    access_key: str,
    variant: str | None,
    list_variants: bool,
) -> None:
    """Run the embedded reference Create Order API (in memory) until Ctrl-C."""
    if list_variants:
        _list_variants()
        return
    from ordercheck.server import create_app, running_server

    if not access_key:
        raise click.BadParameter("must not be empty", param_hint="--access-key")
    app = create_app(merchant_id=merchant_id, access_key=access_key, variant=variant)
    what = "reference server" if variant is None else f"BROKEN variant {variant!r}"
    with running_server(app, host=host, port=port) as base_url:
        try:
            click.echo(f"ordercheck {what} listening on {base_url}")
            click.echo(f"  POST {base_url}/merchants/{quote(merchant_id, safe='')}/orders")
            click.echo("  Ctrl-C to stop")
            _wait_for_interrupt()
        except KeyboardInterrupt:
            click.echo("stopping")
