"""The HTML report's findings: grouped by rule, each a ``<details>`` holding the whole story.

A finding shows the request and response side by side and a curl command to replay it.
Headers are redacted again here although `Exchange` promises it already: a page gets mailed
around, and one missed header would leak an access key.
"""

from __future__ import annotations

from ordercheck.reports._html_format import clip, esc, pill, plural, pretty_json
from ordercheck.results import Exchange, RuleViolation, RunResult, redact


def group_findings(result: RunResult) -> list[tuple[str, str, list[RuleViolation]]]:
    """(rule id, heading, findings) in rule order; findings of unlisted rules come last."""
    groups: dict[str, list[RuleViolation]] = {}
    headings: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for rule in result.rules:
        aliases[rule.id] = aliases[f"{rule.id}_{rule.name}"] = rule.id
        headings[rule.id] = f"{rule.id} · {rule.name}"
    for finding in result.findings:
        key = aliases.get(finding.rule, finding.rule)
        headings.setdefault(key, finding.rule)
        groups.setdefault(key, []).append(finding)
    order = [r.id for r in result.rules if r.id in groups]
    order += [key for key in groups if key not in order]
    return [(key, headings[key], groups[key]) for key in order]


def _body_block(value: object, raw: str | None, text: str | None, label: str) -> str:
    if raw is not None:
        kind, shown = f"{label} (raw, not JSON)", raw
    elif value is not None:
        kind, shown = label, pretty_json(value)
    elif text is not None:
        kind, shown = f"{label} (not JSON)", text
    else:
        return f'<p class="empty">no {esc(label)}</p>'
    shown, cut = clip(shown)
    note = f'<p class="note">{cut:,} more characters in report.json</p>' if cut else ""
    return f'<p class="sub">{esc(kind)}</p><pre class="body">{esc(shown)}</pre>{note}'


def _headers(headers: dict[str, str]) -> str:
    if not headers:
        return '<p class="empty">no headers</p>'
    rows = "".join(
        f'<tr><th scope="row">{esc(name)}</th><td>{esc(value)}</td></tr>'
        for name, value in redact(headers).items()
    )
    return f'<table class="headers">{rows}</table>'


def _request(exchange: Exchange) -> str:
    return (
        '<section class="panel"><h4>Request</h4>'
        f'<p class="reqline"><span class="method">{esc(exchange.method)}</span> '
        f'<span class="url">{esc(exchange.url)}</span></p>'
        f"{_headers(exchange.headers)}"
        f"{_body_block(exchange.body, exchange.raw_body, None, 'body')}</section>"
    )


def _response(exchange: Exchange) -> str:
    if exchange.status is None:
        status = '<p class="reqline no-response">no whole response came back (see the finding)</p>'
    else:
        status = (
            f'<p class="reqline"><span class="status">HTTP {exchange.status}</span> '
            f'<span class="elapsed">after {exchange.elapsed_ms:,.0f} ms</span></p>'
        )
    return (
        f'<section class="panel"><h4>Response</h4>{status}'
        f"{_headers(exchange.response_headers)}"
        f"{_body_block(exchange.response_body, None, exchange.response_text, 'body')}</section>"
    )


def _curl(exchange: Exchange, number: int) -> str:
    try:
        command = exchange.curl()
    except (TypeError, ValueError) as exc:  # a body orjson cannot encode
        return f'<p class="empty">No curl command: the body cannot be encoded ({esc(exc)}).</p>'
    return (
        '<div class="curl"><div class="curl-head"><h4>Replay with curl</h4>'
        f'<button type="button" class="copy" data-copy="curl-{number}" hidden>Copy</button></div>'
        f'<pre class="curl-command" id="curl-{number}">{esc(command)}</pre>'
        '<p class="note">The access key is read from <code>$ORDERCHECK_ACCESS_KEY</code>; '
        "set it before running the command.</p></div>"
    )


def _finding(finding: RuleViolation, number: int, rule_heading: str) -> str:
    status = "failed" if finding.severity == "error" else "warning"
    chips = ""
    if finding.constraint:
        chips += f'<span class="chip">payload rule <code>{esc(finding.constraint)}</code></span>'
    if finding.exchange is not None and finding.exchange.status is not None:
        chips += f'<span class="chip">HTTP {finding.exchange.status}</span>'
    meta = [("Rule", rule_heading), ("Severity", finding.severity)]
    if finding.constraint:
        meta.append(("Payload rule", finding.constraint))
    meta_html = "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in meta)
    exchange = finding.exchange
    story = (
        f'<div class="exchange">{_request(exchange)}{_response(exchange)}</div>'
        f"{_curl(exchange, number)}"
        if exchange is not None
        else '<p class="empty">No exchange was recorded for this finding.</p>'
    )
    return (
        f'<details class="finding" id="finding-{number}" data-rule="{esc(finding.rule)}" '
        f'data-severity="{esc(finding.severity)}"><summary>'
        f"{pill(status, 'error' if status == 'failed' else 'warning')}"
        f'<span class="finding-title">{esc(finding.title)}</span>{chips}</summary>'
        f'<div class="finding-body"><p class="message">{esc(finding.message)}</p>'
        f'<dl class="meta">{meta_html}</dl>{story}</div></details>'
    )


def findings_section(result: RunResult) -> str:
    """The toolbar and every finding, grouped under its rule."""
    groups = group_findings(result)
    if not groups:
        return '<p class="empty all-clear">No findings: every check that ran passed.</p>'
    options = "".join(
        f'<option value="{esc(key)}">{esc(heading)} ({len(items)})</option>'
        for key, heading, items in groups
    )
    toolbar = (
        '<div class="toolbar" hidden><label>Show <select id="finding-filter">'
        f'<option value="all">all rules</option>{options}</select></label>'
        '<span class="shown"><span id="finding-shown"></span> shown</span>'
        '<button type="button" id="expand-all">Expand all</button>'
        '<button type="button" id="collapse-all">Collapse all</button></div>'
    )
    number, parts = 0, [toolbar]
    for key, heading, items in groups:
        cards = []
        for finding in items:
            number += 1
            cards.append(_finding(finding, number, heading))
        parts.append(
            f'<div class="finding-group" data-rule="{esc(key)}">'
            f'<h3 id="findings-{esc(key)}">{esc(heading)} '
            f'<span class="count">{esc(plural(len(items), "finding"))}</span></h3>'
            f"{''.join(cards)}</div>"
        )
    return "".join(parts)
