"""C10: the same merchant_order_id again never creates a second order: same body, the same
order_id or a 400 error; different body, a 400 error."""

from __future__ import annotations

from ordercheck.results import RuleViolation
from ordercheck.rules._observation import Observation
from ordercheck.rules._rule import Judgement, Session, violation
from ordercheck.rules._sequence import changed, control, template

ID = "C10"


def replay_violation(first_order_id: str | None, again: Observation) -> RuleViolation | None:
    """The same body again, after it was accepted as `first_order_id`: the same order_id,
    or a 400 error envelope."""
    replayed = again.order_id
    if replayed is not None and replayed != first_order_id:
        return violation(
            ID,
            "replay created a second order",
            f"the same body sent twice under one merchant_order_id got order_ids "
            f"{first_order_id} and {replayed}",
        )
    if replayed is None and again.status != 400:
        return violation(
            ID,
            "replay answered with neither the order nor a refusal",
            f"a replay got HTTP {again.status}: expected the same order_id or a 400 error",
        )
    return None


def different_body_violation(other: Observation) -> RuleViolation | None:
    """A different body under a used id: a 400 error (its envelope is C2's to judge)."""
    if other.status == 400:
        return None
    accepted = other.succeeded
    return violation(
        ID,
        "reused id with a different body accepted" if accepted else "reused id not refused",
        f"a different body under a used merchant_order_id got HTTP {other.status}, "
        "expected a 400 error",
    )


def run(session: Session) -> None:
    base = template(session, ID)
    if base is None:
        return
    payload = session.fresh(base)
    first = session.send(payload, "valid")
    if first.order_id is None:
        session.unjudged(ID, "the order to replay was not accepted")
        return
    again = session.send(payload)
    judged = again.answered
    found = [v for v in [replay_violation(first.order_id, again)] if v is not None and judged]
    evidence = again
    # A control first: the changed body must be acceptable in itself, or a 400 under the
    # reused id would say nothing about the id.
    if control(session, changed(base)) is not None:
        other = session.send(changed(payload))
        broken = different_body_violation(other) if other.answered else None
        judged = judged or other.answered
        if broken is not None:
            found.append(broken)
            evidence = other
    if not judged:
        session.unjudged(ID, "neither the replay nor the different body was answered (see C1)")
        return
    session.judge(ID, Judgement(tuple(found), evidence))
