"""Compare forecasts: jobs (and another tool's file) item by item, their settings side by side."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

import streamlit as st

import deps
from components.common.waiting import waiting
from components.compare.compare_chart import item_overlays
from components.compare.compare_inputs import (
    job_editor,
    jobs_in_link,
    other_tool_forecast,
    page_actuals,
)
from components.compare.compare_runs import forecast_shelf, gather_runs
from components.compare.compare_tables import (
    accuracy_side_by_side,
    missing_items,
    settings_side_by_side,
    unmatched_actuals,
)
from components.shell.app_shell import require_app_shell
from components.snapshot.create import snapshot_form
from components.snapshot.freeze import comparison_snapshot
from dashboard.analysis.comparison_runs import MIN_JOBS, match_items, one_series_named, truth_on
from dashboard.jobs.timing import viewer_timezone
from dashboard.safety.upload_limits import MAX_FILE_MB

require_app_shell(deps)
st.title("Compare forecasts")
job_ids = jobs_in_link()
job_editor(job_ids)
with st.expander("Another tool's forecast", icon=":material/upload_file:"):
    other = other_tool_forecast()
with st.expander("Actuals for every run", icon=":material/fact_check:"):
    uploaded_actuals = page_actuals(MAX_FILE_MB << 20)

live = deps.connected()
if isinstance(live, deps.Unconnected):
    st.info("Set the API and its token in the sidebar to compare its jobs.")
    st.stop()
if len(job_ids) + (other is not None) < MIN_JOBS:
    st.info(
        "Add at least two runs: two job IDs (or one and another tool's forecast file). "
        "The link to this page then names them, ready to share."
    )
    st.stop()

with waiting(f"Asking the API for {len(job_ids)} jobs"):
    answers = deps.read_jobs(job_ids)
runs = gather_runs(
    job_ids,
    answers,
    live.data.started,
    partial(deps.forecast_data, live.client),
    forecast_shelf(live.data.identity, deps.FORECAST_BUDGET_BYTES),
    other,
)
if len(runs.forecasts) < MIN_JOBS:
    st.info("Fewer than two runs can be drawn, so there is nothing to compare yet.")
    st.stop()

st.subheader("Forecasts item by item")
forecasts = one_series_named(runs.forecasts)
match = match_items({label: data.items for label, data in forecasts})
missing_items(match.missing)
# Every observation known for the jobs, then this page's actuals file, which wins.
known = [live.data.observed(fact.job.job_id) for fact in runs.facts]
truth = truth_on([*known, uploaded_actuals], match.shared)
unmatched_actuals(uploaded_actuals, match.shared)
overlays = item_overlays(forecasts, match.shared, truth)

st.subheader("Settings side by side")
now = datetime.now(UTC)
tz = viewer_timezone(st.context.timezone)
settings_side_by_side(runs.facts, tz, now, with_other_file=other is not None)

st.subheader("Accuracy side by side")
accuracy_side_by_side(forecasts, truth, match.shared)

st.subheader("Share a snapshot", anchor=False)
shown = " ".join([*job_ids, *(item for item, _ in overlays)])
snapshot_form(
    "compare",
    "Comparison of " + ", ".join(fact.label for fact in runs.facts),
    shown,
    partial(comparison_snapshot, overlays, runs.facts, forecasts, truth, match.shared, tz),
    deps.create_snapshot,
)
