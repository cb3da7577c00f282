"""Each broken variant really has its defect, and the reference does not.

A probe is a targeted request (or sequence) that returns the contract rules it saw broken.
Every variant's probe must see the variant's rule broken; the same probe against the
reference must see nothing broken at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any, Literal

import pytest
import requests

from ordercheck.rules import ResponseValidator
from ordercheck.server import VARIANTS, create_app, running_server
from ordercheck.spec import load_spec
from ordercheck.validators import Violation
from server_helpers import KEY, LOCK, MERCHANT, LiveServer, burst, order

RESPONSES = ResponseValidator()
CONFORMANCE = load_spec().conformance
FAST_S, CONTENDED_S = 0.01, 0.3  # processing delays: most probes, lock probes
LATENCY_BUDGET_S = 0.25  # the budget the slow_orders variant is built to exceed

Expect = Literal["accepted", "rejected"] | None


def with_user(**changes: Any) -> dict[str, Any]:
    """A valid order whose `user` has `changes` (None removes a field)."""
    user = {**order()["user"], **changes}
    return order(user={k: v for k, v in user.items() if v is not None})


def with_pincode(pincode: str) -> dict[str, Any]:
    """A valid order but for `pincode`."""
    address = {**order()["user"]["address"], "pincode": pincode}
    return with_user(address=address)


# -- what one exchange breaks -------------------------------------------------------------
def rule_of(finding: Violation) -> str:
    """The contract rule a response finding belongs to: envelope schema findings are C2."""
    if finding.id in CONFORMANCE:
        return finding.id
    if finding.id.startswith("headers.X-Request-ID"):
        return "C13"
    return "C2"


def broken(reply: requests.Response, request: Any = None, expect: Expect = None) -> set[str]:
    """The rules one response breaks, given what the request deserved."""
    rules = {"C1"} if reply.status_code >= 500 else set()
    if expect == "accepted" and not 200 <= reply.status_code < 300:
        rules.add("C5")
    if expect == "rejected" and 200 <= reply.status_code < 300:
        rules.add("C6")
    try:
        body = reply.json()
    except ValueError:
        return rules | {"C2"}
    verdict = RESPONSES.check(
        body, status=reply.status_code, headers=reply.headers, request=request
    )
    return rules | {rule_of(f) for f in verdict.errors}


# -- probes ------------------------------------------------------------------------------
Probe = Callable[[LiveServer], set[str]]


def sends(expect: Expect, make: Callable[..., Any] = order, *args: Any, **kwargs: Any) -> Probe:
    """One request with a fresh ``make(*args, **kwargs)`` payload, which deserves `expect`."""

    def probe(target: LiveServer) -> set[str]:
        payload = make(*args, **kwargs)
        return broken(target.post(payload), payload, expect)

    return probe


def sends_raw(raw: bytes) -> Probe:
    """One request whose body is not a valid order at all: it deserves a 400."""
    return lambda target: broken(target.post(raw=raw), None, "rejected")


def same_cart_twice(target: LiveServer) -> set[str]:
    """Two orders, different merchant_order_ids, the same SKUs: order_ids must differ."""
    first, second = order(), order()
    replies = [target.post(first), target.post(second)]
    rules = broken(replies[0], first, "accepted") | broken(replies[1], second, "accepted")
    ids = [r.json()["data"]["order_id"] for r in replies if r.status_code == 200]
    return rules | ({"C9"} if len(ids) == 2 and ids[0] == ids[1] else set())


def replay_same_body(target: LiveServer) -> set[str]:
    """The same order twice: the same order_id back and one order created."""
    payload, before = order(), target.orders_created
    replies = [target.post(payload), target.post(payload)]
    rules = set().union(*(broken(r, payload, "accepted") for r in replies))
    ids = {r.json()["data"]["order_id"] for r in replies if r.status_code == 200}
    return rules | ({"C10"} if len(ids) > 1 or target.orders_created - before > 1 else set())


def replay_changed_body(target: LiveServer) -> set[str]:
    """The same merchant_order_id with a different cart: it must be refused."""
    payload = order()
    changed = {**payload, "skus": {"117004": 5}}
    rules = broken(target.post(payload), payload, "accepted")
    second = target.post(changed)
    return rules | broken(second, changed) | ({"C10"} if second.status_code == 200 else set())


def concurrent_burst(target: LiveServer, n: int = 8) -> set[str]:
    """`n` identical requests at once: one order; the others the lock error or the same id."""
    payload, before = order(), target.orders_created
    replies = burst(target, payload, n)
    rules = set().union(*(broken(r, payload) for r in replies))
    ids = {r.json()["data"]["order_id"] for r in replies if r.status_code == 200}
    others_ok = all(r.status_code == 200 or _is_lock_error(r) for r in replies)
    if target.orders_created - before > 1 or len(ids) > 1 or not others_ok:
        rules.add("C11")
    return rules


def _is_lock_error(reply: requests.Response) -> bool:
    try:
        return bool(reply.status_code == 400 and reply.json()["error"]["message"] == LOCK)
    except (ValueError, KeyError, TypeError):
        return False


def unauthorised(key: str | None, merchant: str) -> Probe:
    """A valid order with a missing or foreign key: never 2xx, never an order."""

    def probe(target: LiveServer) -> set[str]:
        before = target.orders_created
        reply = target.post(order(), key=key, merchant=merchant)
        denied = reply.status_code in (401, 403) and target.orders_created == before
        return broken(reply) | (set() if denied else {"C12"})

    return probe


def request_ids_differ(target: LiveServer) -> set[str]:
    """Two responses must carry two different X-Request-IDs."""
    replies = [target.post(order()), target.post(raw=b"{")]
    ids = [r.headers.get("X-Request-ID") for r in replies]
    rules = broken(replies[0], None, "accepted") | broken(replies[1])
    return rules | ({"C13"} if ids[0] == ids[1] else set())


def fast_enough(target: LiveServer) -> set[str]:
    """One valid order answered within the latency budget."""
    start = time.perf_counter()
    payload = order()
    rules = broken(target.post(payload), payload, "accepted")
    slow = time.perf_counter() - start > LATENCY_BUDGET_S
    return rules | ({"C14"} if slow else set())


REJECTED_AMOUNT = sends("rejected", order, payable_amount=499)
PROBES: dict[str, Probe] = {
    "crash_on_malformed_json": sends_raw(b'{"merchant_order_id": '),
    "crash_on_null_user": sends("rejected", order, user=None),
    "crash_on_array_body": sends_raw(b'["not", "an", "object"]'),
    "html_error_page": REJECTED_AMOUNT,
    "bare_error_body": REJECTED_AMOUNT,
    "status_code_mismatch": REJECTED_AMOUNT,
    "is_success_true_on_error": REJECTED_AMOUNT,
    "unprocessable_entity": REJECTED_AMOUNT,
    "created_201": sends("accepted"),
    "rejects_devanagari_names": sends("accepted", with_user, first_name="आरव", last_name="शर्मा"),
    "rejects_large_amount": sends("accepted", order, payable_amount="12499.00"),
    "rejects_online": sends("accepted", order, "ONLINE"),
    "rejects_prescriptions": sends("accepted", order, prescriptions=["https://x.in/rx/1.jpg"]),
    "out_of_stock": sends("accepted"),
    "refuses_odd_amounts": sends("accepted", order, payable_amount="499.00"),
    "accepts_zero_quantity": sends("rejected", order, skus={"117004": 0}),
    "accepts_missing_mobile": sends("rejected", with_user, mobile=None),
    "accepts_numeric_amount": REJECTED_AMOUNT,
    "accepts_empty_skus": sends("rejected", order, skus={}),
    "accepts_bad_pincode": sends("rejected", with_pincode, "56001"),
    "accepts_unknown_payment_method": sends("rejected", order, "CARD"),
    "accepts_pincode_newline": sends("rejected", with_pincode, "560001\n"),
    "wrong_echo": sends("accepted"),
    "cod_has_payment_fields": sends("accepted", order, "COD"),
    "online_payment_id_string": sends("accepted", order, "ONLINE"),
    "order_id_collision": same_cart_twice,
    "replay_creates_new_order": replay_same_body,
    "replay_different_body_accepted": replay_changed_body,
    "no_lock": concurrent_burst,
    "lock_500": concurrent_burst,
    "no_auth": unauthorised(None, MERCHANT),
    "cross_merchant_key": unauthorised(KEY, "other-merchant"),
    "missing_request_id": request_ids_differ,
    "constant_request_id": request_ids_differ,
    "slow_orders": fast_enough,
}
CONTENDED = {"no_lock", "lock_500"}


def delay_for(name: str) -> float:
    """Lock probes need a processing window wide enough for a burst to meet the lock."""
    return CONTENDED_S if name in CONTENDED else FAST_S


@pytest.fixture(scope="module")
def contended() -> Iterator[LiveServer]:
    """A reference server whose processing window is wide enough for a burst to meet the
    lock (the session's server answers too fast for that)."""
    app = create_app(processing_delay_s=CONTENDED_S)
    with running_server(app) as base_url:
        yield LiveServer(base_url, app)


# -- the registry --------------------------------------------------------------------------
def test_at_least_25_variants() -> None:
    """There are at least 25 broken variants."""
    assert len(VARIANTS) >= 25


def test_variants_cover_c1_to_c13() -> None:
    """Every rule C1 to C13 is broken by at least one variant, and every rule id is real."""
    rules = {v.rule for v in VARIANTS.values()}
    assert rules >= {f"C{i}" for i in range(1, 14)}
    assert rules <= set(CONFORMANCE)


def test_variant_entries_are_well_formed() -> None:
    """Names are snake_case keys of their own entry; descriptions are one line."""
    for name, variant in VARIANTS.items():
        assert variant.name == name and name.isidentifier() and name.islower()
        assert variant.description and "\n" not in variant.description


def test_every_variant_has_a_probe() -> None:
    """The probes below cover exactly the registered variants."""
    assert set(PROBES) == set(VARIANTS)


# -- the defects ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_shows_its_defect(name: str) -> None:
    """The variant's probe sees the rule the variant claims to break."""
    app = create_app(variant=name, processing_delay_s=delay_for(name))
    with running_server(app) as base_url:
        seen = PROBES[name](LiveServer(base_url, app))
    rule = VARIANTS[name].rule
    assert rule in seen, f"{name}: saw {sorted(seen)}"
    # One defect: beyond its own rule, a variant may only break what follows from it
    # (a crash is not JSON, C2; a wrong field value also breaks the envelope schema, C2).
    assert seen - {"C1", "C2"} <= {rule}, f"{name}: saw {sorted(seen)}"


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_reference_passes_the_probe(
    name: str, reference: LiveServer, contended: LiveServer
) -> None:
    """The same probe against the reference sees no rule broken at all."""
    assert PROBES[name](contended if name in CONTENDED else reference) == set()
