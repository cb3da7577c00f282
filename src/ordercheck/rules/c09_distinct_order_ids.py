"""C9: different merchant_order_ids never share an order_id."""

from __future__ import annotations

from collections.abc import Mapping

from ordercheck.results import RuleViolation
from ordercheck.rules._rule import Judgement, RunRecord, Session, violation
from ordercheck.rules._sequence import template

ID = "C9"


def run(session: Session) -> None:
    """Three identical orders under different ids get different order_ids."""
    base = template(session, ID)
    if base is None:
        return
    sent = [session.send(session.fresh(base), "valid") for _ in range(3)]
    order_ids = [o.order_id for o in sent if o.order_id]
    if len(order_ids) < 2:
        session.unjudged(ID, "fewer than two of three identical orders were accepted")
        return
    found: list[RuleViolation] = []
    if len(set(order_ids)) < len(order_ids):
        found.append(
            violation(
                ID,
                "order_id reused",
                f"identical orders with different merchant_order_ids got order_ids {order_ids}",
            )
        )
    session.judge(ID, Judgement(tuple(found), sent[-1]))


def finish(record: RunRecord) -> Judgement | None:
    """No order_id seen in the whole run answered two merchant_order_ids (nothing to judge
    until two orders were seen)."""
    if len(record.order_owners) < 2:
        return None
    shared = shared_order_id(record.order_owners)
    return Judgement(() if shared is None else (shared,))


def shared_order_id(order_owners: Mapping[str, set[str]]) -> RuleViolation | None:
    """The first order_id answered for more than one merchant_order_id, if any (also what
    `ordercheck proxy` asks of the traffic it sees)."""
    for order_id, owners in order_owners.items():
        if len(owners) > 1:
            return violation(
                ID,
                "order_id shared",
                f"order_id {order_id} was returned for "
                f"{len(owners)} merchant_order_ids: {sorted(owners)[:3]}",
            )
    return None
