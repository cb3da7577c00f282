"""The rules that need more than one exchange, over the traffic the proxy sees.

The fuzzer proves C9 to C11 with sequences of its own; the proxy sends nothing, so it
watches for the same situations in the merchant's traffic and judges them with the rule
modules' own checks when they happen:

C9   an order_id answered for two different merchant_order_ids;
C10  a merchant_order_id that already created an order, sent again after that answer: the
     same body must get the same order_id or a 400, a different body a 400;
C11  identical requests in flight at once (`concurrency.InFlight`): at most one order, and
     the others the same order_id or the documented lock error, once one of them won;
C13  an X-Request-ID seen on an earlier response.

Each situation met is one judged check of its rule.  What they remember (order ids, used
merchant_order_ids, request ids) is the most recent `capacity` of each, so a repeat of
something older than that goes unseen: the price of a run that never ends.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ordercheck.bounded import RecentDict
from ordercheck.results import RuleViolation
from ordercheck.rules import Judgement, Observation
from ordercheck.rules import c09_distinct_order_ids as c09
from ordercheck.rules import c10_idempotent_replay as c10
from ordercheck.rules import c11_lock_under_concurrency as c11
from ordercheck.rules import c13_unique_request_id as c13

Judge = Callable[[str, Judgement], None]
Owner = tuple[str, str]  # (merchant_id, merchant_order_id)


class CrossRequestRules:
    """Judges C9, C10, C11 and C13 as the traffic meets them, through `judge`."""

    def __init__(self, judge: Judge, capacity: int) -> None:
        self.judge = judge
        self.owners: RecentDict[str, Owner] = RecentDict(capacity)
        self.accepted: RecentDict[Owner, tuple[bytes, str]] = RecentDict(capacity)
        self.request_ids: RecentDict[str, int] = RecentDict(capacity)
        self.groups: dict[int, list[Observation]] = {}

    def exchange(
        self,
        seen: Observation,
        *,
        merchant_id: str,
        fingerprint: bytes,
        group: int | None,
        concurrent: bool,
    ) -> list[RuleViolation]:
        """Judge one exchange against what came before; the violations found."""
        found = self._request_id(seen)
        owner = _owner(seen, merchant_id)
        if owner is not None:
            found += self._order_id(seen, owner)
            if concurrent and group is not None:
                self.groups.setdefault(group, []).append(seen)
            else:
                found += self._replay(seen, owner, fingerprint)
            if seen.order_id is not None and owner not in self.accepted:
                self.accepted[owner] = (fingerprint, seen.order_id)
        return found

    def is_repeat(self, merchant_id: str, payload: Any) -> bool:
        """Whether `payload`'s merchant_order_id already made an order (a retry, or a reuse)."""
        merchant_order_id = payload.get("merchant_order_id") if isinstance(payload, dict) else None
        return (
            isinstance(merchant_order_id, str) and (merchant_id, merchant_order_id) in self.accepted
        )

    def group_closed(self, group: int) -> list[RuleViolation]:
        """Judge C11 over a finished group of concurrent identical requests, when one of
        them won (refusals all round may be business rules the proxy cannot know)."""
        members = self.groups.pop(group, [])
        if len(members) < 2 or not any(m.order_id for m in members):
            return []
        return self._judged(c11.ID, c11.burst_violations(members), members[-1])

    def _request_id(self, seen: Observation) -> list[RuleViolation]:
        request_id = (seen.header("x-request-id") or "").strip()
        if not seen.answered or not request_id:
            return []
        times = self.request_ids.get(request_id, 0) + 1
        self.request_ids[request_id] = times
        if times == 1:
            return []
        return self._judged(c13.ID, [c13.repeated_request_id(request_id, times)], seen)

    def _order_id(self, seen: Observation, owner: Owner) -> list[RuleViolation]:
        order_id = seen.order_id
        if order_id is None:
            return []
        first = self.owners.get(order_id)
        if first is None:
            compared = len(self.owners) > 0  # a new order_id, unlike every one remembered
            self.owners[order_id] = owner
            return self._judged(c09.ID, [], seen) if compared else []
        if first == owner:
            return []  # the order answered again for its own id: C10's business
        shared = c09.shared_order_id({order_id: {first[1], owner[1]}})
        return self._judged(c09.ID, [shared] if shared else [], seen)

    def _replay(self, seen: Observation, owner: Owner, fingerprint: bytes) -> list[RuleViolation]:
        before = self.accepted.get(owner)
        if before is None or not seen.answered:
            return []
        first_fingerprint, first_order_id = before
        if fingerprint == first_fingerprint:
            broken = c10.replay_violation(first_order_id, seen)
        else:
            broken = c10.different_body_violation(seen)
        return self._judged(c10.ID, [broken] if broken else [], seen)

    def _judged(
        self, rule: str, found: list[RuleViolation], evidence: Observation
    ) -> list[RuleViolation]:
        self.judge(rule, Judgement(tuple(found), evidence))
        return found


def _owner(seen: Observation, merchant_id: str) -> Owner | None:
    return _owner_of(seen.request, merchant_id)


def _owner_of(payload: Any, merchant_id: str) -> Owner | None:
    merchant_order_id = payload.get("merchant_order_id") if isinstance(payload, dict) else None
    return (merchant_id, merchant_order_id) if isinstance(merchant_order_id, str) else None
