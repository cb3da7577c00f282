"""Response validation: the page's examples pass, and C2, C3, C4, C7, C8 and the required
headers are reported with the right path, level and severity in every profile."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from ordercheck.rules import ResponseValidator
from ordercheck.spec import PROFILE_LEVELS, PROFILES, Level, Profile, Spec, load_spec

REPO = Path(__file__).resolve().parents[1]
PAGE = REPO / "docs" / "create-order-api.txt"
HEADERS = {"Content-Type": "application/json", "X-Request-ID": "req-1"}
COD_REQUEST = {"merchant_order_id": "2333asa3s25222", "payment_method": "COD"}
ONLINE_REQUEST = {"merchant_order_id": "2333asa3s25223", "payment_method": "ONLINE"}


@cache
def spec() -> Spec:
    return load_spec()


@cache
def validator(profile: Profile) -> ResponseValidator:
    return ResponseValidator(profile, spec())


def page_examples() -> list[Any]:
    """The JSON examples of the documentation page, parsed from its text, in page order."""
    text = PAGE.read_text("utf-8")
    examples, position = [], 0
    # Each example starts with a line holding only "{"; nested objects do too, so decode a
    # whole value from each start and carry on after its end.
    while (start := text.find("\n{\n", position)) != -1:
        value, position = json.JSONDecoder().raw_decode(text, start + 1)
        examples.append(value)
    return examples


def cod_body() -> dict[str, Any]:
    return copy.deepcopy(spec().examples("200")["cod_success"])


def online_body() -> dict[str, Any]:
    return copy.deepcopy(spec().examples("200")["online_success"])


def severity_for(level: Level, profile: Profile) -> str:
    return "error" if level in PROFILE_LEVELS[profile] else "warning"


def test_page_has_three_examples_and_spec_copies_them() -> None:
    """The page's three JSON examples are, word for word, the spec's three examples."""
    in_spec = [*spec().examples("200").values(), *spec().examples("400").values()]
    assert page_examples() == in_spec


@pytest.mark.parametrize("profile", PROFILES)
def test_page_examples_validate(profile: Profile) -> None:
    """Each page example is valid with its status, headers and request, and as a bare body."""
    cod, online, lock = page_examples()
    exchanges = [(cod, 200, COD_REQUEST), (online, 200, ONLINE_REQUEST), (lock, 400, None)]
    for body, status, request in exchanges:
        full = validator(profile).check(body, status=status, headers=HEADERS, request=request)
        assert full.findings == (), body
        assert validator(profile).check(body).findings == (), body


def _only(findings: tuple[Any, ...], rule: str) -> Any:
    assert [f.id for f in findings] == [rule], findings
    return findings[0]


@pytest.mark.parametrize("profile", PROFILES)
def test_status_code_must_match_http_status(profile: Profile) -> None:
    """C3: a body saying 201 under HTTP 200 is an error at $.status_code in every profile."""
    body = cod_body() | {"status_code": 201}
    verdict = validator(profile).check(body, status=200, headers=HEADERS, request=COD_REQUEST)
    finding = _only(verdict.findings, "C3")
    assert (finding.path, finding.level) == ("$.status_code", "contract")
    assert finding.severity == "error"  # a contract rule binds in every profile


@pytest.mark.parametrize("profile", PROFILES)
def test_is_success_must_follow_http_status(profile: Profile) -> None:
    """C3: an error envelope saying status_code 200 has its is_success flagged, an error."""
    body = copy.deepcopy(spec().examples("400")["lock_error"]) | {"status_code": 200}
    verdict = validator(profile).check(body, headers=HEADERS)
    [finding] = [f for f in verdict.findings if f.id == "C3"]
    assert (finding.path, finding.level) == ("$.is_success", "contract")
    assert finding.severity == "error"  # a contract rule binds in every profile
    # The error envelope's own schema also wants an error status_code (400 to 499).
    assert "status_code:minimum" in [f.id for f in verdict.findings]


@pytest.mark.parametrize("profile", PROFILES)
def test_success_must_echo_merchant_order_id(profile: Profile) -> None:
    """C7: a success naming another merchant_order_id is an error at its path, any profile."""
    request = COD_REQUEST | {"merchant_order_id": "someone-else"}
    verdict = validator(profile).check(cod_body(), status=200, headers=HEADERS, request=request)
    finding = _only(verdict.findings, "C7")
    assert (finding.path, finding.level) == ("$.data.merchant_order_id", "contract")
    assert finding.severity == "error"  # a contract rule binds in every profile


def _assert_c8_error_at(findings: Any, path: str) -> None:
    """C8 is a contract rule, so it is an error in every profile, and it names the field."""
    finding = _only(findings, "C8")
    assert (finding.path, finding.level, finding.severity) == (path, "contract", "error")


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("field", ["action", "payment_id", "payment_aggregator"])
def test_cod_success_has_no_payment_fields(profile: Profile, field: str) -> None:
    """C8: each ONLINE-only field in a COD success is a documented-level finding."""
    body = cod_body()
    body["data"][field] = online_body()["data"][field]
    verdict = validator(profile).check(body, status=200, headers=HEADERS, request=COD_REQUEST)
    _assert_c8_error_at(verdict.findings, f"$.data.{field}")


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("field", ["action", "payment_id", "payment_aggregator"])
def test_online_success_needs_payment_fields(profile: Profile, field: str) -> None:
    """C8: each payment field missing from an ONLINE success is reported at its path."""
    body = online_body()
    del body["data"][field]
    verdict = validator(profile).check(body, status=200, headers=HEADERS, request=ONLINE_REQUEST)
    _assert_c8_error_at(verdict.findings, f"$.data.{field}")


@pytest.mark.parametrize("profile", PROFILES)
def test_online_payment_id_must_be_an_integer(profile: Profile) -> None:
    """C8 and the schema both flag a payment_id sent as a string."""
    body = online_body()
    body["data"]["payment_id"] = "2946454"
    verdict = validator(profile).check(body, status=200, headers=HEADERS, request=ONLINE_REQUEST)
    found = sorted((f.id, f.path, f.level) for f in verdict.findings)
    assert found == [
        ("C8", "$.data.payment_id", "contract"),
        ("data.payment_id:type", "$.data.payment_id", "documented"),
    ]
    assert not verdict.valid


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("value", [None, "", "  "])
def test_request_id_header_is_required(profile: Profile, value: str | None) -> None:
    """C13: a missing or blank X-Request-ID breaks the contract rule, in every profile."""
    headers = {"Content-Type": "application/json"}
    if value is not None:
        headers["X-Request-ID"] = value
    verdict = validator(profile).check(cod_body(), status=200, headers=headers)
    finding = _only(verdict.findings, "C13")
    assert (finding.path, finding.level) == ("headers.X-Request-ID", "contract")
    assert finding.severity == "error"


@pytest.mark.parametrize("profile", PROFILES)
def test_content_type_must_be_json(profile: Profile) -> None:
    """C2: a response that says it is HTML breaks the contract rule, in every profile."""
    headers = HEADERS | {"Content-Type": "text/html; charset=utf-8"}
    verdict = validator(profile).check(cod_body(), status=200, headers=headers)
    finding = _only(verdict.findings, "C2")
    assert (finding.path, finding.level, finding.severity) == (
        "headers.Content-Type",
        "contract",
        "error",
    )


def test_header_names_are_case_insensitive() -> None:
    """Lower-case header names (as HTTP/2 sends them) satisfy the header rules."""
    headers = {"content-type": "application/json", "x-request-id": "r-9"}
    assert validator("strict").check(cod_body(), status=200, headers=headers).findings == ()


@pytest.mark.parametrize("profile", PROFILES)
def test_unexpected_status_is_reported(profile: Profile) -> None:
    """C4: HTTP 500 is not a status this API uses, whatever the body says."""
    body = copy.deepcopy(spec().examples("400")["lock_error"]) | {"status_code": 500}
    verdict = validator(profile).check(body, status=500, headers=HEADERS)
    assert "C4" in [f.id for f in verdict.findings]
    assert not verdict.valid


@pytest.mark.parametrize("profile", PROFILES)
def test_order_id_shape_is_a_recommendation(profile: Profile) -> None:
    """An order_id not shaped like PO<digits> is recommended-level: an error only in strict."""
    body = cod_body()
    body["data"]["order_id"] = "ORD-77"
    verdict = validator(profile).check(body, status=200, headers=HEADERS, request=COD_REQUEST)
    finding = _only(verdict.findings, "data.order_id:pattern")
    assert (finding.path, finding.level) == ("$.data.order_id", "recommended")
    assert finding.severity == severity_for("recommended", profile)
    assert verdict.valid is (profile != "strict")


def test_integral_payment_id_satisfies_c8() -> None:
    """C8 agrees with JSON Schema: an integral number such as 2946454.0 is a whole number."""
    body = online_body()
    body["data"]["payment_id"] = 2946454.0
    verdict = validator("default").check(body, status=200, headers=HEADERS, request=ONLINE_REQUEST)
    assert verdict.findings == ()
