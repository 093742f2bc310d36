"""A snapshot drawn read-only from what the store kept: every text escaped, no API asked."""

from __future__ import annotations

import base64
import re
from datetime import datetime, tzinfo

import streamlit as st

from components.common.plain_text import escape_markdown, escape_untrusted, one_line
from components.job.job_summary import fact, status_heading
from dashboard.jobs.explanations import explain_job_failure
from dashboard.jobs.timing import format_absolute, format_duration
from dashboard.safety.html_isolation import isolated_html_document
from dashboard.snapshot.snapshot_content import (
    SnapshotContent,
    SnapshotContentError,
    read_content,
    snapshot_figure,
)
from dashboard.snapshot.snapshot_html import snapshot_html
from dashboard.snapshot.snapshot_sections import FrozenTable, chart_figure, table_frame
from dashboard.snapshot.snapshot_visuals import FrozenVisual, image_uri
from store import SavedSnapshot, SnapshotLookup, SnapshotState

_FILE_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_IFRAME_HEIGHT = 520


def snapshot_view(found: SnapshotLookup, tz: tzinfo) -> None:
    """The snapshot, or plainly why it cannot be shown: not found, deleted or expired."""
    saved = found.snapshot
    if found.state is SnapshotState.MISSING or saved is None:
        st.error(
            "**Snapshot not found.** Check that the link was copied in full, or ask whoever "
            "shared it for a new one.",
            icon=":material/search_off:",
        )
        return
    if found.state is SnapshotState.DELETED:
        when = _when(saved.deleted_at, tz)
        st.warning(
            f"**This snapshot was deleted** by its creator ({when}).", icon=":material/delete:"
        )
        return
    if found.state is SnapshotState.EXPIRED:
        when = _when(saved.expires_at, tz)
        st.warning(
            f"**This snapshot expired** ({when}). Ask its creator for a new one.",
            icon=":material/timer_off:",
        )
        return
    try:
        content = read_content(saved.body)
    except SnapshotContentError as err:
        st.error(escape_markdown(str(err)), icon=":material/error:")
        return
    _drawn(saved, content, tz)


def _when(moment: datetime | None, tz: tzinfo) -> str:
    return "—" if moment is None else format_absolute(moment, tz)


def _drawn(saved: SavedSnapshot, content: SnapshotContent, tz: tzinfo) -> None:
    by = f" by {escape_untrusted(saved.created_by)}" if saved.created_by else ""
    st.header(escape_untrusted(one_line(saved.title)), anchor=False)
    st.info(
        f"**A snapshot**: a frozen, read-only copy taken {_when(saved.created_at, tz)}{by}. "
        "It does not change when the job does.",
        icon=":material/photo_camera:",
    )
    if content.page == "compare":
        st.subheader("Forecasts compared item by item", anchor=False)
    else:
        _facts(content, tz)
        _forecast(content)
    for number, chart in enumerate(content.charts):
        st.markdown(f"**{escape_untrusted(one_line(chart.title))}**")
        figure = chart_figure(chart.figure_json)
        st.plotly_chart(figure, theme="streamlit", width="stretch", key=f"snapshot_chart_{number}")
    for number, table in enumerate(content.tables):
        _table(table, number)
    if content.visuals:
        st.subheader("The service's plots and report, as copied", anchor=False)
    for number, visual in enumerate(content.visuals):
        _visual(visual, number)
    if content.page != "compare":
        _overview(content)
    for note in content.left_out:
        st.caption(escape_markdown(note))
    _download(saved, content)


def _forecast(content: SnapshotContent) -> None:
    st.subheader("Forecast", anchor=False)
    figure = snapshot_figure(content)
    if figure is None:
        st.caption("No chart was kept in this snapshot.")
    else:
        st.plotly_chart(figure, theme="streamlit", width="stretch", key="snapshot_chart")


def _table(table: FrozenTable, number: int) -> None:
    """A kept table as data (st.dataframe draws no markdown or HTML in its cells)."""
    st.subheader(escape_untrusted(one_line(table.title)), anchor=False)
    st.dataframe(table_frame(table), hide_index=True, key=f"snapshot_table_{number}")
    if table.note:
        st.caption(escape_untrusted(table.note))


def _visual(visual: FrozenVisual, number: int) -> None:
    """A copied visual drawn as the job page draws its kind; HTML stays isolated."""
    title = escape_untrusted(one_line(visual.title))
    if visual.kind == "image" and visual.media_type == "image/svg+xml":
        st.image(image_uri(visual), caption=title)
    elif visual.kind == "image":
        st.image(base64.b64decode(visual.data), caption=title)
    elif visual.kind == "html":
        st.markdown(f"**{title}**")
        st.iframe(isolated_html_document(visual.data), height=_IFRAME_HEIGHT, alt=visual.title)
    elif visual.kind == "markdown":
        st.markdown(f"**{title}**")
        st.markdown(visual.data, unsafe_allow_html=True)
    else:
        st.markdown(f"**{title}**")
        figure = chart_figure(visual.data)
        st.plotly_chart(figure, theme="streamlit", width="stretch", key=f"snapshot_visual_{number}")
    if visual.note:
        st.caption(escape_markdown(visual.note))


def _overview(content: SnapshotContent) -> None:
    st.subheader("Explainability overview", anchor=False)
    if content.overview_html:
        st.markdown(content.overview_html, unsafe_allow_html=True)
    else:
        st.caption("The job gave no explainability overview.")


def _facts(content: SnapshotContent, tz: tzinfo) -> None:
    st.subheader(status_heading(content.status), anchor=False)
    st.text(f"Job ID: {content.job_id}")
    created, finished, elapsed, size = st.columns(4)
    created.markdown(f"**Created**  \n{_when(content.created_at, tz)}")
    finished.markdown(f"**Finished**  \n{_when(content.completed_at, tz)}")
    seconds = content.elapsed_seconds
    elapsed.markdown(f"**Elapsed**  \n{'—' if seconds is None else format_duration(seconds)}")
    items = "—" if content.num_items is None else f"{content.num_items:,}"
    steps = "—" if content.prediction_length is None else f"{content.prediction_length:,}"
    size.markdown(f"**Items**  \n{items}  \n**Prediction length**  \n{steps}")
    if content.error_code or content.error:
        explanation = explain_job_failure(content.error_code)
        st.error(f"**The job failed.**  \n{escape_markdown(explanation.summary)}")
        if content.error:
            st.text(content.error)
    for name, value in content.provenance.items():
        fact(name, value)


def _download(saved: SavedSnapshot, content: SnapshotContent) -> None:
    name = _FILE_NAME_UNSAFE.sub("-", one_line(saved.title, 60)).strip("-") or "snapshot"
    st.download_button(
        "Download as one HTML file (opens offline)",
        snapshot_html(content, saved.title, saved.created_at, saved.created_by),
        file_name=f"{name}.html",
        mime="text/html",
        icon=":material/download:",
        key="snapshot_download",
        on_click="ignore",
    )
