"""Each contract rule judges exactly what CONTRACT.md says, one exchange at a time: the
rules read plain `Observation`s, so each case here is the exchange itself, no server needed.
(Sequences and whole runs are proven against real servers in test_fuzz.py and
test_verdicts.py.)"""

from __future__ import annotations

from typing import Any

import pytest

from ordercheck.rules import RULES, Expectation, Judging, Observation, judge
from ordercheck.rules.c11_lock_under_concurrency import (
    LOCK_MESSAGE,
    burst_violations,
    has_lock_message,
)
from ordercheck.spec import PROFILES, Profile

HEADERS = {"content-type": "application/json", "x-request-id": "r-1"}
REQUEST = {"merchant_order_id": "m-1", "payment_method": "COD"}


def success(**data: Any) -> dict[str, Any]:
    body = {"order_id": "PO1", "merchant_order_id": "m-1", **data}
    return {"data": body, "partial_complete": False, "is_success": True, "status_code": 200}


def error(status: int = 400, message: str = "create_merchant_order : no") -> dict[str, Any]:
    return {
        "is_success": False,
        "status_code": status,
        "error": {"errors": [{"message": message}], "message": message},
    }


def seen(
    body: Any,
    status: int | None = 200,
    *,
    expect: str = "valid",
    request: Any = REQUEST,
    headers: dict[str, str] | None = None,
    profile: Profile = "default",
    allow: str | None = None,
    error_text: str | None = None,
) -> Observation:
    """One exchange as the rules see it."""
    import re

    judging = Judging(profile, None if allow is None else re.compile(allow))
    return Observation(
        Expectation(expect),  # type: ignore[arg-type]
        judging,
        request=request,
        status=None if error_text else status,
        headers=HEADERS if headers is None else headers,
        body=body,
        error=error_text,
    )


def broken(observation: Observation) -> dict[str, Any]:
    """Rule id -> violation, after folding consequences into their root cause."""
    _, found = judge(observation)
    return {v.rule: v for v in found}


def judged(observation: Observation) -> set[str]:
    """The rules that counted this exchange as judged."""
    applied, _ = judge(observation)
    return set(applied)


@pytest.mark.parametrize("profile", PROFILES)
def test_envelope_shape_binds_in_every_profile(profile: Profile) -> None:
    """C2: `{}` with HTTP 200 is not the success envelope, even under --profile documented
    (its required fields are inferred, and the envelope is the contract's)."""
    assert "C2" in broken(seen({}, profile=profile))


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize(
    ("body", "status", "rule"),
    [
        (success(merchant_order_id="m-2"), 200, "C7"),
        ({**success(), "status_code": 201}, 200, "C3"),
        (success(action="map_payment"), 200, "C8"),
    ],
)
def test_contract_rules_are_errors_in_every_profile(
    profile: Profile, body: dict[str, Any], status: int, rule: str
) -> None:
    """Only C14 is ever a warning: C3, C7 and C8 are errors whatever the profile."""
    assert broken(seen(body, status, profile=profile))[rule].severity == "error"


@pytest.mark.parametrize(("code", "fails"), [(201.0, True), (200.0, False), (200, False)])
def test_status_code_is_compared_by_value(code: float, fails: bool) -> None:
    """C3: 201.0 under HTTP 200 is a mismatch; 200.0 is the same number as 200."""
    assert ("C3" in broken(seen({**success(), "status_code": code}))) is fails


@pytest.mark.parametrize(
    ("expect", "status", "fails"),
    [
        ("valid", 401, True),
        ("unauthorized", 401, False),
        ("unauthorized", 403, False),
        ("valid", 302, True),
        ("invalid", 422, True),
        ("valid", 200, False),
    ],
)
def test_auth_statuses_only_answer_auth_failures(expect: str, status: int, fails: bool) -> None:
    """C4: 401/403 are allowed for auth tests only; a redirect or 422 is never allowed."""
    body = error(status) if status >= 400 else success()
    assert ("C4" in broken(seen(body, status, expect=expect))) is fails


def test_a_declared_rejection_does_not_judge_c5() -> None:
    """C5: a 400 matching --allow-rejection neither passes nor fails C5 (it was not judged);
    an undeclared one fails, naming the server's message as the cause."""
    refusal = seen(error(message="skus: out of stock"), 400, allow="out of stock")
    assert "C5" not in judged(refusal)
    undeclared = broken(seen(error(message="skus: out of stock"), 400))["C5"]
    assert "out of stock" in undeclared.cause


def test_a_declared_rejection_does_not_judge_c6_either() -> None:
    """C6: an invalid payload refused for a declared business reason (unknown SKU) says
    nothing about whether its invalid field was noticed: not judged, not passed."""
    refusal = seen(error(message="SKU 999 is not sold"), 400, expect="invalid", allow="not sold")
    assert "C6" not in judged(refusal)
    assert "C6" in judged(seen(error(), 400, expect="invalid", allow="not sold"))


def test_refusals_of_one_kind_are_one_cause() -> None:
    """C5 groups refusals by their message's shape: two SKUs not sold are one cause."""
    first = broken(seen(error(message="SKU 117004 is not sold"), 400))["C5"]
    second = broken(seen(error(message="SKU 225818 is not sold"), 400))["C5"]
    assert first.cause_key == second.cause_key
    assert "117004" in first.message


