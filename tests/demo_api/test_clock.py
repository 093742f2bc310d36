"""The manual clock moves only when told, both of its readings together, and never back."""

from __future__ import annotations

import time

import pytest

from demo_api.clock import SystemClock, utc_now
from demo_api.testing.clock import ManualClock


def test_a_manual_clock_stands_still_until_advanced() -> None:
    clock = ManualClock()
    monotonic, wall = clock.monotonic(), clock.time()
    assert (clock.monotonic(), clock.time()) == (monotonic, wall)
    clock.advance(2.5)
    assert (clock.monotonic(), clock.time()) == (monotonic + 2.5, wall + 2.5)


def test_a_manual_clock_starts_at_the_machines_time() -> None:
    assert abs(ManualClock().time() - time.time()) < 60


def test_a_manual_clock_cannot_go_back() -> None:
    with pytest.raises(ValueError, match="cannot go back"):
        ManualClock().advance(-1)


def test_utc_now_reads_the_clocks_wall_time() -> None:
    clock = ManualClock()
    clock.advance(3600)
    assert utc_now(clock).timestamp() == pytest.approx(clock.time())
    assert utc_now(clock).tzinfo is not None
    assert abs(utc_now(SystemClock()).timestamp() - time.time()) < 60
