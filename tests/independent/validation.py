"""The request rules the independent implementation enforces, written by hand from the page
and CONTRACT.md's table: the documented and inferred rules (what the ``default`` profile
makes errors), none of the recommended ones (mobile formats, positive amounts, unknown
fields and lengths are all accepted).

A check appends one message per problem and carries on, so a 400 lists every problem of a
payload.  The small methods (`text`, `filled`, `matches`, `quantity_ok`...) are the places the
broken variants change, one each.
"""

from __future__ import annotations

import re
from typing import Any

from independent.body import is_number, is_whole

NOT_TEXT: Any = object()  # what `OrderRules.text` returns for a value that is not a string
PAYMENT_METHODS = ("COD", "ONLINE")


def shown(value: Any) -> str:
    """A value as a message quotes it: short, and never a number thousands of digits long."""
    if is_number(value) and not -(10**20) < value < 10**20:
        return "a very large number"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


class OrderRules:
    """Checks one Create Order payload; `problems(payload)` lists what is wrong with it."""

    # ASCII digits only, matched against the whole string (`fullmatch`: no newline at the end).
    AMOUNT = r"[0-9]+(\.[0-9]{1,2})?"
    PINCODE = r"[1-9][0-9]{5}"
    SKU_ID = r"[0-9]+"

    def problems(self, payload: Any) -> list[str]:
        """Every rule `payload` breaks, one message each (empty: it is a valid order)."""
        if not isinstance(payload, dict):
            return ["the body must be a JSON object (an order)"]
        found: list[str] = []
        self.check_text(payload, "merchant_order_id", found, required=True, nonempty=True)
        self.check_amount(payload, found)
        self.check_text(payload, "payment_method", found, required=True, one_of=PAYMENT_METHODS)
        self.check_coupon(payload, found)
        user = self.check_object(payload, "user", found)
        if user is not None:
            self.check_user(user, found)
        self.check_prescriptions(payload, found)
        skus = self.check_object(payload, "skus", found)
        if skus is not None:
            self.check_skus(skus, found)
        return found

    # -- the fields --------------------------------------------------------------------
    def check_amount(self, payload: dict[str, Any], found: list[str]) -> None:
        self.check_text(
            payload,
            "payable_amount",
            found,
            required=True,
            pattern=self.AMOUNT,
            like='a decimal rupee amount with at most two decimals, such as "499.00"',
        )

    def check_coupon(self, payload: dict[str, Any], found: list[str]) -> None:
        self.check_text(payload, "coupon_code", found)

    def check_user(self, user: dict[str, Any], found: list[str]) -> None:
        self.check_text(user, "first_name", found, required=True, nonempty=True, at="user.")
        self.check_text(user, "last_name", found, at="user.")
        self.check_text(user, "email", found, at="user.")
        self.check_text(user, "mobile", found, required=True, at="user.")
        address = self.check_object(user, "address", found, at="user.")
        if address is None:
            return
        at = "user.address."
        self.check_text(
            address,
            "pincode",
            found,
            required=True,
            pattern=self.PINCODE,
            like='a 6-digit PIN code that does not start with 0, such as "560001"',
            at=at,
        )
        self.check_text(address, "name", found, required=True, nonempty=True, at=at)
        self.check_text(address, "street1", found, required=True, nonempty=True, at=at)
        for optional in ("contact_number", "street2", "type"):
            self.check_text(address, optional, found, at=at)

    def check_prescriptions(self, payload: dict[str, Any], found: list[str]) -> None:
        if "prescriptions" not in payload:
            return
        prescriptions = payload["prescriptions"]
        if not isinstance(prescriptions, list):
            found.append(f"prescriptions must be a list of strings; got {shown(prescriptions)}")
            return
        for index in range(len(prescriptions)):
            self.check_text(prescriptions, index, found, nonempty=True, at="prescriptions")

    def check_skus(self, skus: dict[str, Any], found: list[str]) -> None:
        if not skus:
            found.append('skus must name at least one SKU, such as {"201145": 2}')
        for sku_id, quantity in skus.items():
            if not self.matches(self.SKU_ID, sku_id):
                found.append(f"skus: {shown(sku_id)} is not a SKU id (digits, such as 201145)")
            if not self.quantity_ok(quantity):
                found.append(f"skus[{sku_id!r}] must be a whole number of at least 1")

    # -- the steps every field goes through --------------------------------------------
    def check_object(
        self, holder: dict[str, Any], name: str, found: list[str], *, at: str = ""
    ) -> dict[str, Any] | None:
        """A required object field: the object, or None (and a problem) when it is not one."""
        if name not in holder:
            found.append(f"{at}{name} is required")
            return None
        value = self.object(holder[name])
        if value is None:
            found.append(f"{at}{name} must be an object; got {shown(holder[name])}")
        return value

    def check_text(
        self,
        holder: dict[str, Any] | list[Any],
        name: str | int,
        found: list[str],
        *,
        required: bool = False,
        nonempty: bool = False,
        pattern: str | None = None,
        one_of: tuple[str, ...] = (),
        like: str = "",
        at: str = "",
    ) -> None:
        """A string field: present if required, a string, and then its own rules."""
        where = f"{at}[{name}]" if isinstance(name, int) else f"{at}{name}"
        if isinstance(holder, dict) and name not in holder:
            if required:
                found.append(f"{where} is required")
            return
        value = self.text(holder, name, required=required)
        if value is NOT_TEXT:
            found.append(f"{where} must be a string; got {shown(holder[name])}")
        elif nonempty and not self.filled(value):
            found.append(f"{where} must not be empty")
        elif pattern is not None and not self.matches(pattern, value):
            found.append(f"{where} must be {like}; got {shown(value)}")
        elif one_of and value not in one_of:
            found.append(f"{where} must be one of {', '.join(one_of)}; got {shown(value)}")

    def object(self, value: Any) -> dict[str, Any] | None:
        """The value as an object, or None when it is not one."""
        return value if isinstance(value, dict) else None

    def text(self, holder: Any, name: str | int, *, required: bool) -> Any:
        """The string held at `name` (a key, or an index of a list), or `NOT_TEXT` (a
        number, null, a boolean...)."""
        value = holder[name]
        return value if isinstance(value, str) else NOT_TEXT

    def filled(self, text: str) -> bool:
        """A non-empty string (whitespace counts: the contract asks for one character)."""
        return len(text) >= 1

    def matches(self, pattern: str, text: str) -> bool:
        """The whole of `text` matches `pattern`, which uses ASCII ranges only."""
        return re.fullmatch(pattern, text) is not None

    def quantity_ok(self, value: Any) -> bool:
        """A whole number (``2`` or ``2.0``, never ``true``) of at least 1."""
        return is_whole(value) and value >= 1
