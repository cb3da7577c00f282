"""ordercheck judged against an implementation it did not write (issue 9 §6): the independent
server of `tests/independent` is conformant, with its catalogue, and every one of its broken
variants fails the rule it breaks and nothing it does not declare."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from console import ordercheck
from independent import (
    BUSINESS_REJECTIONS,
    COUPONS_FILE,
    SKUS_FILE,
    CreateOrder,
    serving,
)
from independent.client import order, post
from independent.service import Refusal
from independent.validation import OrderRules
from independent.variants import VARIANTS
from ordercheck.fuzz import MALFORMED_BODIES, FuzzConfig, run_fuzz
from ordercheck.results import RunResult
from ordercheck.strategies import read_coupons, read_sku_catalog

pytestmark = pytest.mark.slow  # every test here reads or runs a fuzzing campaign

BUDGET, SEED = 15, 1  # payloads per stage; every (constraint, kind) pair gets at least one
SEQUENCE_RULES = ("C7", "C8", "C9", "C10", "C11", "C12")


def fuzz(service: CreateOrder, *, catalogue: bool = True, **options: Any) -> RunResult:
    """One run of ordercheck against `service`, served for the run; with the server's SKUs
    and coupons and its business rejections declared, unless told otherwise."""
    if catalogue:
        options |= {
            "sku_ids": read_sku_catalog(SKUS_FILE),
            "coupons": read_coupons(COUPONS_FILE),
            "allow_rejection": BUSINESS_REJECTIONS,
        }
    with serving(service) as url:
        return run_fuzz(FuzzConfig(base_url=url, max_examples=BUDGET, seed=SEED, **options))


def failed(result: RunResult) -> set[str]:
    """The rules the run reports failed."""
    return {rule.id for rule in result.rules if rule.status == "failed"}


@dataclass
class Run:
    """A finished run and the service it judged."""

    result: RunResult
    service: CreateOrder


# -- the conformant implementation --------------------------------------------------------
@pytest.fixture(scope="module")
def conformant() -> Run:
    """One run against the conformant independent server, with its catalogue."""
    service = CreateOrder()
    return Run(fuzz(service), service)


def test_the_independent_server_is_conformant_with_no_finding(conformant: Run) -> None:
    """Not one finding, not even a warning, and the server never crashed."""
    assert conformant.result.findings == []
    assert conformant.result.verdict == "conformant"
    assert conformant.service.crashes == []


def test_every_required_rule_was_judged(conformant: Run) -> None:
    """Conformant means judged: every required rule has checks, orders were created."""
    required = [rule for rule in conformant.result.rules if rule.required]
    assert [rule.id for rule in required if rule.checks == 0] == []
    assert {rule.id for rule in required} >= {f"C{n}" for n in range(1, 14)}
    assert conformant.service.book.created > 0


def test_the_console_script_says_conformant(tmp_path: Path) -> None:
    """`ordercheck fuzz` with the catalogue files and the declared rejections exits 0."""
    with serving(CreateOrder()) as url:
        run = ordercheck(
            "fuzz",
            "--base-url",
            url,
            "--sku-catalog",
            str(SKUS_FILE),
            "--coupons",
            str(COUPONS_FILE),
            "--allow-rejection",
            BUSINESS_REJECTIONS,
            "--max-examples",
            "10",
            "--seed",
            str(SEED),
            "--report-dir",
            str(tmp_path / "reports"),
        )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Verdict: conformant" in run.stdout


# -- without the catalogue ------------------------------------------------------------------
def test_without_the_catalogue_declared_rejections_leave_it_inconclusive() -> None:
    """Declared refusals of every order: inconclusive, each unjudged rule saying what to give."""
    result = fuzz(CreateOrder(), catalogue=False, allow_rejection=BUSINESS_REJECTIONS)
    assert result.verdict == "inconclusive"
    assert result.findings == []
    unjudged = {rule.id: rule.reason for rule in result.unexercised}
    assert set(unjudged) == {"C5", *SEQUENCE_RULES}
    assert "--allow-rejection" in unjudged["C5"]
    assert all("--sku-catalog" in unjudged[rule] for rule in ("C9", "C10", "C11", "C12"))


def test_without_the_catalogue_undeclared_rejections_are_c5_naming_the_message() -> None:
    """Undeclared refusals of every order: C5 fails, each finding quoting the server's message."""
    result = fuzz(CreateOrder(), catalogue=False)
    assert result.verdict == "non-conformant"
    assert failed(result) == {"C5"}
    assert result.findings and {finding.rule for finding in result.findings} == {"C5"}
    for finding in result.findings:
        assert " is not sold" in finding.message or " is not valid" in finding.message


# -- the broken variants --------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_each_variant_fails_its_rule_and_only_what_it_declares(name: str) -> None:
    """A variant fails its rule (message, curl) and nothing outside its consequences."""
    variant = VARIANTS[name]
    result = fuzz(variant.build())
    assert variant.rule in failed(result), f"{name} ({variant.description}) not caught"
    assert failed(result) - {variant.rule} <= set(variant.consequences), result.findings
    finding = next(f for f in result.findings if f.rule == variant.rule)
    assert finding.message
    assert finding.curl is not None and finding.curl.startswith("curl ")


# -- a defect ordercheck misses ---------------------------------------------------------------
class _CountsMaskedRefusals(VARIANTS["pin_leading_zero"].service):  # type: ignore[misc]
    """The leading-zero variant, counting the payloads that break a contract rule but were
    refused only for a business reason (which the user declared)."""

    def __init__(self) -> None:
        super().__init__()
        self.masked: list[Any] = []

    def sell(self, payload: dict[str, Any]) -> None:
        try:
            super().sell(payload)
        except Refusal:
            if OrderRules().problems(payload):
                self.masked.append(payload)
            raise


@pytest.fixture(scope="module")
def masked() -> Run:
    """A run without the catalogue, business rejections declared, against a server that
    accepts leading-zero PIN codes."""
    service = _CountsMaskedRefusals()
    result = fuzz(service, catalogue=False, allow_rejection=BUSINESS_REJECTIONS)
    return Run(result, service)


def test_business_refusals_hid_the_leading_zero_defect(masked: Run) -> None:
    """The server accepts "060001", and the run's leading-zero PINs were refused for SKUs only."""
    with serving(_CountsMaskedRefusals()) as url:
        reply = post(url, order(address_changes={"pincode": "060001"}))
    assert reply.status_code == 200
    assert masked.service.masked
    assert all(p["user"]["address"]["pincode"][0] == "0" for p in masked.service.masked)


def test_c6_does_not_count_refusals_that_were_declared_business_rejections(
    masked: Run,
) -> None:
    """A refusal for a declared business reason is not counted as a C6 check, as for C5."""
    sent = sum(masked.result.spec_rules_exercised.values()) + len(MALFORMED_BODIES)
    c6 = next(rule for rule in masked.result.rules if rule.id == "C6")
    assert c6.checks == sent - len(masked.service.masked)
