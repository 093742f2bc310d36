"""A wait the viewer can see: what the page is waiting for, and since when."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.runtime.scriptrunner import add_script_run_ctx

from components.common.plain_text import escape_markdown
from dashboard.jobs.timing import format_absolute, viewer_timezone

# A wait shorter than this draws nothing, so quick answers do not flash a message.
SHOW_AFTER_SECONDS = 0.25


@contextmanager
def waiting(what: str, where: DeltaGenerator | None = None) -> Iterator[None]:
    """Say what the run waits for and since when, once the wait passes a moment.

    Said in place, or in `where` (an `st.empty()` slot elsewhere on the page).
    """
    slot = where if where is not None else st.empty()
    since = format_absolute(datetime.now(UTC), viewer_timezone(st.context.timezone))
    message = f"{escape_markdown(what)}, since {escape_markdown(since)}…"
    lock = threading.Lock()
    over = False

    def show() -> None:
        with lock:
            if not over:
                slot.info(message, icon=":material/hourglass_top:")

    # The run itself is blocked in the wait: only another thread can draw meanwhile, and it
    # needs the run's context to write to this session's page (as st.spinner does).
    timer = threading.Timer(SHOW_AFTER_SECONDS, show)
    add_script_run_ctx(timer)
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            over = True
        slot.empty()
