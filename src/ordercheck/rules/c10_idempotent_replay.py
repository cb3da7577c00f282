"""C10: the same merchant_order_id again never creates a second order: same body, the same
order_id or a 400 error; different body, a 400 error."""

from __future__ import annotations

from typing import Any

from ordercheck.rules._rule import Judgement, Session, violation

ID = "C10"


def changed(payload: dict[str, Any]) -> dict[str, Any]:
    """The same order with a different amount: a different body for the same id."""
    whole = str(payload.get("payable_amount", "1")).split(".", maxsplit=1)[0]
    whole = whole if whole.isdigit() else "1"
    return {**payload, "payable_amount": f"{int(whole) + 1}.00"}


def run(session: Session) -> None:
    template = session.template()
    if template is None:
        return
    payload = session.fresh(template)
    first = session.send(payload, "valid")
    original = first.order_id
    if original is None:
        return
    again = session.send(payload)
    found = []
    replayed = again.order_id
    if replayed is not None and replayed != original:
        found.append(
            violation(
                ID,
                "replay created a second order",
                f"the same body sent twice under {payload['merchant_order_id']}"
                f" got order_ids {original} and {replayed}",
            )
        )
    elif replayed is None and not again.is_error_envelope:
        found.append(
            violation(
                ID,
                "replay not answered",
                f"a replay got HTTP {again.status}: expected the same "
                "order_id or a 400 error envelope",
            )
        )
    other = session.send(changed(payload))
    if not other.is_error_envelope:
        found.append(
            violation(
                ID,
                "reused id with a different body accepted",
                f"a different body under a used merchant_order_id got "
                f"HTTP {other.status}, expected a 400 error envelope",
            )
        )
    session.judge(ID, Judgement(tuple(found), other if found else again))
