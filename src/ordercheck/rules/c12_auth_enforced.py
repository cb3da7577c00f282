"""C12: a missing or wrong X-Access-Key (an empty value, a prefix of the key and the key in
another case are wrong keys), or a key used for another merchant_id, never gets 2xx and
creates no order."""

from __future__ import annotations

from typing import Any

from ordercheck.results import RuleViolation
from ordercheck.rules._rule import Judgement, Session, violation
from ordercheck.rules._sequence import changed, control, template

ID = "C12"
WRONG_KEY = "ordercheck-wrong-key"


def wrong_keys(key: str) -> dict[str, Any]:
    """The wrong ways in, by what each is: None sends no header at all."""
    attempts: dict[str, Any] = {
        "no X-Access-Key": None,
        "an empty X-Access-Key": "",
        "a wrong X-Access-Key": WRONG_KEY,
    }
    if len(key) > 1:
        attempts["a prefix of the key"] = key[: len(key) // 2]
    if key.swapcase() != key:
        attempts["the key in another case"] = key.swapcase()
    return attempts


def run(session: Session) -> None:
    """Unauthorized attempts (each judged by the exchange rules like any response), then,
    after a control, the same id with a different body, authorized: it must be accepted,
    since no order may have been created under it."""
    base = template(session, ID)
    if base is None:
        return
    payload = session.fresh(base)
    attempts = {
        what: session.send(payload, "unauthorized", key=key)
        for what, key in wrong_keys(session.access_key).items()
    }
    attempts["this key on another merchant"] = session.send(
        payload, "unauthorized", merchant_id=f"{session.merchant_id}-other"
    )
    if not any(sent.answered for sent in attempts.values()):
        session.unjudged(ID, "no unauthorized attempt was answered (see C1)")
        return
    accepted = {what: sent for what, sent in attempts.items() if sent.succeeded}
    found: list[RuleViolation] = [
        violation(
            ID,
            "unauthorized request accepted",
            f"a request with {what} got HTTP {sent.status}",
            cause=what,
        )
        for what, sent in accepted.items()
    ]
    evidence = next(iter(accepted.values()), next(iter(attempts.values())))
    if not found and control(session, changed(base)) is not None:
        follow_up = session.send(changed(payload))
        if follow_up.status == 400:
            evidence = follow_up
            found.append(
                violation(
                    ID,
                    "unauthorized request created an order",
                    "after the unauthorized attempts, an authorized order under the same "
                    "merchant_order_id was refused as a reuse (the same body under a fresh "
                    "id was accepted)",
                )
            )
    session.judge(ID, Judgement(tuple(found), evidence))
