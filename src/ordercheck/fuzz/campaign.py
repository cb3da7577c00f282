"""A fuzzing run as a list of units, and the order they go in.

A unit is one self-contained piece of a run: a payload stage or a part of one (valid orders,
one id shape, edge cases, one constraint broken one way), the malformed bodies, or one rule's
sequence.  Listing them makes two things possible:

- **The first failure comes early, and the run ends early.**  A one-order probe of valid
  payloads goes first (it finds most defects of accepted orders, and gives the sequences an
  order to build on); the sequences follow at once.  Then the units that wait on the server
  most: orders it accepts, which a real server takes time to create (the reference 50 ms
  each).  A stage of many such orders is cut into parts of `PART_SIZE`, so that with
  ``--workers N`` several are in flight at once and their waits overlap the cheap, CPU-bound
  stages that follow (the malformed bodies, every constraint broken once), instead of one
  long chain of orders ending the run.  With one worker the units run strictly in turn.
- **A run can be split.**  The plan is deterministic, so processes that share a run (pytest
  workers) each take their own units and the results merge (`fuzz.sharing`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

from ordercheck.fuzz.config import FuzzConfig
from ordercheck.fuzz.order_ids import admitted_styles
from ordercheck.fuzz.payload_stages import PayloadStage
from ordercheck.rules import ContractRule, registry
from ordercheck.spec import Spec

UnitKind = Literal["stage", "malformed", "sequence"]


@dataclass(frozen=True)
class Unit:
    """One piece of a run: a payload stage, the malformed bodies, or one rule's sequence."""

    name: str
    kind: UnitKind
    stage: PayloadStage | None = None
    rule: ContractRule | None = None


# Orders a unit of accepted orders sends one after another, at most: more, and a single chain
# of 50 ms orders would outlast everything else on the other workers.  A stage is cut into
# `MAX_PARTS` at most, though: each part is a Hypothesis run of its own, with its own start-up
# cost, and a budget of 100 000 in parts of 5 would be 20 000 of them.
PART_SIZE = 5
MAX_PARTS = 64


def plan(config: FuzzConfig, spec: Spec, prefix: str) -> list[Unit]:
    """Every unit of a run, in the order they go: the valid probe, the sequences, the rest
    of the valid orders and the edge cases in parts, the id shapes, the malformed bodies,
    every (constraint, kind) pair."""
    from ordercheck.strategies import edge_case_orders, orders

    budget, profile = config.max_examples, config.profile
    skus, coupons = config.sku_ids, config.coupons
    valid = orders(profile=profile, sku_ids=skus, coupons=coupons)
    edge = edge_case_orders(profile=profile, sku_ids=skus, coupons=coupons)
    units = [Unit("valid probe", "stage", PayloadStage("valid", valid, 1, memo_group="valid"))]
    units += [
        Unit(f"sequence {rule.id}", "sequence", rule=rule)
        for rule in registry(spec).values()
        if rule.runs_sequence
    ]
    units += _parts("valid", valid, budget - 1, after_probe=True)
    units += _parts("edge", edge, max(5, budget // 2), after_probe=False)
    units += [
        Unit(f"echo ({style})", "stage", PayloadStage("echo", valid, 1, style, limit))
        for style, limit in admitted_styles(spec, profile, prefix).items()
    ]
    units.append(Unit("malformed bodies", "malformed"))
    return units + _invalid_units(config)


def _parts(name: str, strategy: Any, budget: int, *, after_probe: bool) -> list[Unit]:
    """A stage of `budget` payloads as parts of `PART_SIZE` (larger when that would make
    more than `MAX_PARTS`), sharing one memo.

    Every part draws the simplest value first, which the first part (or the probe, when
    `after_probe`) already sent: each later part gets one example more for it, so the stage
    still sends `budget` payloads."""
    units = []
    part_size = max(PART_SIZE, -(-budget // MAX_PARTS))
    for part, start in enumerate(range(0, budget, part_size)):
        size = min(part_size, budget - start) + (1 if part or after_probe else 0)
        label = f"{name} (part {part + 1})" if budget > part_size else name
        stage = PayloadStage(name, strategy, size, part=part, memo_group=name)
        units.append(Unit(label, "stage", stage))
    return units


def _invalid_units(config: FuzzConfig) -> list[Unit]:
    """Every (constraint, kind) pair of the profile, each its own stage of at least one
    payload (more when the budget covers every pair more than once)."""
    from ordercheck.strategies import breakable_rules, invalid_orders, violation_kinds

    profile, skus, coupons = config.profile, config.sku_ids, config.coupons
    pairs = [
        (rule, kind)
        for rule in breakable_rules(profile=profile)
        for kind in violation_kinds(rule, profile=profile)
    ]
    per_pair = max(1, config.max_examples // max(1, len(pairs)))
    return [
        Unit(
            f"invalid {rule} ({kind})",
            "stage",
            PayloadStage(
                "invalid",
                invalid_orders(
                    profile=profile, rule=rule, kind=kind, sku_ids=skus, coupons=coupons
                ),
                per_pair,
            ),
        )
        for rule, kind in pairs
    ]


def for_rules(units: Sequence[Unit], rules: Collection[ContractRule]) -> list[Unit]:
    """The units `rules` need, and no others (``pytest -k C10`` runs C10's sequence alone):
    a rule's own sequence; and every payload stage for a rule that judges exchanges, or
    whose judgement over the whole run is about all of them (the latency percentile)."""
    sequences = {rule.id for rule in rules if rule.runs_sequence}
    stages = any(
        rule.judges_exchanges or (rule.judges_whole_run and not rule.runs_sequence)
        for rule in rules
    )
    return [
        unit
        for unit in units
        if (unit.rule is not None and unit.rule.id in sequences) or (unit.rule is None and stages)
    ]


def run_units(units: Sequence[Unit], execute: Callable[[Unit], None], workers: int) -> None:
    """Run every unit, `workers` at a time, in the plan's order (one worker: strictly in
    turn).  The valid probe finishes before anything else starts, so the sequences have an
    accepted order to build on; an error in any unit is raised once all have stopped."""
    probes = [u for u in units if u.name == "valid probe"]
    rest = [u for u in units if u.name != "valid probe"]
    for unit in probes:
        execute(unit)
    if workers == 1:
        for unit in rest:
            execute(unit)
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ordercheck-unit") as pool:
        futures: list[Future[None]] = [pool.submit(execute, unit) for unit in rest]
    _raise_first(futures)


def _raise_first(futures: Iterable[Future[None]]) -> None:
    for future in futures:
        error = future.exception()
        if error is not None:
            raise error
