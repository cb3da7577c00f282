"""Response bodies, for testing clients of the API and the checks themselves.

Structure and constraints come from the spec's envelope schemas (the 200 and 400 bodies);
realism on top: ``PO`` order ids, the documented ``map_payment`` action and an aggregator
for ONLINE orders only (CONTRACT.md C8), the page's lock message among the error messages.
`broken_envelopes` breaks one envelope rule at a time with the same machinery as
`invalid_orders`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ordercheck.spec import Level, Profile, Spec
from ordercheck.strategies._internal import indian_data as data
from ordercheck.strategies._internal.constraints import Shape
from ordercheck.strategies._internal.order_realism import merchant_order_ids
from ordercheck.strategies._internal.rule_breaking import Breach, mixed_breaches, plans
from ordercheck.strategies._internal.schema_walker import ABSENT, Always, Choices, Provider, Walker
from ordercheck.strategies._internal.spec_model import (
    SchemaModel,
    SpecModel,
    model_for,
    profile_argument,
)

# The method whose success carries payment details (CONTRACT.md C8).
PAYS_ONLINE = "ONLINE"


@dataclass(frozen=True)
class InvalidResponse:
    """A response body that breaks exactly one envelope rule, and the HTTP status it goes
    with (the envelope is chosen by status).  Exchange rules that read the broken field
    (C3 for ``status_code`` and ``is_success``, C8 for payment fields) may fire as well."""

    body: Any
    rule: str
    path: str
    level: Level
    status: int
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class EnvelopeContext:
    """What one envelope's fields agree on."""

    status: int
    payment_method: str | None
    merchant_order_id: str
    message: str


_LEFT_OUT = st.just(ABSENT)


def _online(value: st.SearchStrategy[Any]) -> Provider[EnvelopeContext]:
    def provide(ctx: EnvelopeContext, shape: Shape) -> st.SearchStrategy[Any] | Always:
        return Always(value) if ctx.payment_method == PAYS_ONLINE else _LEFT_OUT

    return provide


def _action(ctx: EnvelopeContext, shape: Shape) -> st.SearchStrategy[Any] | Always | None:
    if ctx.payment_method != PAYS_ONLINE:
        return _LEFT_OUT
    return Always(st.sampled_from(shape.enum)) if shape.enum else None


def _errors(ctx: EnvelopeContext, shape: Shape) -> st.SearchStrategy[Any]:
    others = st.lists(st.sampled_from(data.ERROR_MESSAGES), max_size=2)
    return others.map(lambda more: [{"message": m} for m in [ctx.message, *more]])


ENVELOPE_PROVIDERS: dict[str, Provider[EnvelopeContext]] = {
    "data.order_id": lambda ctx, shape: st.integers(10**13, 10**14 - 1).map(lambda n: f"PO{n}"),
    "data.merchant_order_id": lambda ctx, shape: st.just(ctx.merchant_order_id),
    "data.action": _action,
    "data.payment_id": _online(st.integers(1_000_000, 99_999_999)),
    "data.payment_aggregator": _online(st.sampled_from(data.PAYMENT_AGGREGATORS)),
    "partial_complete": lambda ctx, shape: st.sampled_from((False, False, False, True)),
    "status_code": lambda ctx, shape: st.just(ctx.status),
    "error.message": lambda ctx, shape: st.just(ctx.message),
    "error.errors": _errors,
}


def _statuses(spec: Spec, first_digit: str) -> list[int]:
    codes = sorted(int(k) for k in spec.operation["responses"] if str(k).startswith(first_digit))
    if 400 in codes:  # the documented error first (shrinking lands there) and most often
        others = [c for c in codes if c != 400]
        return [400] * max(1, len(others)) + others
    return codes


def _methods(models: SpecModel, payment_method: str | None) -> st.SearchStrategy[str | None]:
    shape = models.request.shape("strict").properties.get("payment_method")
    methods = list(shape.enum) if shape is not None and shape.enum else [None]
    if payment_method is None:
        return st.sampled_from(methods)
    if shape is not None and not shape.check(payment_method):
        raise InvalidArgument(f"payment_method={payment_method!r} is not one of {methods}")
    return st.just(payment_method)


