"""The ordercheck pytest plugin: each contract rule as a test item, and fixtures for QA tests.

Registered through the ``pytest11`` entry point; it adds rule items only when asked
(``--ordercheck-url URL`` or ``--ordercheck-embedded``), and it imports the runner, the server
and Schemathesis only when an item or a fixture needs them, so a suite that does not use it
pays nothing.

    pytest --ordercheck-embedded -k "C10 or C11"
    pytest --ordercheck-url https://staging.example.com -n auto
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ordercheck.results import RunResult
    from ordercheck.runner import OrderApi
    from ordercheck.spec import ConformanceRule
    from ordercheck.validators import RequestValidator, ResponseValidator

_RESULT = pytest.StashKey["RunResult"]()
PROFILES = ("documented", "default", "strict")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ordercheck", "Create Order API conformance (ordercheck)")
    group.addoption(
        "--ordercheck-url",
        help="Fuzz this Create Order implementation; each contract rule becomes a test item.",
    )
    group.addoption(
        "--ordercheck-embedded",
        action="store_true",
        help="Fuzz the embedded reference server instead of a URL.",
    )
    group.addoption(
        "--ordercheck-key",
        default=os.environ.get("ORDERCHECK_ACCESS_KEY", "1mg_client_access_key"),
        help="X-Access-Key (default: $ORDERCHECK_ACCESS_KEY, else the page's key).",
    )
    group.addoption("--ordercheck-merchant", default="demo-merchant", help="merchant_id.")
    group.addoption(
        "--ordercheck-path",
        default="/merchants/{merchant_id}/orders",
        help="Path template of the Create Order operation.",
    )
    group.addoption("--ordercheck-profile", default="default", choices=PROFILES)
    group.addoption(
        "--ordercheck-max-examples", type=int, default=30, help="Payloads drawn per phase."
    )
    group.addoption("--ordercheck-seed", type=int, default=None, help="Repeat a run exactly.")
    group.addoption(
        "--ordercheck-allow-rejection",
        default=None,
        metavar="REGEX",
        help="400 messages that are declared business rules, not C5 failures.",
    )
    group.addoption(
        "--ordercheck-latency-budget-ms",
        type=float,
        default=2000.0,
        help="C14: the p95 latency budget.",
    )
    group.addoption(
        "--ordercheck-fail-on-latency",
        action="store_true",
        help="Make C14 fail instead of only warning.",
    )
    group.addoption("--ordercheck-variant", default=None, help=argparse.SUPPRESS)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "ordercheck: a contract rule checked by ordercheck")
    config.addinivalue_line("markers", "ordercheck_exchange: a rule one exchange can break")
    config.addinivalue_line("markers", "ordercheck_sequence: a rule that needs a sequence")


def _enabled(config: pytest.Config) -> bool:
    return bool(config.getoption("ordercheck_url") or config.getoption("ordercheck_embedded"))


class RuleFailed(Exception):
    """A rule failed; the text is the whole report for that rule."""


class CampaignError(Exception):
    """The fuzzing run could not start (an unreachable target, a bad option): no rule was
    checked, so none can be said to have failed."""


class RuleItem(pytest.Item):
    """One contract rule (``ordercheck::C7_echo_merchant_order_id``)."""

    def __init__(self, *, rule: ConformanceRule, **kwargs: Any):
        super().__init__(**kwargs)
        self.rule = rule
        self.add_marker("ordercheck")
        self.add_marker(f"ordercheck_{rule.scope}")

    def runtest(self) -> None:
        try:
            result = _campaign(self.config)
        except CampaignError as error:
            # Not a broken rule: stop the session, which then exits 2 ("interrupted"), the
            # code `ordercheck fuzz` gives an unreachable target. xdist workers pass a stop
            # on to the controller, so `-n auto` exits 2 with the same message.
            self.session.shouldstop = str(error)
            raise
        outcome = next(r for r in result.rules if r.id == self.rule.id)
        if outcome.status == "not-exercised":
            pytest.skip(f"{self.rule.id} was not exercised (no accepted payload to build on?)")
        if outcome.status == "failed":
            raise RuleFailed(_failure_text(result, self.rule.id))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, RuleFailed | CampaignError):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[str, int | None, str]:
        return "ordercheck", None, f"ordercheck::{self.name}: {self.rule.summary}"


class RuleSuite(pytest.Collector):
    """The ``ordercheck`` node holding one item per rule of the spec."""

    def collect(self) -> list[pytest.Item]:
        from ordercheck.spec import load_spec

        return [
            RuleItem.from_parent(self, name=rule.slug, rule=rule)
            for rule in load_spec().conformance.values()
        ]


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    # The rule suite joins the session's own collection, beside the test files, so pytest
    # counts its items ("collected 14 items"), --collect-only lists them, and -k, -m,
    # --deselect and xdist's scheduling treat them like any other item.
    report = yield
    if isinstance(collector, pytest.Session) and report.passed and _enabled(collector.config):
        suite = RuleSuite.from_parent(collector, name="ordercheck", nodeid="ordercheck")
        report.result.append(suite)
    return report


def _campaign(config: pytest.Config) -> RunResult:
    """The fuzzing run behind every rule item: once per process (each xdist worker runs its
    own, against its own embedded server when embedded), so no state is shared."""
    if _RESULT not in config.stash:
        from ordercheck.errors import OrdercheckError

        try:
            config.stash[_RESULT] = _run(config)
        except OrdercheckError as error:
            raise CampaignError(f"ordercheck could not run: {error}") from None
    return config.stash[_RESULT]


def _run(config: pytest.Config) -> RunResult:
    from ordercheck.runner import FuzzConfig, run_fuzz

    option = config.getoption
    url = option("ordercheck_url")
    return run_fuzz(
        FuzzConfig(
            base_url=url,
            path=option("ordercheck_path"),
            merchant_id=option("ordercheck_merchant"),
            access_key=option("ordercheck_key"),
            profile=option("ordercheck_profile"),
            max_examples=option("ordercheck_max_examples"),
            seed=option("ordercheck_seed"),
            allow_rejection=option("ordercheck_allow_rejection"),
            latency_budget_ms=option("ordercheck_latency_budget_ms"),
            fail_on_latency=option("ordercheck_fail_on_latency"),
            variant=None if url else option("ordercheck_variant"),
        )
    )


def _failure_text(result: RunResult, rule_id: str) -> str:
    from ordercheck.results import compact_json

    lines = []
    for finding in (f for f in result.findings if f.rule == rule_id):
        lines.append(f"{finding.rule} {finding.title}: {finding.message}")
        if finding.payload_rule:
            lines.append(f"  payload breaks: {finding.payload_rule}")
        if finding.exchange is not None:
            exchange = finding.exchange
            sent = (
                exchange.raw_body
                if exchange.raw_body is not None
                else (compact_json(exchange.body))
            )
            lines.append(f"  minimal payload: {sent}")
            got = (
                exchange.response_text
                if exchange.response_body is None
                else compact_json(exchange.response_body)
            )
            lines.append(f"  response: HTTP {exchange.status} {got}")
            lines.append(f"  reproduce: {finding.curl}")
    return "\n".join(lines) or f"{rule_id} failed"


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def reference_server(pytestconfig: pytest.Config) -> Iterator[str]:
    """The embedded reference server, live on a loopback port for the session: its URL.

    It knows the session's merchant and key (``--ordercheck-merchant``, ``--ordercheck-key``
    or ``$ORDERCHECK_ACCESS_KEY``), so `order_api` is admitted whatever they are."""
    from ordercheck.server import create_app, running_server

    option = pytestconfig.getoption
    app = create_app(
        merchant_id=option("ordercheck_merchant"),
        access_key=option("ordercheck_key"),
        profile=option("ordercheck_profile"),
    )
    with running_server(app) as url:
        yield url


@pytest.fixture(scope="session")
def ordercheck_target(request: pytest.FixtureRequest) -> str:
    """The base URL under test: ``--ordercheck-url``, else the reference server."""
    url = request.config.getoption("ordercheck_url")
    return str(url) if url else str(request.getfixturevalue("reference_server"))


@pytest.fixture(scope="session")
def order_api(request: pytest.FixtureRequest, ordercheck_target: str) -> OrderApi:
    """A client bound to the target, with the session's merchant and key."""
    from ordercheck.runner import OrderApi
    from ordercheck.spec import OPERATION_PATH

    option = request.config.getoption
    # A custom path template applies to a real target; the embedded server has the default.
    remote = option("ordercheck_url") is not None
    return OrderApi(
        ordercheck_target,
        merchant_id=option("ordercheck_merchant"),
        access_key=option("ordercheck_key"),
        profile=option("ordercheck_profile"),
        path=option("ordercheck_path") if remote else OPERATION_PATH,
    )


@pytest.fixture(scope="session")
def order_validator(pytestconfig: pytest.Config) -> RequestValidator:
    """The request validator of the session's profile."""
    from ordercheck.validators import RequestValidator

    return RequestValidator(pytestconfig.getoption("ordercheck_profile"))


@pytest.fixture(scope="session")
def response_validator(pytestconfig: pytest.Config) -> ResponseValidator:
    """The response validator of the session's profile."""
    from ordercheck.validators import ResponseValidator

    return ResponseValidator(pytestconfig.getoption("ordercheck_profile"))


@pytest.fixture(scope="session")
def order_strategies() -> Any:
    """The `ordercheck.strategies` module (orders, edge_case_orders, invalid_orders, ...)."""
    import ordercheck.strategies

    return ordercheck.strategies
