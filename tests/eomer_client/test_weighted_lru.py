"""The one LRU: taking an entry out, by age, and dropping entries by their keys."""

from __future__ import annotations

from eomer_client.weighted_lru import WeightedLru, one
from tests.fake_clock import FakeClock


def test_pop_takes_the_value_once_unless_it_is_too_old() -> None:
    clock = FakeClock()
    cache: WeightedLru[str, str] = WeightedLru(10, one, max_age=5.0, clock=clock)
    cache.put("a", "first")
    cache.put("b", "second")
    assert cache.pop("a") == "first"
    assert cache.pop("a") is None
    clock.sleep(6.0)
    assert cache.pop("b") is None  # too old: gone, and not handed out
    assert len(cache) == 0


def test_discard_where_drops_only_the_named_keys_and_their_weight() -> None:
    cache: WeightedLru[tuple[str, str], bytes] = WeightedLru(100, len)
    cache.put(("s1", "u1"), b"12345")
    cache.put(("s2", "u1"), b"123")
    cache.put(("s1", "u2"), b"1")
    cache.discard_where(lambda key: key[0] == "s1")
    assert len(cache) == 1
    assert cache.weight == 3
    assert cache.get(("s2", "u1")) == b"123"


def test_a_count_bounded_cache_keeps_the_most_recently_used() -> None:
    cache: WeightedLru[int, int] = WeightedLru(2, one)
    cache.put(1, 1)
    cache.put(2, 2)
    cache.get(1)
    cache.put(3, 3)
    assert cache.get(2) is None
    assert cache.get(1) == 1


def test_clear_empties_the_cache_and_hands_back_its_values_oldest_first() -> None:
    cache: WeightedLru[str, int] = WeightedLru(10, one)
    for key, value in (("a", 1), ("b", 2), ("c", 3)):
        cache.put(key, value)
    cache.get("a")
    assert cache.clear() == [2, 3, 1]
    assert (len(cache), cache.weight, cache.get("b")) == (0, 0, None)
