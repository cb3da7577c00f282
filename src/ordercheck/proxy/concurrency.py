"""Identical requests in flight at the same time: C11's business, not C10's.

A request joins the group of identical requests (same path, same body) already in flight,
else starts one; a group closes when its last request finishes.  Grouping is transitive:
A overlapping B and B overlapping C puts all three together, as C11 asks ("concurrent
identical requests create exactly one order").  Only requests in flight are held, so the
table never outgrows the traffic of the moment.  It lives on the event loop: no locks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count


@dataclass
class Group:
    """One group of identical requests: how many joined, how many are still in flight."""

    id: int
    fingerprint: bytes
    members: int = 1
    in_flight: int = 1


@dataclass
class InFlight:
    """The open groups, by request fingerprint."""

    _groups: dict[bytes, Group] = field(default_factory=dict)
    _ids: count[int] = field(default_factory=lambda: count(1))

    def enter(self, fingerprint: bytes) -> Group:
        """A request starts: its group (new, or the one of an identical request in flight)."""
        group = self._groups.get(fingerprint)
        if group is None:
            group = self._groups[fingerprint] = Group(next(self._ids), fingerprint)
        else:
            group.members += 1
            group.in_flight += 1
        return group

    def leave(self, group: Group) -> tuple[bool, bool]:
        """A request of `group` finished: (whether it was concurrent with another, whether
        this closed a group of two or more, which is then ready for C11)."""
        concurrent = group.members > 1
        group.in_flight -= 1
        if group.in_flight:
            return concurrent, False
        del self._groups[group.fingerprint]
        return concurrent, concurrent

    def __len__(self) -> int:
        return len(self._groups)
