"""Choosing forecast items: a search-then-pick box bound to `?item=`, and the summary tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st
from streamlit.elements.lib.column_types import ColumnConfig

from components.error_box import error_box
from components.forecast_chart import MAX_ITEMS
from components.plain_text import escape_markdown
from dashboard.forecast_csv import ForecastCsvError, ForecastData
from dashboard.forecast_summary import largest_change, unchanged, widest_uncertainty
from dashboard.routes import ITEM_PARAM
from eomer_client.errors import ContentTooLargeError, EomerError

ColumnConfigs = Mapping[str, ColumnConfig]

ITEMS_KEY = "forecast_items"
SEARCH_KEY = "forecast_search"
# A multiselect over every item sends all of them to the browser on each rerun and slows the
# page past ~10,000 options (bench figures in the report); search narrows the list first.
MAX_MATCHES = 200
_JOB_KEY = "forecast_items_job"
_URL_KEY = "forecast_items_in_url"


def matching_items(items: Sequence[str], query: str, limit: int = MAX_MATCHES) -> list[str]:
    """The first `limit` items containing `query` (case-insensitive), in order."""
    needle = query.strip().lower()
    matches: list[str] = []
    for item in items:
        if needle in item.lower():
            matches.append(item)
            if len(matches) == limit:
                break
    return matches


def _adopt_url(data: ForecastData, job_key: str) -> None:
    """Take the selection from the URL on a new job, or when the URL changed behind our back."""
    in_url = st.query_params.get_all(ITEM_PARAM)
    if st.session_state.get(_JOB_KEY) == job_key and in_url == st.session_state.get(_URL_KEY):
        return
    known = [item for item in dict.fromkeys(in_url) if item in data.slices]
    unknown = [item for item in in_url if item not in data.slices]
    if unknown:
        st.warning(
            f"Not in this forecast, so not shown: {escape_markdown(', '.join(unknown[:10]))}. "
            "Search for the item below.",
            icon=":material/search_off:",
        )
    if len(known) > MAX_ITEMS:
        st.info(f"The link names {len(known)} items; the first {MAX_ITEMS} are shown.")
    st.session_state[ITEMS_KEY] = known[:MAX_ITEMS] or data.items[:1]
    st.session_state[_JOB_KEY] = job_key


def item_picker(data: ForecastData, job_key: str) -> list[str]:
    """Search box plus multiselect; the chosen items are written to `?item=`."""
    _adopt_url(data, job_key)
    query = st.text_input(
        "Search items",
        key=SEARCH_KEY,
        placeholder=f"Type part of an item ID ({len(data.items):,} items)",
    )
    matches = matching_items(data.items, query)
    chosen: list[str] = st.session_state.get(ITEMS_KEY, [])
    chosen = st.multiselect(
        f"Items to draw (up to {MAX_ITEMS}; {len(matches):,} of {len(data.items):,} listed)",
        list(dict.fromkeys([*chosen, *matches])),
        key=ITEMS_KEY,
        max_selections=MAX_ITEMS,
    )
    if st.query_params.get_all(ITEM_PARAM) != chosen:
        if chosen:
            st.query_params[ITEM_PARAM] = chosen
        else:
            del st.query_params[ITEM_PARAM]
    st.session_state[_URL_KEY] = chosen
    return chosen


def _add_item(source_key: str) -> None:
    """Pills callback: put the clicked item on the chart (dropping the oldest past the cap)."""
    item = st.session_state.get(source_key)
    if item:
        kept = [other for other in st.session_state.get(ITEMS_KEY, []) if other != item]
        st.session_state[ITEMS_KEY] = [*kept, item][-MAX_ITEMS:]
    st.session_state[source_key] = None


def _summary_table(title: str, table: pd.DataFrame, key: str, config: ColumnConfigs) -> None:
    st.markdown(f"**{title}**")
    st.dataframe(table, hide_index=True, column_config=config, key=f"{key}_table")
    st.pills(
        "Add to the chart",
        table["item"].tolist(),
        format_func=escape_markdown,
        key=key,
        on_change=_add_item,
        args=(key,),
    )


def summary_tables(data: ForecastData) -> None:
    """Where to look first: widest relative uncertainty, largest first-to-last change."""
    widest, change = st.columns(2)
    with widest:
        table = widest_uncertainty(data)
        if table.empty:
            st.caption("No pair of symmetric quantiles, so no uncertainty ranking.")
        else:
            config = {
                "relative_width": st.column_config.NumberColumn(
                    "width / |level|", format="percent"
                ),
                "mean_width": st.column_config.NumberColumn("mean width"),
            }
            _summary_table("Widest relative uncertainty", table, "forecast_widest", config)
    with change:
        _change_table(largest_change(data))


def _change_table(table: pd.DataFrame) -> None:
    """The change ranking, or in words why there is none: a table of 0 % would say nothing."""
    title = "Largest change, first to last step"
    reason = unchanged(table)
    if reason is not None:
        st.markdown(f"**{title}**")
        st.caption(reason)
        return
    config = {"relative": st.column_config.NumberColumn("change / |first|", format="percent")}
    # The note column says where a percentage alone would mislead (flat, from 0, missing).
    shown = table if table["note"].any() else table.drop(columns="note")
    _summary_table(title, shown, "forecast_change", config)


def forecast_failure(err: EomerError | ForecastCsvError, max_bytes: int) -> None:
    """Too large and unreadable CSVs get their own words; client errors go to the error box."""
    if isinstance(err, ContentTooLargeError):
        st.error(
            f"The forecast CSV is larger than {max_bytes // 2**20} MB, the viewer's limit. "
            "Download it from the job page and open it in a tool made for large files.",
            icon=":material/data_alert:",
        )
    elif isinstance(err, ForecastCsvError):
        st.error(f"**The forecast CSV could not be read.**  \n{escape_markdown(str(err))}")
    elif error_box(err, retry_key="forecast_retry", title="Forecast"):
        st.rerun()
