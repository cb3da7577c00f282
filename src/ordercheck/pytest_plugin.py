"""The ordercheck pytest plugin: each contract rule as a test item, and fixtures for QA tests.

Registered through the ``pytest11`` entry point; it adds rule items only when asked
(``--ordercheck-url URL`` or ``--ordercheck-embedded``), and it imports the runner, the server
and Schemathesis only when an item or a fixture needs them, so a suite that does not use it
pays nothing.

    pytest --ordercheck-embedded -k "C10 or C11"
    pytest --ordercheck-url https://staging.example.com -n auto
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from ordercheck.fuzz.config import FuzzConfig, Option, options

if TYPE_CHECKING:
    from ordercheck.fuzz import OrderApi
    from ordercheck.results import RunResult
    from ordercheck.rules import ContractRule, ResponseValidator
    from ordercheck.validators import RequestValidator

_RESULT = pytest.StashKey["RunResult"]()
_ERROR = pytest.StashKey[str]()
_SELECTED = pytest.StashKey[list[str]]()
_SUMMARY = pytest.StashKey[str]()
PREFIX = "--ordercheck-"


def _flags(name: str, how: Option) -> list[str]:
    """``--ordercheck-max-examples`` for ``max_examples``, then its older spellings."""
    primary = PREFIX + how.cli_flag(name).removeprefix("--")
    return [primary, *(alias for alias in how.aliases if alias.startswith(PREFIX))]


def _dest(name: str) -> str:
    return f"ordercheck_{name}"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ordercheck", "Create Order API conformance (ordercheck)")
    group.addoption(
        "--ordercheck-embedded",
        action="store_true",
        help="Fuzz the embedded reference server (each contract rule becomes a test item).",
    )
    # Every other option is generated from FuzzConfig, the one declaration of fuzz options.
    for config_field, how in options("pytest"):
        default = config_field.default
        if how.envvar is not None:
            default = os.environ.get(how.envvar, default)
        extra: dict[str, Any] = {"help": how.help, "dest": _dest(config_field.name)}
        if how.kind == "flag":
            extra["action"] = "store_true"
        else:
            extra["default"] = default
            extra["metavar"] = how.metavar
            if how.kind in ("int", "float"):
                extra["type"] = int if how.kind == "int" else float
            if how.kind == "choice":
                extra["choices"] = list(how.choices)
        group.addoption(*_flags(config_field.name, how), **extra)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "ordercheck: a contract rule checked by ordercheck")
    config.addinivalue_line("markers", "ordercheck_exchange: a rule one exchange can break")
    config.addinivalue_line("markers", "ordercheck_sequence: a rule that needs a sequence")
    if not _enabled(config):
        return
    from ordercheck import pytest_campaign
    from ordercheck.errors import OrdercheckError

    controller = not hasattr(config, "workerinput")
    if controller and config.getoption("tx", default=None):  # an xdist controller
        try:
            pytest_campaign.start_controller(config, fuzz_config(config))
        except OrdercheckError as error:
            raise pytest.UsageError(f"ordercheck could not run: {error}") from None


def pytest_unconfigure(config: pytest.Config) -> None:
    if _enabled(config):
        from ordercheck import pytest_campaign

        pytest_campaign.stop_controller(config)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist: give each worker the shared run (identity, server, channel to meet on)."""
    if _enabled(node.config):
        from ordercheck import pytest_campaign

        shared = pytest_campaign.node_input(node.config, node.gateway)
        if shared is not None:
            node.workerinput[pytest_campaign.SHARE_INPUT] = shared


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A worker hands its campaign's summary to the xdist controller, which prints it."""
    config = session.config
    result = config.stash.get(_RESULT, None)
    if result is not None and hasattr(config, "workeroutput"):
        config.workeroutput["ordercheck"] = _summary(result)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """pytest-xdist: keep the summary a worker handed back."""
    summary = getattr(node, "workeroutput", {}).get("ordercheck")
    if summary is not None:
        node.config.stash[_SUMMARY] = summary


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """One line on what the campaign did: verdict, requests, and where orders went."""
    result = config.stash.get(_RESULT, None)
    summary = _summary(result) if result is not None else config.stash.get(_SUMMARY, None)
    if summary is not None:
        terminalreporter.write_line(summary)


