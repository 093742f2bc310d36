"""A service's plot's legend under the plot, the figure grown so that no entry is cut."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import pytest

from dashboard.forecasts.plot_legend import (
    DEFAULT_HEIGHT_PX,
    MAX_ROWS,
    NARROW_WIDTH_PX,
    ROW_PX,
    SLACK_ROWS,
    fitted_legend,
    legend_names,
    legend_rows,
)


def _figure(names: list[str], **layout: object) -> go.Figure:
    figure = go.Figure([go.Scatter(x=[1, 2], y=[3, 4], name=name) for name in names])
    figure.update_layout(**layout)
    return figure


def _items(count: int) -> list[str]:
    return [f"sku_{n:05} {role}" for n in range(count) for role in ("history", "10-90%", "mean")]


@pytest.mark.parametrize("entries", [2, 18, 60, 600])
def test_a_legend_of_any_length_goes_under_the_plot_and_the_figure_grows_for_its_rows(
    entries: int,
) -> None:
    names = _items(entries)[:entries]
    figure = fitted_legend(_figure(names, height=450))
    legend = figure.layout.legend
    assert (legend.orientation, legend.yref, legend.y, legend.yanchor) == (
        "h",
        "container",
        0,
        "bottom",
    )
    rows = min(legend_rows(names), MAX_ROWS)
    assert figure.layout.height >= 450 + rows * ROW_PX
    # Past MAX_ROWS the legend scrolls within its room instead of squeezing the plot away.
    assert legend.maxheight == figure.layout.height - 450 + SLACK_ROWS * ROW_PX
    assert figure.layout.height <= 450 + (MAX_ROWS + 3) * ROW_PX


def test_rows_are_counted_where_the_plot_is_narrowest_and_long_names_take_a_row_each() -> None:
    assert legend_rows(_items(6)) == 9  # two "sku_00000 10-90%" side by side on a phone
    long = [f"{'a very long item name indeed':s} {n} history" for n in range(5)]
    assert legend_rows(long) == 5
    assert legend_rows(long, width_px=NARROW_WIDTH_PX * 4) == math.ceil(5 / 4)
    assert legend_rows([]) == 0


def test_a_figure_without_a_height_grows_from_plotlys_default() -> None:
    figure = fitted_legend(_figure(["a", "b"]))
    assert figure.layout.height > DEFAULT_HEIGHT_PX


def test_a_legend_title_has_a_row_of_its_own() -> None:
    plain = fitted_legend(_figure(["a", "b"]))
    titled = fitted_legend(_figure(["a", "b"], legend_title_text="Items"))
    assert titled.layout.height == plain.layout.height + ROW_PX


def test_figures_that_draw_no_legend_are_left_as_they_are() -> None:
    for figure in (
        _figure(["one trace"]),
        _figure(["a", "b"], showlegend=False),
        go.Figure([go.Scatter(y=[1], showlegend=False), go.Scatter(y=[2], showlegend=False)]),
    ):
        before = figure.to_json()
        assert fitted_legend(figure).to_json() == before


def test_entries_are_counted_as_plotly_draws_them() -> None:
    figure = go.Figure(
        [
            go.Scatter(y=[1], name="<b>FR</b> &amp; co history"),
            go.Scatter(y=[1], name="hidden", showlegend=False),
            go.Scatter(y=[1], name="elsewhere", legend="legend2"),
            go.Scatter(y=[1], name="FR mean"),
        ]
    )
    assert legend_names(figure) == ["FR & co history", "FR mean"]
    assert legend_names(_figure(["alone"], showlegend=True)) == ["alone"]
