"""The fuzz run as JUnit XML: one test case per conformance rule, so CI shows C1..C14.

A rule fails its case only at error severity. A warning (C14's latency budget by default) must
never fail CI, so its case passes and carries ``severity=warning``. A required rule the run
never judged fails its case as "not exercised" with the reason (the gate must not pass on
what was never tried), unless the run accepted that (``--accept-unexercised``), or it is a
proxy run (which judges only the traffic it is given): then it is skipped. Findings whose
rule is not in the run's rule list still get a case of their own, so an error can never go
missing from CI.

    >>> write_junit(result, Path("junit.xml"))
"""

from __future__ import annotations

from pathlib import Path

from ordercheck.reports.junitxml import JUnitCase, JUnitSuite, Outcome, render_junit
from ordercheck.reports.text import payload_lines, violation_text
from ordercheck.reports.writer import atomic_write
from ordercheck.results import PayloadFinding, RuleOutcome, RuleViolation, RunResult

CLASSNAME = "ordercheck.conformance"
SUITE_NAME = "ordercheck.conformance"
PAYLOADS_NAME = "ordercheck.payloads"


def junit_cases(result: RunResult) -> JUnitSuite:
    """The run as one suite with a case per rule, in the run's rule order."""
    by_rule: dict[str, list[RuleViolation]] = {}
    for finding in result.findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    cases = []
    for rule in result.rules:
        findings = by_rule.pop(rule.id, []) + by_rule.pop(f"{rule.id}_{rule.name}", [])
        cases.append(_rule_case(rule, findings, gate=_gates_on_unexercised(result)))
    cases += [_orphan_case(rule_id, findings) for rule_id, findings in by_rule.items()]
    return JUnitSuite(
        name=SUITE_NAME, cases=cases, time_s=result.duration_s, properties=_run_properties(result)
    )


def _gates_on_unexercised(result: RunResult) -> bool:
    """Whether a rule never judged fails its case: for a fuzz run, unless accepted; never
    for a proxy run, which judges only the traffic it is given (its gate is its findings)."""
    return result.kind != "proxy" and not result.accept_unexercised


def payload_cases(result: RunResult) -> JUnitSuite:
    """The merchant's requests (a proxy run): one case per constraint they broke, failed for
    an error and passed with ``severity=warning`` for a warning, like the rules' cases."""
    cases = [_payload_case(finding) for finding in result.payload_findings]
    properties = {"run_id": result.run_id, "profile": result.profile}
    return JUnitSuite(name=PAYLOADS_NAME, cases=cases, properties=properties)


def junit_suites(result: RunResult) -> list[JUnitSuite]:
    """The rules' suite, and for a proxy run the suite of the merchant's requests."""
    suites = [junit_cases(result)]
    if result.kind == "proxy":
        suites.append(payload_cases(result))
    return suites


def write_junit(result: RunResult, path: Path) -> None:
    """Write the JUnit XML for `result` atomically."""
    atomic_write(path, render_junit(junit_suites(result)))


def _payload_case(finding: PayloadFinding) -> JUnitCase:
    properties = {"constraint": finding.constraint, "level": finding.level}
    properties["requests"] = str(finding.count)
    outcome: Outcome = "failed" if finding.severity == "error" else "passed"
    if outcome == "passed":
        properties["severity"] = "warning"
    return JUnitCase(
        name=finding.constraint,
        classname=PAYLOADS_NAME,
        outcome=outcome,
        message=f"{finding.count} request(s) break {finding.constraint} at {finding.path}",
        details="\n".join(payload_lines(finding)),
        properties=properties,
    )


def _run_properties(result: RunResult) -> dict[str, str]:
    warnings = [f"{r.id}_{r.name}" for r in result.rules if r.status == "warning"]
    properties = {
        "run_id": result.run_id,
        "verdict": result.verdict,
        "target": result.target.base_url + result.target.path,
        "merchant_id": result.target.merchant_id,
        "profile": result.profile,
        "seed": "none" if result.seed is None else str(result.seed),
        "order_prefix": result.order_prefix,
        "requests": str(result.requests),
        "started_at": result.started_at,
        "warnings": ", ".join(warnings) or "none",
        "accept_unexercised": str(result.accept_unexercised).lower(),
        "kind": result.kind,
    }
    if result.stopped_early:
        properties["stopped_early"] = result.stopped_early
    for key in ("sku_catalog", "coupons"):
        values = result.settings.get(key)
        if values:
            properties[key] = ",".join(values)
    if result.settings.get("allow_rejection"):
        properties["allow_rejection"] = str(result.settings["allow_rejection"])
    return properties


def _counts(rule: RuleOutcome) -> str:
    return f"{rule.failures} of {rule.checks} judgements failed"


def _describe(finding: RuleViolation) -> str:
    return f"[{finding.severity}] {violation_text(finding)}"


def _details(head: list[str], findings: list[RuleViolation]) -> str:
    return "\n\n".join([*head, *(_describe(f) for f in findings)])


def _rule_case(rule: RuleOutcome, findings: list[RuleViolation], *, gate: bool) -> JUnitCase:
    """A rule's case: failed when the rule failed, or when it was required and never judged
    (unless the run accepted that, `gate=False`: then skipped), with the reason."""
    name = f"{rule.id}_{rule.name}"
    properties = {"rule": rule.id, "level": rule.level, "status": rule.status}
    errors = [f for f in findings if f.severity == "error"]
    if rule.status == "failed" or errors:
        message = errors[0].title if errors else _counts(rule)
        return _case(name, "failed", message, _details([_counts(rule)], findings), properties)
    if findings or rule.status == "warning":
        properties["severity"] = "warning"
        message = findings[0].title if findings else _counts(rule)
        return _case(name, "passed", message, _details([_counts(rule)], findings), properties)
    if rule.status == "not-exercised":
        reason = f"not exercised: {rule.reason}" if rule.reason else "not exercised"
        outcome: Outcome = "failed" if gate and rule.required else "skipped"
        return _case(name, outcome, reason, rule.summary, properties)
    return _case(name, "passed", "", "", properties)


def _orphan_case(rule_id: str, findings: list[RuleViolation]) -> JUnitCase:
    """A case for findings naming a rule the run's rule list lacks."""
    errors = [f for f in findings if f.severity == "error"]
    properties = {"rule": rule_id, "status": "failed" if errors else "warning"}
    if not errors:
        properties["severity"] = "warning"
    outcome: Outcome = "failed" if errors else "passed"
    return _case(
        rule_id, outcome, (errors or findings)[0].title, _details([], findings), properties
    )


def _case(
    name: str, outcome: Outcome, message: str, details: str, properties: dict[str, str]
) -> JUnitCase:
    return JUnitCase(
        name=name,
        classname=CLASSNAME,
        outcome=outcome,
        message=message,
        details=details,
        properties=properties,
    )
