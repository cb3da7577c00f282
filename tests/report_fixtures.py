"""Shared material for the report tests: realistic runs, a Hypothesis strategy for runs, and a
small DOM over the standard library's HTML parser (no third-party HTML library needed).

`failing_run()` is what a bad staging server produces: a 5xx on malformed JSON (with an HTML
error page as body), an invalid payload accepted (with its `constraint`), a wrong echo, the
C14 latency warning, and C11 never exercised. `clean_run()` is the reference server's run.
"""

from __future__ import annotations

import random
import statistics
import string
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from html.parser import HTMLParser
from typing import Any

from hypothesis import strategies as st

from ordercheck.results import REDACTED, Exchange, RuleOutcome, RuleViolation, RunResult, Target
from ordercheck.spec import load_spec

URL = "https://staging.example.test/merchants/demo-merchant/orders"
SENT_HEADERS = {"Content-Type": "application/json", "X-Access-Key": REDACTED}
LOCK_ERROR = "create_merchant_order : Could not acquire lock"


def spec_rules() -> list[RuleOutcome]:
    """C1..C14 as the bundled spec lists them, unchecked (C14 at warning severity)."""
    return list(_spec_rules())


@cache  # parsing the spec for every generated run would dominate the property tests
def _spec_rules() -> tuple[RuleOutcome, ...]:
    return tuple(
        RuleOutcome(
            id=rule.id,
            name=rule.name,
            summary=rule.summary,
            level=rule.level,
            severity="warning" if rule.id == "C14" else "error",
        )
        for rule in load_spec().conformance.values()
    )


def valid_order(merchant_order_id: str = "oc-3f2a-000017", method: str = "COD") -> dict[str, Any]:
    """A request body every profile accepts."""
    return {
        "merchant_order_id": merchant_order_id,
        "payable_amount": "349.50",
        "payment_method": method,
        "user": {
            "first_name": "Asha",
            "mobile": "9876543210",
            "address": {"pincode": "560001", "name": "Asha Rao", "street1": "12 MG Road"},
        },
        "skus": {"117004": 2},
    }


def _latencies(seed: int, slow_share: float, median_ms: float, count: int) -> list[float]:
    rng = random.Random(seed)
    values = []
    for _ in range(count):
        centre = 2600.0 if rng.random() < slow_share else median_ms
        values.append(round(rng.lognormvariate(0, 0.35) * centre, 2))
    return values


def _outcomes(checks: dict[str, tuple[int, int]]) -> list[RuleOutcome]:
    return [
        replace(rule, checks=checks[rule.id][0], failures=checks[rule.id][1])
        if rule.id in checks
        else replace(rule, checks=120)
        for rule in spec_rules()
    ]


def _json_exchange(body: dict[str, Any], response: dict[str, Any], request_id: str) -> Exchange:
    return Exchange(
        method="POST",
        url=URL,
        headers=SENT_HEADERS,
        body=body,
        status=response["status_code"],
        response_headers={"Content-Type": "application/json", "X-Request-ID": request_id},
        response_body=response,
        elapsed_ms=402.5,
    )


