"""Uploaded files held by the server: who may upload, and how much a session and all may hold."""

from __future__ import annotations

import pytest

from dashboard.caching.budgets import BUDGETS
from dashboard.safety.upload_limits import (
    SESSION_FILES,
    UNUSED_SECONDS,
    UploadLedger,
    UploadRefusedError,
)

MB = 1 << 20


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_session_that_never_passed_the_gate_may_upload_nothing() -> None:
    ledger = UploadLedger(BUDGETS.upload_session_bytes, BUDGETS.upload_process_bytes)
    with pytest.raises(UploadRefusedError, match="signed-in sessions") as refused:
        ledger.admit("visitor", "f1", 1)
    assert refused.value.status == 403
    assert ledger.held() == 0


def test_one_session_holds_at_most_its_cap_and_replacing_a_file_counts_once() -> None:
    ledger = UploadLedger(session_bytes=64 * MB, process_bytes=1000 * MB)
    ledger.allow("s")
    ledger.admit("s", "a", 20 * MB)
    ledger.admit("s", "a", 20 * MB)  # the same file sent again
    ledger.admit("s", "b", 40 * MB)
    with pytest.raises(UploadRefusedError, match=r"would hold 65 MB.*may hold 64 MB") as refused:
        ledger.admit("s", "c", 5 * MB)
    assert refused.value.status == 413
    ledger.release("s", "a")
    ledger.admit("s", "c", 5 * MB)
    assert ledger.held("s") == 45 * MB


def test_the_process_holds_at_most_its_cap_across_sessions() -> None:
    ledger = UploadLedger(session_bytes=64 * MB, process_bytes=100 * MB)
    for number in range(5):
        ledger.allow(f"s{number}")
    for number in range(5):
        ledger.admit(f"s{number}", "f", 20 * MB)
    ledger.allow("late")
    with pytest.raises(UploadRefusedError, match=r"holds 100 MB.*\(100 MB\)") as refused:
        ledger.admit("late", "f", 1)
    assert refused.value.status == 503
    ledger.end_session("s0")
    ledger.admit("late", "f", 1)
    with pytest.raises(UploadRefusedError, match="signed-in"):
        ledger.admit("s0", "again", 1)  # an ended session may not upload any more


def test_files_no_widget_holds_are_unused_once_a_minute_old() -> None:
    clock = Clock()
    ledger = UploadLedger(BUDGETS.upload_session_bytes, BUDGETS.upload_process_bytes, clock)
    ledger.allow("s")
    ledger.admit("s", "kept", 1)
    ledger.admit("s", "left", 1)
    assert ledger.unused("s", {"kept"}) == []
    clock.now += UNUSED_SECONDS
    assert ledger.unused("s", {"kept"}) == ["left"]


def test_a_session_holds_a_bounded_number_of_files_notes_included() -> None:
    ledger = UploadLedger(BUDGETS.upload_session_bytes, BUDGETS.upload_process_bytes)
    ledger.allow("s")
    for number in range(SESSION_FILES - 1):
        ledger.admit("s", f"f{number}", 1)
    ledger.note("s", "refused", 100)
    with pytest.raises(UploadRefusedError, match=f"{SESSION_FILES} uploaded files") as refused:
        ledger.admit("s", "one more", 1)
    assert not refused.value.noted
    assert ledger.held("s") == SESSION_FILES - 1 + 100
