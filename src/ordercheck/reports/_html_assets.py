"""The HTML report's stylesheet and script, inlined so the page is one file that needs nothing.

The page is complete without the script; it only adds copy buttons, a rule filter and
expand/collapse-all, and marks ``<html data-js="ready">`` once it has run.
"""

from __future__ import annotations

# The page may load nothing from anywhere: not a font, an image or a script.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)

CSS = """
:root {
  --bg: #f4f5f7; --card: #fff; --ink: #1b2230; --muted: #5a6376; --line: #e1e4ea;
  --soft: #f7f8fa; --code-bg: #f3f4f7; --accent: #0072b2;
  --pass: #009e73; --fail: #d55e00; --warn: #e69f00; --skip: #8c8c8c;
  --pass-ink: #006b4e; --fail-ink: #a84300; --warn-ink: #7a5100; --skip-ink: #4f4f4f;
  --pass-bg: #e2f3ed; --fail-bg: #fbe8dc; --warn-bg: #fcf0d6; --skip-bg: #ececec;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans",
    "DejaVu Sans", Arial, sans-serif;
  --mono: ui-monospace, "SF Mono", "Cascadia Mono", "DejaVu Sans Mono", "Liberation Mono",
    Menlo, Consolas, monospace;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #12151b; --card: #1b1f27; --ink: #e6e9ef; --muted: #a2aab8; --line: #2d333e;
    --soft: #20252e; --code-bg: #151920; --accent: #56b4e9;
    --pass-ink: #4fd1a6; --fail-ink: #ff9a5c; --warn-ink: #f3c35a; --skip-ink: #b8b8b8;
    --pass-bg: #143329; --fail-bg: #3a2216; --warn-bg: #3a2f14; --skip-bg: #2a2a2a;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--ink); }
body { margin: 0; font: 15px/1.55 var(--sans); -webkit-font-smoothing: antialiased; }
main { max-width: 1180px; margin: 0 auto; padding: 0 24px 48px; }
h1, h2, h3, h4 { line-height: 1.25; margin: 0; }
h2 { font-size: 1.3rem; margin-bottom: 4px; }
h3 { font-size: 1.02rem; }
h4 { font-size: .78rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
p { margin: 0; }
a { color: var(--accent); }
code, pre { font-family: var(--mono); font-size: .86em; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
.note, .empty { color: var(--muted); font-size: .88rem; margin-top: 8px; }
.empty.all-clear { font-size: 1rem; color: var(--pass-ink); }

.banner { background: var(--card); border-bottom: 1px solid var(--line); }
.v-pass .verdict-band { background: var(--pass); }
.v-fail .verdict-band { background: var(--fail); }
.v-unknown .verdict-band { background: var(--warn); }
.v-unknown .verdict-glyph { color: var(--warn); }
.gate-line { font-weight: 600; margin: .4rem 0 0; }
ul.unexercised { margin: .3rem 0 0; padding-left: 1.2rem; font-size: .9rem; }
.verdict-band { color: #fff; }
.band-inner { display: flex; align-items: center; gap: 20px; max-width: 1180px;
  margin: 0 auto; padding: 26px 24px; }
.verdict-glyph { display: grid; place-items: center; width: 64px; height: 64px; flex: none;
  border-radius: 50%; background: rgba(255,255,255,.96); font-size: 38px; font-weight: 700; }
.v-pass .verdict-glyph { color: var(--pass); }
.v-fail .verdict-glyph { color: var(--fail); }
.eyebrow { text-transform: uppercase; letter-spacing: .12em; font-size: .74rem; opacity: .92; }
#verdict { font-size: 2.3rem; font-weight: 750; letter-spacing: -.01em; }
.verdict-line { font-size: 1.05rem; font-weight: 500; }
/* Twelve columns: the two long values (target, run id) get the room they need. */
.facts { display: grid; grid-template-columns: repeat(12, minmax(0, 1fr));
  gap: 14px 24px; margin: 0 auto; padding: 18px 24px 20px; max-width: 1180px; }
.fact { grid-column: span 2; }
.fact-target { grid-column: span 5; }
.fact-merchant, .fact-run-id, .fact-started { grid-column: span 3; }
.tag { display: inline-block; margin-left: 8px; padding: 0 7px; border-radius: 4px;
  font: 600 .72rem/1.6 var(--sans); color: var(--pass-ink); background: var(--pass-bg);
  vertical-align: 1px; }
.fact dt, .stat dt, .meta dt { font-size: .72rem; text-transform: uppercase;
  letter-spacing: .07em; color: var(--muted); }
.fact dd, .stat dd, .meta dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
.fact-target dd, .fact-run-id dd, .fact-order-prefix dd { font-family: var(--mono);
  font-size: .9rem; }

nav.jump { position: sticky; top: 0; z-index: 2; background: var(--bg);
  border-bottom: 1px solid var(--line); }
nav.jump ol { display: flex; gap: 26px; list-style: none; margin: 0 auto; padding: 10px 24px;
  max-width: 1180px; font-size: .92rem; }
nav.jump a { color: var(--ink); text-decoration: none; font-weight: 600; }
nav.jump a:hover { color: var(--accent); }
nav.jump .n { color: var(--muted); font-weight: 500; }

section.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px;
  padding: 22px 26px; margin-top: 22px; }
.section-lede { color: var(--muted); margin-bottom: 14px; font-size: .92rem; }

.pill { display: inline-flex; align-items: center; gap: 5px; padding: 1px 10px;
  border-radius: 999px; font-size: .8rem; font-weight: 650; white-space: nowrap;
  border: 1px solid currentColor; }
.pill.s-passed { color: var(--pass-ink); background: var(--pass-bg); }
.pill.s-failed { color: var(--fail-ink); background: var(--fail-bg); }
.pill.s-warning { color: var(--warn-ink); background: var(--warn-bg); }
.pill.s-not-exercised { color: var(--skip-ink); background: var(--skip-bg); }

.legend { display: flex; flex-wrap: wrap; gap: 16px; font-size: .82rem; color: var(--muted);
  margin-bottom: 10px; }
.legend span { display: inline-flex; align-items: center; gap: 6px; }
.legend i { width: 22px; height: 10px; border-radius: 3px; display: inline-block; }
ol.rules { list-style: none; margin: 0; padding: 0; }
li.rule { display: grid; grid-template-columns: 46px minmax(0, 1fr) minmax(200px, 30%) 128px;
  gap: 4px 16px; align-items: center; padding: 11px 4px; border-top: 1px solid var(--line); }
li.rule:first-child { border-top: 0; }
.rule-id { font-weight: 750; font-size: 1.02rem; font-variant-numeric: tabular-nums; }
.rule-name { font-family: var(--mono); font-size: .9rem; font-weight: 600; }
.level { font-family: var(--sans); font-size: .72rem; color: var(--muted); font-weight: 500;
  border: 1px solid var(--line); border-radius: 4px; padding: 0 5px; margin-left: 4px; }
.rule-summary { color: var(--muted); font-size: .86rem; }
.rule-status { text-align: right; }
.track { display: flex; height: 14px; border-radius: 7px; overflow: hidden;
  background: var(--skip-bg); }
.track.empty { background: repeating-linear-gradient(45deg, transparent 0 5px,
  var(--line) 5px 8px); border: 1px dashed var(--skip); }
.seg.ok { background: var(--pass); }
.seg.bad.s-failed { background: var(--fail); }
.seg.bad.s-warning { background: repeating-linear-gradient(135deg, var(--warn) 0 6px,
  #b87d00 6px 9px); }
.bar-caption { font-size: .8rem; color: var(--muted); margin-top: 3px;
  font-variant-numeric: tabular-nums; }
li.rule.s-failed .rule-id { color: var(--fail-ink); }
li.rule.s-warning .rule-id { color: var(--warn-ink); }
li.rule.s-not-exercised { opacity: .8; }

.stats { display: grid; grid-template-columns: repeat(6, 1fr); gap: 12px; margin: 6px 0 14px; }
.stat { background: var(--soft); border-radius: 8px; padding: 8px 12px; }
.stat dd { font-size: 1.15rem; font-variant-numeric: tabular-nums; }
.stat-p95 { box-shadow: inset 3px 0 0 #cc79a7; }
figure.chart { margin: 0; }
#latency-histogram { width: 100%; height: auto; display: block; font-family: var(--sans); }
#latency-histogram .bar { fill: #56b4e9; stroke: #0072b2; stroke-width: .6; }
#latency-histogram .axis { stroke: var(--muted); }
#latency-histogram .tick { stroke: var(--muted); }
#latency-histogram .grid { stroke: var(--line); stroke-dasharray: 2 3; }
#latency-histogram text { font-size: 12px; fill: var(--muted); }
#latency-histogram .tick-label { text-anchor: middle; }
#latency-histogram .count-label { text-anchor: end; }
#latency-histogram .axis-title { text-anchor: middle; font-size: 12px; }
#latency-histogram .marker text { font-size: 13px; font-weight: 600; }
#latency-histogram .marker text .q { font-weight: 800; }

.coverage { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 18px; }
.cov-card { border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px;
  background: var(--soft); min-width: 0; }
.cov-card h3 { margin-bottom: 8px; }
.big { font-size: 1.05rem; } .big b { font-size: 2rem; font-variant-numeric: tabular-nums; }
.meter { height: 10px; background: var(--skip-bg); border-radius: 5px; overflow: hidden;
  margin-top: 6px; }
.meter span { display: block; height: 100%; background: var(--accent); }
table.counts { width: 100%; border-collapse: collapse; font-size: .86rem; }
table.counts th { text-align: left; font-size: .72rem; text-transform: uppercase;
  letter-spacing: .06em; color: var(--muted); font-weight: 600; padding: 0 6px 4px; }
table.counts td { padding: 4px 6px; border-top: 1px solid var(--line); vertical-align: top; }
table.counts td.key { overflow-wrap: anywhere; }
table.counts .num { text-align: right; font-variant-numeric: tabular-nums; width: 4.5em; }
td.spark { width: 22%; } td.spark span { display: block; height: 8px; margin-top: 6px;
  border-radius: 4px; background: var(--accent); opacity: .55; min-width: 2px; }
.scroll { max-height: 330px; overflow: auto; }

.toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 12px;
  margin-bottom: 14px; font-size: .9rem; }
.toolbar select, .toolbar button, button.copy { font: inherit; font-size: .85rem;
  padding: 4px 12px; border-radius: 6px; border: 1px solid var(--line);
  background: var(--card); color: var(--ink); cursor: pointer; }
.toolbar button:hover, button.copy:hover { border-color: var(--accent); }
.toolbar .shown { color: var(--muted); margin-right: auto; }
.finding-group { margin-top: 18px; }
.finding-group h3 { margin-bottom: 8px; }
.finding-group h3 .count { color: var(--muted); font-weight: 500; font-size: .9rem; }
details.finding { border: 1px solid var(--line); border-radius: 8px; margin-bottom: 8px;
  background: var(--card); }
details.finding[data-severity="error"] { border-left: 4px solid var(--fail); }
details.finding[data-severity="warning"] { border-left: 4px solid var(--warn); }
details.finding > summary { display: flex; flex-wrap: wrap; align-items: center; gap: 10px;
  padding: 10px 14px; cursor: pointer; list-style: none; }
details.finding > summary::-webkit-details-marker { display: none; }
details.finding > summary::before { content: "▸"; color: var(--muted); width: 10px; }
details.finding[open] > summary::before { content: "▾"; }
details.finding[open] > summary { border-bottom: 1px solid var(--line); }
.finding-title { font-weight: 600; flex: 1 1 320px; min-width: 0; overflow-wrap: anywhere; }
.chip { font-size: .76rem; color: var(--muted); background: var(--soft);
  border: 1px solid var(--line); border-radius: 5px; padding: 1px 7px; }
.finding-body { padding: 14px 16px 16px; }
.message { white-space: pre-wrap; overflow-wrap: anywhere; }
.meta { display: flex; flex-wrap: wrap; gap: 8px 28px; margin: 12px 0; }
.exchange { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 14px; }
.panel { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px;
  background: var(--soft); min-width: 0; }
.reqline { font-family: var(--mono); font-size: .88rem; margin: 6px 0 8px;
  overflow-wrap: anywhere; }
.method, .status { font-weight: 700; }
.elapsed { color: var(--muted); }
.no-response { color: var(--fail-ink); font-family: var(--sans); font-weight: 600; }
table.headers { border-collapse: collapse; font-family: var(--mono); font-size: .8rem;
  width: 100%; }
table.headers th { text-align: left; font-weight: 600; padding: 2px 14px 2px 0;
  white-space: nowrap; vertical-align: top; color: var(--muted); width: 1%; }
table.headers td { padding: 2px 0; overflow-wrap: anywhere; }
.sub { font-size: .74rem; text-transform: uppercase; letter-spacing: .06em;
  color: var(--muted); margin-top: 10px; }
pre { background: var(--code-bg); border: 1px solid var(--line); border-radius: 6px;
  padding: 10px 12px; margin: 4px 0 0; max-height: 26em; overflow: auto;
  white-space: pre-wrap; overflow-wrap: anywhere; }
.curl { margin-top: 14px; }
.curl-head { display: flex; align-items: center; justify-content: space-between; }
button.copy.copied { border-color: var(--pass); color: var(--pass-ink); }
footer { color: var(--muted); font-size: .82rem; text-align: center; margin-top: 28px; }

@media (max-width: 860px) {
  li.rule { grid-template-columns: 40px minmax(0, 1fr); }
  .rule-bar, .rule-status { grid-column: 2; text-align: left; }
  .stats { grid-template-columns: repeat(3, 1fr); }
  .coverage, .exchange { grid-template-columns: minmax(0, 1fr); }
  .facts { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  .fact { grid-column: span 1; }
  .fact-target, .fact-started { grid-column: span 2; }
}
@media print {
  nav.jump, .toolbar, button.copy { display: none !important; }
  section.card { break-inside: avoid-page; }
}
"""

