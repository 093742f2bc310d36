"""Remote content fetched once per session and connection: later reruns reuse the bytes."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from dashboard.render_policy import MAX_CONTENT_BYTES
from eomer_client.client import Fetched

# The session's bounded fetch: URL, byte limit, accepted content types.
FetchUrl = Callable[[str, int, Collection[str] | None], Fetched]


@dataclass
class ContentCache:
    """Fetched plots, reports and artifacts by URL; `forget` makes the next `get` ask again."""

    fetch_url: FetchUrl
    entries: dict[str, Fetched] = field(default_factory=dict)

    def get(
        self,
        url: str,
        *,
        max_bytes: int = MAX_CONTENT_BYTES,
        accept: Collection[str] | None = None,
    ) -> Fetched:
        """The content behind `url`, fetched on first use."""
        if url not in self.entries:
            self.entries[url] = self.fetch_url(url, max_bytes, accept)
        return self.entries[url]

    def forget(self, url: str) -> None:
        self.entries.pop(url, None)
