"""Plain result objects of a fuzzing run: what the runner produces and every report reads.

They hold data only (no engine objects), so the JSON, JUnit and HTML writers, the CLI and the
pytest plugin share them, and `ordercheck replay` can rebuild them from ``report.json``.
Secrets never get this far: `Exchange` stores headers already redacted.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import orjson

REDACTED = "[REDACTED]"
SECRET_HEADERS = frozenset({"x-access-key", "authorization", "cookie", "set-cookie"})

RuleStatus = Literal["passed", "failed", "warning", "not-exercised"]
Severity = Literal["error", "warning"]


def redact(headers: Mapping[str, str]) -> dict[str, str]:
    """A copy of `headers` with every secret value replaced by ``[REDACTED]``."""
    return {k: (REDACTED if k.lower() in SECRET_HEADERS else v) for k, v in headers.items()}


def compact_json(value: Any) -> str:
    """JSON text for any body a fuzzer may send: orjson, or the stdlib for what orjson
    refuses (integers beyond 64 bits)."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class Exchange:
    """One request and its response. `body` is the JSON sent (or `raw_body` when the request
    was deliberately not JSON); `response_body` is parsed JSON, or None with `response_text`."""

    method: str
    url: str
    headers: dict[str, str]
    body: Any = None
    raw_body: str | None = None
    status: int | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: Any = None
    response_text: str | None = None
    elapsed_ms: float = 0.0

    def curl(self) -> str:
        """A shell command that sends the same request; the access key stays redacted and is
        read from ``$ORDERCHECK_ACCESS_KEY`` instead."""
        parts = ["curl", "-sS", "-X", self.method, shlex.quote(self.url)]
        for name, value in self.headers.items():
            if name.lower() == "x-access-key":
                parts += ["-H", f'"{name}: $ORDERCHECK_ACCESS_KEY"']
            elif name.lower() not in SECRET_HEADERS:
                parts += ["-H", shlex.quote(f"{name}: {value}")]
        data = (
            self.raw_body
            if self.raw_body is not None
            else (None if self.body is None else compact_json(self.body))
        )
        if data is not None:
            parts += ["--data-raw", shlex.quote(data)]
        return " ".join(parts)


@dataclass(frozen=True)
class RuleViolation:
    """The target broke a contract rule (C1 to C14): which rule, what went wrong, where, and
    the exchange that shows it.

    The other kind of violation, a payload breaking a constraint of the spec
    (``user.address.pincode:pattern``), is `ordercheck.validators.ConstraintViolation`; a
    rule violation names one in `constraint` when the payload sent was built to break it.
    """

    rule: str
    title: str
    message: str
    exchange: Exchange | None = None
    constraint: str | None = None
    severity: Severity = "error"
    path: str = "$"
    expected: str = ""
    found: str = ""

    @property
    def id(self) -> str:
        """The rule id (``C7``): what a report lists this violation under."""
        return self.rule

    @property
    def hint(self) -> str:
        """What went wrong, in words (the same as `message`)."""
        return self.message

    @property
    def level(self) -> str:
        """``contract``: a contract rule binds in every profile (constraint violations say
        their provenance level here instead)."""
        return "contract"

    def to_dict(self) -> dict[str, Any]:
        """The fields a line of `validate --format json` shows, as for a constraint."""
        return {
            "rule": self.rule,
            "kind": "contract",
            "level": self.level,
            "severity": self.severity,
            "path": self.path,
            "expected": self.expected,
            "found": self.found,
            "hint": self.message,
            "title": self.title,
        }

    @property
    def curl(self) -> str | None:
        return None if self.exchange is None else self.exchange.curl()


@dataclass(frozen=True)
class RuleOutcome:
    """How one conformance rule fared over a run: how often it was checked and failed."""

    id: str
    name: str
    summary: str
    level: str
    checks: int = 0
    failures: int = 0
    severity: Severity = "error"

    @property
    def status(self) -> RuleStatus:
        if self.checks == 0:
            return "not-exercised"
        if self.failures == 0:
            return "passed"
        return "failed" if self.severity == "error" else "warning"


@dataclass(frozen=True)
class Target:
    """What was fuzzed: the base URL and path, whose merchant, and whether it was embedded."""

    base_url: str
    path: str
    merchant_id: str
    embedded: bool


@dataclass(frozen=True)
class RunResult:
    """Everything a report shows about one run."""

    run_id: str
    started_at: str
    duration_s: float
    target: Target
    profile: str
    seed: int | None
    order_prefix: str
    rules: list[RuleOutcome]
    findings: list[RuleViolation]
    requests: int
    latencies_ms: list[float]
    error_messages: dict[str, int] = field(default_factory=dict)
    documented_errors: dict[str, int] = field(default_factory=dict)
    spec_rules_exercised: dict[str, int] = field(default_factory=dict)

    @property
    def conformant(self) -> bool:
        """True when no rule failed at error severity."""
        errors = any(f.severity == "error" for f in self.findings)
        return not errors and not any(r.status == "failed" for r in self.rules)

    @property
    def verdict(self) -> str:
        return "conformant" if self.conformant else "non-conformant"

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``report.json`` (adds the derived verdict and per-finding curl)."""
        data = asdict(self)
        data["verdict"] = self.verdict
        for record, finding in zip(data["findings"], self.findings, strict=True):
            record["curl"] = finding.curl
        for record, rule in zip(data["rules"], self.rules, strict=True):
            record["status"] = rule.status
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RunResult:
        """Rebuild a result from ``report.json`` (derived keys are ignored)."""
        findings = [
            RuleViolation(
                **{k: v for k, v in f.items() if k not in ("exchange", "curl")},
                exchange=None if f.get("exchange") is None else Exchange(**f["exchange"]),
            )
            for f in data["findings"]
        ]
        rules = [
            RuleOutcome(**{k: v for k, v in r.items() if k != "status"}) for r in data["rules"]
        ]
        fields = {
            k: v for k, v in data.items() if k not in ("findings", "rules", "target", "verdict")
        }
        return cls(target=Target(**data["target"]), rules=rules, findings=findings, **fields)