JS = """
(function () {
  "use strict";
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (err) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }
  function flash(button, text) {
    button.textContent = text;
    button.classList.add("copied");
    setTimeout(function () { button.textContent = "Copy"; button.classList.remove("copied"); },
      1600);
  }
  document.querySelectorAll("button.copy").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      copyText(source.textContent).then(
        function () { flash(button, "Copied \\u2713"); },
        function () {
          window.getSelection().selectAllChildren(source);
          flash(button, "Press Ctrl+C");
        });
    });
  });

  var toolbar = document.querySelector(".toolbar");
  var filter = document.getElementById("finding-filter");
  var shown = document.getElementById("finding-shown");
  function applyFilter() {
    var count = 0;
    document.querySelectorAll(".finding-group").forEach(function (group) {
      var match = filter.value === "all" || group.getAttribute("data-rule") === filter.value;
      group.hidden = !match;
      if (match) { count += group.querySelectorAll("details.finding").length; }
    });
    shown.textContent = String(count);
  }
  function setAll(open) {
    document.querySelectorAll(".finding-group:not([hidden]) details.finding")
      .forEach(function (d) { d.open = open; });
  }
  if (toolbar && filter) {
    toolbar.hidden = false;
    filter.addEventListener("change", applyFilter);
    document.getElementById("expand-all")
      .addEventListener("click", function () { setAll(true); });
    document.getElementById("collapse-all")
      .addEventListener("click", function () { setAll(false); });
    applyFilter();
  }

  function revealHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) { return; }
    var group = target.closest(".finding-group");
    if (group && group.hidden && filter) { filter.value = "all"; applyFilter(); }
    if (target.tagName === "DETAILS") { target.open = true; }
    var first = target.tagName === "H3" && group && group.querySelector("details.finding");
    if (first) { first.open = true; }
  }
  window.addEventListener("hashchange", revealHash);
  revealHash();
  document.documentElement.setAttribute("data-js", "ready");
})();
"""
