"""Batches, the engine's unit of output: clean payloads by line, the others in full.

However a batch is cut (after each unreadable payload, so that its error can be written
right after the lines before it) and however its payloads are listed, the payloads and the
totals stay the same and in input order.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ordercheck.validate import Batch, CheckedPayload, Tally
from ordercheck.validators import ConstraintViolation

ERROR = ConstraintViolation("skus:type", "documented", "error", "$.skus", "an object", "1", "h")
WARNING = ConstraintViolation("user.mobile:pattern", "recommended", "warning", "$.x", "", "", "")
KINDS = st.sampled_from(["clean", "error", "warning", "unreadable", "blank"])


@st.composite
def batches(draw: st.DrawFn) -> Batch:
    """A numbered JSONL batch: each line clean, broken, warned, unreadable or blank."""
    first = draw(st.integers(1, 1000))
    kinds = draw(st.lists(KINDS, max_size=30))
    clean, checked = [], []
    for offset, kind in enumerate(kinds):
        line = first + offset
        if kind == "clean":
            clean.append(offset)
        elif kind == "error":
            checked.append(CheckedPayload("f.jsonl", line, (ERROR, WARNING)))
        elif kind == "warning":
            checked.append(CheckedPayload("f.jsonl", line, (WARNING,)))
        elif kind == "unreadable":
            checked.append(CheckedPayload("f.jsonl", line, problem="not JSON"))
    return Batch("f.jsonl", len(kinds), clean, checked, first_line=first)


@given(batches())
def test_pieces_keep_every_payload_in_order(batch: Batch) -> None:
    """Cut after each unreadable payload, the pieces hold the batch's payloads in order,
    and only a piece's last payload may be unreadable."""
    pieces = batch.pieces()
    assert [c for piece in pieces for c in piece.in_order()] == batch.in_order()
    for piece in pieces:
        assert all(c.problem is None for c in piece.checked[:-1])


@given(batches())
def test_in_order_is_sorted_by_line_and_complete(batch: Batch) -> None:
    """Listed in order, a batch's payloads are its clean lines and checked payloads, by
    line, each once."""
    lines = [c.line or 0 for c in batch.in_order()]
    assert lines == sorted(lines)
    assert len(lines) == len(set(lines)) == batch.payloads


@given(batches())
def test_tally_of_a_batch_equals_the_tally_of_its_payloads(batch: Batch) -> None:
    """Counting a batch at once gives the counts of adding its payloads one by one."""
    at_once, one_by_one = Tally(), Tally()
    at_once.add_batch(batch)
    for checked in batch.in_order():
        one_by_one.add(checked)
    assert at_once == one_by_one
    assert at_once.payloads + at_once.unreadable == batch.payloads
