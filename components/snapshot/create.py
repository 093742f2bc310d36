"""The job page's "Create a snapshot" control, and the link it gives."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import plotly.graph_objects as go
import streamlit as st

from components.forecast_chart import fan_figure
from components.observed_files import first_item_figure
from components.plain_text import escape_markdown, escape_untrusted
from dashboard.forecast_csv import ForecastCsvError
from dashboard.forecast_data import ForecastData
from dashboard.links import snapshot_url
from dashboard.observations import Observations
from dashboard.routes import SNAPSHOT_PAGE, SNAPSHOT_PARAM
from dashboard.settings import SettingsError
from dashboard.snapshots import SnapshotContent, snapshot_content
from eomer_client.errors import EomerError
from eomer_client.models import Job, JobStatus
from store import SavedSnapshot

FORM_KEY = "job_snapshot_form"
TITLE_KEY = "job_snapshot_title"
DAYS_KEY = "job_snapshot_days"
CREATED_KEY = "job_snapshot_created"
# The store's own bounds (store/snapshots.py), which it checks again.
MAX_TITLE_LENGTH = 200
MAX_EXPIRY_DAYS = 366

Create = Callable[[str, SnapshotContent, int | None], SavedSnapshot]


def snapshot_figure(data: ForecastData, observed: Observations | None) -> go.Figure | None:
    """The chart a snapshot keeps: the job page's history chart, else the first item's fan."""
    if observed is not None and (figure := first_item_figure(data, observed)) is not None:
        return figure
    if not data.items:
        return None
    first = data.items[0]
    return fan_figure([(first, data.item_frame(first))], data.columns)


def snapshot_link(snapshot_id: str) -> None:
    """The snapshot's link to open and to copy."""
    st.page_link(
        SNAPSHOT_PAGE.script,
        label="Open the snapshot",
        query_params={SNAPSHOT_PARAM: snapshot_id},
        icon=":material/photo_camera:",
    )
    st.caption("Its link, to copy (anyone holding it sees the snapshot, no token needed):")
    st.code(snapshot_url(st.context.url or "", snapshot_id), language=None, wrap_lines=True)


def _chart(
    job: Job, forecast: Callable[[], ForecastData], observed: Observations | None
) -> go.Figure | None:
    """The forecast chart to freeze, read now; left out (and said) when it cannot be read."""
    if job.status != JobStatus.COMPLETED:
        return None
    try:
        return snapshot_figure(forecast(), observed)
    except (EomerError, ForecastCsvError) as err:
        st.caption(f"The snapshot has no chart: {escape_untrusted(str(err))}")
        return None


def snapshot_control(
    job: Job,
    forecast: Callable[[], ForecastData],
    observed: Observations | None,
    create: Create,
) -> None:
    """A title and an expiry; on submit, the page frozen into the store and its link shown."""
    with st.form(FORM_KEY):
        title = st.text_input("Title", value=f"Job {job.job_id}"[:MAX_TITLE_LENGTH], key=TITLE_KEY)
        days = st.number_input(
            "Expires after how many days (0: never)",
            min_value=0,
            max_value=MAX_EXPIRY_DAYS,
            value=0,
            step=1,
            key=DAYS_KEY,
        )
        submitted = st.form_submit_button("Create a snapshot", icon=":material/photo_camera:")
    if submitted:
        content = snapshot_content(job, _chart(job, forecast, observed), datetime.now(UTC))
        try:
            snapshot_id = create(title, content, int(days) or None).snapshot_id
        except SettingsError as err:
            st.error(escape_markdown(str(err)), icon=":material/error:")
        else:
            st.session_state[CREATED_KEY] = (job.job_id, snapshot_id)
    kept = st.session_state.get(CREATED_KEY)
    if isinstance(kept, tuple) and kept[0] == job.job_id:
        st.success("Snapshot created: a frozen copy of this page.", icon=":material/check:")
        snapshot_link(kept[1])
