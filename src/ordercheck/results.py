"""Plain result objects of a fuzzing run: what the runner produces and every report reads.

They hold data only (no engine objects), so the JSON, JUnit and HTML writers, the CLI and the
pytest plugin share them, and `ordercheck replay` can rebuild them from ``report.json``.
Secrets never get this far: `Exchange` stores headers already redacted.
"""

from __future__ import annotations

import base64
import json
import secrets
import shlex
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import orjson

REDACTED = "[REDACTED]"
SECRET_HEADERS = frozenset({"x-access-key", "authorization", "cookie", "set-cookie"})

RuleStatus = Literal["passed", "failed", "warning", "not-exercised"]
Severity = Literal["error", "warning"]
Verdict = Literal["conformant", "inconclusive", "non-conformant"]
# What produced a result: a fuzzing run sends its own requests; a proxy run judges the
# traffic it was given, and its findings include the merchant's own requests.
RunKind = Literal["fuzz", "proxy"]

# How a request carried the access key, so a curl can send the same without holding it:
# the configured key, none, an empty value, its first N characters, its case swapped, or a
# literal (not secret) wrong key kept in the headers.
KeyForm = Literal["configured", "none", "empty", "prefix", "swapcase", "literal"]
_KEY = "$ORDERCHECK_ACCESS_KEY"


def new_run_id() -> str:
    """``20261127T165200Z-3fa9``: sortable, and unique enough for a reports folder."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(2)


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
    was deliberately not JSON, with `raw_base64` when those bytes are not UTF-8 text);
    `response_body` is parsed JSON, or None with `response_text`.  The access key is never
    here: `key_form` says how the request carried it and `key_prefix` how much of it."""

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
    raw_base64: str | None = None
    key_form: KeyForm = "configured"
    key_prefix: int = 0

    def _key_header(self, name: str) -> list[str]:
        """The curl arguments that send the key the way this request did."""
        form = self.key_form
        if form == "configured":
            return ["-H", f'"{name}: {_KEY}"']
        if form == "prefix":
            return ["-H", f'"{name}: ${{ORDERCHECK_ACCESS_KEY:0:{self.key_prefix}}}"']
        if form == "swapcase":
            swapped = f'$(printf %s "{_KEY}" | tr a-zA-Z A-Za-z)'
            return ["-H", f'"{name}: {swapped}"']
        if form == "empty":
            return ["-H", shlex.quote(f"{name};")]  # curl's spelling of an empty header
        return []

    def curl(self) -> str:
        """A shell command that sends the same request, body byte for byte; the access key
        is read from ``$ORDERCHECK_ACCESS_KEY``, never written out.

        >>> Exchange("POST", "http://h/o", {"X-Access-Key": "[REDACTED]"}, None).curl()
        'curl -sS -X POST http://h/o -H "X-Access-Key: $ORDERCHECK_ACCESS_KEY" --data-raw null'
        """
        parts = ["curl", "-sS", "-X", self.method, shlex.quote(self.url)]
        for name, value in self.headers.items():
            lowered = name.lower()
            if lowered == "x-access-key" and self.key_form != "literal":
                parts += self._key_header(name)
            elif lowered not in SECRET_HEADERS or lowered == "x-access-key":
                parts += ["-H", shlex.quote(f"{name}: {value}")]
        if self.raw_base64 is not None:
            # Bytes that are not text: decoded from base64 on the way into curl.
            feed = f"printf %s {shlex.quote(self.raw_base64)} | base64 -d | "
            return feed + " ".join([*parts, "--data-binary", "@-"])
        data = self.raw_body if self.raw_body is not None else compact_json(self.body)
        return " ".join([*parts, "--data-raw", shlex.quote(data)])

    @staticmethod
    def raw_fields(raw: bytes | None) -> tuple[str | None, str | None]:
        """(`raw_body`, `raw_base64`) for bytes sent as they are: base64 only when the
        bytes are not UTF-8 text, which JSON cannot hold."""
        if raw is None:
            return None, None
        try:
            return raw.decode("utf-8"), None
        except UnicodeDecodeError:
            return raw.decode("utf-8", "replace"), base64.b64encode(raw).decode("ascii")