def _messages(spec: Spec) -> tuple[str, ...]:
    documented = [
        body["error"]["message"]
        for body in spec.examples("400").values()
        if isinstance(body.get("error"), dict) and isinstance(body["error"].get("message"), str)
    ]
    return (*documented, *data.ERROR_MESSAGES)


def _envelopes(
    model: SchemaModel, contexts: st.SearchStrategy[EnvelopeContext], *, complete: bool = False
) -> st.SearchStrategy[Any]:
    walker = Walker(Choices(ENVELOPE_PROVIDERS, complete=complete))
    return walker.documents(model.shape("strict"), contexts).filter(model.oracle("strict").valid)


def success_envelopes(
    *,
    payment_method: str | None = None,
    merchant_order_id: str | None = None,
    spec: Spec | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """Success bodies (HTTP 200) for an order paid by `payment_method` (drawn from the
    spec's methods when None) echoing `merchant_order_id` (drawn when None): ONLINE ones
    carry ``action``, ``payment_id`` and ``payment_aggregator``, COD ones none of them."""
    models = model_for(spec)
    contexts = st.builds(
        EnvelopeContext,
        status=st.sampled_from(_statuses(models.spec, "2")),
        payment_method=_methods(models, payment_method),
        merchant_order_id=st.just(merchant_order_id)
        if merchant_order_id is not None
        else merchant_order_ids(),
        message=st.just(""),
    )
    return _envelopes(models.success, contexts)


def error_envelopes(
    *, message: str | None = None, spec: Spec | None = None
) -> st.SearchStrategy[dict[str, Any]]:
    """Error bodies for the spec's 4xx statuses (400 most of all), with `message` (or one
    like the page's ``create_merchant_order : Could not acquire lock``)."""
    models = model_for(spec)
    return _envelopes(models.error, _error_contexts(models, message, _statuses(models.spec, "4")))


def _error_contexts(
    models: SpecModel, message: str | None, statuses: list[int]
) -> st.SearchStrategy[EnvelopeContext]:
    messages = st.just(message) if message is not None else st.sampled_from(_messages(models.spec))
    return st.builds(
        EnvelopeContext,
        status=st.sampled_from(statuses),
        payment_method=st.none(),
        merchant_order_id=st.just(""),
        message=messages,
    )


@cache
def _complete_bases(models: SpecModel) -> tuple[st.SearchStrategy[Any], st.SearchStrategy[Any]]:
    # ONLINE successes and 400 errors with every field there: each rule has a place to break.
    success = st.builds(
        EnvelopeContext,
        status=st.just(200),
        payment_method=st.just(PAYS_ONLINE),
        merchant_order_id=merchant_order_ids(),
        message=st.just(""),
    )
    error = _error_contexts(models, None, [400])
    return (
        _envelopes(models.success, success, complete=True),
        _envelopes(models.error, error, complete=True),
    )


def _invalid_response(status: int) -> Any:
    def label(breach: Breach) -> InvalidResponse:
        rule = breach.rule
        return InvalidResponse(
            breach.document, rule.id, breach.path, rule.level, status, breach.also
        )

    return label


def broken_envelopes(
    *, profile: str = "default", spec: Spec | None = None
) -> st.SearchStrategy[InvalidResponse]:
    """Bodies that break exactly one rule of the success or the error envelope that is an
    error under `profile` (``data:required``, ``is_success:const``, ``status_code:minimum``...),
    each with the rule, its path and level, and the status to pair it with.

    The envelope's shape binds as under ``default`` in every profile (C2; see
    `ordercheck.rules.Judging.envelopes`), so under ``documented`` its inferred rules are
    errors too: a break is planned and checked for exactness at those levels, or a
    fraction for an integer ``status_code`` could break its inferred minimum unseen."""
    checked = profile_argument(profile)
    return _broken(model_for(spec), "default" if checked == "documented" else checked)


@cache
def _broken(models: SpecModel, checked: Profile) -> st.SearchStrategy[InvalidResponse]:
    success_bases, error_bases = _complete_bases(models)
    breaches = [
        mixed_breaches(plan, bases).map(_invalid_response(status))
        for model, bases, status in (
            (models.success, success_bases, 200),
            (models.error, error_bases, 400),
        )
        for plan in plans(model, checked).values()
    ]
    return st.one_of(breaches)
