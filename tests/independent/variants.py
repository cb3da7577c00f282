"""Broken variants of the independent implementation: one realistic defect each.

Each is a small subclass of `CreateOrder` (or of the rules or order book it uses) that
changes one method, registered in `VARIANTS` with the contract rule the defect breaks and
the other rules it may break as well (`consequences`, empty wherever the defect can be kept
to its own rule).  Fuzzing a variant must fail its rule and nothing outside those.

    >>> VARIANTS["numeric_amount"].rule
    'C6'
    >>> VARIANTS["numeric_amount"].build()  # a CreateOrder to `serving(...)`  # doctest: +SKIP
"""

from __future__ import annotations

import hmac
import math
import re
import threading
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from independent.body import is_number, is_whole
from independent.orders import Busy, Order, OrderBook
from independent.service import CreateOrder, Refusal, Reply, Request
from independent.validation import NOT_TEXT, OrderRules

# Where a burst must overlap for the defect to show, the order takes this long: enough for
# eight concurrent requests to meet on two busy cores.
CONTENDED_S = 0.2
ECHO_LIMIT = 64


@dataclass(frozen=True)
class Variant:
    """A broken service: its defect in one line, the rule it breaks, what else may fail."""

    name: str
    rule: str
    description: str
    service: type[CreateOrder]
    consequences: tuple[str, ...] = ()
    processing_s: float | None = None

    def build(self) -> CreateOrder:
        """A fresh instance (an empty order book), ready for `serving`."""
        if self.processing_s is None:
            return self.service()
        return self.service(processing_s=self.processing_s)


VARIANTS: dict[str, Variant] = {}
S = TypeVar("S", bound=type[CreateOrder])


def broken(
    rule: str,
    description: str,
    *,
    consequences: tuple[str, ...] = (),
    processing_s: float | None = None,
) -> Callable[[S], S]:
    """Register the decorated service as a variant named after its class, in snake case."""

    def register(service: S) -> S:
        name = re.sub(r"(?<!^)(?=[A-Z])", "_", service.__name__).lower()
        VARIANTS[name] = Variant(name, rule, description, service, consequences, processing_s)
        return service

    return register


def with_rules(**methods: Any) -> type[OrderRules]:
    """`OrderRules` with some methods (or patterns) replaced."""
    return type("BrokenRules", (OrderRules,), methods)


# -- C6: invalid payloads accepted --------------------------------------------------------
def _coerced_amount(self: OrderRules, payload: dict[str, Any], found: list[str]) -> None:
    amount = payload.get("payable_amount")
    if is_number(amount):
        payload["payable_amount"] = str(amount)  # "a number is as good as its digits"
    OrderRules.check_amount(self, payload, found)


@broken("C6", 'accepts a number for payable_amount (499 for "499.00")')
class NumericAmount(CreateOrder):
    rules_type = with_rules(check_amount=_coerced_amount)


def _int_quantity(self: OrderRules, value: Any) -> bool:
    return (isinstance(value, int) or is_whole(value)) and value >= 1  # True is an int too


@broken("C6", "accepts true as an SKU quantity (isinstance(True, int) holds)")
class BooleanQuantity(CreateOrder):
    rules_type = with_rules(quantity_ok=_int_quantity)


def _coerced_text(self: OrderRules, holder: Any, name: str | int, *, required: bool) -> Any:
    value = holder[name]
    if is_number(value):
        holder[name] = value = str(value)
    return value if isinstance(value, str) else NOT_TEXT


@broken("C6", "accepts a number where a string is expected (pincode: 560001)")
class NumberForString(CreateOrder):
    rules_type = with_rules(text=_coerced_text)


@broken("C6", "accepts three decimals in payable_amount (\\.[0-9]{1,3})")
class AmountThreeDecimals(CreateOrder):
    rules_type = with_rules(AMOUNT=r"[0-9]+(\.[0-9]{1,3})?")


