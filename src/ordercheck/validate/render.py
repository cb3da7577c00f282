"""What `ordercheck validate` prints: text for people, JSON and JUnit XML for machines.

Every renderer has the same three steps, each returning text to write at once, so output
streams as the engine's batches arrive (`begin`, then `add` per `Batch`, then `end` with
the tally).  A batch lists its clean payloads by line only, so the text output does nothing
per clean payload; the JSON and JUnit outputs have a record for each, by design.

``text``
    A header per file, then per failing payload one line per finding,
    ``file:line  RULE  level  $.path  hint`` (warnings say so and are dimmed), then a line
    counting the file; a summary line ends the run.  Colour only when asked for (the command
    asks when stdout is a terminal and ``NO_COLOR`` is unset).  Unreadable input is not
    repeated here: the command prints it to standard error as it happens.
``json``
    One JSON document, written incrementally: ``{"kind", "profile", "records": [...],
    "summary": {...}}`` with a record per payload (valid ones too) on a line of its own.
``junit``
    JUnit XML through `ordercheck.reports.junitxml`: a suite per file, a case per payload
    (classname = file), failures for invalid payloads and errors for unreadable ones.  The
    XML builder needs the whole tree, so this one format holds every case until the end.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Protocol

import orjson

from ordercheck.validate._ansi import style
from ordercheck.validate.outcomes import Batch, CheckedPayload, Tally
from ordercheck.validators import Violation

if TYPE_CHECKING:
    from ordercheck.reports.junitxml import JUnitCase

FORMATS = ("text", "json", "junit")


def safe_text(text: str) -> str:
    """`text` with lone surrogates spelled as escapes: a file name that is not UTF-8 reaches
    Python with them (``surrogateescape``), and they cannot be written as UTF-8."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(tally: Tally) -> str:
    """``3 payloads: 2 valid, 1 invalid (4 errors, 2 warnings); 1 unreadable``."""
    text = f"{_plural(tally.payloads, 'payload')}: {tally.valid} valid, {tally.invalid} invalid"
    if tally.errors or tally.warnings:
        errors, warnings = _plural(tally.errors, "error"), _plural(tally.warnings, "warning")
        text += f" ({errors}, {warnings})"
    if tally.unreadable:
        text += f"; {tally.unreadable} unreadable"
    return text


def finding_line(location: str, finding: Violation) -> str:
    """One finding as plain text: ``file:line  RULE  level  $.path  hint``."""
    hint = finding.hint if finding.severity == "error" else f"warning: {finding.hint}"
    return safe_text(f"{location}  {finding.id}  {finding.level}  {finding.path}  {hint}")


class Renderer(Protocol):
    """The three steps every output format implements."""

    def begin(self) -> str: ...

    def add(self, batch: Batch) -> str: ...

    def end(self, tally: Tally) -> str: ...


class TextRenderer:
    """Findings grouped under a header per file, for a person reading a terminal."""

    def __init__(self, *, color: bool = False):
        self.color = color
        self._source: str | None = None
        self._file = Tally()
        self._files = 0

    def _style(self, text: str, **styles: Any) -> str:
        return style(text, **styles) if self.color else text

    def begin(self) -> str:
        return ""

    def _close_file(self, *, summary: bool = True) -> str:
        if self._source is None:
            return ""
        text = self._style(f"  {summary_line(self._file)}", dim=True) + "\n\n" if summary else ""
        self._source, self._file = None, Tally()
        return text

    def _finding(self, outcome: CheckedPayload, finding: Violation) -> str:
        if finding.severity == "warning":
            return self._style("  " + finding_line(outcome.location, finding), dim=True)
        hint = safe_text(finding.hint)
        return "  " + "  ".join(
            [
                self._style(safe_text(outcome.location), bold=True),
                self._style(finding.id, fg="red"),
                finding.level,
                self._style(safe_text(finding.path), fg="cyan"),
                hint,
            ]
        )

    def add(self, batch: Batch) -> str:
        out = []
        if batch.source != self._source:
            out.append(self._close_file())
            if _whole_file_problem(batch):
                return "".join(out)  # a file that could not be read: standard error says so
            self._source = batch.source
            self._files += 1
            out.append(self._style(safe_text(batch.source), bold=True, underline=True) + "\n")
        self._file.add_batch(batch)
        for checked in batch.checked:
            for finding in checked.findings:
                out.append(self._finding(checked, finding) + "\n")
        return "".join(out)

    def end(self, tally: Tally) -> str:
        colour = {0: "green", 1: "red", 2: "yellow"}[tally.exit_code]
        # With one file the run's summary says it all; repeating it per file is noise.
        closing = self._close_file(summary=self._files > 1)
        return closing + self._style(summary_line(tally), fg=colour, bold=True) + "\n"


