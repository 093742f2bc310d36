"""How the forecast file was read, said above the chart, and the choices that correct a guess."""

from __future__ import annotations

import streamlit as st

from components.common.plain_text import escape_untrusted
from dashboard.forecasts.forecast_csv import ForecastData, ReadOptions

OPTIONS_KEY = "forecast_read_options"
GUESS = "Guess"
SEPARATORS: dict[str, str | None] = {
    GUESS: None,
    "Comma ,": ",",
    "Semicolon ;": ";",
    "Tab": "\t",
    "Pipe |": "|",
}
DATE_ORDERS: dict[str, bool | None] = {
    "Guess from the whole column": None,
    "Day first (31/01/2025)": True,
    "Month first (01/31/2025)": False,
}
NO_POINT = "(none)"
EACH_MODEL = "Each model as its own series"


def read_options(job_id: str) -> ReadOptions:
    """The corrections this session chose for the job's file (none: the reader guesses)."""
    chosen: dict[str, ReadOptions] = st.session_state.setdefault(OPTIONS_KEY, {})
    return chosen.get(job_id, ReadOptions())


def read_as_line(data: ForecastData) -> None:
    """One line saying what was taken as series, time, point forecast, bands, and what not."""
    st.caption(f":material/table_view: **Read as** {escape_untrusted(data.read_as())}")


def _column_names(data: ForecastData) -> list[str]:
    columns = data.columns
    named = [*columns.series, columns.timestamp, *columns.value_columns, *columns.ignored]
    return list(dict.fromkeys(named))


def _column_choices(data: ForecastData, current: ReadOptions) -> ReadOptions:
    names = _column_names(data)
    columns = data.columns
    series = st.multiselect("Series columns (none: one series)", names, list(columns.series))
    time = st.selectbox("Time column", names, index=names.index(columns.timestamp))
    points = [NO_POINT, *names]
    point = st.selectbox("Point forecast", points, index=points.index(columns.point or NO_POINT))
    model = current.model
    if columns.models:
        models = [EACH_MODEL, *columns.models]
        picked = st.selectbox("Model", models, index=models.index(columns.model or EACH_MODEL))
        model = None if picked == EACH_MODEL else picked
    return ReadOptions(
        series=tuple(series),
        time=time,
        point=None if point == NO_POINT else point,
        model=model,
    )


def corrections(job_id: str, data: ForecastData | None) -> None:
    """Choices for the separator, the date order and, once read, each column's role."""
    current = read_options(job_id)
    with (
        st.expander("Correct how the file was read", expanded=data is None),
        st.form("forecast_read_form", border=False),
    ):
        separator = st.selectbox("Separator", list(SEPARATORS), key="forecast_read_separator")
        order = st.selectbox("Date order", list(DATE_ORDERS), key="forecast_read_date_order")
        columns = _column_choices(data, current) if data is not None else ReadOptions()
        if st.form_submit_button("Read the file again", icon=":material/refresh:"):
            chosen = ReadOptions(
                separator=SEPARATORS[separator],
                dayfirst=DATE_ORDERS[order],
                series=columns.series,
                time=columns.time,
                point=columns.point,
                model=columns.model,
            )
            st.session_state.setdefault(OPTIONS_KEY, {})[job_id] = chosen
            st.rerun()
