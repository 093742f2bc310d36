"""A clock that moves only when a test says so: progress checked without waiting."""

from __future__ import annotations

import threading
import time


class ManualClock:
    """Starts at the machine's current readings and then stands still until `advance`."""

    def __init__(self) -> None:
        self._monotonic = time.monotonic()
        self._time = time.time()
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        with self._lock:
            return self._monotonic

    def time(self) -> float:
        with self._lock:
            return self._time

    def advance(self, seconds: float) -> None:
        """Move both readings forward by `seconds` (never back)."""
        if seconds < 0:
            raise ValueError(f"a clock cannot go back; got advance({seconds})")
        with self._lock:
            self._monotonic += seconds
            self._time += seconds