def _whole_file_problem(batch: Batch) -> bool:
    return batch.document and any(c.problem is not None and c.line is None for c in batch.checked)


def _dumps(record: dict[str, Any]) -> str:
    try:
        return orjson.dumps(record).decode()
    except TypeError:
        # Lone surrogates (from a file name that is not UTF-8) cannot be UTF-8: escape them.
        return json.dumps(record, ensure_ascii=True)


def outcome_record(outcome: CheckedPayload) -> dict[str, Any]:
    """The JSON form of one outcome."""
    record: dict[str, Any] = {
        "source": outcome.source,
        "line": outcome.line,
        "status": outcome.status,
        "findings": [f.to_dict() for f in outcome.findings],
    }
    if outcome.problem is not None:
        error = outcome.input_error()
        record["error"] = {"path": error.path, "reason": error.reason, "message": str(error)}
    return record


class JsonRenderer:
    """One JSON document, streamed a record at a time."""

    def __init__(self, *, kind: str, profile: str):
        self.head = {"kind": kind, "profile": profile}
        self._first = True

    def begin(self) -> str:
        return _dumps(self.head)[:-1] + ',"records":['

    def add(self, batch: Batch) -> str:
        # A clean payload's record differs from the next by its line alone: no dict, no dumps.
        head = "{" + _dumps({"source": batch.source})[1:-1] + ',"line":'
        records = [
            _dumps(outcome_record(item))
            if isinstance(item, CheckedPayload)
            else f'{head}{"null" if item is None else item},"status":"valid","findings":[]}}'
            for item in batch.merged()
        ]
        if not records:
            return ""
        separator = "\n" if self._first else ",\n"
        self._first = False
        return separator + ",\n".join(records)

    def end(self, tally: Tally) -> str:
        return '\n],"summary":' + _dumps(tally.to_dict()) + "}\n"


class JUnitRenderer:
    """A JUnit suite per file and a case per payload, rendered at the end."""

    def __init__(self, *, kind: str, profile: str):
        self.properties = {"kind": kind, "profile": profile}
        self._suites: dict[str, list[JUnitCase]] = {}

    def begin(self) -> str:
        return ""

    def add(self, batch: Batch) -> str:
        from ordercheck.reports.junitxml import JUnitCase

        cases = self._suites.setdefault(batch.source, [])
        for outcome in batch.in_order():
            name = "document" if outcome.line is None else f"line {outcome.line}"
            case = JUnitCase(name=name, classname=safe_text(outcome.source))
            if outcome.problem is not None:
                message = safe_text(str(outcome.input_error()))
                case = JUnitCase(case.name, case.classname, "error", message, message)
            elif outcome.status == "invalid":
                errors = [f for f in outcome.findings if f.severity == "error"]
                message = safe_text(errors[0].hint)
                if len(errors) > 1:
                    message += f" (and {_plural(len(errors) - 1, 'more error')})"
                details = "\n".join(finding_line(outcome.location, f) for f in outcome.findings)
                case = JUnitCase(case.name, case.classname, "failed", message, details)
            cases.append(case)
        return ""

    def end(self, tally: Tally) -> str:
        # The reports package is imported only for this format: it costs startup time.
        from ordercheck.reports.junitxml import JUnitSuite, render_junit

        suites = [
            JUnitSuite(safe_text(source), cases, properties=self.properties)
            for source, cases in self._suites.items()
        ]
        return render_junit(suites, name="ordercheck validate").decode("utf-8")


def renderer_for(fmt: str, *, kind: str, profile: str, color: bool = False) -> Renderer:
    """The renderer for an output format name."""
    if fmt == "text":
        return TextRenderer(color=color)
    if fmt == "json":
        return JsonRenderer(kind=kind, profile=profile)
    if fmt == "junit":
        return JUnitRenderer(kind=kind, profile=profile)
    raise ValueError(f"format={fmt!r} is not one of {', '.join(FORMATS)}")