def _failing_findings(latencies_ms: list[float]) -> list[RuleViolation]:
    error_page = "<html><body><h1>500 Internal Server Error</h1><script>x()</script></body></html>"
    invalid = valid_order("oc-3f2a-000042")
    invalid["user"]["address"]["pincode"] = "056001"
    p95_s = statistics.quantiles(latencies_ms, n=20)[-1] / 1000  # as the runner's C14 does
    return [
        RuleViolation(
            rule="C1",
            title="HTTP 500 for a malformed JSON body",
            message="The target answered a body that is not JSON with HTTP 500; it must answer "
            "400 with the error envelope.",
            exchange=Exchange(
                method="POST",
                url=URL,
                headers=SENT_HEADERS,
                raw_body='{"merchant_order_id": "oc-3f2a-000007", ',
                status=500,
                response_headers={"Content-Type": "text/html", "X-Request-ID": "r-7"},
                response_text=error_page,
                elapsed_ms=38.2,
            ),
        ),
        RuleViolation(
            rule="C6",
            title="Invalid payload accepted (user.address.pincode:pattern)",
            message="$.user.address.pincode is '056001', which is not an Indian PIN code, and "
            "the target answered 200 instead of a 400 error envelope.",
            constraint="user.address.pincode:pattern",
            exchange=_json_exchange(
                invalid,
                {
                    "data": {"order_id": "PO1042", "merchant_order_id": "oc-3f2a-000042"},
                    "partial_complete": False,
                    "is_success": True,
                    "status_code": 200,
                },
                "r-42",
            ),
        ),
        RuleViolation(
            rule="C7",
            title="Success does not echo merchant_order_id",
            message="Sent merchant_order_id 'oc-3f2a-000051', got 'oc-3f2a-000050' back.",
            exchange=_json_exchange(
                valid_order("oc-3f2a-000051", "ONLINE"),
                {
                    "data": {
                        "order_id": "PO1051",
                        "merchant_order_id": "oc-3f2a-000050",
                        "action": "map_payment",
                        "payment_id": 88121,
                        "payment_aggregator": "razorpay",
                    },
                    "partial_complete": False,
                    "is_success": True,
                    "status_code": 200,
                },
                "r-51",
            ),
        ),
        RuleViolation(
            rule="C7",
            title="Success does not echo merchant_order_id",
            message="Sent merchant_order_id 'oc-3f2a-000063', got none back.",
        ),
        RuleViolation(
            rule="C14",
            title=f"p95 latency {p95_s:.2f} s is over the 2 s budget",
            message=f"Over {len(latencies_ms)} requests the 95th percentile was {p95_s:.2f} s; "
            "the budget is 2 s.",
            severity="warning",
        ),
    ]


def failing_run() -> RunResult:
    """A non-conformant run against a staging URL: three rules failed, a warning, C11 idle."""
    latencies = _latencies(seed=7, slow_share=0.09, median_ms=320.0, count=616)
    return RunResult(
        run_id="20260509T073525-3f2a",
        started_at="2026-05-09T07:35:25+00:00",
        duration_s=73.4,
        target=Target(
            base_url="https://staging.example.test",
            path="/merchants/{merchant_id}/orders",
            merchant_id="demo-merchant",
            embedded=False,
        ),
        profile="default",
        seed=20260509,
        order_prefix="oc-3f2a-",
        rules=_outcomes(
            {"C1": (616, 1), "C6": (212, 9), "C7": (301, 2), "C11": (0, 0), "C14": (1, 1)}
        ),
        findings=_failing_findings(latencies),
        requests=616,
        latencies_ms=latencies,
        error_messages={
            "payable_amount must be a decimal string": 41,
            "user.address.pincode is invalid": 28,
            "skus must not be empty": 12,
            "payment_method must be COD or ONLINE": 20,
            LOCK_ERROR: 6,
        },
        documented_errors={LOCK_ERROR: 6},
        spec_rules_exercised={
            "payable_amount:pattern": 41,
            "user.address.pincode:pattern": 37,
            "payment_method:enum": 20,
            "user.mobile:required": 15,
            "skus:minProperties": 12,
            "body:type": 9,
        },
    )


def clean_run() -> RunResult:
    """A conformant run against the embedded reference server: every rule checked and passed."""
    return RunResult(
        run_id="20260509T080102-9c1d",
        started_at="2026-05-09T08:01:02+00:00",
        duration_s=41.8,
        target=Target(
            base_url="http://127.0.0.1:8765",
            path="/merchants/{merchant_id}/orders",
            merchant_id="demo-merchant",
            embedded=True,
        ),
        profile="strict",
        seed=None,
        order_prefix="oc-9c1d-",
        rules=_outcomes({"C11": (24, 0), "C14": (1, 0)}),
        findings=[],
        requests=1204,
        latencies_ms=_latencies(seed=3, slow_share=0.0, median_ms=4.0, count=1204),
        error_messages={"payable_amount must be a decimal string": 40, LOCK_ERROR: 23},
        documented_errors={LOCK_ERROR: 23},
        spec_rules_exercised={"payable_amount:pattern": 40, "skus.*:minimum": 18},
    )


# -- Hypothesis: runs whose parts agree with each other ------------------------------------

