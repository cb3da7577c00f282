"""The rule registry is the one home of each contract rule: one module per rule of the spec,
nothing else in the package spells a rule's check, and everything that judges or reports
reads the registry."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import ordercheck
from ordercheck.rules import RULES, ResponseValidator, exchange_rules, registry
from ordercheck.rules._registry import RULE_MODULES
from ordercheck.spec import load_spec

PACKAGE = Path(ordercheck.__file__).parent
RULE_ID = re.compile(r"^C\d+$")


def string_literals(path: Path) -> set[str]:
    """Every string constant in a module's code (docstrings included)."""
    return {
        node.value
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def test_every_spec_rule_has_exactly_one_module() -> None:
    """The spec's x-conformance-rules and the rule modules name the same rules, one each."""
    ids = [module.ID for module in RULE_MODULES]
    assert len(ids) == len(set(ids))
    assert list(RULES) == list(load_spec().conformance) == ids


@pytest.mark.parametrize("rule_id", list(RULES))
def test_a_rule_module_is_named_for_its_rule(rule_id: str) -> None:
    """``c07_echo_merchant_order_id`` holds C7: the file a reader looks for is the one."""
    rule = RULES[rule_id]
    number = int(rule_id[1:])
    assert rule.module.__name__.rsplit(".", 1)[-1] == f"c{number:02d}_{rule.name}"


def test_no_other_module_spells_a_rule_id() -> None:
    """No module outside its rule's own declares a rule id as code: C7 is checked in
    c07_echo_merchant_order_id.py alone (reports and CLI read ids from the registry)."""
    offenders = {}
    for path in PACKAGE.rglob("*.py"):
        if path.parent.name == "rules" and path.name.startswith("c"):
            continue
        # The reference server's variants say which rule each breaks, by design.
        if path.parent.name == "server":
            continue
        ids = sorted(s for s in string_literals(path) if RULE_ID.match(s))
        if ids:
            offenders[str(path.relative_to(PACKAGE))] = ids
    assert offenders == {}


def test_registry_refuses_a_spec_whose_rules_have_no_module() -> None:
    """A spec naming a rule no module checks is a one-line SpecError, not a silent gap."""
    from ordercheck.errors import SpecError
    from ordercheck.spec import Spec

    spec = load_spec()
    document = {**spec.document}
    document["x-conformance-rules"] = [
        *spec.document["x-conformance-rules"],
        {"id": "C15", "name": "new_rule", "scope": "exchange", "level": "inferred", "summary": "."},
    ]
    with pytest.raises(SpecError, match="C15"):
        registry(Spec(document, "mine.yaml"))


def test_response_validator_runs_every_exchange_rule() -> None:
    """validate --kind response reads the registry: a response breaking C1, C3, C4 and C13
    at once is reported under each (C2's envelope evidence is itemised as constraints)."""
    body = {"is_success": True, "status_code": 503, "error": {"errors": [], "message": "x"}}
    verdict = ResponseValidator().check(
        body, status=503, headers={"Content-Type": "application/json"}
    )
    found = {v.id for v in verdict.findings if RULE_ID.match(v.id)}
    judged = {rule.id for rule in exchange_rules()} - {"C2", "C5", "C6", "C7", "C8"}
    assert found == judged == {"C1", "C3", "C4", "C13"}
