"""`ordercheck generate`: payloads as JSON Lines, from the strategies, reproducible by seed."""

from __future__ import annotations

import contextlib
import itertools
import os
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from hypothesis.errors import InvalidArgument

from ordercheck.results import compact_json
from ordercheck.spec import PROFILES

KINDS = ("valid", "edge", "invalid")


@dataclass(frozen=True)
class Catalogues:
    """The user's SKU ids and coupon codes (None: not given), for every kind of payload."""

    sku_ids: tuple[str, ...] | None = None
    coupons: tuple[str, ...] | None = None


def _pairs(profile: str) -> list[tuple[str, str]]:
    """Every (rule, kind) pair of the profile, rules in catalogue order."""
    from ordercheck.strategies import breakable_rules, violation_kinds

    return [
        (rule, kind)
        for rule in breakable_rules(profile=profile)
        for kind in violation_kinds(rule, profile=profile)
    ]


def _invalid_lines(
    count: int, seed: int, profile: str, catalogues: Catalogues
) -> Iterator[dict[str, Any]]:
    """(rule, kind) pairs in catalogue order, round and round, one payload each: every rule
    is broken every way once `count` reaches the number of pairs, each pair about as often
    as the others."""
    from ordercheck.strategies import invalid_orders, sample

    pairs = _pairs(profile)
    seeds = random.Random(seed)
    for position in range(count if pairs else 0):
        rule, kind = pairs[position % len(pairs)]
        strategy = invalid_orders(
            profile=profile,
            rule=rule,
            kind=kind,
            sku_ids=catalogues.sku_ids,
            coupons=catalogues.coupons,
        )
        bad = sample(strategy, 1, seed=seeds.getrandbits(64))[0]
        line = {"rule": bad.rule, "kind": bad.kind, "path": bad.path, "level": bad.level}
        line["payload"] = bad.payload
        yield {**line, "also": list(bad.also)} if bad.also else line


def _catalogues(sku_catalog: Path | None, coupons: Path | None) -> Catalogues:
    from ordercheck.strategies import read_coupons, read_sku_catalog

    return Catalogues(
        sku_ids=None if sku_catalog is None else read_sku_catalog(sku_catalog),
        coupons=None if coupons is None else read_coupons(coupons),
    )


def _payloads(
    kind: str, count: int, seed: int, profile: str, method: str | None, catalogues: Catalogues
) -> Iterator[Any]:
    from ordercheck.strategies import edge_case_orders, orders, samples

    if kind == "invalid":
        yield from _invalid_lines(count, seed, profile, catalogues)
        return
    skus, coupons = catalogues.sku_ids, catalogues.coupons
    if kind == "edge":
        edges = edge_case_orders(profile=profile, sku_ids=skus, coupons=coupons)
        yield from itertools.islice(samples(edges, seed=seed), count)
        return
    try:
        strategy = orders(profile=profile, payment_method=method, sku_ids=skus, coupons=coupons)
    except InvalidArgument as exc:
        raise click.BadParameter(str(exc), param_hint="--payment-method") from None
    yield from itertools.islice(samples(strategy, seed=seed), count)


class _OneLineError(click.UsageError):
    """A bad option, shown as one line (click's usual form adds the usage and a hint)."""

    def show(self, file: Any = None) -> None:
        click.echo(f"ordercheck: error: {' '.join(self.format_message().split())}", err=True)


class _GenerateCommand(click.Command):
    """`generate`, whose option errors are one line on standard error, exit code 2."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            raise _OneLineError(exc.format_message(), ctx) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _OneLineError(exc.format_message(), ctx) from None


def _write(lines: Iterator[Any]) -> bool:
    """Each line as soon as it is drawn; False when the reader went away (``| head``)."""
    try:
        for payload in lines:
            # orjson where it can, the standard library for integers beyond 64 bits.
            click.echo((compact_json(payload) + "\n").encode(), nl=False)
    except BrokenPipeError:
        # Nothing more can be written; point stdout at /dev/null so the interpreter's own
        # flush at exit does not complain about the closed pipe on stderr.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return False
    return True


@click.command("generate", cls=_GenerateCommand)
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    required=True,
    help="valid: realistic orders; edge: valid orders on every boundary; invalid: each "
    "breaks exactly one rule, cycling through every (rule, kind of violation) pair.",
)
@click.option("-n", "count", type=click.IntRange(min=0), default=10, show_default=True)
@click.option("--seed", type=int, help="Same seed, same output, byte for byte. [default: random]")
@click.option("--profile", type=click.Choice(PROFILES), default="default", show_default=True)
@click.option("--payment-method", metavar="METHOD", help="Only this payment method (valid).")
@click.option(
    "--sku-catalog",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Your SKU ids, one a line or a JSON array; every payload uses only these.",
)
@click.option(
    "--coupons",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Your coupon codes, one a line or a JSON array; every payload uses only these.",
)
def generate_command(
    kind: str,
    count: int,
    seed: int | None,
    profile: str,
    payment_method: str | None,
    sku_catalog: Path | None,
    coupons: Path | None,
) -> None:
    """Write generated Create Order payloads to standard output, one JSON object a line.

    For --kind invalid each line is {"rule", "kind", "path", "level", "payload"}.  With
    --sku-catalog and --coupons, payloads of every kind use only those SKU ids and coupon
    codes, save the one value that breaks a rule about them.  Lines stream: each is
    written as soon as it is drawn, and a reader that stops (| head) ends the command
    quietly.
    """
    if kind != "valid" and payment_method is not None:
        raise click.UsageError("--payment-method applies to --kind valid only")
    catalogues = _catalogues(sku_catalog, coupons)
    chosen = seed if seed is not None else random.SystemRandom().randrange(2**32)
    finished = _write(_payloads(kind, count, chosen, profile, payment_method, catalogues))
    if finished and seed is None:
        click.echo(f"ordercheck: to generate these again, add --seed {chosen}", err=True)
