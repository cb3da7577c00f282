"""C11: concurrent identical requests create exactly one order; every other gets the same
order_id or the documented lock error; none gets a 5xx."""

from __future__ import annotations

from ordercheck.results import RuleViolation
from ordercheck.rules._rule import Judgement, Session, violation

ID = "C11"
LOCK_MESSAGE = "create_merchant_order : Could not acquire lock"


def run(session: Session) -> None:
    template = session.template()
    if template is None:
        return
    results = session.burst(session.fresh(template), session.burst_size)
    order_ids = {o.order_id for o in results if o.order_id}
    found: list[RuleViolation] = []
    if len(order_ids) > 1:
        found.append(
            violation(
                ID,
                "concurrent requests created several orders",
                f"{len(results)} concurrent identical requests "
                f"created {len(order_ids)} orders: {sorted(order_ids)}",
            )
        )
    for sent in results:
        if sent.status is None or sent.status >= 500:
            found.append(
                violation(
                    ID,
                    "concurrent request failed",
                    f"a concurrent identical request got "
                    f"{sent.status or sent.error}, expected the lock error or the same order_id",
                )
            )
            break
        if sent.order_id is None and not sent.is_error_envelope:
            found.append(
                violation(
                    ID,
                    "concurrent request answered wrongly",
                    f"HTTP {sent.status}: expected the lock error "
                    f"({LOCK_MESSAGE!r}) or the same order_id",
                )
            )
            break
    session.judge(ID, Judgement(tuple(found), results[-1] if results else None))
