"""The one least-recently-used cache of the product: bounded by weight, optionally by age.

Every cache of a process uses it: job answers and forecasts (weighed in bytes), remote content,
the small tables of tenants, browsers and written jobs, and the client's pools by API origin
(each entry weighing one).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
Clock = Callable[[], float]


def one(_: object) -> int:
    """The weight of an entry in a cache bounded by its number of entries."""
    return 1


@dataclass
class _Entry(Generic[V]):
    value: V
    weight: int
    stored_at: float


class WeightedLru(Generic[K, V]):
    """At most `max_weight` in all, each entry for at most `max_age` s; thread-safe."""

    def __init__(
        self,
        max_weight: int,
        weigh: Callable[[V], int],
        *,
        max_age: float | None = None,
        clock: Clock = time.monotonic,
    ) -> None:
        self.max_weight = max_weight
        self.max_age = max_age
        self._weigh = weigh
        self._clock = clock
        self._entries: OrderedDict[K, _Entry[V]] = OrderedDict()
        self._weight = 0
        self._lock = threading.Lock()
        # One lock per key being made, with how many callers hold or wait for it.
        self._makers: dict[K, tuple[threading.Lock, int]] = {}

    @property
    def weight(self) -> int:
        return self._weight

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: K, *, max_age: float | None = None) -> V | None:
        """The kept value, unless older than `max_age` (or the cache's own); marks it used."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if self._stale(entry, max_age):
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry.value

    def put(self, key: K, value: V) -> bool:
        """Keep `value`, evicting the least recently used; False when it alone is too heavy."""
        weight = max(1, self._weigh(value))
        with self._lock:
            if key in self._entries:
                self._drop(key)
            if weight > self.max_weight:
                return False
            while self._entries and self._weight + weight > self.max_weight:
                self._drop(next(iter(self._entries)))
            self._entries[key] = _Entry(value, weight, self._clock())
            self._weight += weight
            return True

    def get_or_make(self, key: K, make: Callable[[], V], *, max_age: float | None = None) -> V:
        """The kept value, or `make()`'s, made once while other callers for `key` wait for it."""
        kept = self.get(key, max_age=max_age)
        if kept is not None:
            return kept
        with self.making(key):
            # Whoever held the lock before may have made it meanwhile.
            kept = self.get(key, max_age=max_age)
            if kept is not None:
                return kept
            made = make()
            self.put(key, made)
            return made

    @contextmanager
    def making(self, key: K) -> Iterator[None]:
        """Hold `key`'s maker lock: one caller at a time makes a value for one key."""
        with self._lock:
            lock, users = self._makers.get(key, (threading.Lock(), 0))
            self._makers[key] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._lock:
                users = self._makers[key][1] - 1
                if users:
                    self._makers[key] = (lock, users)
                else:
                    del self._makers[key]

    def pop(self, key: K, *, max_age: float | None = None) -> V | None:
        """Remove `key` and return its value, unless older than `max_age` (or the cache's)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._drop(key)
        return None if self._stale(entry, max_age) else entry.value

    def discard_where(self, doomed: Callable[[K], bool]) -> None:
        """Remove every entry whose key `doomed` names."""
        with self._lock:
            for key in [key for key in self._entries if doomed(key)]:
                self._drop(key)

    def clear(self) -> list[V]:
        """Remove every entry; returns their values, least recently used first."""
        with self._lock:
            values = [entry.value for entry in self._entries.values()]
            self._entries.clear()
            self._weight = 0
            return values

    def _stale(self, entry: _Entry[V], max_age: float | None) -> bool:
        """Older than `max_age`, or than the cache's own when the caller names none."""
        limit = self.max_age if max_age is None else max_age
        return limit is not None and self._clock() - entry.stored_at > limit

    def _drop(self, key: K) -> None:
        entry = self._entries.pop(key)
        self._weight -= entry.weight
