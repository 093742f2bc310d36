"""How a forecast did against the actuals: scores per item (worst first) and of all items."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st
from streamlit.elements.lib.column_types import ColumnConfig

from components.common.item_picker import MAX_ITEMS
from components.common.plain_text import escape_markdown
from components.forecast.forecast_picker import ITEMS_KEY
from dashboard.analysis.accuracy import Accuracy, ItemScore
from dashboard.analysis.metrics import METRICS, NOT_COMPUTED, notes
from dashboard.session.routes import FORECAST_PAGE, ITEM_PARAM, JOB_PARAM

PILLS_KEY = "forecast_accuracy_pick"
# The worst items offered as one-click choices; every item keeps its link in the table.
PILLS = 10
SHOWN_UNSCORED = 20
ITEM, CHART = "item", "chart"


def item_link(job_id: str, item: str) -> str:
    """A link to the viewer on `item`, relative so it keeps the dashboard's own base path."""
    return f"{FORECAST_PAGE.url_path}?{urlencode({JOB_PARAM: job_id, ITEM_PARAM: item})}"


def _row(score: ItemScore) -> dict[str, object]:
    row: dict[str, object] = {ITEM: score.item, "steps": score.steps}
    row.update({metric.label: getattr(score, metric.attribute) for metric in METRICS})
    row.update({f"in {level}% band": share for level, share in score.coverage.items()})
    row[NOT_COMPUTED] = "; ".join(score.missing.values())
    return row


def score_table(scores: list[ItemScore], job_id: str | None) -> pd.DataFrame:
    """One row per score, in the order given; with each item's chart link when `job_id`.

    A metric no row has is left out (its reason is in NOT_COMPUTED), so no column of blanks.
    """
    table = pd.DataFrame([_row(score) for score in scores])
    empty = [metric.label for metric in METRICS if table[metric.label].isna().all()]
    table = table.drop(columns=empty)
    if not table[NOT_COMPUTED].astype(bool).any():
        table = table.drop(columns=NOT_COMPUTED)
    if job_id is not None:
        table[CHART] = [item_link(job_id, score.item) for score in scores]
    return table


def _config(accuracy: Accuracy) -> dict[str, ColumnConfig]:
    number = st.column_config.NumberColumn
    config: dict[str, ColumnConfig] = {
        metric.label: number(metric.label, format=metric.format, help=metric.definition)
        for metric in METRICS
    }
    for level in accuracy.overall.coverage:
        name = f"in {level}% band"
        config[name] = number(name, format="percent", help=f"Meant to be {level}%.")
    config[CHART] = st.column_config.LinkColumn("chart", display_text="Open its chart")
    return config


def _pick(key: str) -> None:
    """Pills callback: draw the clicked item alone, as its link would."""
    item = st.session_state.get(key)
    if item:
        st.session_state[ITEMS_KEY] = [item][:MAX_ITEMS]
    st.session_state[key] = None


def metric_notes(accuracy: Accuracy) -> str:
    """How each score is computed, for a caption."""
    point = f"the column {accuracy.point}" if accuracy.point else "the point forecast"
    return (
        f"Scored against {escape_markdown(point)}. {escape_markdown(notes())} "
        f"MASE's seasonal naive: season length {accuracy.season_length} steps. Band columns: "
        "the share of actuals inside each band. All items: every scored step pooled, MASE "
        "weighted by steps."
    )


def _unscored(items: list[str]) -> None:
    if not items:
        return
    shown = ", ".join(items[:SHOWN_UNSCORED])
    more = f" and {len(items) - SHOWN_UNSCORED:,} more" if len(items) > SHOWN_UNSCORED else ""
    st.caption(
        f"Not scored, no actual on any of their forecast steps ({len(items):,}): "
        f"{escape_markdown(shown)}{more}"
    )


def accuracy_section(accuracy: Accuracy | None, job_id: str) -> None:
    """Scores worst first, what was scored, and how each score is computed."""
    st.subheader("Accuracy against the actuals")
    if accuracy is None:
        st.caption(
            "None of the observed values falls on a forecast step (or the forecast has no "
            "point column), so nothing is scored yet. Attach the actuals once they are known."
        )
        return
    st.caption(
        f"Scored {accuracy.steps_scored:,} of {accuracy.steps_forecast:,} forecast steps, "
        f"{len(accuracy.items):,} item(s) with actuals."
    )
    config = _config(accuracy)
    st.dataframe(
        score_table([accuracy.overall], None),
        hide_index=True,
        column_config=config,
        key="forecast_accuracy_overall",
    )
    st.dataframe(
        score_table(accuracy.items, job_id),
        hide_index=True,
        column_config=config,
        key="forecast_accuracy_items",
    )
    st.pills(
        "Draw one of the worst items",
        [score.item for score in accuracy.items[:PILLS]],
        format_func=escape_markdown,
        key=PILLS_KEY,
        on_change=_pick,
        args=(PILLS_KEY,),
    )
    _unscored(accuracy.unscored_items)
    st.caption(metric_notes(accuracy))
