"""Hostile uploads in a real browser (issue 20): refused with a reason on every page that takes
files, while the server stays healthy and small; and what Streamlit's upload route may keep."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import httpx
import pytest
from playwright.sync_api import Page

from harness.browser import wait_for_app
from harness.dashboard import Dashboard
from harness.server_watch import HealthProbe, MemoryWatch
from harness.upload_attacks import (
    ATTACKS,
    PLACES,
    put_file,
    session_of,
    upload_and_wait_for_refusal,
    watch_frames,
)

pytestmark = pytest.mark.browser
NewPage = Callable[[], Page]
MAX_HEALTH_SECONDS = 2.0
MAX_MEMORY_BYTES = 1536 << 20
_HELD = re.compile(r'cache_memory_bytes\{cache_type="UploadedFileManager"[^}]*\} (\d+)')


def test_hostile_files_are_refused_on_every_page_while_the_server_stays_healthy(
    dashboard: Dashboard, new_page: NewPage
) -> None:
    page = new_page()
    # Each page once before measuring: a fresh server warms its demo and starts its file
    # readers then, which is start-up, not the attacks' doing.
    for link, _, _ in PLACES.values():
        page.goto(dashboard.url + link)
        wait_for_app(page)
    refusals: dict[tuple[str, str], str] = {}
    with (
        HealthProbe(f"{dashboard.url}/_stcore/health") as health,
        MemoryWatch(dashboard.process.pid) as memory,
    ):
        for attack in ATTACKS:
            for place in PLACES:
                shown = upload_and_wait_for_refusal(page, dashboard.url, place, attack)
                refusals[attack.name, place] = shown
    assert dashboard.process.poll() is None
    assert len(refusals) == len(ATTACKS) * len(PLACES)
    assert health.failures == 0
    assert max(health.latencies) < MAX_HEALTH_SECONDS, sorted(health.latencies)[-5:]
    assert memory.peak < MAX_MEMORY_BYTES, f"{memory.peak >> 20} MB"


def _held_bytes(base_url: str) -> int:
    metrics = httpx.get(f"{base_url}/_stcore/metrics", timeout=30).text
    return sum(int(found) for found in _HELD.findall(metrics))


def _held_bytes_once_changed(base_url: str, before: int) -> int:
    """Streamlit recomputes its memory figures at most every 5 s: the first one after `before`."""
    deadline = time.monotonic() + 60
    while (held := _held_bytes(base_url)) == before and time.monotonic() < deadline:
        time.sleep(0.5)  # polling the figure above until it is recomputed, with a deadline
    return held


def test_the_upload_route_keeps_at_most_a_sessions_cap_of_rogue_files(
    dashboard: Dashboard, new_page: NewPage
) -> None:
    page = new_page()
    frames = watch_frames(page)
    page.goto(dashboard.url)
    page.get_by_role("heading", name="Job").wait_for()
    session = session_of(page, frames, dashboard.url)
    before = _held_bytes(dashboard.url)
    statuses = [put_file(page, dashboard.url, session, f"r{n}", 19 << 20) for n in range(8)]
    # Three files fit the session's 64 MB; the rest are kept as short notes saying why.
    assert statuses == [204] * 8
    held = _held_bytes_once_changed(dashboard.url, before) - before
    assert 3 * (19 << 20) <= held < 64 << 20
