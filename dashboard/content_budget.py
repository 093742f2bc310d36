"""One byte budget for the remote content all sessions keep: the least recently used goes first."""

from __future__ import annotations

import threading
from collections import OrderedDict

from eomer_client.client import Fetched
from eomer_client.errors import ContentTooLargeError

_MB = 1024 * 1024
# Plots, reports and artifacts of every session together. One item is at most 20 MB
# (render_policy), so a page of a dozen of them fits with room for other sessions.
DEFAULT_BUDGET_BYTES = 512 * _MB

# Entries are keyed by (owner, URL): an owner is one session's cache, so no bytes cross sessions.
_Key = tuple[object, str]


class ContentBudget:
    """Fetched content of every session within `capacity` bytes in all; thread-safe.

    Streamlit runs each session's script in its own thread, so every method takes the lock.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[_Key, Fetched] = OrderedDict()
        self._used = 0
        self._lock = threading.Lock()

    @property
    def used(self) -> int:
        """Bytes held now, by all owners."""
        return self._used

    def get(self, owner: object, url: str) -> Fetched | None:
        """The owner's content for `url` if still held; it becomes the most recently used."""
        with self._lock:
            fetched = self._entries.get((owner, url))
            if fetched is not None:
                self._entries.move_to_end((owner, url))
            return fetched

    def put(self, owner: object, url: str, fetched: Fetched) -> None:
        """Hold `fetched`, evicting the least recently used entries of any owner to make room."""
        size = len(fetched.content)
        if size > self.capacity:
            raise ContentTooLargeError(
                f"This content is {_megabytes(size)}, more than the {_megabytes(self.capacity)} "
                "the dashboard keeps for all open pages together. Open the link in the Eomer "
                "API directly, or ask the dashboard's operator for a larger budget."
            )
        with self._lock:
            self._pop((owner, url))
            while self._entries and self._used + size > self.capacity:
                _, evicted = self._entries.popitem(last=False)
                self._used -= len(evicted.content)
            self._entries[(owner, url)] = fetched
            self._used += size

    def discard(self, owner: object, url: str) -> None:
        with self._lock:
            self._pop((owner, url))

    def discard_owner(self, owner: object) -> None:
        """Give back everything `owner` holds (its session ended or changed connection)."""
        with self._lock:
            for key in [key for key in self._entries if key[0] is owner]:
                self._pop(key)

    def _pop(self, key: _Key) -> None:
        evicted = self._entries.pop(key, None)
        if evicted is not None:
            self._used -= len(evicted.content)


def _megabytes(size: int) -> str:
    return f"{size / _MB:.1f} MB" if size >= _MB // 10 else f"{size:,} bytes"


# The process's one budget: every session's ContentCache shares it unless given another.
SHARED_BUDGET = ContentBudget(DEFAULT_BUDGET_BYTES)