@broken("C6", "accepts a 5- or 7-digit PIN code ([0-9]{4,6} after the first digit)")
class PinLengthOffByOne(CreateOrder):
    rules_type = with_rules(PINCODE=r"[1-9][0-9]{4,6}")


@broken("C6", "accepts a PIN code that starts with 0 ([0-9]{6})")
class PinLeadingZero(CreateOrder):
    rules_type = with_rules(PINCODE=r"[0-9]{6}")


def _dollar_match(self: OrderRules, pattern: str, text: str) -> bool:
    return re.match(f"^{pattern}$", text) is not None  # Python's $ matches before a final \n


@broken("C6", "accepts a trailing newline (re.match with ^...$ instead of fullmatch)")
class DollarBeforeNewline(CreateOrder):
    rules_type = with_rules(matches=_dollar_match)


def _unicode_digits(self: OrderRules, pattern: str, text: str) -> bool:
    return re.fullmatch(pattern.replace("[0-9]", r"\d"), text) is not None


@broken("C6", "accepts other scripts' digits (\\d instead of [0-9]: a Devanagari amount)")
class UnicodeDigits(CreateOrder):
    rules_type = with_rules(matches=_unicode_digits)


@broken("C6", "accepts an empty required string (no minimum length check)")
class EmptyRequiredString(CreateOrder):
    rules_type = with_rules(filled=lambda self, text: True)


def _blank_skipped(self: OrderRules, pattern: str, text: str) -> bool:
    return not text.strip() or re.fullmatch(pattern, text) is not None  # "blank: not given"


@broken("C6", "accepts an empty or whitespace-only PIN or amount (blank skips the pattern)")
class BlankSkipsPattern(CreateOrder):
    rules_type = with_rules(matches=_blank_skipped)


# -- C1: crashes ----------------------------------------------------------------------------
def _truthy_coupon(self: OrderRules, payload: dict[str, Any], found: list[str]) -> None:
    if payload.get("coupon_code"):  # null, "", 0, false, [] skip the check...
        OrderRules.check_coupon(self, payload, found)


@broken("C1", "crashes on coupon_code: null (skipped by validation, then None.upper())")
class NullCouponCrashes(CreateOrder):
    rules_type = with_rules(check_coupon=_truthy_coupon)


def _null_passes_when_required(
    self: OrderRules, holder: Any, name: str | int, *, required: bool
) -> Any:
    value = holder[name]
    if value is None and required:
        return value  # "the required check has seen it": then len(None), None.strip()...
    return OrderRules.text(self, holder, name, required=required)


@broken("C1", "crashes on null in a required field (taken as present, then used as a str)")
class NullRequiredCrashes(CreateOrder):
    rules_type = with_rules(
        text=_null_passes_when_required,
        object=lambda self, value: value if value is None else OrderRules.object(self, value),
    )


def _finite_numbers(document: Any) -> None:
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif is_number(value) and not math.isfinite(value):  # float(10**3000) overflows
            raise Refusal(400, "numbers must be finite")


@broken("C1", "crashes on an integer of thousands of digits (math.isfinite overflows)")
class HugeIntegerCrashes(CreateOrder):
    def parse(self, request: Request) -> Any:
        payload = super().parse(request)
        _finite_numbers(payload)
        return payload


@broken("C1", "crashes (500) when X-Access-Key is missing (None.encode())")
class MissingKeyCrashes(CreateOrder):
    def authorise(self, headers: Mapping[str, str], merchant_id: str) -> None:
        sent = headers.get("x-access-key")
        if not hmac.compare_digest(sent.encode(), self.access_key.encode()):
            raise Refusal(401, "invalid X-Access-Key")
        super().authorise(headers, merchant_id)


# -- C7: the echo ----------------------------------------------------------------------------
@broken("C7", f"echoes merchant_order_id cut to {ECHO_LIMIT} characters (a VARCHAR column)")
class EchoTruncated(CreateOrder):
    def echo(self, merchant_order_id: str) -> str:
        return merchant_order_id[:ECHO_LIMIT]


