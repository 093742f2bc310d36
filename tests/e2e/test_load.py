"""Five analysts watching 20 live jobs each on one dashboard server, in real browsers."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from bench.load import (
    HEADER,
    TARGET_MB_PER_SESSION,
    TARGET_P95_RERUN_SECONDS,
    measure,
    percentile,
    row,
)

SESSIONS = 5
SECONDS = 30.0
pytestmark = pytest.mark.browser


def test_five_live_sessions_run_without_errors_fast_reruns_and_little_memory(
    browser: Browser,
) -> None:
    (result,) = measure(browser, [SESSIONS], SECONDS)
    figures = f"{HEADER}\n{row(result)}"
    assert result.errors == [], figures
    assert len(result.load_seconds) == SESSIONS, figures
    # Each session's run_every fragment ran more than once in the window.
    assert len(result.rerun_seconds) >= SESSIONS * 2, figures
    assert percentile(result.rerun_seconds, 0.95) < TARGET_P95_RERUN_SECONDS, figures
    assert result.mb_per_session < TARGET_MB_PER_SESSION, figures
