"""Series ids from one or several columns, and rows put in series and time order."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from dashboard.forecasts.forecast_index import index_series, series_keys


def frame_of(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["item", "target", "time"])
    return frame.astype({"item": "category", "target": "category"})


def test_no_series_column_makes_one_series() -> None:
    keys, names = series_keys(frame_of([("a", "x", 1), ("b", "y", 2)]), [])
    assert (keys.tolist(), names) == ([0, 0], ["forecast"])


def test_several_series_columns_make_one_id_per_combination_present() -> None:
    frame = frame_of([("a", "x", 1), ("a", "y", 1), ("b", "y", 1), ("a", "x", 2)])
    keys, names = series_keys(frame, ["item", "target"])
    assert [names[key] for key in keys] == ["a · x", "a · y", "b · y", "a · x"]


@pytest.mark.parametrize("seed", range(20))
def test_rows_end_up_grouped_by_series_in_time_order_whatever_their_order(seed: int) -> None:
    rng = random.Random(seed)
    rows = [(rng.choice("abc"), rng.choice("xy"), step) for step in range(30)]
    rng.shuffle(rows)
    frame = frame_of(rows).assign(time=lambda f: f["time"].astype("int64"))
    ordered, slices, repeated = index_series(frame, ["item", "target"], "time")
    assert repeated == 0
    for name, (start, stop) in slices.items():
        part = ordered.iloc[start:stop]
        assert {f"{i} · {t}" for i, t in zip(part["item"], part["target"], strict=True)} == {name}
        assert np.all(np.diff(part["time"].to_numpy()) > 0)
    assert sum(stop - start for start, stop in slices.values()) == len(rows)


def test_rows_already_in_order_are_not_copied() -> None:
    frame = frame_of([("a", "x", 1), ("a", "x", 2), ("b", "x", 1)])
    ordered, _, _ = index_series(frame, ["item"], "time")
    assert ordered is frame


def test_repeated_times_within_a_series_are_counted() -> None:
    frame = frame_of([("a", "x", 1), ("a", "y", 1), ("b", "x", 1)])
    assert index_series(frame, ["item"], "time")[2] == 1
