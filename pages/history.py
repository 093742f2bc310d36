"""Recent jobs: the token's job history on this API, searchable, with trends over weeks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import streamlit as st

import deps
from components.common.plain_text import escape_markdown
from components.history.history_table import history_filters, history_table, watch_selected
from components.history.history_trends import TREND_DAYS, trend_charts
from components.shell.app_shell import require_app_shell
from dashboard.jobs.job_history import DEMO_ORIGIN, origin_label
from dashboard.jobs.timing import viewer_timezone
from store import StoreError

require_app_shell(deps)
st.title("Recent jobs")
tz = viewer_timezone(st.context.timezone)
today = datetime.now(UTC).astimezone(tz).date()
known = deps.session_tenant()
if known is None:
    st.info(
        "Connect to an API with a token in the sidebar: the jobs this dashboard saw with that "
        "token are listed here."
    )
    st.stop()

demo = known.origin == DEMO_ORIGIN
# Everyone on the built-in demo holds its token: there the history is this browser's own.
holder = "this browser" if demo else "this token"
st.caption(
    f"Jobs this dashboard saw on {escape_markdown(origin_label(known.origin))} with {holder} "
    "(on the job page, the watch list, the forecast viewer), newest first. "
    + ("Only this browser sees them." if demo else "Only sessions holding the same token see them.")
)
chosen = history_filters(today, tz)
try:
    entries = deps.job_history(chosen)
    # The trends count the rows the table lists: the same filters, one definition (store).
    trends = deps.history_trends(days=TREND_DAYS, by_preset=True, zone=tz, chosen=chosen)
except StoreError as err:
    st.error(
        f"**The job history cannot be read.** {escape_markdown(str(err))}",
        icon=":material/database:",
    )
    st.stop()

if entries:
    watch_selected(history_table(entries, tz))
elif chosen.id_prefix or chosen.status:
    st.info("No job in the history matches these filters. Clear the ID or pick another status.")
else:
    st.info(
        f"No jobs in {holder}'s history for these dates yet. Open a job (or watch some) and "
        "it appears here."
    )

st.header("Trends", anchor=False)
trend_charts(
    trends,
    chosen.since.date() if chosen.since else today - timedelta(days=TREND_DAYS - 1),
    (chosen.until - timedelta(days=1)).date() if chosen.until else today,
    key="history_trends",
    empty="No job in the history matches these filters: the trends follow the table's rows.",
)
