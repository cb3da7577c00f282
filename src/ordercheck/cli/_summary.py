"""The end-of-run text a person reads in a terminal or a CI log."""

from __future__ import annotations

import json

import click

from ordercheck.results import RunResult

_STATUS_STYLE = {
    "passed": ("passed", "green"),
    "failed": ("FAILED", "red"),
    "warning": ("warning", "yellow"),
    "not-exercised": ("not exercised", "bright_black"),
}


def summary_lines(result: RunResult, *, color: bool) -> list[str]:
    """Rules, findings (with payload and curl) and the verdict, as lines of text."""

    def style(text: str, fg: str, bold: bool = False) -> str:
        return click.style(text, fg=fg, bold=bold) if color else text

    lines = ["", "Rules"]
    for rule in result.rules:
        label, fg = _STATUS_STYLE[rule.status]
        counts = (
            f"{rule.failures}/{rule.checks} failed" if rule.failures else f"{rule.checks} checks"
        )
        lines.append(f"  {rule.id:<4} {rule.name:<28} {style(f'{label:<13}', fg)} {counts}")
    if result.findings:
        lines += ["", "Findings"]
    for finding in result.findings:
        fg = "yellow" if finding.severity == "warning" else "red"
        # Schemathesis explains at length; the terminal gets the first line, the reports all.
        message = finding.message.strip().splitlines()[0] if finding.message.strip() else ""
        lines.append(f"  {style(finding.rule, fg, bold=True)} {finding.title}: {message}")
        if finding.payload_rule:
            lines.append(f"     payload breaks: {finding.payload_rule}")
        if finding.exchange is not None:
            sent = (
                finding.exchange.body
                if finding.exchange.raw_body is None
                else (finding.exchange.raw_body)
            )
            lines.append(f"     sent: {_short(sent)}")
            lines.append(
                f"     got:  HTTP {finding.exchange.status} "
                f"{_short(finding.exchange.response_body or finding.exchange.response_text)}"
            )
            lines.append(f"     {finding.curl}")
    failed = [r for r in result.rules if r.status == "failed"]
    verdict = (
        style("conformant", "green", bold=True)
        if result.conformant
        else style(f"non-conformant ({len(failed)} rule(s) failed)", "red", bold=True)
    )
    lines += [
        "",
        f"Verdict: {verdict} · {result.requests} requests in {result.duration_s:.1f}s"
        f" · orders created under prefix {result.order_prefix}",
    ]
    return lines


def _short(value: object, limit: int = 160) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"
