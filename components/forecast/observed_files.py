"""History and actuals of a job's series: what the session knows, and files attached to it."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.common.plain_text import escape_untrusted, one_line
from components.common.series_column_choice import choose, read_as, table_notes, with_guess_notes
from components.common.table_file import TableKeys, read_once
from components.common.upload_field import kept_upload
from components.forecast.forecast_chart import fan_figure, forecast_chart
from components.forecast.forecast_history import ChartObservations, history_window, observed_rows
from dashboard.caching.session_data import SessionData
from dashboard.forecasts.forecast_data import ForecastData
from dashboard.isolation.isolated_reading import SeriesTable, series_observations
from dashboard.safety.render_policy import PLOT_ACCEPTED_TYPES
from dashboard.safety.upload_limits import MAX_FILE_MB
from dashboard.series.observations import ITEM, TIME, Observations
from dashboard.series.plot_history import plot_history
from dashboard.series_files import SeriesColumns, SeriesFileError
from dashboard.session.routes import FORECAST_PAGE, JOB_PARAM
from dashboard.tables.table_reading import TABLE_TYPES
from eomer_client.errors import EomerError
from eomer_client.models import Job

MAX_OBSERVED_BYTES = MAX_FILE_MB << 20  # the server's own upload limit (.streamlit/config.toml)
UPLOAD_KEY = "forecast_observed_upload"
ATTACH_KEY = "forecast_observed_attach"
REMOVE_KEY = "forecast_observed_remove"
COLUMN_KEYS = ("forecast_observed_item", "forecast_observed_time", "forecast_observed_target")
WHOLE_HISTORY_KEY = "forecast_whole_history"
_KEYS = TableKeys(table="forecast_observed_table", sheet="forecast_observed_sheet")
_ROUND_KEY = "forecast_observed_round"


def time_span(times: pd.Series) -> str:
    """ "2024-01-01 … 2024-06-30" (with the offset when zoned), or the first and last step."""
    if times.empty:
        return "no times"
    first, last = times.min(), times.max()
    if not isinstance(first, pd.Timestamp) or not isinstance(last, pd.Timestamp):
        return f"steps {first:g} … {last:g}"
    wall = times.dt.tz_localize(None) if getattr(times.dtype, "tz", None) is not None else times
    shape = "%Y-%m-%d" if bool((wall == wall.dt.normalize()).all()) else "%Y-%m-%d %H:%M"
    zone = f" (UTC{first.isoformat()[-6:]})" if first.tzinfo is not None else ""
    return f"{first.strftime(shape)} … {last.strftime(shape)}{zone}"


def known_line(observed: Observations) -> str:
    """What the session knows for the job, in one line (the source is untrusted text)."""
    items = len(observed.items)
    noun = "item" if items == 1 else "items"
    span = time_span(observed.frame[TIME])
    return f"Observed values from {observed.source}: {items:,} {noun}, {span}"


def _guessed(table: SeriesTable) -> SeriesColumns:
    if table.guess is not None:
        return table.guess
    st.warning(f"{escape_untrusted(table.guess_problem or '')}  \nChoose the columns below.")
    names = [str(name) for name in table.frame.columns]
    return SeriesColumns(None, names[0], names[-1])


def _choice(label: str, options: Sequence[str], guess: str, key: str) -> str:
    return str(st.selectbox(label, options, index=list(options).index(guess), key=key))


def _columns(table: SeriesTable) -> SeriesColumns:
    """Which column is which: guessed, shown and changeable."""
    names = [str(name) for name in table.frame.columns]
    guess = _guessed(table)
    # Keyed by the file, so a new file starts from its own guess.
    keys = [f"{key}_{table.reading_key}" for key in COLUMN_KEYS]
    item_column, time_column, target_column = st.columns(3)
    with item_column:
        item = choose("Item column", names, guess.item, keys[0], role="item")
    with time_column:
        time = _choice("Time column", names, guess.timestamp, keys[1])
    with target_column:
        target = choose("Value column", names, guess.target, keys[2], role="target")
    read_as(table_notes(table.frame, table.guess))
    return with_guess_notes(SeriesColumns(item, time, target or guess.target), guess)


def _as_known_series(
    observed: Observations, columns: SeriesColumns, known: Observations | None
) -> Observations:
    """A file of one unnamed series continues the one series the job already knows, if so."""
    if columns.item is not None or known is None or len(known.items) != 1:
        return observed
    return dataclasses.replace(observed, frame=observed.frame.assign(**{ITEM: known.items[0]}))


def _attach_upload(job_id: str, data: SessionData) -> None:
    """The uploader, the column choice, and attaching the file's values to the job."""
    round_ = st.session_state.get(_ROUND_KEY, 0)
    upload = kept_upload(
        st.file_uploader(
            "Attach a file of history or actuals (CSV, XLSX or ODS; one series or many)",
            type=list(TABLE_TYPES),
            # A new key empties the uploader once its file is attached.
            key=f"{UPLOAD_KEY}_{round_}",
            max_upload_size=MAX_OBSERVED_BYTES // (1024 * 1024),
        )
    )
    if upload is None:
        return
    name = one_line(upload.name, 80)
    try:
        table = read_once(upload.getvalue(), upload.name, MAX_OBSERVED_BYTES, _KEYS)
        columns = _columns(table)
        if not st.button("Attach to this job", key=ATTACH_KEY, icon=":material/attach_file:"):
            return
        source = f"the uploaded file {name} (this session)"
        observed = series_observations(table, columns, source)
        data.attach(job_id, _as_known_series(observed, columns, data.observed(job_id)))
    except SeriesFileError as err:
        st.error(
            f"**{escape_untrusted(name)} could not be used.**  \n{escape_untrusted(str(err))}",
            icon=":material/error:",
        )
        return
    st.session_state[_ROUND_KEY] = round_ + 1
    st.rerun()


