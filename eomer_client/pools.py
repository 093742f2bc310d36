"""Connection pools, one per API origin, so a slow or hostile API only exhausts its own."""

from __future__ import annotations

import threading
from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpx

from eomer_client.urls import Origin, origin_of, parse_base_url
from eomer_client.weighted_lru import WeightedLru, one

# Connections one API origin may hold, whichever sessions use it.
CONNECTIONS_PER_ORIGIN = 32
KEEPALIVE_PER_ORIGIN = 8


def new_pool(max_connections: int = CONNECTIONS_PER_ORIGIN) -> httpx.Client:
    """A pool that holds no token, follows no redirect and keeps no cookie."""
    # A shared cookie jar would carry one analyst's session cookies into another's requests.
    jar = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
    limits = httpx.Limits(
        max_connections=max_connections,
        max_keepalive_connections=min(KEEPALIVE_PER_ORIGIN, max_connections),
    )
    return httpx.Client(follow_redirects=False, cookies=jar, limits=limits)


class OriginPools:
    """A bounded set of pools keyed by API origin; thread-safe, as sessions run in threads."""

    def __init__(self, max_origins: int) -> None:
        # Pools kept for reuse: an origin beyond this gets a fresh pool when it comes back.
        # Past `max_origins` the least recently used pool is dropped, not closed: a session may
        # still be reading through it; its sockets go with the last session that holds it.
        self._pools: WeightedLru[Origin, httpx.Client] = WeightedLru(max_origins, one)
        # Held while a pool is looked up and made, so two sessions never make one origin's twice.
        self._lock = threading.Lock()
        self._closed = False

    def for_api(self, base_url: str) -> httpx.Client:
        """The pool of `base_url`'s origin, made on first use."""
        origin = origin_of(parse_base_url(base_url))
        with self._lock:
            pool = self._pools.get(origin)
            if pool is None or pool.is_closed:
                pool = new_pool()
                self._pools.put(origin, pool)
            return pool

    def close(self) -> None:
        """Close every pool; sessions that held one make new clients on their next run."""
        with self._lock:
            pools = self._pools.clear()
            self._closed = True
        for pool in pools:
            pool.close()

    @property
    def is_closed(self) -> bool:
        return self._closed
