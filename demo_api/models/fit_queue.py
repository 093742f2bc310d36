"""Uploaded forecasts are fitted in a bounded queue: a few at a time, a few more waiting, else 503.

The built-in demo runs inside the dashboard's process; one unbounded thread per upload let any
viewer hold its cores with clicks. Now `workers` daemon threads take fits in turn, at most
`waiting` more are accepted, and a further upload is answered 503 `server_overloaded` with
`Retry-After`, before its file is read.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

from demo_api.errors import DemoApiError


class FitQueue:
    """At most `workers` fits at once and `waiting` accepted to wait; `reserve` before `run`."""

    def __init__(self, workers: int, waiting: int, retry_after: int) -> None:
        self.workers, self.waiting, self.retry_after = workers, waiting, retry_after
        self._slots = threading.BoundedSemaphore(workers + waiting)
        self._work: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def reserve(self) -> None:
        """Hold a place for one fit; DemoApiError 503 when every place is taken."""
        if not self._slots.acquire(blocking=False):
            raise DemoApiError(
                "server_overloaded",
                f"The demo API fits {self.workers} forecast(s) at a time and {self.waiting} "
                f"more are waiting already. Send the file again in {self.retry_after} s.",
                headers={"Retry-After": str(self.retry_after)},
            )

    def release(self) -> None:
        """Give back a place reserved for a fit that will not run."""
        self._slots.release()

    def run(self, work: Callable[[], None]) -> None:
        """Queue `work` in the place reserved for it; the place is free again once it ends."""
        with self._lock:
            if len(self._threads) < self.workers:
                thread = threading.Thread(target=self._serve, name="demo-fit", daemon=True)
                self._threads.append(thread)
                thread.start()
        self._work.put(work)

    def _serve(self) -> None:
        while True:
            work = self._work.get()
            try:
                work()
            finally:
                self._slots.release()
