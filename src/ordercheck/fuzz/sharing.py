"""One run shared by several processes (pytest-xdist workers): who runs which units, and how
the parts meet.

Every process makes the same plan (`campaign.plan` is deterministic), takes its own units by
a fixed split (`my_units`), runs them against the same target, writes what it saw to the
shared directory, waits for the others' parts and merges them all.  The merged record is
judged as one run (request ids unique across all, the latency percentile over all), so each
process ends with the same `RunResult` a single process would have reached, and none
repeats another's work.  A process that fails writes why, so the others stop waiting.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from ordercheck.errors import OrdercheckError
from ordercheck.fuzz.campaign import Unit

# A rough cost per unit, so the split gives each process a like share of the work: an order
# a server accepts costs most (the reference spends 50 ms on each), a refusal little.
_COST = {"valid": 10, "echo": 10, "edge": 10, "invalid": 1}
_SEQUENCE_COST = 25
_MALFORMED_COST = 7
POLL_S = 0.05


@dataclass(frozen=True)
class Share:
    """This process's part of a shared run: `index` of `count`, meeting in `directory`;
    every process of the run has the same `run_id` and order `prefix`."""

    index: int
    count: int
    directory: Path
    run_id: str
    prefix: str
    timeout_s: float = 1800.0

    def part(self, index: int) -> Path:
        return self.directory / f"part-{index}.json"

    def failure(self, index: int) -> Path:
        return self.directory / f"failed-{index}.txt"


def cost(unit: Unit) -> int:
    """How much work a unit is, roughly, in orders accepted."""
    if unit.stage is not None:
        return _COST.get(unit.stage.name, 1) * unit.stage.budget
    return _SEQUENCE_COST if unit.rule is not None else _MALFORMED_COST


def my_units(units: Sequence[Unit], share: Share) -> list[Unit]:
    """This process's units: the biggest first, each to the process with the least work so
    far (ties to the lowest index), the same in every process; then in the plan's order."""
    load = [0] * share.count
    owner: dict[int, int] = {}
    for position in sorted(range(len(units)), key=lambda i: (-cost(units[i]), i)):
        index = min(range(share.count), key=lambda i: (load[i], i))
        owner[position] = index
        load[index] += cost(units[position])
    return [unit for position, unit in enumerate(units) if owner[position] == share.index]


def _write(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def publish(share: Share, part: dict[str, Any]) -> None:
    """Put this process's part where the others will look for it."""
    try:
        data = orjson.dumps(part)
    except TypeError:  # an integer beyond 64 bits in a payload: the stdlib writes it exactly
        data = json.dumps(part).encode()
    _write(share.part(share.index), data)


def publish_failure(share: Share, reason: str) -> None:
    """Tell the others this process's part will not come, and why."""
    with contextlib.suppress(OSError):
        _write(share.failure(share.index), reason.encode())


def gather(share: Share) -> list[dict[str, Any]]:
    """Every process's part, once all are written; a one-line error when one failed or
    they did not all come in time."""
    deadline = time.monotonic() + share.timeout_s
    while True:
        for index in range(share.count):
            failed = share.failure(index)
            if failed.exists():
                reason = failed.read_text("utf-8", "replace")
                raise OrdercheckError(f"the shared run's part {index} failed: {reason}")
        if all(share.part(i).exists() for i in range(share.count)):
            return [json.loads(share.part(i).read_bytes()) for i in range(share.count)]
        if time.monotonic() > deadline:
            missing = [i for i in range(share.count) if not share.part(i).exists()]
            raise OrdercheckError(
                f"{share.directory}: parts {missing} of the shared run did not come in "
                f"{share.timeout_s:.0f} s"
            )
        time.sleep(POLL_S)
