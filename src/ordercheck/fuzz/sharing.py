"""One run shared by several processes (pytest-xdist workers): who runs which units, and how
the parts meet.

Every process makes the same plan (`campaign.plan` is deterministic), takes its own units by
a fixed split (`my_units`), runs them against the same target, hands what it saw to the
run's `Meeting`, waits for the others' parts and merges them all.  The merged record is
judged as one run (request ids unique across all, the latency percentile over all), so each
process ends with the same `RunResult` a single process would have reached, and none
repeats another's work.  A process that fails says why, so the others stop waiting.

The meeting itself is the caller's: under pytest-xdist it is a channel to the controller
(`ordercheck.pytest_relay`), which works alike for workers on this host and on others.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import orjson

from ordercheck.errors import OrdercheckError
from ordercheck.fuzz.campaign import Unit

# A rough cost per unit, so the split gives each process a like share of the work: an order
# a server accepts costs most (the reference spends 50 ms on each), a refusal little.
_COST = {"valid": 10, "echo": 10, "edge": 10, "invalid": 1}
_SEQUENCE_COST = 25
_MALFORMED_COST = 7


class Meeting(Protocol):
    """Where the processes of a shared run hand in their parts and get everyone's."""

    def hand_in(self, part: bytes) -> None:
        """This process's part, encoded."""

    def give_up(self, reason: str) -> None:
        """This process's part will not come, because of `reason`."""

    def parts(self, timeout_s: float) -> list[bytes]:
        """Every process's part, in process order, once all have come; an
        `OrdercheckError` when one gave up or they did not all come in `timeout_s`."""


@dataclass(frozen=True)
class Share:
    """This process's part of a shared run: `index` of `count`, meeting at `meeting`;
    every process of the run has the same `run_id` and order `prefix`."""

    index: int
    count: int
    meeting: Meeting
    run_id: str
    prefix: str
    timeout_s: float = 1800.0


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


def publish(share: Share, part: dict[str, Any]) -> None:
    """Hand this process's part to the meeting."""
    try:
        data = orjson.dumps(part)
    except TypeError:  # an integer beyond 64 bits in a payload: the stdlib writes it exactly
        data = json.dumps(part).encode()
    share.meeting.hand_in(data)


def publish_failure(share: Share, reason: str) -> None:
    """Tell the others this process's part will not come, and why."""
    share.meeting.give_up(reason)


def gather(share: Share) -> list[dict[str, Any]]:
    """Every process's part, once all have come; a one-line error when one failed or they
    did not all come in time."""
    try:
        return [json.loads(part) for part in share.meeting.parts(share.timeout_s)]
    except ValueError as error:
        raise OrdercheckError(f"a part of the shared run could not be read: {error}") from None
