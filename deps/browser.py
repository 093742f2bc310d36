"""What a script run knows of its browser: its session ID, its own secret, whether it has gone."""

from __future__ import annotations

import secrets as _secrets
from collections.abc import Callable

import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from eomer_client.retry import never_abandoned

DEMO_HISTORY_KEY = "deps_demo_history"


def asker() -> str:
    """This browser session's ID: a session never reuses a running job's answer it got itself."""
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else ""


def abandonment_check() -> Callable[[], bool]:
    """True once this run's browser session has gone, so its requests stop at their next check."""
    ctx = get_script_run_ctx()
    if ctx is None or not Runtime.exists():
        return never_abandoned
    runtime, session_id = Runtime.instance(), ctx.session_id
    # Streamlit documents is_active_session as safe from any thread: fetch workers call it too.
    return lambda: not runtime.is_active_session(session_id)


def browser_key() -> str:
    """This browser's own secret: the token of Streamlit's XSRF cookie (made once per browser,
    kept across reloads and tabs; the cookie masks it anew each time), else the session's."""
    parts = st.context.cookies.get("_streamlit_xsrf", "").strip("\"'").split("|")
    if len(parts) == 4 and parts[0] == "2":
        try:
            mask, masked = bytes.fromhex(parts[1]), bytes.fromhex(parts[2])
        except ValueError:
            mask = masked = b""
        if mask and masked:
            return bytes(byte ^ mask[i % len(mask)] for i, byte in enumerate(masked)).hex()
    kept: str = st.session_state.setdefault(DEMO_HISTORY_KEY, _secrets.token_hex(16))
    return kept
