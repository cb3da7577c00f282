"""The HTML report in a real browser: Debian's headless Chromium renders it, runs its script,
and we check the DOM it ends with and a screenshot of it.

Skipped only on a developer machine without Chromium; under CI (``CI`` set) a missing browser
is a failure, since `.ci/run` installs it.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from ordercheck.reports import write_html
from ordercheck.reports._html_format import VERDICT_COLOURS
from ordercheck.results import RunResult
from report_fixtures import Node, clean_run, failing_run, inconclusive_run, parse_html

pytestmark = pytest.mark.slow

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_S = 120
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")


def chromium() -> str:
    """The browser's path; skip without it, unless this is CI, where it must be there."""
    path = shutil.which("chromium") or (str(DEBIAN_CHROMIUM) if DEBIAN_CHROMIUM.exists() else None)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(
                "chromium is not installed; CI must run the browser test (.ci/run installs it)"
            )
        pytest.skip("chromium is not installed (apt-get install chromium); CI runs this test")
    return path


def run_chromium(page: Path, tmp_path: Path, *extra: str) -> str:
    """Run headless Chromium on `page` with `extra` flags; its standard output."""
    profile = tmp_path / "profile"
    completed = subprocess.run(
        [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return completed.stdout


def rendered(result: RunResult, tmp_path: Path) -> Node:
    """The DOM after the page's script has run."""
    page = tmp_path / "report.html"
    write_html(result, page)
    dom = parse_html(run_chromium(page, tmp_path, "--dump-dom"))
    (html,) = dom.find_all("html")
    assert html.attrs.get("data-js") == "ready", "the page's script did not run to its end"
    return dom


def test_failing_run_renders_verdict_bars_histogram_and_findings(tmp_path: Path) -> None:
    """After scripts run: the verdict, a bar per rule with its status, p95 in the SVG, the
    findings count, and curl commands inside the expandable findings with working buttons."""
    result = failing_run()
    dom = rendered(result, tmp_path)
    assert dom.by_id("verdict").text() == "Non-conformant"
    rows = dom.find_all("li", cls="rule")
    assert [(r.attrs["data-rule"], r.attrs["data-status"]) for r in rows] == [
        (r.id, r.status) for r in result.rules
    ]
    for row in rows:
        (track,) = row.find_all("div", cls="track")
        (pill,) = row.find_all("span", cls="pill")
        assert pill.attrs["class"] == f"pill s-{row.attrs['data-status']}"
        assert track.attrs.get("aria-label")
    (svg,) = dom.find_all("svg", id="latency-histogram")
    assert len(svg.find_all("rect", cls="bar")) >= 10
    (p95,) = svg.find_all("g", data_percentile="p95")
    assert p95.text().startswith("p95 ")
    assert dom.by_id("findings-count").text() == "5"
    assert dom.by_id("finding-shown").text() == "5"  # written by the script's filter
    findings = dom.find_all("details", cls="finding")
    assert len(findings) == 5
    curls = [pre.text() for d in findings for pre in d.find_all("pre", cls="curl-command")]
    assert len(curls) == 3 and all(c.startswith("curl -sS -X POST") for c in curls)
    buttons = dom.find_all("button", cls="copy")
    assert len(buttons) == 3 and not any("hidden" in b.attrs for b in buttons)
    assert len(dom.find_all("script")) == 1  # the error page's <script> stayed text
    assert "<script>x()</script>" in dom.by_id("finding-1").text()


def test_clean_run_renders_conformant_with_every_rule_passed(tmp_path: Path) -> None:
    """A clean run renders as conformant, fourteen passed bars and no findings."""
    dom = rendered(clean_run(), tmp_path)
    assert dom.by_id("verdict").text() == "Conformant"
    rows = dom.find_all("li", cls="rule")
    assert len(rows) == 14 and {r.attrs["data-status"] for r in rows} == {"passed"}
    assert dom.find_all("svg", id="latency-histogram")
    assert dom.by_id("findings-count").text() == "0"
    assert not dom.find_all("details", cls="finding")


def decode_png(data: bytes, max_rows: int) -> tuple[int, int, list[bytes], int]:
    """Width, height, the first `max_rows` rows of pixels and bytes per pixel (8-bit RGB/RGBA)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, compressed, header = 8, [], b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        chunk = data[position + 8 : position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            header = chunk
        elif kind == b"IDAT":
            compressed.append(chunk)
    width, height, depth, colour_type = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour_type in (2, 6), (depth, colour_type)
    step = 3 if colour_type == 2 else 4
    raw = zlib.decompressobj().decompress(b"".join(compressed), (width * step + 1) * max_rows)
    return width, height, _unfilter(raw, width * step, step, max_rows), step


def _unfilter(raw: bytes, stride: int, step: int, rows: int) -> list[bytes]:
    """Undo PNG's per-row filters (None, Sub, Up, Average, Paeth)."""
    out: list[bytes] = []
    previous = bytearray(stride)
    for index in range(min(rows, len(raw) // (stride + 1))):
        kind = raw[index * (stride + 1)]
        line = bytearray(raw[index * (stride + 1) + 1 : (index + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - step] if x >= step else 0
            up, corner = previous[x], previous[x - step] if x >= step else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                pa, pb, pc = abs(guess - left), abs(guess - up), abs(guess - corner)
                best = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                line[x] = (line[x] + best) & 0xFF
        out.append(bytes(line))
        previous = line
    return out


def test_inconclusive_run_says_so_with_each_unjudged_rule_and_its_reason(tmp_path: Path) -> None:
    """An inconclusive run is neither a pass nor a fail on the page: its own banner, the
    words "Not a pass", and every rule never judged with why."""
    dom = rendered(inconclusive_run(), tmp_path)
    (banner,) = [h for h in dom.find_all("header") if "banner" in h.attrs.get("class", "")]
    assert "v-unknown" in banner.attrs["class"]
    (heading,) = dom.find_all("h1")
    assert heading.attrs.get("data-verdict") == "inconclusive"
    text = banner.text()
    assert "Not a pass" in text
    assert "C11" in text and "no valid payload was accepted" in text


def _hex_to_rgb(colour: str) -> tuple[int, int, int]:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


@pytest.mark.parametrize(
    ("make", "verdict"),
    [
        (failing_run, "non-conformant"),
        (clean_run, "conformant"),
        (inconclusive_run, "inconclusive"),
    ],
)
def test_screenshot_is_a_real_picture_with_the_verdict_colour(
    tmp_path: Path, make, verdict: str
) -> None:
    """The 1280x2000 screenshot is a sizeable, many-coloured PNG whose top band carries the
    verdict's colour."""
    page = tmp_path / "report.html"
    write_html(make(), page)
    shot = tmp_path / "shot.png"
    run_chromium(page, tmp_path, f"--screenshot={shot}", "--window-size=1280,2000")
    data = shot.read_bytes()
    assert len(data) > 50_000
    width, height, rows, step = decode_png(data, max_rows=400)
    assert (width, height) == (1280, 2000)
    pixels = {row[x : x + 3] for row in rows for x in range(0, len(row), step)}
    assert len(pixels) > 100, "the page rendered as (nearly) one colour"
    band = rows[20]  # inside the verdict band at the top
    expected = _hex_to_rgb(VERDICT_COLOURS[verdict])
    band_pixels = [tuple(band[x : x + 3]) for x in range(0, len(band), step)]
    matching = [
        p for p in band_pixels if all(abs(a - b) <= 6 for a, b in zip(p, expected, strict=True))
    ]
    assert len(matching) > width // 2, f"top band is not {VERDICT_COLOURS[verdict]}"


@pytest.mark.parametrize(
    ("ci", "outcome"), [(None, pytest.skip.Exception), ("1", pytest.fail.Exception)]
)
def test_missing_chromium_skips_on_a_laptop_but_fails_in_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, ci: str | None, outcome: type[BaseException]
) -> None:
    """Without a browser the test skips with a reason, except under CI, where it fails."""
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(sys.modules[__name__], "DEBIAN_CHROMIUM", tmp_path / "no-chromium")
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="chromium is not installed"):
        chromium()
