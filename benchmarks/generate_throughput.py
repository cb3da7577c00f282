"""How fast `orders()` makes valid payloads next to Schemathesis, and how much of the spec
`invalid_orders()` breaks.

(1) Valid request bodies per second, in this process, from the same spec (the bundled one
    compiled to the default profile):
    - ordercheck: ``orders()`` (realistic, valid under strict);
    - Schemathesis 4.32: ``schemathesis.openapi.from_dict(spec.openapi_for("default"))``,
      the Create Order operation's ``as_strategy()``, each case's ``body``.
    Each is drawn two ways: one ``@given`` run of N examples (how a property test consumes
    a strategy) and `ordercheck.strategies.sample` (one short run per value: independent
    draws, what ``ordercheck generate`` does).  Both strategies get a warm-up first, and
    the share of their bodies valid under default and strict is printed too.
(2) For each profile, the share of the rules that are errors there (from the catalogue)
    that 1,000 draws of ``invalid_orders()`` break, the share of its (rule, kind) pairs
    they hit, and how many of those draws the validator sees breaking anything but their
    labelled rule (should be 0).
(3) The kinds of violation per rule (a table: rule, kinds; one row per rule where every
    profile that has the rule agrees), the count of (rule, kind) pairs per profile, and a
    sweep drawing one payload of every pair with `sample` (what the fuzzer does), timed.

    .venv/bin/python benchmarks/generate_throughput.py            # about 1.5 minutes
    .venv/bin/python benchmarks/generate_throughput.py --orders 300 --schemathesis 100
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Callable
from typing import Any

import hypothesis
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ordercheck.spec import OPERATION_PATH, PROFILE_LEVELS, PROFILES, RuleCatalogue, load_spec
from ordercheck.strategies import (
    breakable_rules,
    invalid_orders,
    orders,
    sample,
    violation_kinds,
)
from ordercheck.validators import RequestValidator


def given_loop(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    """`count` examples from one `@given` run: a property test's view of the strategy."""
    out: list[Any] = []

    @settings(
        max_examples=count,
        database=None,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(value: Any) -> None:
        out.append(value)

    collect()
    return out


def timed(draw: Callable[[], list[Any]]) -> tuple[float, list[Any]]:
    """(values per second, values) for one call of `draw`."""
    start = time.perf_counter()
    values = draw()
    return len(values) / (time.perf_counter() - start), values


def valid_share(bodies: list[Any], profile: str) -> float:
    validator = RequestValidator(profile)  # type: ignore[arg-type]
    return sum(validator.is_valid(body) for body in bodies) / max(1, len(bodies))


def schemathesis_bodies() -> st.SearchStrategy[Any]:
    """Schemathesis' own generation of the request body, from the same compiled spec."""
    schema = schemathesis.openapi.from_dict(load_spec().openapi_for("default"))
    operation = schema[OPERATION_PATH]["POST"]
    return operation.as_strategy().map(lambda case: case.body)


def throughput(label: str, strategy: st.SearchStrategy[Any], count: int) -> dict[str, float]:
    """Rates of one strategy under both harnesses, after a warm-up."""
    sample(strategy, 3, seed=1)
    given_rate, given_values = timed(lambda: given_loop(strategy, count))
    sample_rate, sampled = timed(lambda: sample(strategy, count, seed=2))
    drawn = given_values + sampled
    print(
        f"  {label:<28} {given_rate:8.1f}/s one @given run   {sample_rate:8.1f}/s sample()"
        f"   valid: default {valid_share(drawn, 'default'):.0%}, "
        f"strict {valid_share(drawn, 'strict'):.0%}  (n={count} each)"
    )
    return {"given": given_rate, "sample": sample_rate}


def coverage(profile: str, draws: int) -> None:
    """Share of the profile's error rules broken in `draws` draws, and exactness."""
    catalogue = RuleCatalogue(load_spec().request_schema)
    wanted = {r.id for r in catalogue if r.level in PROFILE_LEVELS[profile]}  # type: ignore[index]
    validator = RequestValidator(profile)  # type: ignore[arg-type]
    start = time.perf_counter()
    drawn = sample(invalid_orders(profile=profile), draws, seed=2024)
    elapsed = time.perf_counter() - start
    broken = {bad.rule for bad in drawn}
    pairs = {(r, k) for r in breakable_rules(profile=profile) for k in kinds_of(r, profile)}
    hit = {(bad.rule, bad.kind) for bad in drawn} & pairs
    inexact = 0
    for bad in drawn:
        errors = {(f.rule, f.path) for f in validator.check(bad.payload).errors}
        inexact += errors != {(rule, bad.path) for rule in (bad.rule, *bad.also)}
    missed = f"; missed: {', '.join(sorted(wanted - broken))}" if wanted - broken else ""
    print(
        f"  {profile:<10} {len(broken & wanted):3d}/{len(wanted):<3d} rules broken "
        f"({len(broken & wanted) / len(wanted):.0%}) in {draws} draws, {draws / elapsed:6.1f}/s; "
        f"(rule, kind) pairs hit {len(hit)}/{len(pairs)}; "
        f"not exactly their rule: {inexact}{missed}"
    )


def kinds_of(rule: str, profile: str) -> tuple[str, ...]:
    return violation_kinds(rule, profile=profile)


def kinds_table() -> None:
    """Rule and kinds, one row per distinct set of kinds (profiles named where they differ)."""
    rows: dict[str, dict[tuple[str, ...], list[str]]] = {}
    for profile in PROFILES:
        for rule in breakable_rules(profile=profile):
            rows.setdefault(rule, {}).setdefault(kinds_of(rule, profile), []).append(profile)
    width = max(map(len, rows)) + 2
    print(f"  {'rule':<{width}}kinds")
    for rule, by_kinds in rows.items():
        for kinds, profiles in by_kinds.items():
            where = "" if len(by_kinds) == 1 else f"  [{', '.join(profiles)}]"
            print(f"  {rule:<{width}}{', '.join(kinds)}{where}")


def sweep(profile: str) -> None:
    """One payload of every (rule, kind) pair, as the fuzzer's sweep draws them."""
    pairs = [(r, k) for r in breakable_rules(profile=profile) for k in kinds_of(r, profile)]
    start = time.perf_counter()
    for rule, kind in pairs:
        sample(invalid_orders(profile=profile, rule=rule, kind=kind), 1, seed=7)
    elapsed = time.perf_counter() - start
    print(
        f"  {profile:<10} {len(pairs):4d} (rule, kind) pairs, one payload each in "
        f"{elapsed:5.1f} s ({len(pairs) / elapsed:5.1f} pairs/s, first draw of each included)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=1000, help="valid orders per harness")
    parser.add_argument("--schemathesis", type=int, default=200, help="bodies per harness")
    parser.add_argument("--draws", type=int, default=1000, help="invalid_orders() draws")
    args = parser.parse_args()
    print(
        f"generate_throughput: Python {platform.python_version()}, hypothesis "
        f"{hypothesis.__version__}, schemathesis {schemathesis.__version__}"
    )
    print("(1) valid request bodies per second, same process, same spec (default profile)")
    ours = throughput("ordercheck orders()", orders(), args.orders)
    theirs = throughput("schemathesis as_strategy()", schemathesis_bodies(), args.schemathesis)
    print(
        f"  ratio ordercheck/schemathesis: {ours['given'] / theirs['given']:.1f}x (one @given "
        f"run), {ours['sample'] / theirs['sample']:.1f}x (sample)"
    )
    print(f"(2) rules invalid_orders() breaks in {args.draws} draws (target: every rule)")
    for profile in PROFILES:
        coverage(profile, args.draws)
    print("(3) kinds of violation per rule, and one payload of every (rule, kind) pair")
    kinds_table()
    for profile in PROFILES:
        sweep(profile)


if __name__ == "__main__":
    main()
