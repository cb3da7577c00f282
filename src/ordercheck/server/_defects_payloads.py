"""Broken variants of payload validation: valid orders refused (C5), invalid ones accepted (C6).

The C5 variants add a business rule nobody declared; the C6 variants drop one rule of the
spec's validator, the way a hand-written check misses it.  Both override one stage of
`Reference` (`business_rules` or `findings`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar

from ordercheck.server._reference import Reference
from ordercheck.server._registry import Registry
from ordercheck.validators import ConstraintViolation

registry = Registry()

_LATIN_NAME = re.compile(r"^[A-Za-z .'-]*$")
# Python's re, not ECMA-262: `$` also matches just before a trailing newline.
_PYTHON_PINCODE = re.compile(r"^[1-9][0-9]{5}$")
_AMOUNT = re.compile(r"[0-9]+(\.[0-9]{1,2})?")


def _at(payload: Any, *path: str) -> Any:
    """The value at `path`, or None when a step is missing or not an object.

    Business rules run on payloads valid under the server's profile, and under `documented`
    even required fields may be absent: a variant must not crash there (a second defect).
    """
    for step in path:
        if not isinstance(payload, Mapping):
            return None
        payload = payload.get(step)
    return payload


# -- C5: a valid payload is accepted -------------------------------------------------------
@registry.add(
    "rejects_devanagari_names",
    "C5",
    "names must match [A-Za-z .'-], so a Devanagari first name such as आरव is refused",
)
class RejectsDevanagariNames(Reference):
    def business_rules(self, payload: Mapping[str, Any]) -> list[str]:
        names = [_at(payload, "user", "first_name"), _at(payload, "user", "last_name")]
        if any(isinstance(name, str) and not _LATIN_NAME.match(name) for name in names):
            return ["user.first_name: only English letters are allowed in names"]
        return []


@registry.add(
    "rejects_large_amount",
    "C5",
    "a stale fraud rule refuses any payable_amount above 10000 rupees",
)
class RejectsLargeAmount(Reference):
    def business_rules(self, payload: Mapping[str, Any]) -> list[str]:
        amount = _at(payload, "payable_amount")
        if isinstance(amount, str) and _AMOUNT.fullmatch(amount) and Decimal(amount) > 10000:
            return ["payable_amount: orders above 10000 need manual approval"]
        return []


@registry.add(
    "rejects_online",
    "C5",
    "ONLINE payment was never enabled for the merchant, so every ONLINE order is refused",
)
class RejectsOnline(Reference):
    def business_rules(self, payload: Mapping[str, Any]) -> list[str]:
        if _at(payload, "payment_method") == "ONLINE":
            return ["payment_method: ONLINE is not enabled for this merchant"]
        return []


@registry.add(
    "rejects_prescriptions",
    "C5",
    "orders that carry prescriptions are refused for manual review instead of accepted",
)
class RejectsPrescriptions(Reference):
    def business_rules(self, payload: Mapping[str, Any]) -> list[str]:
        if _at(payload, "prescriptions"):
            return ["prescriptions: prescription orders must be placed by phone"]
        return []


@registry.add(
    "out_of_stock",
    "C5",
    "the warehouse feed is empty, so every order is refused as out of stock (declared with "
    "--allow-rejection 'out of stock', the run is inconclusive rather than conformant)",
)
class OutOfStock(Reference):
    def business_rules(self, payload: Mapping[str, Any]) -> list[str]:
        return ["skus: out of stock"]


@registry.add(
    "refuses_odd_amounts",
    "C5",
    "a made-up rule refuses odd rupee amounts; declared with --allow-rejection 'odd amount', "
    "it must not be read as a replay or auth breach (the sequences' controls)",
)
class RefusesOddAmounts(Reference):
    def business_rules(self, payload: Mapping[str, Any]) -> list[str]:
        amount = _at(payload, "payable_amount")
        if isinstance(amount, str) and _AMOUNT.fullmatch(amount) and int(Decimal(amount)) % 2:
            return ["payable_amount: odd amount refused"]
        return []


# -- C6: an invalid payload is rejected ----------------------------------------------------
class _Lenient(Reference):
    """Drops the findings of `ignored` rules: a hand-written validator that misses them."""

    ignored: ClassVar[frozenset[str]] = frozenset()

    def findings(self, payload: Any) -> Sequence[ConstraintViolation]:
        return [f for f in super().findings(payload) if f.constraint not in self.ignored]


@registry.add(
    "accepts_zero_quantity",
    "C6",
    "checks SKU quantities with >= 0, so a quantity of 0 is accepted",
)
class AcceptsZeroQuantity(_Lenient):
    ignored = frozenset({"skus.*:minimum"})


@registry.add(
    "accepts_missing_mobile",
    "C6",
    "treats user.mobile as optional, copied from the guest-checkout form",
)
class AcceptsMissingMobile(_Lenient):
    ignored = frozenset({"user.mobile:required"})


@registry.add(
    "accepts_numeric_amount",
    "C6",
    "coerces payable_amount with str(), so the number 499 is accepted",
)
class AcceptsNumericAmount(_Lenient):
    ignored = frozenset({"payable_amount:type"})


@registry.add(
    "accepts_empty_skus",
    "C6",
    "an empty skus object is accepted and creates an order with no items",
)
class AcceptsEmptySkus(_Lenient):
    ignored = frozenset({"skus:minProperties"})


@registry.add(
    "accepts_bad_pincode",
    "C6",
    "checks only that user.address.pincode is present, not that it is a 6-digit PIN",
)
class AcceptsBadPincode(_Lenient):
    ignored = frozenset({"user.address.pincode:pattern"})


@registry.add(
    "accepts_unknown_payment_method",
    "C6",
    "any payment_method other than ONLINE is treated as COD, so CARD is accepted",
)
class AcceptsUnknownPaymentMethod(_Lenient):
    ignored = frozenset({"payment_method:enum"})


@registry.add(
    "accepts_pincode_newline",
    "C6",
    "checks pincode with Python's re, whose $ also matches before a trailing newline",
)
class AcceptsPincodeNewline(Reference):
    def findings(self, payload: Any) -> Sequence[ConstraintViolation]:
        found = super().findings(payload)
        pincode = _at(payload, "user", "address", "pincode")
        if not isinstance(pincode, str) or not _PYTHON_PINCODE.match(pincode):
            return found
        return [f for f in found if f.constraint != "user.address.pincode:pattern"]