def _summary(result: RunResult) -> str:
    judged = sum(1 for rule in result.rules if rule.checks)
    return (
        f"ordercheck: {result.verdict} · {result.requests} requests · {judged} rules judged · "
        f"orders created under prefix {result.order_prefix}"
    )


def pytest_collection_finish(session: pytest.Session) -> None:
    """Note the selected rules; a worker of a shared run does its share now, whether or not
    it was given a rule item, so the others are not left waiting for it."""
    config = session.config
    if not _enabled(config):
        return
    config.stash[_SELECTED] = [i.rule.id for i in session.items if isinstance(i, RuleItem)]
    from ordercheck import pytest_campaign

    shared = pytest_campaign.worker_share(config)
    if shared is not None and config.stash[_SELECTED] and not config.option.collectonly:
        _run_once(config)


def _enabled(config: pytest.Config) -> bool:
    return bool(config.getoption("ordercheck_base_url") or config.getoption("ordercheck_embedded"))


class RuleItem(pytest.Item):
    """One contract rule (``ordercheck::C7_echo_merchant_order_id``)."""

    def __init__(self, *, rule: ContractRule, **kwargs: Any):
        super().__init__(**kwargs)
        self.rule = rule
        self.add_marker("ordercheck")
        self.add_marker(f"ordercheck_{rule.scope}")

    def runtest(self) -> None:
        result = _campaign(self)
        outcome = next(r for r in result.rules if r.id == self.rule.id)
        if outcome.status == "not-exercised":
            # A rule nobody judged is not a pass: it fails with the reason, unless the user
            # accepted unexercised rules (or the rule is optional, as the latency budget is).
            text = f"{self.rule.id} was not exercised: {outcome.reason}"
            if outcome.required and not result.accept_unexercised:
                pytest.fail(text, pytrace=False)
            pytest.skip(text)
        if outcome.status == "failed":
            pytest.fail(_failure_text(result, self.rule.id), pytrace=False)

    def reportinfo(self) -> tuple[str, int | None, str]:
        return "ordercheck", None, f"ordercheck::{self.name}: {self.rule.summary}"


class RuleSuite(pytest.Collector):
    """The ``ordercheck`` node holding one item per rule of the registry."""

    def collect(self) -> list[pytest.Item]:
        from ordercheck.rules import RULES

        return [RuleItem.from_parent(self, name=rule.slug, rule=rule) for rule in RULES.values()]


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


def _run_once(config: pytest.Config) -> None:
    """The campaign behind the rule items, once per process (see `ordercheck.pytest_campaign`
    for how xdist workers share it), narrowed to the selected rules."""
    stash = config.stash
    if _RESULT in stash or _ERROR in stash:
        return
    from ordercheck import pytest_campaign
    from ordercheck.errors import OrdercheckError

    selected = stash.get(_SELECTED, None)
    try:
        stash[_RESULT] = pytest_campaign.run_campaign(
            fuzz_config(config),
            selected,
            pytest_campaign.worker_share(config),
        )
    except OrdercheckError as error:
        stash[_ERROR] = f"ordercheck could not run: {error}"


def _campaign(item: RuleItem) -> RunResult:
    """The campaign's result for a rule item.

    A run that cannot start (an unreachable target, a bad option) checked no rule, so none
    can be said to have failed: the session stops, and pytest exits 2 ("interrupted"), the
    code `ordercheck fuzz` gives; xdist workers pass the stop on to the controller."""
    _run_once(item.config)
    stash = item.config.stash
    if _ERROR in stash:
        item.session.shouldstop = stash[_ERROR]
        pytest.fail(stash[_ERROR], pytrace=False)
    return stash[_RESULT]


