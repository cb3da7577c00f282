"""The HTML report's upper half: the verdict banner, a bar per rule and the coverage cards.

Each function returns a fragment with every value escaped; `html_report` arranges them.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from ordercheck.reports._html_format import (
    esc,
    fmt_duration,
    pill,
    plural,
)
from ordercheck.results import RuleOutcome, RunResult

MAX_MESSAGE_ROWS = 50  # distinct error messages listed; report.json has every one


def status_counts(result: RunResult) -> Counter[str]:
    """How many rules ended in each status."""
    return Counter(rule.status for rule in result.rules)


def _verdict_line(result: RunResult) -> str:
    """``3 of 14 rules failed · 1 warning · 9 passed · 1 not exercised · 5 findings``."""
    counts, total = status_counts(result), len(result.rules)
    parts = [f"{counts['failed']} of {total} rules failed"] if counts["failed"] else []
    if counts["warning"]:
        parts.append(plural(counts["warning"], "warning"))
    if counts["passed"]:
        every = counts["passed"] == total
        parts.append(f"all {total} rules passed" if every else f"{counts['passed']} passed")
    if counts["not-exercised"]:
        parts.append(f"{counts['not-exercised']} not exercised")
    parts.append(plural(len(result.findings), "finding"))
    return " · ".join(parts)


def _when(started_at: str) -> str:
    """``2026-05-09 07:35:25 UTC`` from an ISO timestamp; anything else is shown as given."""
    try:
        moment = datetime.fromisoformat(started_at)
    except ValueError:
        return started_at
    if moment.utcoffset() == timedelta(0):
        return moment.strftime("%Y-%m-%d %H:%M:%S UTC")
    return moment.strftime("%Y-%m-%d %H:%M:%S %z").strip()


def _facts(result: RunResult) -> list[tuple[str, str, str]]:
    target = result.target
    if result.kind == "proxy":
        return [
            ("target", "Upstream", target.base_url.rstrip("/") + target.path),
            ("merchant", "Merchant", target.merchant_id),
            ("profile", "Profile", result.profile),
            ("run-id", "Run id", result.run_id),
            ("started", "Started", _when(result.started_at)),
            ("duration", "Duration", fmt_duration(result.duration_s)),
            ("requests", "Requests", f"{result.requests:,}"),
        ]
    return [
        ("target", "Target", target.base_url.rstrip("/") + target.path),
        ("merchant", "Merchant", target.merchant_id),
        ("profile", "Profile", result.profile),
        ("seed", "Seed", "none recorded" if result.seed is None else str(result.seed)),
        ("run-id", "Run id", result.run_id),
        ("order-prefix", "Order prefix", result.order_prefix),
        ("started", "Started", _when(result.started_at)),
        ("duration", "Duration", fmt_duration(result.duration_s)),
        ("requests", "Requests", f"{result.requests:,}"),
        *_setting_facts(result),
    ]


def _setting_facts(result: RunResult) -> list[tuple[str, str, str]]:
    """What a green run needs to be repeated, beyond profile and seed: the user's catalogue,
    coupons, declared rejections, and whether unexercised rules were accepted."""
    settings = result.settings
    facts = []
    for key, label in (("sku_catalog", "SKU catalogue"), ("coupons", "Coupons")):
        values = settings.get(key)
        if values:
            shown = ", ".join(values[:5]) + (
                f" and {len(values) - 5} more" if len(values) > 5 else ""
            )
            facts.append((key.replace("_", "-"), label, shown))
    if settings.get("allow_rejection"):
        facts.append(("allow-rejection", "Declared rejections", str(settings["allow_rejection"])))
    if result.accept_unexercised:
        facts.append(("accept-unexercised", "Unexercised rules", "accepted"))
    return facts


# The banner's class and glyph per verdict: a pass, a fail, and "we could not tell".
_VERDICT_LOOK = {
    "conformant": ("v-pass", "✓"),
    "non-conformant": ("v-fail", "✗"),
    "inconclusive": ("v-unknown", "?"),
}


# What a proxy's verdict can and cannot say, on every proxy report.
PROXY_NOTE = (
    "A proxy judges only the traffic it is given and sends nothing of its own, so some rules "
    "(C12 always) are never judged and a clean run is inconclusive: evidence, not proof. "
    "ordercheck fuzz against the same target gives the verdict for go-live."
)


def _gate_line(result: RunResult) -> str:
    """What the verdict means for a gate, said outright for an inconclusive run."""
    note = f'<p class="proxy-note">{esc(PROXY_NOTE)}</p>' if result.kind == "proxy" else ""
    if result.verdict != "inconclusive":
        return note
    if result.kind == "proxy":
        accepted = "Never judged in the traffic seen:"
    elif result.accept_unexercised:
        accepted = "Accepted with --accept-unexercised: the gate passes."
    else:
        accepted = "Not a pass: these rules were never judged."
    reasons = "".join(
        f"<li><strong>{esc(rule.id)}</strong> {esc(rule.name)}: {esc(rule.reason)}</li>"
        for rule in result.unexercised
    )
    if result.stopped_early:
        reasons += f"<li>Stopped early: {esc(result.stopped_early)}</li>"
    return f'<p class="gate-line">{esc(accepted)}</p>{note}<ul class="unexercised">{reasons}</ul>'


def banner(result: RunResult) -> str:
    """The verdict in large type, what it adds up to, and the facts of the run."""
    look, glyph = _VERDICT_LOOK[result.verdict]
    embedded = '<span class="tag">embedded reference server</span>'
    facts = "".join(
        f'<div class="fact fact-{key}"><dt>{esc(label)}</dt><dd>{esc(value)}'
        f"{embedded if key == 'target' and result.target.embedded else ''}</dd></div>"
        for key, label, value in _facts(result)
    )
    return (
        f'<header class="banner {look}" id="top">'
        '<div class="verdict-band"><div class="band-inner">'
        f'<span class="verdict-glyph" aria-hidden="true">{glyph}'
        f'</span><div><p class="eyebrow">ordercheck {esc(result.kind)} report</p>'
        f'<h1 id="verdict" data-verdict="{esc(result.verdict)}">'
        f"{esc(result.verdict.capitalize())}</h1>"
        f'<p class="verdict-line">{esc(_verdict_line(result))}</p>{_gate_line(result)}'
        "</div></div></div>"
        f'<dl class="facts">{facts}</dl></header>'
    )


def _bar(rule: RuleOutcome) -> str:
    status = rule.status
    if status == "not-exercised":
        return '<div class="track empty" role="img" aria-label="not exercised"></div>'
    share = rule.failures / rule.checks * 100 if rule.checks else 0.0
    # A single failure in thousands of checks must still be seen.
    bad = max(share, 1.5) if rule.failures else 0.0
    label = f"{rule.failures:,} of {rule.checks:,} judgements failed"
    segments = f'<span class="seg ok" style="width:{100 - bad:.2f}%"></span>'
    if rule.failures:
        segments = f'<span class="seg bad s-{status}" style="width:{bad:.2f}%"></span>' + segments
    return f'<div class="track" role="img" aria-label="{esc(label)}">{segments}</div>'


def _bar_caption(rule: RuleOutcome, findings: int) -> str:
    if rule.status == "not-exercised":
        return esc(f"never judged in this run: {rule.reason}" if rule.reason else "never judged")
    text = f"{rule.failures:,} failed of {plural(rule.checks, 'judgement')}"
    if findings:
        text = (
            esc(text)
            + f' · <a href="#findings-{esc(rule.id)}">{esc(plural(findings, "finding"))}</a>'
        )
        return text
    return esc(text)


def rule_rows(result: RunResult, findings_per_rule: dict[str, int]) -> str:
    """One row per rule: id, name, summary, a checks-versus-failures bar and the status."""
    rows = []
    for rule in result.rules:
        status = rule.status
        rows.append(
            f'<li class="rule s-{status}" id="rule-{esc(rule.id)}" data-rule="{esc(rule.id)}" '
            f'data-status="{status}">'
            f'<span class="rule-id">{esc(rule.id)}</span>'
            f'<div class="rule-text"><p class="rule-name">{esc(rule.name)} '
            f'<span class="level">{esc(rule.level)}</span></p>'
            f'<p class="rule-summary">{esc(rule.summary)}</p></div>'
            f'<div class="rule-bar">{_bar(rule)}<p class="bar-caption">'
            f"{_bar_caption(rule, findings_per_rule.get(rule.id, 0))}</p></div>"
            f'<div class="rule-status">{pill(status)}</div></li>'
        )
    return f'<ol class="rules">{"".join(rows)}</ol>'


def _count_table(counts: dict[str, int], heading: str, empty: str, code: bool = False) -> str:
    if not counts:
        return f'<p class="empty">{esc(empty)}</p>'
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    top = max(counts.values()) or 1  # all zero (nothing documented was seen): empty sparks
    rows = []
    for key, count in ordered[:MAX_MESSAGE_ROWS]:
        cell = f"<code>{esc(key)}</code>" if code else esc(key)
        rows.append(
            f'<tr><td class="key">{cell}</td><td class="num">{count:,}</td>'
            f'<td class="spark"><span style="width:{count / top * 100:.1f}%"></span></td></tr>'
        )
    more = len(ordered) - MAX_MESSAGE_ROWS
    caption = f'<p class="note">and {more:,} more in report.json</p>' if more > 0 else ""
    return (
        f'<div class="scroll"><table class="counts"><thead><tr><th scope="col">{esc(heading)}</th>'
        f'<th scope="col" class="num">seen</th><th scope="col"><span class="sr">share'
        f"</span></th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>{caption}"
    )


def _rules_exercised(result: RunResult) -> str:
    idle = [r for r in result.rules if r.status == "not-exercised"]
    done, total = len(result.rules) - len(idle), len(result.rules)
    share = done / total * 100 if total else 0.0
    missing = (
        "<p class='note'>Not exercised: "
        + ", ".join(f"<b>{esc(r.id)}</b> {esc(r.name)}" for r in idle)
        + "</p>"
        if idle
        else "<p class='note'>Every rule was checked at least once.</p>"
    )
    return (
        f'<p class="big" id="rules-exercised"><b>{done}</b> of {total} rules exercised</p>'
        f'<div class="meter" role="img" aria-label="{done} of {total}">'
        f'<span style="width:{share:.1f}%"></span></div>{missing}'
    )


def coverage(result: RunResult) -> str:
    """What the run reached: rules, error messages and the spec rules invalid payloads broke."""
    cards = [
        ("cov-rules", "Conformance rules exercised", _rules_exercised(result)),
        (
            "cov-spec",
            "Spec rules exercised by invalid payloads",
            _count_table(
                result.spec_rules_exercised,
                "spec rule",
                "No invalid payloads were sent in this run.",
                code=True,
            ),
        ),
        (
            "cov-documented",
            "Documented error messages seen",
            _count_table(result.documented_errors, "message", "None of the documented errors."),
        ),
        (
            "cov-messages",
            "Error messages seen",
            _count_table(result.error_messages, "message", "The target sent no error messages."),
        ),
    ]
    return "".join(
        f'<div class="cov-card" id="{key}"><h3>{esc(title)}</h3>{body}</div>'
        for key, title, body in cards
    )
