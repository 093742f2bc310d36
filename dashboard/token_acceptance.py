"""When the API last accepted each tenant's token: what sessions share waits for a recent yes.

Answers kept for the sessions of a process (dashboard/shared_cache.py) would otherwise open a
finished job for minutes after its token was revoked at the API. A kept answer is served to a
tenant only while its token was accepted within ACCEPTED_WITHIN_SECONDS; after that, the API
is asked again (one request, the answer itself or a cheap revalidation) before anything kept.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from eomer_client.errors import AuthError

T = TypeVar("T")
Clock = Callable[[], float]

ACCEPTED_WITHIN_SECONDS = 10.0
# Tenants remembered per process; the least recently accepted is forgotten first (and simply
# asks the API again).
MAX_TENANTS = 10_000


class TokenAcceptance:
    """Per tenant, when its token was last accepted by the API; thread-safe."""

    def __init__(
        self,
        *,
        within: float = ACCEPTED_WITHIN_SECONDS,
        clock: Clock = time.monotonic,
        max_tenants: int = MAX_TENANTS,
    ) -> None:
        self.within = within
        self._clock = clock
        self._max_tenants = max_tenants
        self._accepted: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def recent(self, tenant: str) -> bool:
        """True when the API accepted the tenant's token within the last `within` seconds."""
        with self._lock:
            at = self._accepted.get(tenant)
            return at is not None and self._clock() - at <= self.within

    def asked(self, tenant: str, ask: Callable[[], T]) -> T:
        """`ask()`, a request with the tenant's token: an answer counts as acceptance.

        An AuthError (the token refused) forgets any earlier acceptance, so nothing kept is
        served to that token until the API accepts it again.
        """
        try:
            answer = ask()
        except AuthError:
            with self._lock:
                self._accepted.pop(tenant, None)
            raise
        with self._lock:
            self._accepted[tenant] = self._clock()
            self._accepted.move_to_end(tenant)
            while len(self._accepted) > self._max_tenants:
                self._accepted.popitem(last=False)
        return answer

    def revalidate(self, tenant: str, ask: Callable[[], object]) -> None:
        """Ask the API with the token unless it was accepted lately; AuthError if refused."""
        if not self.recent(tenant):
            self.asked(tenant, ask)
