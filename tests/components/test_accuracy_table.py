"""The accuracy table: one row per item in the order given, each with a link to its chart."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pandas as pd

from components.forecast.accuracy_table import item_link, metric_notes, score_table
from components.forecast.observed_files import known_line, time_span
from dashboard.analysis.accuracy import Accuracy, ItemScore
from dashboard.analysis.metrics import NOT_COMPUTED
from dashboard.series.observations import ITEM, TIME, VALUE, Observations

HOSTILE = "a&b=<c>#d"


def item_score(item: str, mase: float | None) -> ItemScore:
    return ItemScore(item, 12, 1.0, 2.0, 0.01, mase, 0.02, {80: 0.75, 50: 0.5})


def test_rows_keep_the_worst_first_order_and_name_each_band_by_its_coverage() -> None:
    table = score_table([item_score("B", 2.0), item_score("A", None)], "job-1")
    assert table["item"].tolist() == ["B", "A"]
    assert table["in 80% band"].tolist() == [0.75, 0.75]
    assert pd.isna(table["MASE"].iloc[1])
    assert list(table.columns)[:7] == [
        "item",
        "steps",
        "MAE",
        "RMSE",
        "sMAPE (%)",
        "MASE",
        "wQL",
    ]


def test_a_metric_no_row_has_is_left_out_and_each_row_says_why() -> None:
    why = "MASE needs at least 13 history points before the forecast (season length 12); 5 known"
    scores = [
        ItemScore("A", 12, 1.0, 2.0, 5.0, None, 0.02, missing={"mase": why}),
        ItemScore("B", 12, 1.0, 2.0, 5.0, None, 0.02, missing={"mase": why}),
    ]
    table = score_table(scores, "job-1")
    assert "MASE" not in table.columns
    assert table[NOT_COMPUTED].tolist() == [why, why]
    assert NOT_COMPUTED not in score_table([item_score("C", 1.0)], None).columns


def test_the_overall_row_has_no_chart_link() -> None:
    assert "chart" not in score_table([item_score("All items", 1.0)], None).columns


def test_an_item_link_opens_the_viewer_on_that_item_whatever_its_characters() -> None:
    link = item_link("job-1", HOSTILE)
    parts = urlsplit(link)
    assert parts.path == "forecast"
    assert (parts.scheme, parts.netloc, parts.fragment) == ("", "", "")
    assert parse_qs(parts.query) == {"job": ["job-1"], "item": [HOSTILE]}


def test_the_notes_name_the_season_length_and_the_scored_column() -> None:
    accuracy = Accuracy([item_score("A", 1.0)], item_score("All items", 1.0), 12, 24, [], 7, "p50")
    notes = metric_notes(accuracy)
    assert "season length 7 steps" in notes
    assert "Scored against the column p50" in notes


def observed(times: pd.Series, items: list[str]) -> Observations:
    frame = pd.DataFrame({ITEM: items, TIME: times, VALUE: [1.0] * len(items)})
    return Observations(frame, "the uploaded file sales.csv (this session)")


def test_the_known_line_says_where_from_how_many_items_and_which_dates() -> None:
    times = pd.Series(pd.to_datetime(["2024-01-01", "2024-06-30", "2024-03-01"]))
    line = known_line(observed(times, ["a", "b", "c"]))
    assert line == (
        "Observed values from the uploaded file sales.csv (this session): 3 items, "
        "2024-01-01 … 2024-06-30"
    )


def test_time_spans_keep_hours_zones_and_steps() -> None:
    zoned = pd.Series(pd.to_datetime(["2024-01-01T10:30:00+05:30", "2024-01-02T00:00:00+05:30"]))
    assert time_span(zoned) == "2024-01-01 10:30 … 2024-01-02 00:00 (UTC+05:30)"
    assert time_span(pd.Series([3.0, 40.0])) == "steps 3 … 40"
