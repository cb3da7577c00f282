"""The end-of-run text a person reads in a terminal or a CI log."""

from __future__ import annotations

from collections.abc import Callable

import click

from ordercheck.reports.text import printable, violation_lines
from ordercheck.results import RunResult

# Payloads and curls longer than this are cut in the terminal; the reports keep them whole.
TERMINAL_LIMIT = 160

_STATUS_STYLE = {
    "passed": ("passed", "green"),
    "failed": ("FAILED", "red"),
    "warning": ("warning", "yellow"),
    "not-exercised": ("not exercised", "bright_black"),
}


def summary_lines(result: RunResult, *, color: bool) -> list[str]:
    """Rules, findings (with payload and curl) and the verdict, as lines of text."""
    style = styler(color)
    return [
        *outcome_lines(result, color=color),
        "",
        f"Verdict: {verdict_words(result, style)} · {result.requests} requests in "
        f"{result.duration_s:.1f}s · orders created under prefix {result.order_prefix}",
    ]


def styler(color: bool) -> Callable[..., str]:
    """``style(text, fg, bold=False)``: coloured on a terminal, plain elsewhere."""

    def style(text: str, fg: str, bold: bool = False) -> str:
        return click.style(text, fg=fg, bold=bold) if color else text

    return style


def outcome_lines(result: RunResult, *, color: bool) -> list[str]:
    """Each rule's outcome, each finding, and the rules never judged (with why)."""
    style = styler(color)
    lines = ["", "Rules"]
    for rule in result.rules:
        label, fg = _STATUS_STYLE[rule.status]
        counts = (
            f"{rule.failures}/{rule.checks} failed" if rule.failures else f"{rule.checks} checks"
        )
        counts = counts if rule.checks else "never judged"
        lines.append(f"  {rule.id:<4} {rule.name:<28} {style(f'{label:<13}', fg)} {counts}")
    if result.findings:
        lines += ["", "Findings"]
    for finding in result.findings:
        fg = "yellow" if finding.severity == "warning" else "red"
        head, *rest = violation_lines(finding, limit=TERMINAL_LIMIT)
        rule_id, _, words = head.partition(" ")
        lines.append(f"  {style(rule_id, fg, bold=True)} {words}")
        lines += [f"  {line}" for line in rest]
    if result.unexercised:
        lines += ["", "Not exercised (no response was judged for these rules)"]
        lines += [f"  {rule.id:<4} {printable(rule.reason)}" for rule in result.unexercised]
    if result.stopped_early:
        lines += ["", f"Stopped early: {printable(result.stopped_early)}"]
    return lines


def verdict_words(result: RunResult, style: Callable[..., str]) -> str:
    """The verdict in words, with what decided it."""
    verdict = result.verdict
    if verdict == "conformant":
        return style("conformant", "green", bold=True)
    if verdict == "non-conformant":
        failed = sum(1 for r in result.rules if r.status == "failed")
        return style(f"non-conformant ({failed} rule(s) failed)", "red", bold=True)
    words = (
        f"inconclusive ({len(result.unexercised)} rule(s) not exercised)"
        if result.unexercised
        else "inconclusive (stopped early)"
    )
    if result.accept_unexercised:
        words += "; accepted with --accept-unexercised"
    return style(words, "yellow", bold=True)
