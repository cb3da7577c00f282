"""``report.html``: the run as one self-contained page a person would rather look at than read.

Top to bottom: the verdict banner, a checks-versus-failures bar per rule, the latency
histogram, coverage, then every finding, expandable, with its request, response and a curl
command to replay it. Styles and script are inline and a Content-Security-Policy forbids
loading anything, so the page works offline, from a CI artifact or an e-mail attachment.

    >>> write_html(result, Path("reports/run-1/report.html"))
"""

from __future__ import annotations

from pathlib import Path

from ordercheck import __version__
from ordercheck.reports._html_assets import CONTENT_SECURITY_POLICY, CSS, JS
from ordercheck.reports._html_findings import findings_section, group_findings
from ordercheck.reports._html_format import STATUS_STYLES, esc, plural
from ordercheck.reports._html_latency import latency_section
from ordercheck.reports._html_parts import banner, coverage, rule_rows
from ordercheck.reports._html_payloads import payloads_section
from ordercheck.reports.writer import atomic_write
from ordercheck.results import RunResult


def _legend() -> str:
    return (
        '<div class="legend">'
        + "".join(
            f'<span><i class="seg-swatch" style="background:{style.colour}"></i>'
            f"{style.glyph} {esc(style.label)}</span>"
            for style in STATUS_STYLES.values()
        )
        + "</div>"
    )


def _nav(result: RunResult) -> str:
    links = [
        ("rules", "Rules", len(result.rules)),
        ("latency", "Latency", None),
        ("coverage", "Coverage", None),
        ("findings", "Findings", len(result.findings)),
    ]
    if result.kind == "proxy":
        links.insert(1, ("requests", "Your requests", len(result.payload_findings)))
    items = "".join(
        f'<li><a href="#{key}">{label}</a>'
        + ("" if count is None else f' <span class="n">{count}</span>')
        + "</li>"
        for key, label, count in links
    )
    return f'<nav class="jump" aria-label="sections"><ol>{items}</ol></nav>'


def _section(key: str, title: str, lede: str, body: str, count: str = "") -> str:
    return (
        f'<section class="card" id="{key}" aria-labelledby="{key}-title">'
        f'<h2 id="{key}-title">{title}{count}</h2>'
        f'<p class="section-lede">{lede}</p>{body}</section>'
    )


def render_html(result: RunResult) -> str:
    """The whole page as a string; every value from the run is HTML-escaped."""
    per_rule = {key: len(items) for key, _, items in group_findings(result)}
    findings_count = (
        f' <span class="count">(<span id="findings-count">{len(result.findings)}</span>)</span>'
    )
    requests = _section(
        "requests",
        "Your requests",
        "The constraints of the spec that the requests passing through the proxy broke: what "
        "to fix in the client before go-live. These are not the target's failures.",
        payloads_section(result),
        f' <span class="count">({len(result.payload_findings)})</span>',
    )
    sections = [
        _section(
            "rules",
            "Conformance rules",
            "Each bar is one rule's checks in this run; the coloured start is the share that "
            "failed (never drawn thinner than a sliver, so one failure in thousands shows).",
            _legend() + rule_rows(result, per_rule),
        ),
        _section(
            "latency",
            "Latency",
            "How long the target took to answer each request, with the 50th, 95th and 99th "
            "percentiles marked (C14 budgets the 95th).",
            latency_section(result.latencies_ms),
        ),
        _section(
            "coverage",
            "Coverage",
            "What this run reached: which rules it checked, which error messages the target "
            "sent and which spec rules the invalid payloads broke.",
            f'<div class="coverage">{coverage(result)}</div>',
        ),
        _section(
            "findings",
            "Findings",
            esc(plural(len(result.findings), "finding"))
            + ". Open one to see the request, the response and a curl command that replays it.",
            findings_section(result),
            findings_count,
        ),
    ]
    if result.kind == "proxy":
        sections.insert(1, requests)
    title = f"ordercheck {result.kind} · {result.verdict} · {result.run_id}"
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="color-scheme" content="light dark">',
            '<meta name="referrer" content="no-referrer">',
            '<link rel="icon" href="data:,">',
            f"<title>{esc(title)}</title>",
            f"<style>{CSS}</style></head>",
            "<body>",
            banner(result),
            _nav(result),
            "<main>",
            *sections,
            f"<footer>ordercheck {esc(__version__)} · run {esc(result.run_id)} · "
            "this page loads nothing from the network</footer>",
            "</main>",
            f"<script>{JS}</script>",
            "</body></html>",
            "",
        ]
    )


def write_html(result: RunResult, path: Path) -> None:
    """Write the page atomically; characters UTF-8 cannot carry are shown as escapes."""
    atomic_write(path, render_html(result).encode("utf-8", errors="backslashreplace"))
