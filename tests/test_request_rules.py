"""Every row of CONTRACT.md's request table, broken on purpose, in each profile.

Each case takes a payload that is clean under `strict`, breaks one constraint of one row, and
expects exactly one finding: the right rule id, JSON path and provenance level, with severity
`error` when the profile includes that level and `warning` otherwise.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from ordercheck.spec import PROFILE_LEVELS, PROFILES, Level, Profile
from ordercheck.validators import RequestValidator

REPO = Path(__file__).resolve().parents[1]
CONTRACT = REPO / "docs" / "CONTRACT.md"

DELETE = object()

BASE: dict[str, Any] = {
    "merchant_order_id": "MO-2024-000101",
    "payable_amount": "499.00",
    "payment_method": "COD",
    "coupon_code": "FIRST50",
    "user": {
        "first_name": "Aarav",
        "last_name": "Sharma",
        "email": "aarav.sharma@example.com",
        "mobile": "9876543210",
        "address": {
            "pincode": "560001",
            "name": "Aarav Sharma",
            "street1": "12 MG Road",
            "street2": "Near City Hospital",
            "contact_number": "9876543210",
            "type": "home",
        },
    },
    "prescriptions": ["https://rx.example.com/4411.jpg"],
    "skus": {"117004": 2, "139559": 1},
}


@dataclass(frozen=True)
class Case:
    """One broken constraint: the table row, where to break it, and what must be reported."""

    row: str
    at: tuple[str, ...]
    value: Any
    rule: str
    path: str
    level: Level
    also: tuple[str, ...] = ()  # rules the same value rightly breaks too (enum on a non-string)

    def payload(self) -> dict[str, Any]:
        payload = copy.deepcopy(BASE)
        node = payload
        for step in self.at[:-1]:
            node = node[step]
        if self.value is DELETE:
            del node[self.at[-1]]
        else:
            node[self.at[-1]] = copy.deepcopy(self.value)
        return payload

    @property
    def id(self) -> str:
        return f"{self.row}-{self.rule.split(':')[-1]}-{self.level}"


def _field(row: str) -> tuple[str, ...]:
    return tuple(row.split("."))


def _type_and_required(row: str, wrong: Any, required: bool) -> list[Case]:
    cases = [Case(row, _field(row), wrong, f"{row}:type", f"$.{row}", "documented")]
    if required:
        cases.append(Case(row, _field(row), DELETE, f"{row}:required", f"$.{row}", "inferred"))
    return cases


CASES: list[Case] = [
    *_type_and_required("merchant_order_id", 2333, required=True),
    Case("merchant_order_id", ("merchant_order_id",), "", "merchant_order_id:minLength",
         "$.merchant_order_id", "inferred"),
    Case("merchant_order_id", ("merchant_order_id",), "M" * 65, "merchant_order_id:maxLength",
         "$.merchant_order_id", "recommended"),
    Case("merchant_order_id", ("merchant_order_id",), "order #1", "merchant_order_id:pattern",
         "$.merchant_order_id", "recommended"),
    *_type_and_required("payable_amount", 499, required=True),
    Case("payable_amount", ("payable_amount",), "499.999", "payable_amount:pattern",
         "$.payable_amount", "inferred"),
    Case("payable_amount", ("payable_amount",), "0.00", "payable_amount:positive",
         "$.payable_amount", "recommended"),
    Case("payment_method", ("payment_method",), ["COD"], "payment_method:type",
         "$.payment_method", "documented", also=("payment_method:enum",)),
    Case("payment_method", ("payment_method",), DELETE, "payment_method:required",
         "$.payment_method", "inferred"),
    Case("payment_method", ("payment_method",), "UPI", "payment_method:enum",
         "$.payment_method", "documented"),
    *_type_and_required("coupon_code", 50, required=False),
    Case("coupon_code", ("coupon_code",), "", "coupon_code:minLength", "$.coupon_code",
         "recommended"),
    Case("coupon_code", ("coupon_code",), "C" * 33, "coupon_code:maxLength", "$.coupon_code",
         "recommended"),
    Case("coupon_code", ("coupon_code",), "FIRST 50", "coupon_code:pattern", "$.coupon_code",
         "recommended"),
    *_type_and_required("user", None, required=True),
    *_type_and_required("user.first_name", 7, required=True),
    Case("user.first_name", ("user", "first_name"), "", "user.first_name:minLength",
         "$.user.first_name", "inferred"),
    *_type_and_required("user.last_name", None, required=False),
    *_type_and_required("user.email", ["a@b.in"], required=False),
    Case("user.email", ("user", "email"), "aarav at example.com", "user.email:format",
         "$.user.email", "recommended"),
    *_type_and_required("user.mobile", 9876543210, required=True),
    Case("user.mobile", ("user", "mobile"), "+919876543210", "user.mobile:pattern",
         "$.user.mobile", "recommended"),
    Case("user.mobile", ("user", "mobile"), "9876543210\n", "user.mobile:pattern",
         "$.user.mobile", "recommended"),
    *_type_and_required("user.address", "12 MG Road", required=True),
    *_type_and_required("user.address.pincode", 560001, required=True),
    Case("user.address.pincode", ("user", "address", "pincode"), "056001",
         "user.address.pincode:pattern", "$.user.address.pincode", "inferred"),
    Case("user.address.pincode", ("user", "address", "pincode"), "५६०००१",
         "user.address.pincode:pattern", "$.user.address.pincode", "inferred"),
    *_type_and_required("user.address.name", None, required=True),
    Case("user.address.name", ("user", "address", "name"), "", "user.address.name:minLength",
         "$.user.address.name", "inferred"),
    *_type_and_required("user.address.street1", 12, required=True),
    Case("user.address.street1", ("user", "address", "street1"), "",
         "user.address.street1:minLength", "$.user.address.street1", "inferred"),
    Case("user.address.street1", ("user", "address", "street1"), "x" * 256,
         "user.address.street1:maxLength", "$.user.address.street1", "recommended"),
    *_type_and_required("user.address.street2", False, required=False),
    Case("user.address.street2", ("user", "address", "street2"), "x" * 256,
         "user.address.street2:maxLength", "$.user.address.street2", "recommended"),
    *_type_and_required("user.address.contact_number", 9876543210, required=False),
    Case("user.address.contact_number", ("user", "address", "contact_number"), "5876543210",
         "user.address.contact_number:pattern", "$.user.address.contact_number", "recommended"),
    *_type_and_required("user.address.type", {"kind": "home"}, required=False),
    *_type_and_required("prescriptions", "https://rx.example.com/4411.jpg", required=False),
    Case("prescriptions", ("prescriptions",), [42], "prescriptions[]:type",
         "$.prescriptions[0]", "documented"),
    Case("prescriptions", ("prescriptions",), ["ok.jpg", ""], "prescriptions[]:minLength",
         "$.prescriptions[1]", "inferred"),
    *_type_and_required("skus", [["117004", 2]], required=True),
    Case("skus", ("skus",), {}, "skus:minProperties", "$.skus", "inferred"),
    Case("skus", ("skus",), {"PAN-40": 1}, "skus:numeric-keys", "$.skus['PAN-40']", "inferred"),
    Case("skus", ("skus",), {"١١٧٠٠٤": 1}, "skus:numeric-keys", "$.skus['١١٧٠٠٤']", "inferred"),
    Case("skus", ("skus", "117004"), "2", "skus.*:type", "$.skus['117004']", "documented"),
    Case("skus", ("skus", "117004"), True, "skus.*:type", "$.skus['117004']", "documented"),
    Case("skus", ("skus", "117004"), 0, "skus.*:minimum", "$.skus['117004']", "inferred"),
    Case("skus", ("skus", "117004"), 101, "skus.*:maximum", "$.skus['117004']", "recommended"),
    Case("skus", ("skus",), {str(100000 + i): 1 for i in range(51)}, "skus:maxProperties",
         "$.skus", "recommended"),
]  # fmt: skip

# Not a row of the table, but CONTRACT.md's rule for unknown fields, at each object level.
UNKNOWN_FIELD_CASES = [
    Case("(unknown fields)", ("gift_wrap",), True, "body:unknown-field", "$.gift_wrap",
         "recommended"),
    Case("(unknown fields)", ("user", "age"), 31, "user:unknown-field", "$.user.age",
         "recommended"),
    Case("(unknown fields)", ("user", "address", "landmark"), "temple",
         "user.address:unknown-field", "$.user.address.landmark", "recommended"),
]  # fmt: skip


def _unescaped(path: str) -> str:
    """A JSON path with ``\\uXXXX`` escapes in its keys read back, so either spelling of a
    non-ASCII SKU id compares equal."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), path)