# orjson cannot encode lone surrogates, so generated text leaves them out (see the report).
texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)
run_ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,24}", fullmatch=True).filter(
    lambda s: s != "latest"
)


@st.composite
def exchanges(draw: st.DrawFn) -> Exchange:
    """A request and its response, headers redacted as the runner leaves them."""
    raw = draw(st.none() | texts)
    return Exchange(
        method="POST",
        url=draw(st.sampled_from([URL, "http://127.0.0.1:8000/merchants/m/orders"])),
        headers={**draw(st.dictionaries(texts, texts, max_size=2)), **SENT_HEADERS},
        body=None if raw is not None else draw(json_values),
        raw_body=raw,
        status=draw(st.none() | st.sampled_from([200, 400, 401, 404, 500, 502])),
        response_headers=draw(st.dictionaries(texts, texts, max_size=3)),
        response_body=draw(json_values),
        response_text=draw(st.none() | texts),
        elapsed_ms=draw(st.floats(min_value=0, max_value=60_000)),
    )


@st.composite
def run_results(draw: st.DrawFn) -> RunResult:
    """A run over C1..C14 where every failed rule has findings and only failed rules do."""
    rules, findings = [], []
    for rule in spec_rules():
        checks = draw(st.integers(0, 500))
        failures = draw(st.integers(0, checks))
        severity = draw(st.sampled_from(["error", "warning"])) if rule.id == "C14" else "error"
        rules.append(replace(rule, checks=checks, failures=failures, severity=severity))
        for _ in range(draw(st.integers(1, 3)) if failures else 0):
            findings.append(
                RuleViolation(
                    rule=draw(st.sampled_from([rule.id, f"{rule.id}_{rule.name}"])),
                    title=draw(texts.filter(str.strip)),
                    message=draw(texts),
                    exchange=draw(st.none() | exchanges()),
                    constraint=draw(st.none() | st.sampled_from(["skus:minProperties", "x"])),
                    severity=severity,
                )
            )
    counts = st.dictionaries(texts, st.integers(1, 10_000), max_size=4)
    return RunResult(
        run_id=draw(run_ids),
        started_at="2026-05-09T07:35:25+00:00",
        duration_s=draw(st.floats(min_value=0, max_value=86_400)),
        target=Target(URL, "/merchants/{merchant_id}/orders", "demo-merchant", draw(st.booleans())),
        profile=draw(st.sampled_from(["documented", "default", "strict"])),
        seed=draw(st.none() | st.integers(0, 2**63 - 1)),
        order_prefix=draw(st.text(string.ascii_lowercase + string.digits + "-", max_size=10)),
        rules=rules,
        findings=findings,
        requests=draw(st.integers(0, 10**6)),
        latencies_ms=draw(st.lists(st.floats(min_value=0, max_value=60_000), max_size=50)),
        error_messages=draw(counts),
        documented_errors=draw(counts),
        spec_rules_exercised=draw(counts),
    )


# -- A small DOM for asserting on rendered HTML ---------------------------------------------

_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
    | {"track", "wbr"}
)


@dataclass
class Node:
    """An element: its tag, attributes and children (elements and text)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    def iter(self) -> Iterator[Node]:
        """This element and every element below it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Node]:
        """Elements at or below this one with the tag, the class and the attributes given
        (``data_rule="C7"`` matches ``data-rule``)."""
        return [
            node
            for node in self.iter()
            if (tag is None or node.tag == tag)
            and (cls is None or cls in node.attrs.get("class", "").split())
            and all(node.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def by_id(self, element_id: str) -> Node:
        """The one element with this id."""
        (node,) = [n for n in self.iter() if n.attrs.get("id") == element_id]
        return node

    def text(self) -> str:
        """All text below this element, joined."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(document: str) -> Node:
    """The document as a tree of `Node`s."""
    builder = _TreeBuilder()
    builder.feed(document)
    builder.close()
    return builder.root


def inconclusive_run() -> RunResult:
    """The clean run, but C11 was never judged (no order was accepted to build a burst on)."""
    clean = clean_run()
    reason = "no valid payload was accepted earlier in the run"
    rules = [
        replace(r, checks=0, failures=0, reason=reason) if r.id == "C11" else r for r in clean.rules
    ]
    return replace(clean, rules=rules)
