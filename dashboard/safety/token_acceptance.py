"""When the API last accepted each tenant's token: what sessions share waits for a recent yes.

Answers kept for the sessions of a process (dashboard/caching/shared_cache.py) would otherwise open
a finished job for minutes after its token was revoked at the API. A kept answer is served to a
tenant only while its token was accepted within ACCEPTED_WITHIN_SECONDS; after that, the API
is asked again (one request, the answer itself or a cheap revalidation) before anything kept.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from eomer_client.errors import AuthError
from eomer_client.weighted_lru import WeightedLru, one

T = TypeVar("T")
Clock = Callable[[], float]

ACCEPTED_WITHIN_SECONDS = 10.0


class TokenAcceptance:
    """Per tenant, when its token was last accepted by the API; thread-safe."""

    def __init__(
        self,
        *,
        max_tenants: int,
        within: float = ACCEPTED_WITHIN_SECONDS,
        clock: Clock = time.monotonic,
    ) -> None:
        self.within = within
        # Past `within` an acceptance counts for nothing: the cache forgets it then. Past
        # `max_tenants` the least recently accepted is forgotten (and simply asks the API again).
        self._accepted: WeightedLru[str, bool] = WeightedLru(
            max_tenants, one, max_age=within, clock=clock
        )

    def recent(self, tenant: str) -> bool:
        """True when the API accepted the tenant's token within the last `within` seconds."""
        return self._accepted.get(tenant) is not None

    def asked(self, tenant: str, ask: Callable[[], T]) -> T:
        """`ask()`, a request with the tenant's token: an answer counts as acceptance.

        An AuthError (the token refused) forgets any earlier acceptance, so nothing kept is
        served to that token until the API accepts it again.
        """
        try:
            answer = ask()
        except AuthError:
            self._accepted.pop(tenant)
            raise
        self._accepted.put(tenant, True)
        return answer

    def revalidate(self, tenant: str, ask: Callable[[], object]) -> None:
        """Ask the API with the token unless it was accepted lately; AuthError if refused."""
        if not self.recent(tenant):
            self.asked(tenant, ask)
