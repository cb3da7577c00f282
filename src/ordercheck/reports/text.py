"""A rule violation as plain text: the one rendering the terminal summary, the pytest items
and the JUnit XML all use, so a finding reads the same wherever it is met.

    C7 merchant_order_id not echoed: a success must echo the request's merchant_order_id ...
      payload breaks: user.address.pincode:pattern
      sent: {"merchant_order_id": "oc1a2b3c-00001", ...}
      got:  HTTP 200 {"data": {...}, ...}
      reproduce: curl -sS -X POST ...

The terminal passes a `limit`, which cuts long payloads and curls (the reports keep them whole)
and keeps the first line of a long message.  Control characters (a target's ANSI or OSC
escapes, bidirectional overrides) are spelled out as escapes everywhere, so what a target
sends can never drive the reader's terminal.
"""

from __future__ import annotations

import re

from ordercheck.results import Exchange, PayloadFinding, RuleViolation, compact_json

# C0 and C1 controls (newline and tab included: a line stays a line), zero-width and
# bidirectional formatting characters.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with every control character written as an escape (``\\x1b``, ``\\u202e``).

    >>> printable("red\\x1b[31m")
    'red\\\\x1b[31m'
    """
    return _CONTROLS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def clipped(text: str, limit: int | None) -> str:
    """`text` cut to `limit` characters with an ellipsis (None: whole)."""
    if limit is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


def _first_line(message: str) -> str:
    stripped = message.strip()
    return stripped.splitlines()[0] if stripped else ""


def violation_lines(violation: RuleViolation, *, limit: int | None = None) -> list[str]:
    """The violation as lines: a head line (with how often this cause was seen), the rules
    it explains, what the payload broke, what was sent, what came back and a curl that
    reproduces it, each indented two spaces; control characters escaped."""
    return [printable(line) for line in _lines(violation, limit)]


def _lines(violation: RuleViolation, limit: int | None) -> list[str]:
    message = violation.message if limit is None else _first_line(violation.message)
    seen = f" ({violation.count} times)" if violation.count > 1 else ""
    lines = [f"{violation.rule} {violation.title}{seen}: {message}"]
    if violation.consequences:
        lines.append(f"  also explains: {', '.join(violation.consequences)} on the same exchange")
    if violation.constraint:
        lines.append(f"  payload breaks: {violation.constraint}")
    exchange = violation.exchange
    if exchange is None:
        return lines
    lines.append(f"  sent: {clipped(_sent(exchange), limit)}")
    if exchange.status is None:
        lines.append("  got:  no response")
    else:
        got = (
            exchange.response_text or ""
            if exchange.response_body is None
            else compact_json(exchange.response_body)
        )
        lines.append(f"  got:  HTTP {exchange.status} {clipped(got, limit)}".rstrip())
    lines.append(f"  reproduce: {clipped(exchange.curl(), limit)}")
    return lines


def _sent(exchange: Exchange) -> str:
    return exchange.raw_body if exchange.raw_body is not None else compact_json(exchange.body)


def violation_text(violation: RuleViolation, *, limit: int | None = None) -> str:
    """`violation_lines` joined by newlines."""
    return "\n".join(violation_lines(violation, limit=limit))


def payload_head(finding: PayloadFinding) -> str:
    """A merchant's request breaking a constraint, in one line, as `ordercheck validate`
    prints a finding: ``user.mobile:pattern  recommended  $.user.mobile  warning: ...``."""
    hint = finding.hint if finding.severity == "error" else f"warning: {finding.hint}"
    seen = f" ({finding.count} requests)" if finding.count > 1 else ""
    return printable(f"{finding.constraint}  {finding.level}  {finding.path}  {hint}{seen}")


def payload_lines(finding: PayloadFinding, *, limit: int | None = None) -> list[str]:
    """`payload_head`, then the first request that broke it and a curl that sends it again,
    indented two spaces; control characters escaped."""
    lines = [payload_head(finding)]
    if finding.exchange is not None:
        lines.append(printable(f"  sent: {clipped(_sent(finding.exchange), limit)}"))
        lines.append(printable(f"  reproduce: {clipped(finding.exchange.curl(), limit)}"))
    return lines
