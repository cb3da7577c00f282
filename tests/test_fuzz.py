"""The fuzzer against the project's own servers: the reference is clean, every broken variant
is caught by the rule it breaks, within a small budget."""

from __future__ import annotations

import threading

import pytest

from ordercheck.fuzz import FuzzConfig, run_fuzz
from ordercheck.fuzz.client import Client
from ordercheck.fuzz.collector import Collector
from ordercheck.rules import Expectation
from ordercheck.server import VARIANTS, create_app, running_server
from ordercheck.spec import load_spec
from server_helpers import order

pytestmark = pytest.mark.slow  # every test here reads or runs a fuzzing campaign

BUDGET = 15  # payloads per phase: small, and still enough to catch every variant


@pytest.fixture(scope="module")
def reference_run():
    """One run against the embedded reference server, shared by the tests that read it."""
    return run_fuzz(FuzzConfig(max_examples=BUDGET, seed=1))


def test_reference_server_has_no_finding(reference_run) -> None:
    """The reference server is conformant: no finding at all, not even a warning."""
    assert reference_run.findings == []
    assert reference_run.conformant


def test_reference_run_exercises_every_rule(reference_run) -> None:
    """Every rule C1 to C14 was checked at least once (nothing passes by not being tried)."""
    not_exercised = [r.id for r in reference_run.rules if r.checks == 0]
    assert not_exercised == []
    assert [r.id for r in reference_run.rules] == [f"C{n}" for n in range(1, 15)]


def test_reference_run_covers_documented_error_and_invalid_rules(reference_run) -> None:
    """The lock error of the page was provoked, and invalid payloads broke many spec rules."""
    assert reference_run.documented_errors["create_merchant_order : Could not acquire lock"] > 0
    assert len(reference_run.spec_rules_exercised) >= 10


def test_every_order_id_carries_the_run_prefix(reference_run) -> None:
    """Every merchant_order_id the run sent (to a shared system) starts with its prefix."""
    assert reference_run.order_prefix.startswith("oc")
    assert len(reference_run.latencies_ms) == reference_run.requests


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_every_broken_variant_is_caught_by_its_rule(name: str) -> None:
    """Fuzzing a broken variant fails the rule that variant breaks, with a reproduction, and
    no other rule but the consequences the variant declares (one defect, one finding)."""
    variant = VARIANTS[name]
    latency = {"fail_on_latency": True, "latency_budget_ms": 250.0} if variant.rule == "C14" else {}
    result = run_fuzz(FuzzConfig(max_examples=BUDGET, seed=1, variant=name, **latency))
    failed = {r.id for r in result.rules if r.status == "failed"}
    assert variant.rule in failed, f"{name} ({variant.description}) not caught: {failed}"
    assert failed - {variant.rule} <= set(variant.consequences), failed
    assert result.verdict == "non-conformant"
    finding = next(f for f in result.findings if f.rule == variant.rule)
    assert finding.message
    assert finding.exchange is None or finding.curl


def test_seed_makes_the_payloads_repeatable() -> None:
    """Two runs with the same seed send the same number of requests and reach one verdict."""
    first = run_fuzz(FuzzConfig(max_examples=5, seed=42, variant="wrong_echo"))
    second = run_fuzz(FuzzConfig(max_examples=5, seed=42, variant="wrong_echo"))
    assert first.requests == second.requests
    assert [r.status for r in first.rules] == [r.status for r in second.rules]
    assert first.order_prefix != second.order_prefix


def test_campaigns_at_once_in_one_process_each_reach_their_verdict(reference_url: str) -> None:
    """Two runs on two threads of one process (a host that fuzzes in parallel) both end
    conformant, and no warning (an error here) escapes, such as Hypothesis's about a random
    generator a garbage-collection freeze hid from it."""
    results: list[str] = []

    def fuzz() -> None:
        results.append(run_fuzz(FuzzConfig(base_url=reference_url, max_examples=3)).verdict)

    threads = [threading.Thread(target=fuzz) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["conformant", "conformant"]


def test_each_cause_is_shrunk_by_the_first_stage_that_meets_it() -> None:
    """Stages in flight at once meet the same cause: the first to ask shrinks it (and keeps
    the right through Hypothesis's replays), the others record it, and once a minimal
    reproduction is kept no stage shrinks it again."""
    spec = load_spec()
    with running_server(create_app(variant="wrong_echo")) as url:
        client = Client(spec, FuzzConfig(base_url=url), url)
        judged = client.exchange(Expectation("valid"), order())
    (echo,) = [violation for violation in judged.violations if violation.rule == "C7"]
    collector, first, second = Collector(spec), object(), object()
    assert collector.claim_shrink(echo.cause_key, first)
    assert collector.claim_shrink(echo.cause_key, first)
    assert not collector.claim_shrink(echo.cause_key, second)
    collector.record(judged)
    collector.minimal(echo, judged.observation)
    assert not collector.claim_shrink(echo.cause_key, first)
