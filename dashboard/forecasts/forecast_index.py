"""Indexing forecast rows by series: one id per mix of series values, rows in time order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from dashboard.forecasts.forecast_data import ID_JOINER, SINGLE_SERIES

# Category codes as pandas keeps them (int8 to int32): no wider copy of a million of them.
Codes = npt.NDArray[np.integer[Any]]


def series_keys(frame: pd.DataFrame, series: Sequence[str]) -> tuple[Codes, list[str]]:
    """A key per row (same key, same series) and the id of each key."""
    if not series:
        return np.zeros(len(frame), dtype=np.int8), [SINGLE_SERIES]
    codes: list[Codes] = [frame[name].cat.codes.to_numpy() for name in series]
    labels = [frame[name].cat.categories.astype(str).tolist() for name in series]
    if len(series) == 1:
        return codes[0], labels[0]
    key = codes[0].astype(np.int64)
    for column, names in zip(codes[1:], labels[1:], strict=True):
        key = key * len(names) + column
    distinct, key = np.unique(key, return_inverse=True)
    return key, [_joined(int(value), labels) for value in distinct]


def _joined(value: int, labels: list[list[str]]) -> str:
    """The id of a combined key: each column's label, first column first."""
    parts = []
    for names in reversed(labels):
        value, code = divmod(value, len(names))
        parts.append(names[code])
    return ID_JOINER.join(reversed(parts))


def _in_order(key: Codes, times: Codes) -> bool:
    """Whether rows already run series by series, each in time order (no sort needed)."""
    key_step, time_step = np.diff(key), np.diff(times)
    return bool(((key_step > 0) | ((key_step == 0) & (time_step >= 0))).all())


def index_series(
    frame: pd.DataFrame, series: Sequence[str], time: str
) -> tuple[pd.DataFrame, dict[str, tuple[int, int]], int]:
    """Rows sorted by series then time, each series' row range, and rows that repeat a time."""
    key, names = series_keys(frame, series)
    times = frame[time].to_numpy().view("i8")
    if not _in_order(key, times):
        order = np.lexsort((times, key))
        frame = frame.take(order).reset_index(drop=True)
        key, times = key[order], times[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    stops = np.r_[starts[1:], len(key)]
    slices = {
        names[key[start]]: (int(start), int(stop))
        for start, stop in zip(starts, stops, strict=True)
    }
    repeated = int(((key[1:] == key[:-1]) & (times[1:] == times[:-1])).sum())
    return frame, slices, repeated