@cache
def validator(profile: Profile) -> RequestValidator:
    return RequestValidator(profile)


def _contract_rows() -> list[str]:
    text = CONTRACT.read_text("utf-8")
    section = text.split("## Request body", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z_.0-9]+)` \|", section, flags=re.MULTILINE)


def test_base_payload_is_clean_in_strict() -> None:
    """The payload every case starts from breaks nothing, not even a recommendation."""
    assert validator("strict").check(BASE).findings == ()


def test_every_contract_row_has_a_case() -> None:
    """Each row of CONTRACT.md's request table is broken by at least one case below."""
    rows = _contract_rows()
    assert len(rows) >= 18
    assert set(rows) == {case.row for case in CASES}


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("case", CASES + UNKNOWN_FIELD_CASES, ids=lambda c: c.id)
def test_broken_row_is_reported(case: Case, profile: Profile) -> None:
    """Breaking one constraint yields exactly its finding: rule, path, level, severity."""
    verdict = validator(profile).check(case.payload())
    assert sorted(f.constraint for f in verdict.findings) == sorted([case.rule, *case.also])
    [finding] = [f for f in verdict.findings if f.constraint == case.rule]
    assert (_unescaped(finding.path), finding.level) == (case.path, case.level)
    severity = "error" if case.level in PROFILE_LEVELS[profile] else "warning"
    assert finding.severity == severity
    if not case.also:
        assert verdict.valid is (severity == "warning")
    assert validator(profile).is_valid(case.payload()) is verdict.valid


@pytest.mark.parametrize("case", CASES + UNKNOWN_FIELD_CASES, ids=lambda c: c.id)
def test_hint_names_the_field(case: Case) -> None:
    """Every hint says which field it is about, in the words a merchant reads."""
    finding = validator("strict").check(case.payload()).findings[0]
    assert _unescaped(finding.path).removeprefix("$.") in _unescaped(finding.hint)
