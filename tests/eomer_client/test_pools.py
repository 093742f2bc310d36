"""Pools per API origin: a slow API fills its own pool and never another analyst's."""

from __future__ import annotations

import threading

import httpx
import pytest

from eomer_client.client import EomerClient
from eomer_client.errors import RequestTimeoutError
from eomer_client.pools import CONNECTIONS_PER_ORIGIN, OriginPools
from eomer_client.retry import RetryPolicy
from harness.drip_api import drip_server

TOKEN = "pool-test-token"


def test_each_api_origin_gets_its_own_pool_and_paths_share_it() -> None:
    pools = OriginPools(max_origins=8)
    first = pools.for_api("https://api.example.com/v1")
    assert pools.for_api("https://API.example.com:443/v2/") is first
    assert pools.for_api("https://other.example.com") is not first
    assert pools.for_api("http://api.example.com") is not first
    pools.close()
    assert first.is_closed
    assert pools.is_closed


def test_only_the_latest_origins_are_kept_and_a_dropped_pool_stays_usable() -> None:
    pools = OriginPools(max_origins=2)
    oldest = pools.for_api("https://a.example.com")
    pools.for_api("https://b.example.com")
    pools.for_api("https://c.example.com")
    # A session may still hold the dropped pool: it is not closed under it.
    assert not oldest.is_closed
    assert pools.for_api("https://a.example.com") is not oldest


def _hold_many(client: EomerClient, count: int) -> threading.Thread:
    ids = [f"held-{index}" for index in range(count)]
    thread = threading.Thread(target=client.get_jobs, args=(ids,), daemon=True)
    thread.start()
    return thread


def test_sessions_on_a_dripping_api_never_starve_a_healthy_api_of_connections() -> None:
    pools = OriginPools(max_origins=8)
    no_retry = RetryPolicy(attempts=1, deadline=20.0)
    with drip_server() as slow, drip_server() as healthy:
        # Thirty sessions at eight requests each would need 240 connections of one shared pool.
        attackers = [
            EomerClient(slow.url, TOKEN, http=pools.for_api(slow.url), max_in_flight=8)
            for _ in range(30)
        ]
        threads = [_hold_many(client, 8) for client in attackers]
        for _ in range(200):
            if slow.open_now >= CONNECTIONS_PER_ORIGIN:
                break
            threading.Event().wait(0.05)
        assert slow.open_now == CONNECTIONS_PER_ORIGIN  # the slow API's pool is full
        healthy.release.set()
        victim = EomerClient(
            healthy.url, TOKEN, http=pools.for_api(healthy.url), retry=no_retry, timeout=2.0
        )
        assert victim.get_job("mine").job_id == "mine"
        slow.release.set()
        for thread in threads:
            thread.join(timeout=30)
        assert slow.most_open <= CONNECTIONS_PER_ORIGIN
    pools.close()


def test_one_pool_for_everyone_is_what_starved_the_healthy_api() -> None:
    # The same attack on one shared pool: proves the test above measures the right thing.
    shared = httpx.Client(limits=httpx.Limits(max_connections=CONNECTIONS_PER_ORIGIN))
    no_retry = RetryPolicy(attempts=1, deadline=2.0)
    with drip_server() as slow, drip_server() as healthy:
        attackers = [EomerClient(slow.url, TOKEN, http=shared) for _ in range(8)]
        threads = [_hold_many(client, 8) for client in attackers]
        for _ in range(200):
            if slow.open_now >= CONNECTIONS_PER_ORIGIN:
                break
            threading.Event().wait(0.05)
        healthy.release.set()
        victim = EomerClient(healthy.url, TOKEN, http=shared, retry=no_retry, timeout=1.0)
        with pytest.raises(RequestTimeoutError):  # httpx's PoolTimeout, translated
            victim.get_job("mine")
        slow.release.set()
        for thread in threads:
            thread.join(timeout=30)
    shared.close()
