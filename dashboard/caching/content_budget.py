"""One byte budget for the remote content all sessions keep: the least recently used goes first."""

from __future__ import annotations

from eomer_client.client import Fetched
from eomer_client.errors import ContentTooLargeError
from eomer_client.weighted_lru import WeightedLru

_MB = 1024 * 1024

# Entries are keyed by (owner, URL): an owner is one session's cache, so no bytes cross sessions.
_Key = tuple[object, str]


class ContentBudget:
    """Fetched content of every session within `capacity` bytes in all; thread-safe.

    Streamlit runs each session's script in its own thread; the cache takes its own lock.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._entries: WeightedLru[_Key, Fetched] = WeightedLru(capacity, _size)

    @property
    def used(self) -> int:
        """Bytes held now, by all owners."""
        return self._entries.weight

    def get(self, owner: object, url: str) -> Fetched | None:
        """The owner's content for `url` if still held; it becomes the most recently used."""
        return self._entries.get((owner, url))

    def put(self, owner: object, url: str, fetched: Fetched) -> None:
        """Hold `fetched`, evicting the least recently used entries of any owner to make room."""
        if not self._entries.put((owner, url), fetched):
            raise ContentTooLargeError(
                f"This content is {_megabytes(_size(fetched))}, more than the "
                f"{_megabytes(self.capacity)} the dashboard keeps for all open pages together. "
                "Open the link in the Eomer API directly, or ask the dashboard's operator for a "
                "larger budget."
            )

    def discard(self, owner: object, url: str) -> None:
        self._entries.pop((owner, url))

    def discard_owner(self, owner: object) -> None:
        """Give back everything `owner` holds (its session ended or changed connection)."""
        self._entries.discard_where(lambda key: key[0] is owner)


def _size(fetched: Fetched) -> int:
    return len(fetched.content)


def _megabytes(size: int) -> str:
    return f"{size / _MB:.1f} MB" if size >= _MB // 10 else f"{size:,} bytes"
