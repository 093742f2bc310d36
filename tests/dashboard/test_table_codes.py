"""Distinct values found once per text column: the same codes as pandas, never stale, and the
item and time columns of a long file hashed once from guessing to observations."""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from dashboard.series.observations import ITEM, VALUE
from dashboard.series.series_guess import guess_columns
from dashboard.series.series_rows import to_observations
from dashboard.tables import table_codes
from dashboard.tables.table_codes import codes_of, recoded
from dashboard.tables.table_reading import read_table

LIMIT = 1 << 20


def _text(values: list[str]) -> pd.Series:
    return pd.Series(values, dtype="str")


def test_codes_are_pandas_codes_in_order_of_first_appearance() -> None:
    column = _text(["b", "a", "b", "c", "a"])
    codes, uniques = codes_of(column)
    expected_codes, expected_uniques = pd.factorize(column)
    assert codes.tolist() == expected_codes.tolist()
    assert uniques.tolist() == list(expected_uniques)


def test_a_column_asked_again_is_not_hashed_again() -> None:
    frame = pd.DataFrame({"item": _text(["x", "y", "x"])})
    assert codes_of(frame["item"]) is codes_of(frame["item"])


def test_a_column_changed_in_place_gets_codes_of_its_new_values() -> None:
    frame = pd.DataFrame({"item": _text(["x", "y", "x"])})
    codes_of(frame["item"])
    frame.loc[1, "item"] = "x"
    codes, uniques = codes_of(frame["item"])
    assert codes.tolist() == [0, 0, 0]
    assert uniques.tolist() == ["x"]


def test_codes_go_with_their_column() -> None:
    frame = pd.DataFrame({"item": _text(["x", "y"])})
    codes_of(frame["item"])
    kept = len(table_codes._kept)
    del frame
    gc.collect()
    assert len(table_codes._kept) == kept - 1


def test_columns_without_arrow_data_are_factorized_each_time() -> None:
    column = pd.Series(["x", 1, "x"], dtype=object)
    codes, uniques = codes_of(column)
    assert codes.tolist() == [0, 1, 0]
    assert uniques.tolist() == ["x", 1]


def test_recoded_codes_are_those_of_the_rewritten_rows() -> None:
    column = _text([" b", "a ", "b", "a"])
    codes, uniques = codes_of(column)
    stripped = pd.Index(pd.Series(uniques).str.strip())
    got_codes, got_names = recoded(codes, stripped, sort=True)
    expected_codes, expected_names = pd.factorize(column.str.strip(), sort=True)
    assert got_codes.tolist() == expected_codes.tolist()
    assert got_names.tolist() == list(expected_names)


def _long_file(series: int, times: int) -> bytes:
    lines = ["item_id,timestamp,target"]
    for item in range(series):
        lines += [f"s{item},2024-01-{day + 1:02d},{item + day}.5" for day in range(times)]
    return ("\n".join(lines) + "\n").encode()


def test_the_item_and_time_columns_are_hashed_once_from_guessing_to_observations(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    frame = read_table(_long_file(series=30, times=20), "long.csv", LIMIT)
    hashed: list[int] = []
    factorize: Callable[..., Any] = pd.factorize

    def counted(values: Any, *args: Any, **kwargs: Any) -> Any:
        if len(values) == len(frame):
            hashed.append(len(values))
        return factorize(values, *args, **kwargs)

    monkeypatch.setattr(pd, "factorize", counted)
    observed = to_observations(frame, guess_columns(frame), "upload").frame
    assert len(hashed) == 2  # the item column once, the time column once
    assert len(observed) == 600
    assert observed[ITEM].nunique() == 30
    assert np.all(np.diff(observed[VALUE].to_numpy()[:20]) == 1.0)
