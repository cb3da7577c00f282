"""What a contract rule module declares, and the session a sequence rule runs in.

Each of C1 to C14 is one module (`c07_echo_merchant_order_id`), the one home of that rule. It
declares ``ID`` (its id in the spec's ``x-conformance-rules``, which gives its name and
summary) and any of:

``applies(observation) -> bool`` and ``check(observation) -> RuleViolation | None``
    the rule over one exchange: whether this exchange can be judged for it, and the
    violation when it breaks it.  Counted once per exchange it applies to.  ``NEEDS`` says
    in words what an exchange must be for the rule to apply (the reason a run that never
    met one cannot call the rule passed); ``CONSEQUENCES`` names the rules that break
    only because this one did, on the same exchange (a crash explains a missing envelope).
``run(session) -> None``
    the rule's own sequence of requests (a replay, a burst, auth attempts), judged through
    `Session.judge`, or declared unjudged with the reason (`Session.unjudged`).
``finish(run) -> Judgement | None``
    a judgement over the whole run (unique request ids, the latency percentile); None when
    the run gave it nothing to judge.
``required(run) -> bool``
    whether a run that never judged the rule is inconclusive (every rule is, but for the
    latency budget while it is only a warning).

The registry (`ordercheck.rules.RULES`) is the only list of rules: the fuzzer, its
Schemathesis checks, `validate --kind response`, the reports and the pytest items read it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Protocol

from ordercheck.results import RuleViolation, Severity
from ordercheck.rules._observation import Expect, Observation
from ordercheck.spec import Scope

KEEP: Any = object()  # "send the configured access key", as opposed to None: "send no key"


def violation(
    rule: str,
    title: str,
    message: str,
    *,
    path: str = "$",
    expected: str = "",
    found: str = "",
    severity: Severity = "error",
    cause: str = "",
) -> RuleViolation:
    """A violation of `rule`, without its exchange (the collector attaches that).

    `title` names what was seen in a few words; `cause` (default: the title) is what tells
    this cause of the rule's failure from others in a report (e.g. the server's message)."""
    return RuleViolation(
        rule,
        title,
        message,
        path=path,
        expected=expected,
        found=found,
        severity=severity,
        cause=cause,
    )


@dataclass(frozen=True)
class Judgement:
    """One judged check of a rule over several exchanges: what it broke (nothing: it held)
    and the exchange that shows it best."""

    violations: tuple[RuleViolation, ...] = ()
    evidence: Observation | None = None


class RunRecord(Protocol):
    """What a whole run saw, for the rules that judge it as a whole."""

    @property
    def request_ids(self) -> Counter[str]: ...

    @property
    def order_owners(self) -> Mapping[str, set[str]]: ...

    @property
    def latencies_ms(self) -> Sequence[float]: ...

    @property
    def latency_budget_ms(self) -> float: ...

    @property
    def latency_is_error(self) -> bool: ...


class Session(Protocol):
    """What a sequence rule can do: send requests (each judged by the exchange rules and
    recorded like any other) and hand in its own judgement."""

    @property
    def merchant_id(self) -> str: ...

    @property
    def access_key(self) -> str: ...

    @property
    def burst_size(self) -> int: ...

    def template(self) -> dict[str, Any] | None:
        """A payload the target accepted earlier in the run (None: none was)."""

    def fresh(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """`payload` under a new ``merchant_order_id`` carrying the run's prefix."""

    def send(
        self,
        payload: Any,
        expect: Expect = "sequence",
        *,
        key: Any = KEEP,
        merchant_id: str | None = None,
    ) -> Observation:
        """Send one request and judge its response by the exchange rules."""

    def burst(self, payload: Any, count: int) -> list[Observation]:
        """Send `count` identical requests at the same instant."""

    def judge(self, rule: str, judgement: Judgement) -> None:
        """Count one judged check of `rule`."""

    def unjudged(self, rule: str, reason: str) -> None:
        """`rule`'s sequence could not be judged in this run, and why."""


@dataclass(frozen=True)
class ContractRule:
    """One contract rule: its id, name and summary from the spec, and its module's checks."""

    id: str
    name: str
    summary: str
    scope: Scope
    module: ModuleType

    @property
    def slug(self) -> str:
        """``C7_echo_merchant_order_id``: how tests and reports name the rule."""
        return f"{self.id}_{self.name}"

    @property
    def judges_exchanges(self) -> bool:
        return hasattr(self.module, "check")

    @property
    def runs_sequence(self) -> bool:
        return hasattr(self.module, "run")

    @property
    def judges_whole_run(self) -> bool:
        return hasattr(self.module, "finish")

    @property
    def needs(self) -> str:
        """What an exchange must be for this rule to judge it, in words."""
        return str(getattr(self.module, "NEEDS", "its own sequence of requests"))

    @property
    def consequences(self) -> frozenset[str]:
        """The rules that break only because this one did, on the same exchange."""
        return frozenset(getattr(self.module, "CONSEQUENCES", ()))

    def required(self, record: RunRecord) -> bool:
        """Whether leaving this rule unjudged makes a run inconclusive."""
        required: Callable[[RunRecord], bool] | None = getattr(self.module, "required", None)
        return True if required is None else required(record)

    @property
    def title(self) -> str:
        """The rule's one-line doc, from its module."""
        doc = self.module.__doc__ or self.summary
        return doc.strip().splitlines()[0]

    def applies(self, observation: Observation) -> bool:
        applies: Callable[[Observation], bool] = self.module.applies
        return applies(observation)

    def check(self, observation: Observation) -> RuleViolation | None:
        check: Callable[[Observation], RuleViolation | None] = self.module.check
        return check(observation)

    def run(self, session: Session) -> None:
        run: Callable[[Session], None] | None = getattr(self.module, "run", None)
        if run is not None:
            run(session)

    def finish(self, record: RunRecord) -> Judgement | None:
        finish: Callable[[RunRecord], Judgement | None] | None = getattr(
            self.module, "finish", None
        )
        return None if finish is None else finish(record)
