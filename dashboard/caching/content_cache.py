"""Remote content of one session and connection: kept within the process's byte budget,
failures remembered briefly, and the links a page is about to draw fetched together."""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from dashboard.caching.content_budget import ContentBudget
from dashboard.safety.render_policy import MAX_CONTENT_BYTES
from eomer_client.client import Fetched
from eomer_client.errors import ContentTooLargeError, EomerError

# The session's bounded fetch: URL, byte limit, accepted content types.
FetchUrl = Callable[[str, int, Collection[str] | None], Fetched]

# A broken link is asked again after this long (or at once by Retry), not on every rerun.
FAILURE_SECONDS = 30.0
# Links one page run fetches at once: the run waits for the slowest, not for their sum.
PREFETCH_WIDTH = 4


@dataclass(frozen=True)
class ContentRequest:
    """One link a page is about to draw, with the limits it is drawn under."""

    url: str
    max_bytes: int = MAX_CONTENT_BYTES
    accept: Collection[str] | None = None


@dataclass(frozen=True)
class _Failure:
    error: EomerError
    until: float


@dataclass(eq=False)
class ContentCache:
    """Fetched plots, reports and artifacts by URL; `forget` makes the next `get` ask again."""

    fetch_url: FetchUrl
    budget: ContentBudget  # the process's, shared by every session's cache
    clock: Callable[[], float] = time.monotonic
    failures: dict[str, _Failure] = field(default_factory=dict)
    # This cache's key in the shared budget: the bytes themselves live there.
    owner: object = field(default_factory=object, init=False, repr=False)

    def __post_init__(self) -> None:
        # A session that ends, or changes connection, gives its bytes back at once.
        weakref.finalize(self, self.budget.discard_owner, self.owner)

    def get(
        self,
        url: str,
        *,
        max_bytes: int = MAX_CONTENT_BYTES,
        accept: Collection[str] | None = None,
    ) -> Fetched:
        """The content behind `url`, fetched on first use; a recent failure is raised again."""
        known = self._known(url)
        if known is None:
            known = self._keep(url, self._fetch(ContentRequest(url, max_bytes, accept)))
        if isinstance(known, _Failure):
            # Without its old traceback: each rerun's raise would otherwise lengthen it.
            raise known.error.with_traceback(None)
        return known

    def prefetch(self, requests: Sequence[ContentRequest]) -> None:
        """Fetch the links not known yet, PREFETCH_WIDTH at a time; later `get`s find them."""
        wanted = {r.url: r for r in requests if self._known(r.url) is None}
        if not wanted:
            return
        width = min(PREFETCH_WIDTH, len(wanted))
        with ThreadPoolExecutor(max_workers=width, thread_name_prefix="content-prefetch") as pool:
            results = list(pool.map(self._fetch, wanted.values()))
        for url, result in zip(wanted, results, strict=True):
            self._keep(url, result)

    def peek(self, url: str) -> Fetched | None:
        """The content kept for `url`, without fetching it; None when none is kept."""
        known = self._known(url)
        return known if isinstance(known, Fetched) else None

    def forget(self, url: str) -> None:
        """Drop what is known about `url`, failure included, so the next `get` asks again."""
        self.failures.pop(url, None)
        self.budget.discard(self.owner, url)

    def _known(self, url: str) -> Fetched | _Failure | None:
        """Kept content, or a failure still remembered; None when `url` must be fetched."""
        failure = self.failures.get(url)
        if failure is not None:
            if self.clock() < failure.until:
                return failure
            del self.failures[url]
        return self.budget.get(self.owner, url)

    def _fetch(self, request: ContentRequest) -> Fetched | EomerError:
        # Runs in prefetch's worker threads too: it only fetches; the caller's thread keeps.
        try:
            return self.fetch_url(request.url, request.max_bytes, request.accept)
        except EomerError as err:
            return err

    def _keep(self, url: str, result: Fetched | EomerError) -> Fetched | _Failure:
        """Keep a success within the budget, or remember a failure (the budget's refusal too)."""
        if isinstance(result, Fetched):
            try:
                self.budget.put(self.owner, url, result)
                return result
            except ContentTooLargeError as refused:
                result = refused
        failure = _Failure(result, self.clock() + FAILURE_SECONDS)
        self.failures[url] = failure
        return failure
