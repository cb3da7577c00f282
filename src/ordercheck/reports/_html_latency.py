"""The latency section: percentiles and an inline SVG histogram with p50/p95/p99 marked.

Inline SVG keeps the page one self-contained file and renders with no script at all.
Latencies have long tails; when the slowest request dwarfs the 99th percentile the axis stops
a little past p99 and the last bar collects the tail (and says so), so the body stays visible.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

from ordercheck.reports._html_format import esc, fmt_ms, plural

WIDTH, HEIGHT = 900, 270
LEFT, RIGHT_EDGE, TOP, BOTTOM = 56, 880, 62, 226  # plot area edges inside the viewBox
MARKERS = (  # percentile, stroke colour, dash pattern, stroke width
    (50, "#3b3b3b", "5 4", 1.5),
    (95, "#cc79a7", "", 2.5),
    (99, "#3b3b3b", "1.5 3", 1.8),
)


def percentile(values: Sequence[float], q: int) -> float:
    """The `q`-th percentile (1 to 99) as the runner's C14 check computes it
    (`statistics.quantiles`, exclusive method), so the page and the finding agree; clamped to
    the values seen, since with few samples that method extrapolates past the slowest."""
    if len(values) < 2:
        return float(values[0])
    value = statistics.quantiles(values, n=100, method="exclusive")[q - 1]
    return float(min(max(value, min(values)), max(values)))


def _nice_step(span: float, ticks: int = 6) -> float:
    raw = span / ticks
    magnitude = 10.0 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


def _axis_end(values: Sequence[float], p99: float) -> tuple[float, float]:
    """Where the x axis stops and its tick step; cut past p99 when the tail is extreme."""
    slowest = max(values)
    end = p99 * 1.25 if len(values) >= 20 and slowest > 4 * p99 > 0 else slowest
    # Below a nanosecond the tick arithmetic underflows (5e-324 / 6 is 0): draw 0 to 1 ms.
    end = end if end >= 1e-6 else 1.0
    step = _nice_step(end)
    return math.ceil(end / step) * step, step


def _bins(values: Sequence[float], end: float) -> list[int]:
    count = min(60, max(12, 2 * math.ceil(math.sqrt(len(values)))))
    bins = [0] * count
    for value in values:
        bins[min(count - 1, max(0, int(value / end * count)))] += 1
    return bins


def _x(value: float, end: float) -> float:
    return LEFT + (RIGHT_EDGE - LEFT) * min(value, end) / end


def _bars(bins: list[int]) -> list[str]:
    tallest = max(bins)
    width = (RIGHT_EDGE - LEFT) / len(bins)
    out = []
    for index, count in enumerate(bins):
        if count:
            height = (BOTTOM - TOP) * count / tallest
            out.append(
                f'<rect class="bar" x="{LEFT + index * width + 1:.1f}" y="{BOTTOM - height:.1f}" '
                f'width="{max(width - 2, 1):.1f}" height="{height:.1f}">'
                f"<title>{esc(plural(count, 'request'))}</title></rect>"
            )
    return out


def _axes(end: float, step: float, tallest: int) -> list[str]:
    out = [f'<line class="axis" x1="{LEFT}" y1="{BOTTOM}" x2="{RIGHT_EDGE}" y2="{BOTTOM}"/>']
    for i in range(round(end / step) + 1):
        x = _x(i * step, end)
        label = "0" if i == 0 else fmt_ms(i * step)
        out.append(
            f'<line class="tick" x1="{x:.1f}" y1="{BOTTOM}" x2="{x:.1f}" y2="{BOTTOM + 5}"/>'
        )
        out.append(f'<text class="tick-label" x="{x:.1f}" y="{BOTTOM + 19}">{esc(label)}</text>')
    for fraction in (0.5, 1.0):
        y = BOTTOM - (BOTTOM - TOP) * fraction
        out.append(f'<line class="grid" x1="{LEFT}" y1="{y:.1f}" x2="{RIGHT_EDGE}" y2="{y:.1f}"/>')
        out.append(
            f'<text class="count-label" x="{LEFT - 8}" y="{y + 4:.1f}">'
            f"{esc(f'{tallest * fraction:,.0f}')}</text>"
        )
    out.append(
        f'<text class="axis-title" x="{(LEFT + RIGHT_EDGE) / 2}" y="{HEIGHT - 4}">'
        "latency per request</text>"
    )
    return out


def _markers(marks: dict[int, float], end: float) -> list[str]:
    out = []
    for row, (q, colour, dash, stroke) in enumerate(MARKERS):
        x = _x(marks[q], end)
        y = 16 + row * 17
        anchor, dx = ("end", -5) if x > RIGHT_EDGE - 130 else ("start", 5)
        dasharray = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<g class="marker" data-percentile="p{q}">'
            f'<line x1="{x:.1f}" y1="{y - 4}" x2="{x:.1f}" y2="{BOTTOM}" stroke="{colour}" '
            f'stroke-width="{stroke}"{dasharray}/>'
            f'<text x="{x + dx:.1f}" y="{y}" text-anchor="{anchor}" fill="{colour}">'
            f"<tspan class='q'>p{q}</tspan> {esc(fmt_ms(marks[q]))}</text></g>"
        )
    return out


def histogram_svg(latencies_ms: Sequence[float]) -> str:
    """The histogram as an ``<svg>`` element (the caller checks there are latencies)."""
    marks = {q: percentile(latencies_ms, q) for q, *_ in MARKERS}
    end, step = _axis_end(latencies_ms, marks[99])
    bins = _bins(latencies_ms, end)
    summary = ", ".join(f"p{q} {fmt_ms(v)}" for q, v in marks.items())
    parts = [
        f'<svg id="latency-histogram" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        'aria-labelledby="lat-title lat-desc">',
        '<title id="lat-title">Latency distribution</title>',
        f'<desc id="lat-desc">{esc(plural(len(latencies_ms), "request"))}: {esc(summary)}</desc>',
        *_axes(end, step, max(bins)),
        *_bars(bins),
        *_markers(marks, end),
        "</svg>",
    ]
    return "\n".join(parts)


def _stats(latencies_ms: Sequence[float]) -> str:
    values = [
        ("requests timed", f"{len(latencies_ms):,}"),
        ("fastest", fmt_ms(min(latencies_ms))),
        ("p50", fmt_ms(percentile(latencies_ms, 50))),
        ("p95", fmt_ms(percentile(latencies_ms, 95))),
        ("p99", fmt_ms(percentile(latencies_ms, 99))),
        ("slowest", fmt_ms(max(latencies_ms))),
    ]
    cells = "".join(
        f'<div class="stat stat-{esc(label.split()[0])}"><dt>{esc(label)}</dt>'
        f"<dd>{esc(value)}</dd></div>"
        for label, value in values
    )
    return f'<dl class="stats">{cells}</dl>'


def latency_section(latencies_ms: Sequence[float]) -> str:
    """Numbers, histogram and, when the axis was cut, a note on the tail."""
    if not latencies_ms:
        return '<p class="empty">No latencies were recorded in this run.</p>'
    end, _ = _axis_end(latencies_ms, percentile(latencies_ms, 99))
    tail = sum(1 for v in latencies_ms if v > end)
    note = (
        f'<p class="note">The axis stops at {esc(fmt_ms(end))}; the last bar also holds '
        f"{esc(plural(tail, 'slower request'))}, the slowest {esc(fmt_ms(max(latencies_ms)))}.</p>"
        if tail
        else ""
    )
    return (
        f'{_stats(latencies_ms)}<figure class="chart">{histogram_svg(latencies_ms)}</figure>{note}'
    )
