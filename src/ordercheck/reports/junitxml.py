"""A small JUnit XML builder shared by every command that reports to CI.

`ordercheck validate --format junit` (a case per payload) and the fuzz reports (a case per
rule) both render through here, so CI systems see one dialect.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Outcome = Literal["passed", "failed", "skipped", "error"]

# Characters XML 1.0 cannot carry at all (controls, lone surrogates); fuzzed bodies have them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """`text` with each character XML forbids written as a ``\\x1b`` or ``\\udc80`` escape."""
    return _NOT_XML.sub(lambda m: repr(m.group())[1:-1], text)


def _properties(parent: ET.Element, properties: dict[str, str]) -> None:
    if properties:
        node = ET.SubElement(parent, "properties")
        for key, value in properties.items():
            ET.SubElement(node, "property", name=xml_safe(key), value=xml_safe(value))


@dataclass(frozen=True)
class JUnitCase:
    """One test case: `message` is the one-line reason, `details` the full text."""

    name: str
    classname: str
    outcome: Outcome = "passed"
    message: str = ""
    details: str = ""
    time_s: float = 0.0
    properties: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class JUnitSuite:
    """A named group of cases (one per input file, or one per fuzzing run)."""

    name: str
    cases: list[JUnitCase]
    time_s: float = 0.0
    properties: dict[str, str] = field(default_factory=dict)


def _count(cases: Iterable[JUnitCase], outcome: Outcome) -> str:
    return str(sum(1 for c in cases if c.outcome == outcome))


def render_junit(suites: Iterable[JUnitSuite], name: str = "ordercheck") -> bytes:
    """The XML document (UTF-8, with declaration) for `suites`."""
    suites = list(suites)
    root = ET.Element("testsuites", name=name)
    all_cases = [c for s in suites for c in s.cases]
    root.set("tests", str(len(all_cases)))
    root.set("failures", _count(all_cases, "failed"))
    root.set("errors", _count(all_cases, "error"))
    root.set("skipped", _count(all_cases, "skipped"))
    for suite in suites:
        node = ET.SubElement(
            root,
            "testsuite",
            name=xml_safe(suite.name),
            tests=str(len(suite.cases)),
            failures=_count(suite.cases, "failed"),
            errors=_count(suite.cases, "error"),
            skipped=_count(suite.cases, "skipped"),
            time=f"{suite.time_s:.3f}",
        )
        _properties(node, suite.properties)
        for case in suite.cases:
            element = ET.SubElement(
                node,
                "testcase",
                name=xml_safe(case.name),
                classname=xml_safe(case.classname),
                time=f"{case.time_s:.3f}",
            )
            _properties(element, case.properties)
            if case.outcome in ("failed", "error"):
                tag = "failure" if case.outcome == "failed" else "error"
                problem = ET.SubElement(element, tag, message=xml_safe(case.message))
                problem.text = xml_safe(case.details)
            elif case.outcome == "skipped":
                ET.SubElement(element, "skipped", message=xml_safe(case.message))
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"
