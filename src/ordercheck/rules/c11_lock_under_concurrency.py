"""C11: concurrent identical requests create exactly one order; every other gets the same
order_id or the documented lock error; none gets a 5xx."""

from __future__ import annotations

from collections.abc import Sequence

from ordercheck.results import RuleViolation
from ordercheck.rules._observation import Observation
from ordercheck.rules._rule import Judgement, Session, violation
from ordercheck.rules._sequence import template

ID = "C11"
LOCK_MESSAGE = "create_merchant_order : Could not acquire lock"


def has_lock_message(observation: Observation) -> bool:
    """A 400 naming the documented lock error, in ``error.message`` or ``error.errors``.

    Only the message is this rule's business: an envelope that is wrong around it (say
    ``is_success: true``) is C2's and C3's to report."""
    body = observation.json_object
    error = body.get("error") if body is not None else None
    if observation.status != 400 or not isinstance(error, dict):
        return False
    messages = [error.get("message")]
    errors = error.get("errors")
    if isinstance(errors, list):
        messages += [e.get("message") for e in errors if isinstance(e, dict)]
    return LOCK_MESSAGE in messages


def _replayed(loser: Observation, first_win: float | None) -> bool:
    """Whether `loser` left only after the winner's answer was whole: then it did not race
    the winner, it replayed a finished order, and C10 allows a replay a 400 of any message
    (a server that refuses every reused ``merchant_order_id``).  Under load a burst's last
    requests can leave that late, however they were released together."""
    return (
        loser.status == 400
        and first_win is not None
        and loser.sent_at is not None
        and loser.sent_at >= first_win
    )


def _loser_violation(loser: Observation, first_win: float | None) -> RuleViolation | None:
    if not loser.answered or loser.status is None or loser.status >= 500:
        return violation(
            ID,
            "concurrent request failed",
            f"a concurrent identical request got {loser.status or loser.error}; expected the "
            f"lock error ({LOCK_MESSAGE!r}) or the same order_id",
        )
    if loser.order_id is None and not has_lock_message(loser) and not _replayed(loser, first_win):
        said = loser.error_message
        return violation(
            ID,
            "concurrent request refused without the lock error",
            f"HTTP {loser.status}{f' saying {said!r}' if said else ''}: expected the lock error "
            f"({LOCK_MESSAGE!r}) or the same order_id",
            cause=f"HTTP {loser.status} {said or ''}".strip(),
        )
    return None


def run(session: Session) -> None:
    base = template(session, ID)
    if base is None:
        return
    results = session.burst(session.fresh(base), session.burst_size)
    if not any(sent.answered for sent in results):
        session.unjudged(ID, "no request of the burst was answered (see C1)")
        return
    found = burst_violations(results)
    session.judge(ID, Judgement(tuple(found), results[-1] if results else None))


def burst_violations(results: Sequence[Observation]) -> list[RuleViolation]:
    """What identical requests in flight at once broke: more than one order, no winner, or
    a loser answered with neither the order nor the lock error, unless it left after the
    winner's answer (a replay; see `_replayed`).  Also what `ordercheck proxy` asks of
    concurrent duplicates it sees."""
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
    elif not order_ids:
        found.append(
            violation(
                ID,
                "no request of the burst won",
                f"none of {len(results)} concurrent identical requests created the order "
                "(one must win; the others get the lock error or the same order_id)",
            )
        )
    wins = [o.done_at for o in results if o.order_id and o.done_at is not None]
    first_win = min(wins, default=None)
    for loser in results:
        broken = _loser_violation(loser, first_win)
        if broken is not None:
            found.append(broken)
            break
    return found
