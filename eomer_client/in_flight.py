"""A bound on one client's requests in flight, so one session cannot hold every connection."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from eomer_client.errors import RequestTimeoutError
from eomer_client.retry import Deadline

# How often a request waiting for a slot looks again at its deadline (and at its session).
_WAIT_STEP_SECONDS = 0.5


class InFlightLimit:
    """At most `limit` requests at once; the others wait within their own deadline."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._slots = threading.BoundedSemaphore(limit)

    @contextmanager
    def slot(self, deadline: Deadline, where: str) -> Iterator[None]:
        """Hold one slot for the block, or RequestTimeoutError when none frees in time."""
        while not self._slots.acquire(timeout=min(_WAIT_STEP_SECONDS, deadline.remaining())):
            if deadline.expired:
                raise RequestTimeoutError(
                    f"{self.limit} earlier requests of this session were still waiting for "
                    f"their servers, so {where} was not asked in time."
                )
        try:
            yield
        finally:
            self._slots.release()
