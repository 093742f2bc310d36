"""Elapsed-time and failure-rate trends per day from a tenant's job history, as plotly charts."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time, timedelta

import plotly.graph_objects as go
import streamlit as st

from components.common.chart_style import titled_layout
from components.common.plain_text import escape_markdown
from dashboard.jobs.timing import format_duration
from dashboard.safety.plotly_safety import plotly_text
from store import DailyTrend, StoreError

# Okabe-Ito, readable on light and dark backgrounds; one colour per preset, in order of size.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
ALL_PRESETS = "all jobs"
MAX_PRESETS = len(PALETTE)
TREND_DAYS = 56  # eight weeks
ELAPSED_TITLE = "Elapsed time per day (median, p95)"
FAILURE_TITLE = "Failure rate per day (of finished)"


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _span(trends: Sequence[DailyTrend], first: date, last: date) -> tuple[date, date]:
    """The days that hold data, within [first, last]: the axis fits them, not the window."""
    days = [t.day for t in trends if first <= t.day <= last] or [first, last]
    return min(days), max(days)


def _x_range(first: date, last: date) -> list[datetime]:
    """From before the first day to after the last, by a day or a twentieth of the span, so
    the points at either end (today's among them) are drawn whole, not cut by the edge."""
    pad = max(timedelta(days=1), (last - first) / 20)
    start = datetime.combine(first, time())
    return [start - pad, datetime.combine(last, time()) + pad]


def _y_top(values: Iterable[float | None]) -> float:
    """Above the highest value by an eighth, so its marker shows whole."""
    return 1.12 * max((v for v in values if v is not None), default=0.0) or 1.0


def _bottom_legend(fig: go.Figure) -> go.Figure:
    """The legend under the plot: on its right it took most of a phone's width from the plot."""
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0})
    return fig


def _by_preset(trends: Sequence[DailyTrend]) -> dict[str, dict[date, DailyTrend]]:
    """Each preset's days; the busiest presets first, at most MAX_PRESETS of them."""
    groups: dict[str, dict[date, DailyTrend]] = {}
    for trend in trends:
        groups.setdefault(trend.preset or ALL_PRESETS, {})[trend.day] = trend
    busiest = sorted(groups, key=lambda name: -sum(t.count for t in groups[name].values()))
    return {name: groups[name] for name in busiest[:MAX_PRESETS]}


def _hover(trend: DailyTrend | None, value: float | None) -> str:
    if trend is None or value is None:
        return ""
    return f"{format_duration(value)} · {trend.completed} completed of {trend.count}"


def elapsed_trend_figure(trends: Sequence[DailyTrend], first: date, last: date) -> go.Figure:
    """Median (solid) and 95th percentile (dotted) elapsed time per day; days without jobs gap."""
    days = _days(*_span(trends, first, last))
    fig = go.Figure()
    drawn: list[float | None] = []
    for (name, by_day), color in zip(_by_preset(trends).items(), PALETTE, strict=False):
        for figure, dash in (("median", "solid"), ("p95", "dot")):
            values = [_elapsed(by_day.get(day), figure) for day in days]
            drawn += values
            fig.add_scatter(
                x=days,
                y=values,
                mode="lines+markers",
                connectgaps=False,
                name=plotly_text(f"{name}: {figure}"),
                line={"color": color, "dash": dash, "width": 2},
                marker={"color": color, "symbol": "circle" if dash == "solid" else "triangle-up"},
                text=[_hover(by_day.get(day), v) for day, v in zip(days, values, strict=True)],
                hovertemplate="%{x|%Y-%m-%d}: %{text}<extra>%{fullData.name}</extra>",
            )
    fig.update_yaxes(title="elapsed (s)", range=[0, _y_top(drawn)])
    fig.update_xaxes(range=_x_range(days[0], days[-1]))
    return _bottom_legend(titled_layout(fig, ELAPSED_TITLE))


def _elapsed(trend: DailyTrend | None, figure: str) -> float | None:
    if trend is None:
        return None
    return trend.median_elapsed if figure == "median" else trend.p95_elapsed


def failure_trend_figure(trends: Sequence[DailyTrend], first: date, last: date) -> go.Figure:
    """Share of finished jobs that failed, per day; days without finished jobs gap."""
    days = _days(*_span(trends, first, last))
    fig = go.Figure()
    for (name, by_day), color in zip(_by_preset(trends).items(), PALETTE, strict=False):
        rates = [_rate(by_day.get(day)) for day in days]
        fig.add_scatter(
            x=days,
            y=rates,
            mode="lines+markers",
            connectgaps=False,
            name=plotly_text(name),
            line={"color": color, "width": 2},
            marker={"color": color, "symbol": "x"},
            hovertemplate="%{x|%Y-%m-%d}: %{y:.0f} % failed<extra>%{fullData.name}</extra>",
        )
    # Below 0 and above 100 by as much, so markers at either bound show whole.
    fig.update_yaxes(title="failed (%)", range=[-6, 106])
    fig.update_xaxes(range=_x_range(days[0], days[-1]))
    return _bottom_legend(titled_layout(fig, FAILURE_TITLE, height=260))


def _rate(trend: DailyTrend | None) -> float | None:
    if trend is None or trend.failure_rate is None:
        return None
    return 100 * trend.failure_rate


NO_TRENDS = (
    "No jobs in this token's history for these days yet: the trends fill in as the "
    "dashboard sees jobs (on the job page, the watch list or here)."
)


def trend_charts(
    trends: Sequence[DailyTrend], first: date, last: date, *, key: str, empty: str = NO_TRENDS
) -> None:
    """Both trend charts, or `empty` when the history has no job in the window."""
    if not trends:
        st.info(empty)
        return
    elapsed = elapsed_trend_figure(trends, first, last)
    st.plotly_chart(elapsed, theme="streamlit", key=f"{key}_elapsed")
    st.plotly_chart(failure_trend_figure(trends, first, last), theme="streamlit", key=f"{key}_fail")
    st.caption(
        "One point per day in your time zone; days without jobs are gaps, not zeros. Elapsed "
        "figures count completed jobs; the failure rate counts completed and failed ones."
    )


def token_trends(load: Callable[[], Sequence[DailyTrend]], today: date, days: int) -> None:
    """The watch list's view of the token's history: the trends of the last `days` days."""
    st.subheader(f"History of this token: last {days // 7} weeks", anchor=False)
    try:
        trends = load()
    except StoreError as err:
        st.caption(f"The job history cannot be read: {escape_markdown(str(err))}")
        return
    trend_charts(trends, today - timedelta(days=days - 1), today, key="watchlist_history")
