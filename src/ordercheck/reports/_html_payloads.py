"""The HTML report's "Your requests" section (a proxy run): each constraint the merchant's
own requests broke, how many did, and the first of them with a curl that sends it again.

These are not the target's failures: the request was wrong, so the section sits apart from
the rules and never colours the verdict.
"""

from __future__ import annotations

from ordercheck.reports._html_findings import _curl, _request
from ordercheck.reports._html_format import esc, pill, plural
from ordercheck.results import PayloadFinding, RunResult


def _payload(finding: PayloadFinding, number: int) -> str:
    status = "failed" if finding.severity == "error" else "warning"
    meta = [
        ("Constraint", finding.constraint),
        ("Level", finding.level),
        ("Where", finding.path),
        ("Requests", f"{finding.count:,}"),
    ]
    meta_html = "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in meta)
    exchange = finding.exchange
    story = (
        f'<div class="exchange">{_request(exchange)}</div>{_curl(exchange, number)}'
        if exchange is not None
        else '<p class="empty">No request was recorded for this finding.</p>'
    )
    return (
        f'<details class="finding payload" id="request-{number}" '
        f'data-constraint="{esc(finding.constraint)}" data-severity="{esc(finding.severity)}">'
        f"<summary>{pill(status, 'error' if status == 'failed' else 'warning')}"
        f'<span class="finding-title"><code>{esc(finding.constraint)}</code> at '
        f"{esc(finding.path)}</span>"
        f'<span class="chip">{esc(plural(finding.count, "request"))}</span></summary>'
        f'<div class="finding-body"><p class="message">{esc(finding.hint)}</p>'
        f'<dl class="meta">{meta_html}</dl>{story}</div></details>'
    )


def payloads_section(result: RunResult) -> str:
    """Every constraint the merchant's requests broke, errors first, then by how often."""
    if not result.payload_findings:
        return (
            '<p class="empty all-clear">No request broke a constraint of the '
            f"{esc(result.profile)} profile.</p>"
        )
    ordered = sorted(
        result.payload_findings, key=lambda f: (f.severity != "error", -f.count, f.constraint)
    )
    first = len(result.findings) + 1  # curl ids follow the findings' own
    return (
        '<div class="payload-list">'
        + "".join(_payload(finding, first + index) for index, finding in enumerate(ordered))
        + "</div>"
    )
