"""The campaign's plan: every payload of the budget is planned once, in a bounded number of
units, under names that tell the units apart (workers sharing a run split it by name)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ordercheck.fuzz import FuzzConfig
from ordercheck.fuzz.campaign import MAX_PARTS, plan
from ordercheck.spec import load_spec

SPEC = load_spec()


def _stages(budget: int, name: str) -> list[int]:
    units = plan(FuzzConfig(base_url="http://127.0.0.1:1", max_examples=budget), SPEC, "oc-")
    return [
        u.stage.budget
        for u in units
        if u.stage is not None and u.stage.name == name and u.name != "valid probe"
    ]


@settings(max_examples=40, deadline=None)
@given(budget=st.integers(min_value=1, max_value=200_000))
def test_valid_orders_are_planned_once_each_in_a_bounded_number_of_parts(budget: int) -> None:
    """The probe sends one valid order; the parts send the rest. Each part also redraws the
    simplest value (already sent, answered from the memo), hence one more than it sends."""
    parts = _stages(budget, "valid")
    assert len(parts) <= MAX_PARTS
    assert sum(size - 1 for size in parts) == budget - 1


@settings(max_examples=40, deadline=None)
@given(budget=st.integers(min_value=1, max_value=200_000))
def test_edge_cases_are_planned_once_each_in_a_bounded_number_of_parts(budget: int) -> None:
    parts = _stages(budget, "edge")
    assert 1 <= len(parts) <= MAX_PARTS
    # the first part draws the simplest value itself; the later ones redraw it
    assert parts[0] + sum(size - 1 for size in parts[1:]) == max(5, budget // 2)


@settings(max_examples=20, deadline=None)
@given(budget=st.integers(min_value=1, max_value=5_000))
def test_unit_names_are_unique_and_the_same_for_the_same_config(budget: int) -> None:
    config = FuzzConfig(base_url="http://127.0.0.1:1", max_examples=budget)
    names = [u.name for u in plan(config, SPEC, "oc-")]
    assert len(names) == len(set(names))
    assert names == [u.name for u in plan(config, SPEC, "oc-")]
