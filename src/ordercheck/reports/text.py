"""A rule violation as plain text: the one rendering the terminal summary, the pytest items
and the JUnit XML all use, so a finding reads the same wherever it is met.

    C7 merchant_order_id not echoed: a success must echo the request's merchant_order_id ...
      payload breaks: user.address.pincode:pattern
      sent: {"merchant_order_id": "oc1a2b3c-00001", ...}
      got:  HTTP 200 {"data": {...}, ...}
      reproduce: curl -sS -X POST ...

The terminal passes a `limit`, which cuts long payloads and curls (the reports keep them whole)
and keeps the first line of a long message.
"""

from __future__ import annotations

from ordercheck.results import RuleViolation, compact_json


def clipped(text: str, limit: int | None) -> str:
    """`text` cut to `limit` characters with an ellipsis (None: whole)."""
    if limit is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


def _first_line(message: str) -> str:
    stripped = message.strip()
    return stripped.splitlines()[0] if stripped else ""


def violation_lines(violation: RuleViolation, *, limit: int | None = None) -> list[str]:
    """The violation as lines: a head line, then what the payload broke, what was sent,
    what came back and a curl that reproduces it, each indented two spaces."""
    message = violation.message if limit is None else _first_line(violation.message)
    lines = [f"{violation.rule} {violation.title}: {message}"]
    if violation.constraint:
        lines.append(f"  payload breaks: {violation.constraint}")
    exchange = violation.exchange
    if exchange is None:
        return lines
    sent = exchange.raw_body if exchange.raw_body is not None else compact_json(exchange.body)
    lines.append(f"  sent: {clipped(sent, limit)}")
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


def violation_text(violation: RuleViolation, *, limit: int | None = None) -> str:
    """`violation_lines` joined by newlines."""
    return "\n".join(violation_lines(violation, limit=limit))
