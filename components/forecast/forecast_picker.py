"""Choosing forecast items in the viewer: the item picker, and the summary tables."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st
from streamlit.elements.lib.column_types import ColumnConfig

from components.common.error_box import error_box
from components.common.item_picker import MAX_ITEMS, PickerKeys, pick_items
from components.common.plain_text import escape_markdown
from dashboard.forecasts.forecast_csv import ForecastCsvError, ForecastData
from dashboard.forecasts.forecast_summary import largest_change, unchanged, widest_uncertainty
from eomer_client.errors import ContentTooLargeError, EomerError

ColumnConfigs = Mapping[str, ColumnConfig]

VIEWER_PICKER = PickerKeys(
    "forecast",
    "Items to draw",
    "Type part of an item ID ({count:,} items)",
    "Not in this forecast",
    "Search for the item below.",
)
ITEMS_KEY = VIEWER_PICKER.items
SEARCH_KEY = VIEWER_PICKER.search


def item_picker(data: ForecastData, job_key: str) -> list[str]:
    """The forecast's items to draw, chosen with the one item picker."""
    return pick_items(VIEWER_PICKER, data.items, job_key)


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
