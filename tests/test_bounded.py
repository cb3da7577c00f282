"""What a run that never ends remembers stops growing: the bounded containers, and the
collector given `Bounds` (what `ordercheck proxy` runs on)."""

from __future__ import annotations

import statistics

import pytest

from ordercheck.bounded import RecentCounter, RecentDict, Reservoir
from ordercheck.fuzz.collector import OTHER_CAUSES, Bounds, Collector
from ordercheck.results import RunResult, Target
from ordercheck.rules import Judgement, violation
from ordercheck.spec import load_spec

RUN = {
    "run_id": "r",
    "started_at": "2026-01-01T00:00:00+00:00",
    "duration_s": 1.0,
    "target": Target("http://127.0.0.1:1", "/", "m", False),
    "profile": "default",
    "seed": None,
    "order_prefix": "",
}


def result_of(collector: Collector, *finishing: tuple[str, Judgement]) -> RunResult:
    """The collector's result with placeholder run facts."""
    return collector.result(finishing, **RUN)


def test_reservoir_keeps_capacity_and_a_fair_sample() -> None:
    """A reservoir of 1,000 over 100,000 values holds 1,000, counts all, and its median is
    near the median of everything appended."""
    sample = Reservoir(1_000, seed=1)
    for value in range(100_000):
        sample.append(float(value))
    assert len(sample) == 1_000 and sample.seen == 100_000
    assert 40_000 < statistics.median(sample) < 60_000


def test_reservoir_below_capacity_keeps_everything_in_order() -> None:
    """Fewer values than the capacity are all kept, as a list would keep them."""
    sample = Reservoir(10)
    for value in (3.0, 1.0, 2.0):
        sample.append(value)
    assert list(sample) == [3.0, 1.0, 2.0]


def test_recent_dict_forgets_the_oldest_and_fills_defaults() -> None:
    """Past its capacity a RecentDict drops the key added first; a default factory adds
    missing keys as defaultdict does."""
    owners: RecentDict[str, set[str]] = RecentDict(2, set)
    owners["PO1"].add("a")
    owners["PO2"].add("b")
    owners["PO1"].add("c")
    owners["PO3"].add("d")
    assert dict(owners) == {"PO2": {"b"}, "PO3": {"d"}}
    assert owners.evicted == 1
    with pytest.raises(KeyError):
        RecentDict[str, int](1)["missing"]


def test_recent_counter_counts_and_forgets_the_first_counted() -> None:
    """A RecentCounter counts like a Counter and holds at most its capacity of keys."""
    counter: RecentCounter[str] = RecentCounter(3)
    for key in ["a", "b", "a", "c", "d", "e", "e"]:
        counter[key] += 1
    assert dict(counter) == {"c": 1, "d": 1, "e": 2}
    assert counter.evicted == 2
    del counter["d"]
    counter["f"] += 1
    counter["g"] += 1
    assert set(counter) == {"e", "f", "g"}


def test_capacity_must_be_positive() -> None:
    """A capacity below 1 is refused with the argument named."""
    with pytest.raises(ValueError, match="capacity=0"):
        Reservoir(0)


def test_bounded_collector_caps_distinct_causes_per_rule() -> None:
    """With Bounds, a rule keeps `causes_per_rule` distinct causes; later ones are counted
    under one "other causes" finding, so no judgement is lost."""
    collector = Collector(load_spec(), bounds=Bounds(causes_per_rule=2))
    for n in range(5):
        broken = violation("C5", "valid payload rejected", f"HTTP 400: no {n}", cause=f"no {n}")
        collector.judge("C5", Judgement((broken,)))
    findings = [f for f in result_of(collector).findings if f.rule == "C5"]
    assert [f.cause for f in findings] == ["other causes", "no 0", "no 1"]
    assert findings[0].count == 3 and sum(f.count for f in findings) == 5
    assert OTHER_CAUSES == "other causes"


def test_finishing_judgements_count_in_one_result_only() -> None:
    """Judgements passed as `finishing` show in that result and never accumulate: a live
    run asks for results again and again."""
    collector = Collector(load_spec(), bounds=Bounds())
    slow = violation("C14", "slow responses", "p95 over budget", severity="warning")
    first = result_of(collector, ("C14", Judgement((slow,))))
    again = result_of(collector, ("C14", Judgement((slow,))))
    plain = result_of(collector)
    assert [r.checks for r in (first, again, plain) for r in r.rules if r.id == "C14"] == [1, 1, 0]
    assert [len(r.findings) for r in (first, again, plain)] == [1, 1, 0]
