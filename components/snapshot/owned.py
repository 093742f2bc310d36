"""The creator's own snapshots: their links to copy, and deleting them."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import tzinfo

import streamlit as st

from components.common.plain_text import escape_markdown, escape_untrusted, one_line
from components.snapshot.create import snapshot_link
from dashboard.jobs.timing import format_absolute
from dashboard.session.connection_settings import SettingsError
from store import SavedSnapshot

DELETE_KEY = "snapshot_delete"


def own_snapshots(
    listed: Callable[[], list[SavedSnapshot]], delete: Callable[[str], bool], tz: tzinfo
) -> None:
    """Each snapshot this analyst (or browser) made, newest first, with its link and Delete."""
    try:
        snapshots = listed()
    except SettingsError as err:
        st.error(escape_markdown(str(err)), icon=":material/error:")
        return
    if not snapshots:
        st.info(
            "You have no snapshots yet. On a finished job's page, **Create a snapshot** keeps "
            "a frozen copy anyone with its link can open, without a token.",
            icon=":material/photo_camera:",
        )
        return
    for saved in snapshots:
        with st.container(border=True):
            expires = "never" if saved.expires_at is None else format_absolute(saved.expires_at, tz)
            st.markdown(f"**{escape_untrusted(one_line(saved.title))}**")
            st.caption(f"Taken {format_absolute(saved.created_at, tz)}; expires {expires}.")
            snapshot_link(saved.snapshot_id)
            if st.button("Delete", key=_delete_key(saved.snapshot_id), icon=":material/delete:"):
                _delete(delete, saved.snapshot_id)


def _delete_key(snapshot_id: str) -> str:
    """A key per snapshot, not per row: a list changed by another tab cannot shift a click."""
    return f"{DELETE_KEY}_{hashlib.sha256(snapshot_id.encode()).hexdigest()[:16]}"


def _delete(delete: Callable[[str], bool], snapshot_id: str) -> None:
    try:
        delete(snapshot_id)
    except SettingsError as err:
        st.error(escape_markdown(str(err)), icon=":material/error:")
        return
    st.rerun()
