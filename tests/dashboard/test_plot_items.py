"""Counting the items a service's forecast plot draws, from its traces' names and groups."""

from __future__ import annotations

import json

import pandas as pd

from dashboard.forecasts.plot_items import plotted_items
from dashboard.safety.plotly_safety import safe_figure
from demo_api.models.figures import forecast_plotly


def _roles(*items: str) -> list[str | None]:
    return [f"{item} {role}" for item in items for role in ("history", "10-90%", "mean")]


def test_each_item_with_history_band_and_mean_counts_once() -> None:
    names = _roles("France", "New Zealand", "Côte d'Ivoire", "Peru")
    assert plotted_items(names, [None] * len(names)) == 4


def test_one_item_with_several_traces_counts_once() -> None:
    assert plotted_items(_roles("France"), []) == 1


def test_roles_the_list_does_not_know_show_by_repeating() -> None:
    names: list[str | None] = ["north p05", "north p95", "south p05", "south p95"]
    assert plotted_items(names, []) == 2


def test_one_trace_per_item_counts_each_even_with_spaces_in_the_ids() -> None:
    assert plotted_items(["item A", "item B", "item C"], []) == 3


def test_a_bare_history_and_mean_are_the_one_series() -> None:
    assert plotted_items(["history", "mean", "10-90%"], []) == 1


def test_legend_groups_name_the_items_when_every_trace_has_one() -> None:
    names: list[str | None] = ["a", "b", "c", "d"]
    assert plotted_items(names, ["FR", "FR", "DE", "DE"]) == 2


def test_escaped_names_are_read_as_text() -> None:
    names: list[str | None] = ["R&amp;D history", "R&D mean"]
    assert plotted_items(names, []) == 1


def test_a_plot_whose_traces_name_nothing_draws_unknown_items() -> None:
    assert plotted_items([None, "", "  "], [None, None, None]) is None


def test_the_demo_services_plot_of_three_items_counts_three() -> None:
    times = pd.date_range("2024-01-01", periods=6, freq="D")
    history = pd.Series(range(6), index=times, dtype=float)
    ahead = pd.date_range("2024-01-07", periods=2, freq="D")
    forecast = pd.DataFrame({"mean": [6.0, 7.0], "0.1": [5.0, 6.0], "0.9": [7.0, 8.0]}, ahead)
    plot = forecast_plotly([(item, history, forecast) for item in ("FR", "DE 2", "R&D <x>")])
    traces = safe_figure(json.loads(plot)).figure.data
    names = [trace.name for trace in traces]
    assert plotted_items(names, [trace.legendgroup for trace in traces]) == 3