def read_plot_history(job: Job, data: SessionData) -> None:
    """Keep the history the job's service plot draws (as its page shows it), read once."""
    if job.job_id in data.plotted or not job.forecast_plot_url:
        return
    try:
        fetched = data.content.get(job.forecast_plot_url, accept=PLOT_ACCEPTED_TYPES)
    except EomerError:
        return  # not kept: asked again next run; the plot's own place says what failed
    data.plotted[job.job_id] = plot_history(fetched.content)


def observed_files(job_id: str, data: SessionData) -> Observations | None:
    """What the session knows was observed for the job (its service plot's history too), and
    a way to attach or remove files."""
    observed = data.observed(job_id, with_plot=True)
    if observed is None:
        st.caption(
            ":material/history: No history or actuals known for this job: attach a file of "
            "observed values to draw the history before the forecast and score it."
        )
    else:
        st.caption(f":material/history: {escape_untrusted(known_line(observed))}")
    with st.expander("History and actuals: attach a file", icon=":material/attach_file:"):
        if job_id in data.attached and st.button(
            "Remove the attached files", key=REMOVE_KEY, icon=":material/delete:"
        ):
            del data.attached[job_id]
            st.rerun()
        _attach_upload(job_id, data)
    return observed


def value_title(observed: Observations) -> str:
    """The value axis: the unit when known, else the value column of the latest file."""
    return observed.unit or observed.target_name or "target"


def _longest_history(data: ForecastData, rows: dict[str, pd.DataFrame]) -> tuple[int, int]:
    """(the most history points of an item, that item's forecast steps)."""
    longest = (0, 0)
    for item, found in rows.items():
        times = data.item_frame(item)[data.columns.timestamp]
        longest = max(longest, (int((found[TIME] < times.min()).sum()), len(times)))
    return longest


def chart_observations(
    data: ForecastData, observed: Observations | None, items: Sequence[str]
) -> ChartObservations | None:
    """The observed values of the drawn items, with a switch to the whole history when long."""
    if observed is None:
        return None
    rows = observed_rows(data, observed, items)
    if not rows:
        st.caption(
            "None of the observed series matches the items drawn (by item ID, or one series "
            "against one forecast series), or their times are of another kind (dates, steps)."
        )
        return None
    points, steps = _longest_history(data, rows)
    shown = history_window(steps)
    whole = points > shown and st.toggle(
        "Show the whole history",
        key=WHOLE_HISTORY_KEY,
        help=f"{points:,} points of history; the chart starts with the last {shown:,}.",
    )
    return ChartObservations(rows, value_title(observed), data.time_offset, whole)


def first_item_figure(data: ForecastData, observed: Observations) -> go.Figure | None:
    """The first item with observed values, its history before its fan; None when none has."""
    seen = ChartObservations({}, value_title(observed), data.time_offset)
    for item in data.items:
        rows = observed_rows(data, observed, [item])
        if rows:
            seen = dataclasses.replace(seen, rows=rows)
            frame = data.item_frame(item)
            return fan_figure([(item, frame)], data.columns, observed=seen, total=len(data.items))
    return None


def first_item_chart(job_id: str, data: ForecastData, observed: Observations) -> bool:
    """The first item with observed values, its history before its fan, and the viewer for
    more; False, having drawn nothing, when no item has observed values."""
    figure = first_item_figure(data, observed)
    if figure is None:
        return False
    forecast_chart(figure, key="job_history_fan")
    more = f" ({len(data.items):,} items)" if len(data.items) > 1 else ""
    st.page_link(
        FORECAST_PAGE.script,
        label=f"Every item with its history and accuracy in the viewer{more}",
        query_params={JOB_PARAM: job_id},
        icon=":material/show_chart:",
    )
    return True
