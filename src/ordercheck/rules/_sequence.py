"""What the sequence rules share: a payload to build on, and the control that tells a
refusal for the reason under test from a refusal for any other reason."""

from __future__ import annotations

from typing import Any

from ordercheck.rules._observation import Observation
from ordercheck.rules._rule import Session

NO_TEMPLATE = (
    "no valid payload was accepted earlier in the run, so there was no order to build on "
    "(every valid order refused? declare business rejections with --allow-rejection and "
    "give real SKUs and coupons with --sku-catalog and --coupons)"
)


def template(session: Session, rule: str) -> dict[str, Any] | None:
    """A payload the target accepted, or None (and `rule` declared unjudged, with why)."""
    found = session.template()
    if found is None:
        session.unjudged(rule, NO_TEMPLATE)
    return found


def changed(payload: dict[str, Any]) -> dict[str, Any]:
    """The same order with a different amount: a different body for the same id."""
    whole = str(payload.get("payable_amount", "1")).split(".", maxsplit=1)[0]
    whole = whole if whole.isdigit() else "1"
    return {**payload, "payable_amount": f"{int(whole) + 1}.00"}


def control(session: Session, payload: dict[str, Any]) -> Observation | None:
    """Send `payload` under a fresh id: it must be accepted for a later refusal of the same
    body under a used id to mean "that id is taken" rather than "the target refuses this
    body" (a declared business rule, an amount limit).  None when it was not accepted."""
    sent = session.send(session.fresh(payload), "valid")
    return sent if sent.order_id is not None else None
