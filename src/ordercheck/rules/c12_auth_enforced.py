"""C12: a missing or wrong X-Access-Key, or a key used for another merchant_id, never gets
2xx and creates no order."""

from __future__ import annotations

from ordercheck.rules._rule import Judgement, Session, violation
from ordercheck.rules.c10_idempotent_replay import changed

ID = "C12"


def run(session: Session) -> None:
    """Unauthorized attempts (each judged by the exchange rules like any response), then the
    same id with a different body, authorized: it must still be accepted, since no order may
    have been created under it."""
    template = session.template()
    if template is None:
        return
    payload = session.fresh(template)
    attempts = {
        "no X-Access-Key": session.send(payload, "unauthorized", key=None),
        "a wrong X-Access-Key": session.send(payload, "unauthorized", key="ordercheck-wrong-key"),
        "this key on another merchant": session.send(
            payload, "unauthorized", merchant_id=f"{session.merchant_id}-other"
        ),
    }
    found = [
        violation(ID, "unauthorized request accepted", f"a request with {what} got HTTP {o.status}")
        for what, o in attempts.items()
        if o.succeeded
    ]
    follow_up = session.send(changed(payload))
    if follow_up.status == 400 and not found:
        found.append(
            violation(
                ID,
                "unauthorized request created an order",
                "after unauthorized attempts, an authorized order under the "
                "same merchant_order_id was refused as a reuse",
            )
        )
    session.judge(ID, Judgement(tuple(found), follow_up))
