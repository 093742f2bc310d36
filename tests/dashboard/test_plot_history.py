"""The history a service's plotly forecast plot draws, read as observations per item."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from dashboard.series.observations import ITEM, TIME, VALUE
from dashboard.series.plot_history import SOURCE, item_of, plot_history


def figure(*traces: dict[str, object]) -> bytes:
    return json.dumps({"data": list(traces), "layout": {"title": {"text": "Forecast"}}}).encode()


@pytest.mark.parametrize(
    ("name", "item"),
    [
        ("history", "history"),
        ("History", "history"),
        ("GOOG history", "GOOG"),
        ("a b history", "a b"),
        ("GOOG mean", None),
        ("historyless", None),
        (None, None),
        (3, None),
    ],
)
def test_a_trace_is_history_by_its_name(name: object, item: str | None) -> None:
    assert item_of(name) == item


def test_history_traces_become_rows_per_item_and_the_forecast_traces_are_left_out() -> None:
    content = figure(
        {"name": "GOOG history", "x": ["2024-01-01", "2024-01-02"], "y": [1.0, 2.0]},
        {"name": "GOOG mean", "x": ["2024-01-03"], "y": [3.0]},
        {"name": "AAPL history", "x": ["2024-01-01"], "y": [10.0]},
    )
    seen = plot_history(content)
    assert seen is not None
    assert seen.source == SOURCE
    assert seen.items == ["AAPL", "GOOG"]
    goog = seen.frame[seen.frame[ITEM] == "GOOG"]
    assert goog[TIME].tolist() == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-02")]
    assert goog[VALUE].tolist() == [1.0, 2.0]


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00",
        b"{not json",
        json.dumps({"rows": [1, 2]}).encode(),
        figure({"name": "GOOG mean", "x": [1, 2], "y": [1.0, 2.0]}),
        figure({"name": "history", "x": ["not a time"], "y": ["nor a number"]}),
    ],
)
def test_a_plot_without_readable_history_gives_none(content: bytes) -> None:
    assert plot_history(content) is None


def test_step_times_stay_numbers() -> None:
    seen = plot_history(figure({"name": "history", "x": [1, 2, 3], "y": [5, 6, 7]}))
    assert seen is not None
    assert seen.frame[TIME].tolist() == [1, 2, 3]
