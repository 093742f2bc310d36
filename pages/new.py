"""New forecast: a file or a demo data set, its columns, the settings, checks, then one POST."""

from __future__ import annotations

from functools import partial

import streamlit as st

import deps
from components.common.plain_text import escape_markdown
from components.common.series_column_choice import read_as, table_notes
from components.new.new_forecast_draft import make_draft
from components.new.new_forecast_form import current_settings, settings_form
from components.new.new_forecast_source import (
    checked_history,
    column_choice,
    series_problems,
    series_source,
    series_summary,
)
from components.new.new_forecast_submission import Destination, last_start, send_forecast
from components.shell.app_shell import require_app_shell
from dashboard.series.sample_series import SAMPLES

require_app_shell(deps)
st.title("New forecast")
st.caption(
    "Send a file of series to the API; the job's page then follows it live, and it joins the "
    "watch list."
)
last_start()

st.subheader("Series", anchor=False)
source = series_source(SAMPLES)
reading = column_choice(source) if source is not None else None
history = None
if source is not None and reading is not None:
    history, problems = checked_history(source, reading)
    if history is None:
        read_as(table_notes(source.frame, reading.columns))
        series_problems(problems)
    else:
        st.caption(escape_markdown(series_summary(history, len(source.frame))))
        read_as(history.notes)

# Drawn with or without series, so the settings are kept while the file changes.
st.subheader("Settings", anchor=False)
live = deps.connected()
refused = None
if history is None:
    refused = (
        "Choose a file or a demo data set first."
        if source is None
        else "Fix the problems with the series above first."
    )
if isinstance(live, deps.Unconnected):
    st.warning(
        "**No API is connected.** Choose the API and enter its token in the sidebar, then "
        "start the forecast.",
        icon=":material/key:",
    )
    refused = "Connect to an API in the sidebar first."
    destination = None
else:
    destination = Destination(live.client.start_forecast, live.api_host)
clicked = settings_form(refused=refused)
if source is not None and reading is not None and history is not None:
    request = partial(make_draft, source, reading, history)
    send_forecast(clicked, lambda: request(current_settings()), destination, live.data)
