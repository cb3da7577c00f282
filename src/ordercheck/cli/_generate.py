"""`ordercheck generate`: payloads as JSON Lines, from the strategies, reproducible by seed."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import orjson
from hypothesis.errors import InvalidArgument

from ordercheck.spec import PROFILES

KINDS = ("valid", "edge", "invalid")


def _invalid_lines(count: int, seed: int, profile: str) -> Iterator[dict[str, Any]]:
    """Rule by rule in catalogue order, round and round: every rule is broken once `count`
    reaches the number of rules, and each about as often as the others."""
    from ordercheck.strategies import breakable_rules, invalid_orders, sample

    rules = breakable_rules(profile=profile)[:count]
    seeds = random.Random(seed)
    queues = []
    for index, rule in enumerate(rules):
        share = len(range(index, count, len(rules)))  # the lines that fall to this rule
        strategy = invalid_orders(profile=profile, rule=rule)
        queues.append(iter(sample(strategy, share, seed=seeds.getrandbits(64))))
    for position in range(count if rules else 0):
        bad = next(queues[position % len(rules)])
        line = {"rule": bad.rule, "path": bad.path, "level": bad.level, "payload": bad.payload}
        yield {**line, "also": list(bad.also)} if bad.also else line


def _payloads(
    kind: str, count: int, seed: int, profile: str, method: str | None, catalog: Path | None
) -> Iterator[Any]:
    from ordercheck.strategies import edge_case_orders, orders, read_sku_catalog, sample

    if kind == "invalid":
        yield from _invalid_lines(count, seed, profile)
        return
    if kind == "edge":
        yield from sample(edge_case_orders(profile=profile), count, seed=seed)
        return
    sku_ids = read_sku_catalog(catalog) if catalog is not None else None
    try:
        strategy = orders(profile=profile, payment_method=method, sku_ids=sku_ids)
    except InvalidArgument as exc:
        raise click.BadParameter(str(exc), param_hint="--payment-method") from None
    yield from sample(strategy, count, seed=seed)


@click.command("generate")
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    required=True,
    help="valid: realistic orders; edge: valid orders on every boundary; invalid: each "
    "breaks exactly one rule, cycling through every rule of the profile.",
)
@click.option("-n", "count", type=click.IntRange(min=0), default=10, show_default=True)
@click.option("--seed", type=int, help="Same seed, same output, byte for byte. [default: random]")
@click.option("--profile", type=click.Choice(PROFILES), default="default", show_default=True)
@click.option("--payment-method", metavar="METHOD", help="Only this payment method (valid).")
@click.option(
    "--sku-catalog",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Your SKU ids, one a line or a JSON array; orders use only these (valid).",
)
def generate_command(
    kind: str,
    count: int,
    seed: int | None,
    profile: str,
    payment_method: str | None,
    sku_catalog: Path | None,
) -> None:
    """Write generated Create Order payloads to standard output, one JSON object a line.

    For --kind invalid each line is {"rule", "path", "level", "payload"}.
    """
    if kind != "valid" and (payment_method is not None or sku_catalog is not None):
        raise click.UsageError("--payment-method and --sku-catalog apply to --kind valid only")
    chosen = seed if seed is not None else random.SystemRandom().randrange(2**32)
    for payload in _payloads(kind, count, chosen, profile, payment_method, sku_catalog):
        click.echo(orjson.dumps(payload) + b"\n", nl=False)
    if seed is None:
        click.echo(f"ordercheck: to generate these again, add --seed {chosen}", err=True)
