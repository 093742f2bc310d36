"""The comparison side by side: the verdict, settings with differences marked, and accuracy."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo

import pandas as pd
import streamlit as st

from components.common.plain_text import escape_markdown, escape_untrusted
from components.common.waiting import waiting
from components.compare.compare_chart import elapsed_figure
from components.forecast.forecast_chart import forecast_chart
from dashboard.analysis.accuracy import score
from dashboard.analysis.comparison import (
    COVERAGE,
    UNKNOWN,
    AccuracyRow,
    ComparedJob,
    SettingRow,
    Verdict,
    accuracy_rows,
    settings_rows,
    verdict,
)
from dashboard.analysis.comparison_runs import MIN_JOBS, Run, of_items
from dashboard.analysis.metrics import METRICS, NOT_COMPUTED, notes
from dashboard.jobs.timing import elapsed_seconds
from dashboard.series.observations import Observations

SETTINGS_KEY = "compare_settings"
ACCURACY_KEY = "compare_accuracy"
DIFFERS_COLUMN = "Differs"
DIFFERS_MARK = "≠ differs"
SETTING_COLUMN = "Setting"
RUN_COLUMN = "Run"
BEST_COLUMN = "Best at"


def settings_frame(rows: Sequence[SettingRow], labels: Sequence[str]) -> pd.DataFrame:
    """One row per setting, one column per job, and a column marking the rows that differ."""
    table = pd.DataFrame(
        [[row.name, DIFFERS_MARK if row.differs else "", *row.values] for row in rows],
        columns=[SETTING_COLUMN, DIFFERS_COLUMN, *labels],
    )
    return table


def verdict_line(verdict: Verdict) -> None:
    """The one-line verdict, then what it was judged from."""
    st.markdown(f"**{escape_markdown(verdict.text)}**")
    st.caption(escape_markdown(verdict.basis))


def settings_table(rows: Sequence[SettingRow], labels: Sequence[str]) -> None:
    """Settings side by side; times are shown but never marked, since runs always differ there."""
    st.dataframe(
        settings_frame(rows, labels),
        hide_index=True,
        key=SETTINGS_KEY,
        column_config={DIFFERS_COLUMN: st.column_config.TextColumn(width="small")},
    )


def missing_items(missing: Mapping[str, Sequence[str]], limit: int = 20) -> None:
    """Per run, the items other runs have and it lacks: they are left out of the picker."""
    if not missing:
        return
    lines = []
    for label, items in missing.items():
        shown = ", ".join(items[:limit]) + (
            f" and {len(items) - limit:,} more" if len(items) > limit else ""
        )
        lines.append(
            f"- **{escape_untrusted(label)}** lacks {len(items):,}: {escape_untrusted(shown)}"
        )
    st.markdown(
        "Items not in every run, so not offered below:  \n" + "\n".join(lines),
    )


def unmatched_actuals(actuals: Observations | None, shared: Sequence[str]) -> None:
    """Say why an actuals file scores nothing: its items are none of the runs' shared ones."""
    if actuals is None or actuals.frame.empty or actuals.on_items(shared).frame.size:
        return
    held = len(actuals.items)
    what = "one series" if held == 1 else f"{held:,} items"
    st.warning(
        f"The actuals file holds {what} and none is an item every run has "
        f"({len(shared):,} shared): a file without an item column is one series, so it scores "
        "runs of one series only. Add an item column naming each series as the forecasts do.",
        icon=":material/link_off:",
    )


def accuracy_frame(rows: Sequence[AccuracyRow]) -> pd.DataFrame:
    """One row per run: overall scores, coverage per band, steps scored, and where it is best."""
    records = []
    for row in rows:
        coverage = ", ".join(f"{level}%: {share:.0%}" for level, share in row.coverage.items())
        records.append(
            {
                RUN_COLUMN: row.label,
                **row.values,
                COVERAGE: coverage or UNKNOWN,
                "Steps scored": row.steps,
                BEST_COLUMN: ", ".join(row.best),
                NOT_COMPUTED: "; ".join(row.missing),
            }
        )
    table = pd.DataFrame(records)
    # A metric no run has is left out: NOT_COMPUTED says why, instead of a column of blanks.
    empty = [metric.label for metric in METRICS if table[metric.label].isna().all()]
    table = table.drop(columns=empty)
    return table if table[NOT_COMPUTED].astype(bool).any() else table.drop(columns=NOT_COMPUTED)


def accuracy_table(rows: Sequence[AccuracyRow], source: str) -> None:
    """The runs' accuracy side by side, each metric's best named in the last column."""
    number = st.column_config.NumberColumn
    config = {
        metric.label: number(metric.label, format=metric.format, help=metric.definition)
        for metric in METRICS
    }
    config[BEST_COLUMN] = st.column_config.TextColumn("★ best at")
    st.dataframe(accuracy_frame(rows), hide_index=True, key=ACCURACY_KEY, column_config=config)
    st.caption(
        f"Scored against {escape_untrusted(source)}, on the items every run shares. Lower is "
        f"better; coverage is best closest to each band's promise. {escape_markdown(notes())}"
    )


def settings_side_by_side(
    facts: Sequence[ComparedJob], tz: tzinfo, now: datetime, *, with_other_file: bool
) -> None:
    """The verdict, the jobs' settings with differences marked, then how long each took."""
    if len(facts) >= MIN_JOBS:
        verdict_line(verdict(facts))
    else:
        st.caption("One job only, so there is no other job's settings to hold it against.")
    labels = [fact.label for fact in facts]
    settings_table(settings_rows(facts, tz, now), labels)
    if with_other_file:
        st.caption("The file from another tool has no settings or timings to compare.")
    seconds = [elapsed_seconds(fact.job, now) for fact in facts]
    forecast_chart(elapsed_figure(labels, seconds), key="compare_elapsed")


def accuracy_side_by_side(
    runs: Sequence[Run], truth: Observations | None, shared: Sequence[str]
) -> None:
    """Every run scored against the actuals on the items they share, or how to get a score."""
    if truth is None:
        st.caption("Add actuals above (or attach them to a job on its page) to score every run.")
        return
    on_shared = of_items(truth, shared)
    with waiting("Scoring every run against the actuals"):
        scores = {label: score(data, on_shared) for label, data in runs}
    if any(scores.values()):
        accuracy_table(accuracy_rows(scores), truth.source)
    else:
        st.info(
            "No run has an actual at its forecast times for the items they share: add actuals "
            "that cover the forecast horizon.",
            icon=":material/event_busy:",
        )
