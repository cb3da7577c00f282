"""Checking frames of input: the per-line loop of `ordercheck validate`.

A `Checker` is built once per process (per worker with ``--jobs``) for one kind and profile.
For a block of JSONL it splits the lines, parses each (`ordercheck.validate.decode`: orjson,
confirmed by writing the value back) and asks the validator.  A clean payload, the common
case, costs the parse, the write-back and one call into jsonschema-rs, and is recorded by
its line offset alone; only the others become a `CheckedPayload`.

``--kind response`` records are either a bare response envelope or an *exchange*, a JSON
object with a ``body`` key and optionally ``status`` (an integer), ``headers`` (an object of
strings) and ``request`` (the request body that produced it)::

    {"request": {...}, "status": 200, "headers": {"X-Request-ID": "r1"}, "body": {...}}

A malformed exchange wrapper is unusable input (exit 2), not an API finding.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal

import orjson

from ordercheck.json_tools import json_path
from ordercheck.spec import Profile, check_profile
from ordercheck.validate.decode import DecodeError, confirm, exact_loads, loads
from ordercheck.validate.framing import Block, Document, Frame, LongLine
from ordercheck.validate.outcomes import Batch, CheckedPayload
from ordercheck.validators import ConstraintViolation, RequestValidator, Violation

if TYPE_CHECKING:
    from ordercheck.rules import ResponseValidator

Kind = Literal["request", "response"]
KINDS: tuple[Kind, ...] = ("request", "response")

# What jsonschema-rs raises for a value it cannot take (a string that is not Unicode text,
# an integer beyond 64 bits): the validator's precise path decides those.
_NATIVE_REFUSALS = (UnicodeEncodeError, ValueError, OverflowError)


def _exchange(value: Any) -> tuple[Any, dict[str, Any]]:
    """Split a response record into the body and the keyword arguments of `check`;
    `DecodeError` for a malformed wrapper."""
    if not isinstance(value, Mapping) or "body" not in value:
        return value, {}
    status = value.get("status")
    if status is not None and (not isinstance(status, int) or isinstance(status, bool)):
        raise DecodeError("an exchange's status must be an integer", path="$.status")
    headers = value.get("headers")
    if headers is not None:
        if not isinstance(headers, Mapping):
            raise DecodeError("headers must be an object", path="$.headers")
        for name, header in headers.items():
            if not isinstance(header, str):
                raise DecodeError(
                    "header values must be strings", path=json_path(["headers", name])
                )
    return value["body"], {"status": status, "headers": headers, "request": value.get("request")}


class Checker:
    """The validator for one kind and profile, and the loop over a frame's payloads."""

    def __init__(self, kind: Kind, profile: Profile, max_line_bytes: int):
        if kind not in KINDS:
            raise ValueError(f"kind={kind!r} is not one of {', '.join(KINDS)}")
        self.kind = kind
        self.profile = check_profile(profile)
        self.max_line_bytes = max_line_bytes
        self._findings: Callable[[Any], tuple[Violation, ...]]
        # The native "breaks nothing at all?" test of request payloads, and their findings
        # when it says no; None for responses, which are read exactly (an exchange's status
        # must be an integer, not a rounding) and checked whole.
        self._clean: Callable[[Any], bool] | None = None
        self._explain: Callable[[Any], list[ConstraintViolation]] | None = None
        if kind == "request":
            request = RequestValidator(profile)
            self._clean, self._explain = request.clean_test(), request.findings
            self._findings = lambda value: request.check(value).findings
        else:
            from ordercheck.rules import ResponseValidator  # the rules are heavy; only here

            self._response: ResponseValidator = ResponseValidator(profile)
            self._findings = self._response_findings

    def _response_findings(self, value: Any) -> tuple[Violation, ...]:
        body, context = _exchange(value)
        return self._response.check(body, **context).findings

    def check(self, frame: Frame) -> Batch:
        """The batch for one frame: its payloads checked, lines counted from its start."""
        if isinstance(frame, Block):
            return self._block(frame)
        if isinstance(frame, Document):
            return self._document(frame)
        if isinstance(frame, LongLine):
            problem = f"line longer than {frame.limit} bytes"
            return Batch(frame.source, 1, [], [CheckedPayload(frame.source, 0, problem=problem)])
        unreadable = CheckedPayload(frame.source, None, problem=frame.reason)
        return Batch(frame.source, 0, [], [unreadable], document=True)

    def _document(self, document: Document) -> Batch:
        checked = self._checked(document.source, None, document.text)
        if checked is None:
            return Batch(document.source, 0, [0], [], document=True)
        return Batch(document.source, 0, [], [checked], document=True)

    def _block(self, block: Block) -> Batch:
        if self._clean is None or self._explain is None:
            return self._block_slowly(block)
        source, limit = block.source, self.max_line_bytes
        clean: list[int] = []
        checked: list[CheckedPayload] = []
        texts = block.data.split(b"\n")
        # The common case inline, with names bound locally: a call per line is measurable.
        parse, write, is_clean, explain = orjson.loads, orjson.dumps, self._clean, self._explain
        for offset, text in enumerate(texts):
            if not text or len(text) > limit:
                self._slowly(source, offset, text, clean, checked)  # blank, or too long
                continue
            try:
                value = parse(text)
                if write(value) != text:
                    value = confirm(text, value)
            except (orjson.JSONDecodeError, DecodeError):
                self._slowly(source, offset, text, clean, checked)  # says why, or blank
                continue
            try:
                if is_clean(value):
                    clean.append(offset)
                    continue
            except _NATIVE_REFUSALS:
                pass  # explain decides
            findings = explain(value)
            if findings:
                checked.append(CheckedPayload(source, offset, tuple(findings)))
            else:
                clean.append(offset)
        return Batch(source, len(texts), clean, checked)

    def _block_slowly(self, block: Block) -> Batch:
        clean: list[int] = []
        checked: list[CheckedPayload] = []
        texts = block.data.split(b"\n")
        for offset, text in enumerate(texts):
            self._slowly(block.source, offset, text, clean, checked)
        return Batch(block.source, len(texts), clean, checked)

    def _slowly(
        self,
        source: str,
        offset: int,
        text: bytes,
        clean: list[int],
        checked: list[CheckedPayload],
    ) -> None:
        if text.strip():
            outcome = self._checked(source, offset, text)
            if outcome is None:
                clean.append(offset)
            else:
                checked.append(outcome)

    def _checked(self, source: str, line: int | None, text: bytes) -> CheckedPayload | None:
        """The outcome for one payload's text, the slow way round; None when clean."""
        if len(text) > self.max_line_bytes:
            return CheckedPayload(
                source, line, problem=f"line longer than {self.max_line_bytes} bytes"
            )
        try:
            value = exact_loads(text) if self.kind == "response" else loads(text)
            findings = self._findings(value)
        except DecodeError as error:
            # For a line of a JSONL file, the position that matters is the file's line number.
            where = line if line is not None else error.line
            return CheckedPayload(source, where, problem=error.reason, problem_path=error.path)
        return CheckedPayload(source, line, findings) if findings else None
