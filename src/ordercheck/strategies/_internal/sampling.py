"""Drawing N values from a strategy outside a test, reproducibly: what `ordercheck generate`
and the benchmarks need, with Hypothesis' public API only (no `.example()`, no internals).

Why one short `@given` run per value instead of one run of N examples: within a run,
Hypothesis starts from the simplest example and then mostly *mutates* earlier examples, which
is right for finding bugs but makes a poor sample (of 200 orders from one run, 45 distinct
merchant order ids).  Each run here is seeded from the caller's seed, and its first example
(always the simplest one) is a cheap rejected placeholder, so the value kept is a fresh
random draw.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from typing import Any, TypeVar

from hypothesis import HealthCheck, Phase, Verbosity, given, reject, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable

T = TypeVar("T")

_ONE_DRAW = settings(
    max_examples=1,
    database=None,
    phases=[Phase.generate],
    deadline=None,
    derandomize=False,
    suppress_health_check=list(HealthCheck),
    verbosity=Verbosity.quiet,
)
# Attempts per value before giving up on a strategy that keeps rejecting its draws.
MAX_ATTEMPTS = 20


def _draw_one(strategy: st.SearchStrategy[T], seed: int) -> list[T]:
    got: list[T] = []

    @_ONE_DRAW
    @hypothesis_seed(seed)
    @given(st.data())
    def run(data: Any) -> None:
        # The simplest example draws False here and is rejected; Hypothesis then has to
        # take the other branch, with everything after it drawn at random.
        if not data.draw(st.booleans()):
            reject()
        got.append(data.draw(strategy))

    try:
        run()
    except Unsatisfiable:  # every draw of this run was rejected: the caller tries another seed
        return []
    return got


def samples(strategy: st.SearchStrategy[T], *, seed: int = 0) -> Iterator[T]:
    """Independent values of `strategy`, one at a time and without end, so a caller can
    stream them; the same `seed` gives the same values (with the same Hypothesis version),
    and the first `n` are `sample(strategy, n, seed=seed)`.

    >>> from itertools import islice
    >>> list(islice(samples(st.integers(0, 9), seed=7), 3)) == sample(st.integers(0, 9), 3, seed=7)
    True
    """
    seeds = random.Random(seed)
    while True:
        for _ in range(MAX_ATTEMPTS):
            got = _draw_one(strategy, seeds.getrandbits(64))
            if got:
                yield got[-1]
                break
        else:
            raise ValueError(f"strategy={strategy!r} gave no value in {MAX_ATTEMPTS} attempts")


def sample(strategy: st.SearchStrategy[T], count: int, *, seed: int = 0) -> list[T]:
    """Exactly `count` independent values of `strategy`; the same `seed` gives the same
    values (with the same Hypothesis version).

    >>> sample(st.integers(0, 9), 3, seed=7) == sample(st.integers(0, 9), 3, seed=7)
    True
    """
    if count < 0:
        raise ValueError(f"count={count!r} must be at least 0")
    return list(itertools.islice(samples(strategy, seed=seed), count))