@pytest.mark.parametrize(
    ("got", "fails"),
    [("m-1", False), ("m-1 ", True), ("M-1", True), (None, True), (1, True)],
)
def test_echo_is_exact(got: Any, fails: bool) -> None:
    """C7: the same string, never trimmed, changed in case, dropped or retyped."""
    assert ("C7" in broken(seen(success(merchant_order_id=got)))) is fails


def test_echo_needs_a_string_id_to_judge() -> None:
    """C7 cannot judge an echo of an id that was not a string (C6's business)."""
    assert "C7" not in judged(seen(success(), request={"merchant_order_id": 7}))


def test_lock_message_counts_even_in_a_wrong_envelope() -> None:
    """C11 reads the lock message wherever the error says it; a wrong is_success around it
    is C3's to report, not C11's."""
    wrong_flag = {**error(message=LOCK_MESSAGE), "is_success": True}
    assert has_lock_message(seen(wrong_flag, 400, expect="sequence"))
    assert not has_lock_message(seen(error(message="busy"), 400, expect="sequence"))
    assert "C3" in broken(seen(wrong_flag, 400, expect="sequence"))


def timed(observation: Observation, sent_at: float, done_at: float) -> Observation:
    from dataclasses import replace

    return replace(observation, sent_at=sent_at, done_at=done_at)


REPLAY_REFUSED = error(message="create_merchant_order : merchant_order_id already used")


@pytest.mark.parametrize(
    ("loser", "expected"),
    [
        # in flight with the winner: only the lock error or the same order will do
        (timed(seen(REPLAY_REFUSED, 400, expect="sequence"), 0.0, 0.9), ["C11"]),
        (timed(seen(error(message=LOCK_MESSAGE), 400, expect="sequence"), 0.0, 0.9), []),
        (timed(seen(success(), 200, expect="sequence"), 0.0, 0.9), []),
        # left after the winner's answer: a replay, which C10 lets a server refuse
        (timed(seen(REPLAY_REFUSED, 400, expect="sequence"), 0.5, 0.9), []),
        (timed(seen(success(order_id="PO2"), 200, expect="sequence"), 0.5, 0.9), ["C11"]),
        (timed(seen(error(500), 500, expect="sequence"), 0.5, 0.9), ["C11"]),
        # no timing (the proxy's duplicates): judged as in flight
        (seen(REPLAY_REFUSED, 400, expect="sequence"), ["C11"]),
    ],
    ids=[
        "racing-refusal",
        "racing-lock",
        "racing-same-order",
        "late-refusal",
        "late-second-order",
        "late-crash",
        "untimed-refusal",
    ],
)
def test_c11_reads_a_burst_request_sent_after_the_winner_answered_as_a_replay(
    loser: Observation, expected: list[str]
) -> None:
    """C11 and C10 agree: a request of the burst that left only after the winner's answer
    was whole did not race it; refusing it with any 400 is what C10 allows a replay.
    Anything else still breaks C11: a second order, a 5xx."""
    winner = timed(seen(success(), 200, expect="sequence"), 0.0, 0.4)
    assert [v.rule for v in burst_violations([winner, loser])] == expected


@pytest.mark.parametrize("value", [None, "", "   "])
def test_request_id_missing_or_empty_is_c13(value: str | None) -> None:
    """C13 owns both a missing and an empty X-Request-ID, on any response."""
    headers = {"content-type": "application/json"}
    if value is not None:
        headers["x-request-id"] = value
    assert "C13" in broken(seen(error(401), 401, expect="unauthorized", headers=headers))


def test_a_crash_is_one_finding_under_c1_naming_its_consequences() -> None:
    """A 500 with a text body for a valid order breaks C1; C2, C4 and C5 are named on it,
    not counted as failures of their own, and not counted as judged by that exchange."""
    crash = Observation(
        Expectation("valid"),
        Judging(),
        request=REQUEST,
        status=500,
        headers={"content-type": "text/plain", "x-request-id": "r"},
        text="Traceback",
    )
    found = broken(crash)
    assert set(found) == {"C1"}
    assert found["C1"].consequences == ("C2", "C4", "C5")
    assert judged(crash).isdisjoint({"C2", "C4", "C5"})


def test_no_whole_response_is_judged_by_c1_alone() -> None:
    """A reset, a cut body, garbage bytes: C1 fails and no other rule counts as judged."""
    dropped = seen(None, expect="valid", error_text="ConnectionResetError")
    assert judged(dropped) == {"C1"}
    assert set(broken(dropped)) == {"C1"}


def test_invalid_json_with_200_judges_neither_echo_nor_payment_fields() -> None:
    """A 200 whose body is not JSON fails C2 and is never counted for C7 or C8."""
    garbage = Observation(
        Expectation("valid"),
        Judging(),
        request=REQUEST,
        status=200,
        headers=HEADERS,
        text="<html>",
    )
    assert "C2" in broken(garbage)
    assert judged(garbage).isdisjoint({"C7", "C8"})


def test_every_exchange_rule_says_what_it_needs() -> None:
    """Each exchange rule names what an exchange must be to judge it (the reason a run that
    never met one is inconclusive)."""
    for rule in RULES.values():
        if rule.judges_exchanges:
            assert rule.needs and "sequence" not in rule.needs, rule.id