def fuzz_config(config: pytest.Config) -> FuzzConfig:
    """The `FuzzConfig` the session's ``--ordercheck-*`` options describe."""
    arguments: dict[str, Any] = {}
    for config_field, how in options("pytest"):
        value = config.getoption(_dest(config_field.name))
        if value is not None and how.convert is not None:
            value = how.convert(str(value))
        arguments[config_field.name] = value
    if arguments.get("base_url"):
        arguments["variant"] = None  # the broken variants are embedded servers only
    if arguments.get("access_key_file") is not None and not _key_typed(config):
        arguments.pop("access_key")  # a key file beats $ORDERCHECK_ACCESS_KEY
    return FuzzConfig(**arguments)


def _key_typed(config: pytest.Config) -> bool:
    """Whether --ordercheck-access-key was given on the command line (not its default)."""
    from ordercheck.defaults import ACCESS_KEY_ENVVAR, DEFAULT_ACCESS_KEY

    given = config.getoption(_dest("access_key"))
    return given not in (os.environ.get(ACCESS_KEY_ENVVAR), DEFAULT_ACCESS_KEY)


def _failure_text(result: RunResult, rule_id: str) -> str:
    from ordercheck.reports.text import violation_text

    texts = [violation_text(f) for f in result.findings if f.rule == rule_id]
    return "\n".join(texts) or f"{rule_id} failed"


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def reference_server(pytestconfig: pytest.Config) -> Iterator[str]:
    """The embedded reference server, live on a loopback port for the session: its URL.

    It knows the session's merchant and key (``--ordercheck-merchant-id``,
    ``--ordercheck-access-key`` or ``$ORDERCHECK_ACCESS_KEY``), so `order_api` is admitted
    whatever they are."""
    from ordercheck.server import create_app, running_server

    settings = fuzz_config(pytestconfig)
    app = create_app(
        merchant_id=settings.merchant_id, access_key=settings.access_key, profile=settings.profile
    )
    with running_server(app) as url:
        yield url


@pytest.fixture(scope="session")
def ordercheck_target(request: pytest.FixtureRequest) -> str:
    """The base URL under test: ``--ordercheck-url``, else the reference server."""
    url = request.config.getoption("ordercheck_base_url")
    return str(url) if url else str(request.getfixturevalue("reference_server"))


@pytest.fixture(scope="session")
def order_api(request: pytest.FixtureRequest, ordercheck_target: str) -> OrderApi:
    """A client bound to the target, with the session's merchant and key."""
    from ordercheck.fuzz import OrderApi
    from ordercheck.spec import OPERATION_PATH

    settings = fuzz_config(request.config)
    # A custom path template applies to a real target; the embedded server has the default.
    remote = settings.base_url is not None
    return OrderApi(
        ordercheck_target,
        merchant_id=settings.merchant_id,
        access_key=settings.access_key,
        profile=settings.profile,
        path=settings.path if remote else OPERATION_PATH,
    )


@pytest.fixture(scope="session")
def order_validator(pytestconfig: pytest.Config) -> RequestValidator:
    """The request validator of the session's profile."""
    from ordercheck.validators import RequestValidator

    return RequestValidator(pytestconfig.getoption("ordercheck_profile"))


@pytest.fixture(scope="session")
def response_validator(pytestconfig: pytest.Config) -> ResponseValidator:
    """The response validator of the session's profile."""
    from ordercheck.rules import ResponseValidator

    return ResponseValidator(pytestconfig.getoption("ordercheck_profile"))


@pytest.fixture(scope="session")
def order_strategies() -> Any:
    """The `ordercheck.strategies` module (orders, edge_case_orders, invalid_orders, ...)."""
    import ordercheck.strategies

    return ordercheck.strategies
