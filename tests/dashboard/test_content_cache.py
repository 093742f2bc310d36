"""The session's content cache: failures remembered briefly, one byte budget, parallel prefetch."""

from __future__ import annotations

import gc
import threading
from collections.abc import Collection

import pytest

from dashboard.caching.content_budget import ContentBudget
from dashboard.caching.content_cache import (
    FAILURE_SECONDS,
    PREFETCH_WIDTH,
    ContentCache,
    ContentRequest,
)
from eomer_client.client import Fetched
from eomer_client.errors import ContentTooLargeError, EomerError, ServerError

# Long enough never to be reached when the fetches really run together.
_BARRIER_SECONDS = 10.0


class FakeClock:
    """Monotonic seconds that move only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeLinks:
    """A fetch function over canned bodies; URLs in `failing` answer 503. Counts every call."""

    def __init__(self, bodies: dict[str, bytes] | None = None) -> None:
        self.bodies = bodies or {}
        self.failing: set[str] = set()
        self.calls: list[str] = []

    def __call__(self, url: str, max_bytes: int, accept: Collection[str] | None) -> Fetched:
        self.calls.append(url)
        if url in self.failing:
            raise ServerError(f"GET {url} answered 503", status_code=503)
        return Fetched(self.bodies.get(url, b"body"), "text/plain", url)


def cache_of(links: FakeLinks, budget: ContentBudget | None = None) -> ContentCache:
    return ContentCache(links, budget=budget or ContentBudget(1024 * 1024), clock=FakeClock())


def test_content_is_fetched_once_then_reused() -> None:
    links = FakeLinks({"a": b"plot"})
    cache = cache_of(links)
    assert cache.get("a").content == b"plot"
    assert cache.get("a").content == b"plot"
    assert links.calls == ["a"]


def test_a_failure_is_remembered_until_its_lifetime_ends() -> None:
    links = FakeLinks()
    links.failing.add("a")
    clock = FakeClock()
    cache = ContentCache(links, budget=ContentBudget(1024), clock=clock)
    for _ in range(3):
        with pytest.raises(ServerError):
            cache.get("a")
    assert links.calls == ["a"]
    clock.now += FAILURE_SECONDS + 1
    links.failing.clear()
    assert cache.get("a").content == b"body"
    assert links.calls == ["a", "a"]


def test_forget_makes_the_next_get_ask_again_after_a_failure() -> None:
    links = FakeLinks()
    links.failing.add("a")
    cache = cache_of(links)
    with pytest.raises(ServerError):
        cache.get("a")
    links.failing.clear()
    cache.forget("a")
    assert cache.get("a").content == b"body"
    assert links.calls == ["a", "a"]


def test_the_budget_evicts_the_least_recently_used_content_of_any_session() -> None:
    budget = ContentBudget(30)
    links = FakeLinks({"a": b"a" * 10, "b": b"b" * 10, "c": b"c" * 15})
    first, second = cache_of(links, budget), cache_of(links, budget)
    first.get("a")
    second.get("b")
    first.get("a")  # used again: b is now the oldest
    second.get("c")
    assert budget.used == 25
    first.get("a")
    assert links.calls == ["a", "b", "c"]
    second.get("b")
    assert links.calls == ["a", "b", "c", "b"]


def test_sessions_never_see_each_others_content() -> None:
    budget = ContentBudget(1024)
    first = cache_of(FakeLinks({"a": b"tenant one"}), budget)
    second = cache_of(FakeLinks({"a": b"tenant two"}), budget)
    assert first.get("a").content == b"tenant one"
    assert second.get("a").content == b"tenant two"


def test_content_larger_than_the_whole_budget_is_refused_with_what_to_do() -> None:
    links = FakeLinks({"big": b"x" * 100})
    cache = cache_of(links, ContentBudget(50))
    with pytest.raises(ContentTooLargeError) as refused:
        cache.get("big")
    assert "Open the link" in refused.value.message
    with pytest.raises(ContentTooLargeError):
        cache.get("big")
    assert links.calls == ["big"]  # the refusal is remembered like any failure


def test_a_dropped_session_gives_its_bytes_back_to_the_budget() -> None:
    budget = ContentBudget(1024)
    cache = cache_of(FakeLinks({"a": b"a" * 100}), budget)
    cache.get("a")
    assert budget.used == 100
    del cache
    gc.collect()
    assert budget.used == 0


class Rendezvous(FakeLinks):
    """Each fetch waits until PREFETCH_WIDTH fetches are running; records the most at once."""

    def __init__(self) -> None:
        super().__init__()
        self.barrier = threading.Barrier(PREFETCH_WIDTH, timeout=_BARRIER_SECONDS)
        self.lock = threading.Lock()
        self.running = 0
        self.most = 0

    def __call__(self, url: str, max_bytes: int, accept: Collection[str] | None) -> Fetched:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            self.barrier.wait()  # sequential fetches would break the barrier here
            return super().__call__(url, max_bytes, accept)
        finally:
            with self.lock:
                self.running -= 1


def test_prefetch_asks_several_links_at_once_but_no_more_than_its_width() -> None:
    links = Rendezvous()
    cache = cache_of(links)
    urls = [f"u{i}" for i in range(2 * PREFETCH_WIDTH)]
    cache.prefetch([ContentRequest(url) for url in urls])
    assert links.most == PREFETCH_WIDTH
    assert sorted(links.calls) == sorted(urls)
    for url in urls:
        cache.get(url)
    assert len(links.calls) == len(urls)


def test_prefetch_remembers_failures_and_skips_what_is_known() -> None:
    links = FakeLinks()
    links.failing.add("bad")
    cache = cache_of(links)
    cache.get("good")
    cache.prefetch([ContentRequest("good"), ContentRequest("bad"), ContentRequest("bad")])
    assert links.calls == ["good", "bad"]
    with pytest.raises(EomerError):
        cache.get("bad")
    cache.prefetch([ContentRequest("bad")])
    assert links.calls == ["good", "bad"]
