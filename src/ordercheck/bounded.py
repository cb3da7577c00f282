"""Containers with a fixed capacity, for runs that never end.

A fuzzing run is bounded by its budget; `ordercheck proxy` runs for as long as the merchant's
staging traffic flows, so everything it remembers about the run must stop growing.  Each
container here is a drop-in for the builtin a run already uses (a list of latencies, a
`Counter`, a dict), so code that fills them does not need to know which it was given.

    >>> recent = RecentDict[str, int](capacity=2)
    >>> recent["a"], recent["b"], recent["c"] = 1, 2, 3
    >>> list(recent)
    ['b', 'c']
"""

from __future__ import annotations

import random
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar, cast

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def _positive(capacity: int) -> int:
    if capacity < 1:
        raise ValueError(f"capacity={capacity!r}: must be at least 1")
    return capacity


class Reservoir(list[float]):
    """A uniform random sample of at most `capacity` of the values appended (Vitter's
    algorithm R): percentiles of the sample estimate those of everything seen, in constant
    memory.  `seen` counts every value appended.  Seeded, so a run is repeatable."""

    def __init__(self, capacity: int, *, seed: int = 0) -> None:
        super().__init__()
        self.capacity = _positive(capacity)
        self.seen = 0
        self._random = random.Random(seed)

    def append(self, value: float) -> None:
        self.seen += 1
        if len(self) < self.capacity:
            super().append(value)
            return
        slot = self._random.randrange(self.seen)
        if slot < self.capacity:
            self[slot] = value


class RecentDict(OrderedDict[K, V]):
    """A dict that keeps the `capacity` most recently added keys, forgetting the oldest
    first (`evicted` counts them).  With a `default` factory, a missing key is added with
    ``default()``, as in `collections.defaultdict`."""

    def __init__(self, capacity: int, default: Callable[[], V] | None = None) -> None:
        super().__init__()
        self.capacity = _positive(capacity)
        self.default = default
        self.evicted = 0

    def __setitem__(self, key: K, value: V) -> None:
        if key not in self and len(self) >= self.capacity:
            self.popitem(last=False)
            self.evicted += 1
        super().__setitem__(key, value)

    def __missing__(self, key: K) -> V:
        if self.default is None:
            raise KeyError(key)
        value = self[key] = self.default()
        return value


class RecentCounter(Counter[K]):
    """A `Counter` of at most `capacity` keys: counting a new key beyond that forgets the
    key counted first (`evicted` counts them).  Kept in insertion order by a side index, so
    forgetting costs the same however long the run has been going."""

    def __init__(self, capacity: int) -> None:
        super().__init__()
        self.capacity = _positive(capacity)
        self.evicted = 0
        self._order: OrderedDict[K, None] = OrderedDict()

    def __setitem__(self, key: K, value: int) -> None:
        if key not in self:
            if len(self) >= self.capacity:
                oldest, _ = self._order.popitem(last=False)
                super().__delitem__(oldest)
                self.evicted += 1
            self._order[key] = None
        super().__setitem__(key, value)

    def __delitem__(self, key: object) -> None:
        super().__delitem__(key)
        del self._order[cast(K, key)]