@broken("C7", "echoes merchant_order_id with surrounding spaces trimmed")
class EchoTrimmed(CreateOrder):
    def echo(self, merchant_order_id: str) -> str:
        return merchant_order_id.strip()


@broken("C7", "echoes merchant_order_id NFC-normalised (e + combining accent becomes é)")
class EchoNfc(CreateOrder):
    def echo(self, merchant_order_id: str) -> str:
        return unicodedata.normalize("NFC", merchant_order_id)


@broken("C7", "echoes merchant_order_id NFKC-normalised (full-width ＡＢＣ becomes ABC)")
class EchoNfkc(CreateOrder):
    def echo(self, merchant_order_id: str) -> str:
        return unicodedata.normalize("NFKC", merchant_order_id)


# -- C3: the envelope's status ---------------------------------------------------------------
@broken("C3", "says status_code 201.0 (a float) in the body of an HTTP 200")
class StatusCodeFloat(CreateOrder):
    def success_code(self) -> int | float:
        return 201.0


# -- C12: auth -------------------------------------------------------------------------------
@broken("C12", 'accepts an empty X-Access-Key (`if sent and wrong(sent)` lets "" through)')
class EmptyKeyAccepted(CreateOrder):
    def key_accepted(self, sent: str | None) -> bool:
        if sent is None:
            return False
        return not sent or super().key_accepted(sent)


@broken("C12", "accepts a prefix of the key (compares only as many bytes as were sent)")
class KeyPrefixAccepted(CreateOrder):
    def key_accepted(self, sent: str | None) -> bool:
        if not sent:
            return False
        return hmac.compare_digest(sent.encode(), self.access_key[: len(sent)].encode())


@broken("C12", "accepts the key in another case (compared case-insensitively)")
class KeyCaseInsensitive(CreateOrder):
    def key_accepted(self, sent: str | None) -> bool:
        return sent is not None and sent.casefold() == self.access_key.casefold()


# -- C2 and C13: auth responses ----------------------------------------------------------------
@broken("C2", "answers 401 with a text/plain body")
class AuthPlainText(CreateOrder):
    def refuse(self, refusal: Refusal) -> Reply:
        if refusal.status == 401:
            return Reply(401, b"Unauthorized", "text/plain; charset=utf-8")
        return super().refuse(refusal)


@broken("C13", "answers 401 without an X-Request-ID (the auth middleware runs first)")
class AuthWithoutRequestId(CreateOrder):
    def request_id(self, reply: Reply) -> str | None:
        return None if reply.status == 401 else super().request_id(reply)


# -- C11: the lock ---------------------------------------------------------------------------
@broken(
    "C11",
    "refuses a concurrent request with another message than the page's lock error",
    processing_s=CONTENDED_S,
)
class LockOtherMessage(CreateOrder):
    lock_refusal = Refusal(400, "order is being processed, retry later")


class _RollbackBook(OrderBook):
    """Contention aborts every request involved, and the id's lock row is never cleaned
    up: each later request for that id finds it held."""

    def __init__(self, processing_s: float):
        super().__init__(processing_s)
        self._contended: set[str] = set()
        self._contended_lock = threading.Lock()

    def place(self, merchant_order_id: str, fingerprint: Any, row: Mapping[str, Any]) -> Order:
        with self._contended_lock:
            if merchant_order_id in self._contended:
                raise Busy(merchant_order_id)
        try:
            return super().place(merchant_order_id, fingerprint, row)
        except Busy:
            with self._contended_lock:
                self._contended.add(merchant_order_id)
            raise

    def process(self, merchant_order_id: str, fingerprint: Any, row: Mapping[str, Any]) -> Order:
        self.work()
        with self._contended_lock:
            if merchant_order_id in self._contended:
                raise Busy(merchant_order_id)  # rolled back: someone else touched the id
        return self.create(merchant_order_id, fingerprint, row)


@broken(
    "C11",
    "lets no request of a burst win (contention rolls every one back)",
    processing_s=CONTENDED_S,
)
class BurstNoWinner(CreateOrder):
    book_type = _RollbackBook
