"""The "Create a snapshot" control of the job page, the viewer and /compare, and its link."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import plotly.graph_objects as go
import streamlit as st

from components.common.plain_text import escape_markdown, escape_untrusted
from components.common.waiting import waiting
from components.forecast.forecast_chart import fan_figure
from components.forecast.observed_files import first_item_figure
from components.snapshot.freeze import accuracy_tables
from dashboard.analysis.accuracy import score
from dashboard.caching.content_cache import ContentCache, ContentRequest
from dashboard.forecasts.forecast_csv import ForecastCsvError
from dashboard.forecasts.forecast_data import ForecastData
from dashboard.series.observations import Observations
from dashboard.session.connection_settings import SettingsError
from dashboard.session.links import snapshot_url
from dashboard.session.routes import SNAPSHOT_PAGE, SNAPSHOT_PARAM
from dashboard.snapshot.snapshot_content import SnapshotContent, snapshot_content
from dashboard.snapshot.snapshot_visuals import copied_visuals
from eomer_client.client import Fetched
from eomer_client.errors import EomerError
from eomer_client.models import Job, JobStatus
from store import SavedSnapshot


def title_key(page: str) -> str:
    return f"{page}_snapshot_title"


def created_key(page: str) -> str:
    """Where the page keeps what it showed and the snapshot it made of it."""
    return f"{page}_snapshot_created"


TITLE_KEY = title_key("job")
CREATED_KEY = created_key("job")
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


def _read(job: Job, forecast: Callable[[], ForecastData]) -> ForecastData | None:
    """The forecast to freeze, read now; left out (and said) when it cannot be read."""
    if job.status != JobStatus.COMPLETED:
        return None
    try:
        return forecast()
    except (EomerError, ForecastCsvError) as err:
        st.caption(f"The snapshot has no chart: {escape_untrusted(str(err))}")
        return None


def snapshot_control(
    job: Job,
    forecast: Callable[[], ForecastData],
    observed: Observations | None,
    content: ContentCache,
    create: Create,
) -> None:
    """The job page's control: its facts, overview, chart, accuracy and remote visuals frozen.

    The visuals come through the page's own cache, within the bounds the page fetches them in.
    """

    def fetch(request: ContentRequest) -> Fetched:
        return content.get(request.url, max_bytes=request.max_bytes, accept=request.accept)

    def freeze() -> SnapshotContent:
        data = _read(job, forecast)
        figure = None if data is None else snapshot_figure(data, observed)
        scored = None if data is None or observed is None else score(data, observed)
        with waiting("Copying the job's plots and report into the snapshot"):
            visuals = copied_visuals(job, fetch)
        return snapshot_content(
            job, figure, datetime.now(UTC), tables=accuracy_tables(scored), visuals=visuals
        )

    snapshot_form("job", f"Job {job.job_id}", job.job_id, freeze, create)


def snapshot_form(
    page: str, title: str, shown: str, freeze: Callable[[], SnapshotContent], create: Create
) -> None:
    """A title and an expiry; on submit, `freeze()` kept in the store and its link shown.

    `shown` names what the page shows: the link is offered again only while it still does.
    """
    with st.form(f"{page}_snapshot_form"):
        title = st.text_input("Title", value=title[:MAX_TITLE_LENGTH], key=title_key(page))
        days = st.number_input(
            "Expires after how many days (0: never)",
            min_value=0,
            max_value=MAX_EXPIRY_DAYS,
            value=0,
            step=1,
            key=f"{page}_snapshot_days",
        )
        submitted = st.form_submit_button("Create a snapshot", icon=":material/photo_camera:")
    if submitted:
        try:
            snapshot_id = create(title, freeze(), int(days) or None).snapshot_id
        except SettingsError as err:
            st.error(escape_markdown(str(err)), icon=":material/error:")
        else:
            st.session_state[created_key(page)] = (shown, snapshot_id)
    kept = st.session_state.get(created_key(page))
    if isinstance(kept, tuple) and kept[0] == shown:
        st.success("Snapshot created: a frozen copy of this page.", icon=":material/check:")
        snapshot_link(kept[1])