@dataclass(frozen=True)
class RuleViolation:
    """The target broke a contract rule (C1 to C14): which rule, what went wrong, where, and
    the exchange that shows it.

    The other kind of violation, a payload breaking a constraint of the spec
    (``user.address.pincode:pattern``), is `ordercheck.validators.ConstraintViolation`; a
    rule violation names one in `constraint` when the payload sent was built to break it.

    In a run's findings each violation stands for one distinct cause of its rule's failure
    (`cause`, e.g. the server's own rejection message), seen `count` times; `consequences`
    names the rules that broke only because this one did, on the same exchange (a crash is
    reported under C1, with C2, C4 and C5 named, rather than as four failures).
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
    cause: str = ""
    count: int = 1
    consequences: tuple[str, ...] = ()

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

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RuleViolation:
        """A violation from its ``report.json`` form (derived keys such as ``curl`` ignored)."""
        exchange = data.get("exchange")
        return cls(
            **{k: v for k, v in data.items() if k not in ("exchange", "curl", "consequences")},
            exchange=None if exchange is None else Exchange(**exchange),
            consequences=tuple(data.get("consequences", ())),
        )

    @property
    def cause_key(self) -> tuple[str, str]:
        """What tells two causes of one rule apart: the rule and its cause (else title)."""
        return self.rule, self.cause or self.title


@dataclass(frozen=True)
class PayloadFinding:
    """The merchant's own request broke a constraint of the spec (`ordercheck proxy` sees
    their staging traffic): the constraint, its level and severity under the run's profile,
    where, what to do about it, how many requests broke it, and the first that did (key
    redacted).

    Not a `RuleViolation`: the target under test did nothing wrong here, the request did,
    so these never decide the verdict; they are what the merchant fixes before go-live.
    """

    constraint: str
    level: str
    severity: Severity
    path: str
    hint: str
    count: int = 1
    exchange: Exchange | None = None

    @property
    def id(self) -> str:
        """The constraint id (``user.mobile:pattern``): what a report lists it under."""
        return self.constraint

    @property
    def cause_key(self) -> tuple[str, str]:
        """What tells two payload findings apart: the constraint (as `RuleViolation`'s)."""
        return self.constraint, ""

    @property
    def curl(self) -> str | None:
        return None if self.exchange is None else self.exchange.curl()


@dataclass(frozen=True)
class RuleOutcome:
    """How one conformance rule fared over a run: how often a response was judged for it
    (`checks`) and how many of those judgements it failed (`failures`, never more than
    `checks`); for a rule never judged, `reason` says why.  A rule that is not `required`
    (the latency budget, unless it was made an error) does not decide the verdict by being
    left unexercised."""

    id: str
    name: str
    summary: str
    level: str
    checks: int = 0
    failures: int = 0
    severity: Severity = "error"
    reason: str = ""
    required: bool = True

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
    settings: dict[str, Any] = field(default_factory=dict)
    accept_unexercised: bool = False
    stopped_early: str = ""
    kind: RunKind = "fuzz"
    payload_findings: list[PayloadFinding] = field(default_factory=list)

    @property
    def unexercised(self) -> list[RuleOutcome]:
        """The required rules no response was judged for."""
        return [r for r in self.rules if r.required and r.status == "not-exercised"]

    @property
    def verdict(self) -> Verdict:
        """``non-conformant`` when a rule failed; else ``inconclusive`` when a required rule
        was never judged or the run stopped before its end (`stopped_early` says why); else
        ``conformant``: every rule judged, the whole run sent, and nothing failed."""
        errors = any(f.severity == "error" for f in self.findings)
        if errors or any(r.status == "failed" for r in self.rules):
            return "non-conformant"
        return "inconclusive" if self.unexercised or self.stopped_early else "conformant"

    @property
    def conformant(self) -> bool:
        """True only when every required rule was judged and none failed."""
        return self.verdict == "conformant"

    @property
    def passed(self) -> bool:
        """Whether a gate passes: conformant, or inconclusive when the user accepted
        unexercised rules (``--accept-unexercised``, which the reports record)."""
        verdict = self.verdict
        return verdict == "conformant" or (verdict == "inconclusive" and self.accept_unexercised)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``report.json`` (adds the derived verdict and per-finding curl)."""
        data = asdict(self)
        data["verdict"] = self.verdict
        for record, finding in zip(data["findings"], self.findings, strict=True):
            record["curl"] = finding.curl
        for record, rule in zip(data["rules"], self.rules, strict=True):
            record["status"] = rule.status
        for record, payload in zip(data["payload_findings"], self.payload_findings, strict=True):
            record["curl"] = payload.curl
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RunResult:
        """Rebuild a result from ``report.json`` (derived keys are ignored)."""
        findings = [RuleViolation.from_dict(f) for f in data["findings"]]
        rules = [
            RuleOutcome(**{k: v for k, v in r.items() if k != "status"}) for r in data["rules"]
        ]
        payloads = [
            PayloadFinding(
                **{k: v for k, v in p.items() if k not in ("exchange", "curl")},
                exchange=None if p.get("exchange") is None else Exchange(**p["exchange"]),
            )
            for p in data.get("payload_findings", ())
        ]
        derived = ("findings", "rules", "target", "verdict", "payload_findings")
        fields = {k: v for k, v in data.items() if k not in derived}
        return cls(
            target=Target(**data["target"]),
            rules=rules,
            findings=findings,
            payload_findings=payloads,
            **fields,
        )
