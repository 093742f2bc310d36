"""One way to show any client error: what failed, why, what to do, and a retry button."""

from __future__ import annotations

import streamlit as st

from components.common.plain_text import escape_markdown
from dashboard.jobs.explanations import explain_error
from eomer_client.errors import ApiError, EomerError


def error_box(err: EomerError, *, retry_key: str, title: str = "") -> bool:
    """Show `err` as an error callout with a Retry button; True when Retry was clicked."""
    heading = f"{title}: " if title else ""
    lines = [
        f"**{escape_markdown(heading + err.message)}**",
        escape_markdown(explain_error(err).summary),
        f"Next step: {escape_markdown(explain_error(err).next_step)}",
    ]
    if isinstance(err, ApiError) and err.request_id:
        lines.append(f"Request ID: {escape_markdown(err.request_id)}")
    st.error("  \n".join(lines), icon=":material/error:")
    return st.button("Retry", key=retry_key, icon=":material/refresh:")
