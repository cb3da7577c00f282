"""C9: different merchant_order_ids never share an order_id."""

from __future__ import annotations

from ordercheck.rules._rule import Judgement, Session, violation

ID = "C9"


def run(session: Session) -> None:
    """Three identical orders under different ids get different order_ids; and no order_id
    seen in the whole run belongs to two merchant_order_ids."""
    template = session.template()
    if template is None:
        return
    sent = [session.send(session.fresh(template), "valid") for _ in range(3)]
    order_ids = [o.order_id for o in sent if o.order_id]
    found = []
    if len(set(order_ids)) < len(order_ids):
        found.append(
            violation(
                ID,
                "order_id reused",
                f"three orders with different merchant_order_ids got order_ids {order_ids}",
            )
        )
    for order_id, owners in session.order_owners.items():
        if len(owners) > 1:
            found.append(
                violation(
                    ID,
                    "order_id shared",
                    f"order_id {order_id} was returned for "
                    f"{len(owners)} merchant_order_ids: {sorted(owners)[:3]}",
                )
            )
            break
    session.judge(ID, Judgement(tuple(found), sent[-1]))
