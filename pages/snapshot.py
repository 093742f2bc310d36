"""Snapshots: one drawn read-only from the store by its link, or the list of your own."""

from __future__ import annotations

import streamlit as st

import deps
from components.common.plain_text import escape_markdown
from components.shell.app_shell import require_app_shell
from components.snapshot.owned import own_snapshots
from components.snapshot.view import snapshot_view
from dashboard.jobs.timing import viewer_timezone
from dashboard.session.connection_settings import SettingsError
from dashboard.session.routes import SNAPSHOT_PARAM

# No connection and no token here: a snapshot is read from the team store alone.
require_app_shell(deps)
tz = viewer_timezone(st.context.timezone)
snapshot_id = st.query_params.get(SNAPSHOT_PARAM)
if not snapshot_id:
    st.title("Your snapshots")
    own_snapshots(deps.own_snapshots, deps.delete_snapshot, tz)
    st.stop()

st.title("Snapshot")
try:
    found = deps.snapshot(snapshot_id)
except SettingsError as err:
    st.error(escape_markdown(str(err)), icon=":material/error:")
    st.stop()
snapshot_view(found, tz)
