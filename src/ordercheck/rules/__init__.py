"""The contract rules C1 to C14: one module each, and the registry that lists them.

Each rule module (`c07_echo_merchant_order_id` ...) is the one home of its rule: when it
applies, its check over one exchange, its sequence of requests or its judgement over the
whole run.  Everything that judges a target reads `RULES`: the fuzzer, its Schemathesis
checks (`ordercheck.rules.schemathesis_checks`), `ResponseValidator` and so `validate --kind
response`, the reports and the pytest items.

    >>> from ordercheck.rules import RULES
    >>> RULES["C7"].slug
    'C7_echo_merchant_order_id'
"""

from ordercheck.rules._observation import (
    NOT_JSON,
    Expect,
    Expectation,
    Judging,
    Observation,
    judging,
)
from ordercheck.rules._registry import exchange_rules, fold_consequences, judge, registry
from ordercheck.rules._rule import KEEP, ContractRule, Judgement, RunRecord, Session, violation
from ordercheck.rules.response_validator import ResponseValidator

RULES = registry()

__all__ = [
    "KEEP",
    "NOT_JSON",
    "RULES",
    "ContractRule",
    "Expect",
    "Expectation",
    "Judgement",
    "Judging",
    "Observation",
    "ResponseValidator",
    "RunRecord",
    "Session",
    "exchange_rules",
    "fold_consequences",
    "judge",
    "judging",
    "registry",
    "violation",
]
