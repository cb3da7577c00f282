"""Small formatting helpers for the HTML report: escaping, numbers, statuses.

Everything that reaches the page passes through `esc`: targets answer fuzzing with whatever
they like, and a report must not run a response body as markup.
"""

from __future__ import annotations

import html
import json
from typing import Any, NamedTuple

# A body longer than this is cut in the page (report.json keeps all of it): a fuzzed
# megabyte string would otherwise make the page unusable.
MAX_BODY_CHARS = 20_000


class StatusStyle(NamedTuple):
    """How a status looks: a text label and a glyph, so colour is never the only signal."""

    label: str
    glyph: str
    colour: str


# Okabe-Ito colours, distinguishable with the common colour-vision deficiencies; warnings are
# also striped and every status carries its word and glyph.
STATUS_STYLES: dict[str, StatusStyle] = {
    "passed": StatusStyle("passed", "✓", "#009e73"),
    "failed": StatusStyle("failed", "✗", "#d55e00"),
    "warning": StatusStyle("warning", "!", "#e69f00"),
    "not-exercised": StatusStyle("not exercised", "–", "#8c8c8c"),
}
VERDICT_COLOURS = {"conformant": "#009e73", "non-conformant": "#d55e00", "inconclusive": "#e69f00"}


def esc(value: object) -> str:
    """`value` as text safe inside an element or a double-quoted attribute."""
    return html.escape(str(value), quote=True)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 finding``, ``3 findings``."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"


def fmt_ms(value: float) -> str:
    """A latency a person reads at a glance: ``0.8 ms``, ``240 ms``, ``2.31 s``."""
    if value < 10:
        return f"{value:.1f} ms"
    if value < 1000:
        return f"{value:.0f} ms"
    return f"{value / 1000:.2f} s"


def fmt_duration(seconds: float) -> str:
    """``12.3 s``, ``4 min 05 s``, ``1 h 02 min``."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def pretty_json(value: Any) -> str:
    """Indented JSON for people; stdlib `json` so integers of any size print exactly."""
    return json.dumps(value, indent=2, ensure_ascii=False, default=repr)


def clip(text: str, limit: int = MAX_BODY_CHARS) -> tuple[str, int]:
    """`text` cut to `limit` characters, and how many were cut."""
    if len(text) <= limit:
        return text, 0
    return text[:limit], len(text) - limit


def pill(status: str, text: str | None = None) -> str:
    """A status badge: glyph and word on the status colour."""
    style = STATUS_STYLES[status]
    return (
        f'<span class="pill s-{esc(status)}"><span aria-hidden="true">{style.glyph}</span> '
        f"{esc(text or style.label)}</span>"
    )
