"""The Recent jobs and watch list trends: axes fitted to the data, p95 whole, legend below."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import plotly.graph_objects as go

from components.history.history_trends import elapsed_trend_figure, failure_trend_figure
from store import DailyTrend

TODAY = date(2026, 3, 10)
FIRST = TODAY - timedelta(days=55)


def trend(day: date, median: float, p95: float, rate: float = 0.0) -> DailyTrend:
    return DailyTrend(day, "chronos_small", 4, 3, 1, median, p95, rate)


def x_range(fig: go.Figure) -> tuple[datetime, datetime]:
    low, high = fig.layout.xaxis.range
    return datetime.fromisoformat(str(low)), datetime.fromisoformat(str(high))


def test_the_x_axis_fits_the_days_with_data_and_leaves_room_after_today() -> None:
    trends = [trend(TODAY - timedelta(days=1), 10, 40), trend(TODAY, 12, 90)]
    for fig in (
        elapsed_trend_figure(trends, FIRST, TODAY),
        failure_trend_figure(trends, FIRST, TODAY),
    ):
        low, high = x_range(fig)
        # Two days of data fill the axis, not a sliver of an eight-week one.
        assert high - low < timedelta(days=5)
        # Today's points sit inside the axis by at least half a day, so they are drawn whole.
        assert high >= datetime.combine(TODAY, datetime.min.time()) + timedelta(hours=12)
        assert low <= datetime.combine(TODAY - timedelta(days=1), datetime.min.time())


def test_the_elapsed_axis_reaches_above_the_highest_p95() -> None:
    fig = elapsed_trend_figure([trend(TODAY, 12, 900)], FIRST, TODAY)
    low, high = fig.layout.yaxis.range
    assert low == 0
    assert high > 900


def test_failure_rates_of_0_and_100_percent_are_inside_the_axis() -> None:
    trends = [trend(TODAY - timedelta(days=2), 1, 2, 0.0), trend(TODAY, 1, 2, 1.0)]
    low, high = failure_trend_figure(trends, FIRST, TODAY).layout.yaxis.range
    assert low < 0
    assert high > 100


def test_the_legend_sits_under_the_plot_so_a_phone_keeps_its_width() -> None:
    trends = [trend(TODAY, 12, 90)]
    for fig in (
        elapsed_trend_figure(trends, FIRST, TODAY),
        failure_trend_figure(trends, FIRST, TODAY),
    ):
        assert fig.layout.legend.orientation == "h"
        assert fig.layout.legend.y < 0
