"""The registry: the fourteen rule modules, in the spec's order, as `ContractRule`s."""

from __future__ import annotations

import pkgutil
import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from functools import cache
from importlib import import_module
from types import ModuleType

from ordercheck.errors import SpecError
from ordercheck.results import RuleViolation
from ordercheck.rules._observation import Observation
from ordercheck.rules._rule import ContractRule
from ordercheck.spec import Spec, load_spec

# c01_no_server_error ... c14_latency_budget: found by name, so a new rule is a new module.
_RULE_MODULE_NAME = re.compile(r"c[0-9]{2}_[a-z0-9_]+")


def _rule_modules() -> tuple[ModuleType, ...]:
    """The rule modules of this package, in file-name (and so rule-number) order."""
    package = import_module("ordercheck.rules")
    names = sorted(
        info.name
        for info in pkgutil.iter_modules(package.__path__)
        if _RULE_MODULE_NAME.fullmatch(info.name)
    )
    return tuple(import_module(f"ordercheck.rules.{name}") for name in names)


RULE_MODULES: tuple[ModuleType, ...] = _rule_modules()


@cache
def registry(spec: Spec | None = None) -> Mapping[str, ContractRule]:
    """Every rule of the spec's ``x-conformance-rules`` with its module, in the spec's order.

    A rule in the spec without a module, or a module without a rule, is a `SpecError`: the
    two lists must name the same rules.
    """
    spec = spec or load_spec()
    modules = {module.ID: module for module in RULE_MODULES}
    declared = spec.conformance
    if set(modules) != set(declared):
        missing = sorted(set(declared) - set(modules)) or sorted(set(modules) - set(declared))
        raise SpecError(
            f"{spec.source}: $['x-conformance-rules']: the rules {missing} "
            "have no module in ordercheck.rules, or no entry in the spec"
        )
    return {
        rule.id: ContractRule(rule.id, rule.name, rule.summary, rule.scope, modules[rule.id])
        for rule in declared.values()
    }


def exchange_rules(spec: Spec | None = None) -> Iterator[ContractRule]:
    """The rules that judge one exchange at a time, in the spec's order."""
    return (rule for rule in registry(spec).values() if rule.judges_exchanges)


def judge(observation: Observation) -> tuple[list[str], list[RuleViolation]]:
    """Every exchange rule over one exchange: the ids of the rules that judged it (each is
    one judged check) and the violations found, consequences folded into their root cause
    (a folded rule is named on its root's violation and is not counted as judged)."""
    applied, found = [], []
    for rule in exchange_rules(observation.judging.spec):
        if rule.applies(observation):
            applied.append(rule.id)
            broken = rule.check(observation)
            if broken is not None:
                found.append(broken)
    return fold_consequences(applied, found, observation.judging.spec)


def fold_consequences(
    applied: list[str], found: list[RuleViolation], spec: Spec | None = None
) -> tuple[list[str], list[RuleViolation]]:
    """A violation that a root cause on the same exchange explains (a missing envelope on a
    crash) is named on the root's violation instead of failing its own rule, and that rule
    is not counted as judged by this exchange: one defect, one finding."""
    rules = registry(spec)
    broken = {v.rule for v in found}
    folded: dict[str, tuple[str, ...]] = {}
    gone: set[str] = set()
    for violation in found:  # in the spec's order, which puts each root before its effects
        if violation.rule in gone:
            continue
        explained = (rules[violation.rule].consequences & broken) - gone - {violation.rule}
        if explained:
            folded[violation.rule] = tuple(sorted(explained, key=_number))
            gone |= explained
    kept = [replace(v, consequences=folded.get(v.rule, ())) for v in found if v.rule not in gone]
    return [rule for rule in applied if rule not in gone], kept


def _number(rule_id: str) -> int:
    digits = rule_id[1:]
    return int(digits) if digits.isdigit() else 0
