"""Across-items summary of a forecast: where the uncertainty is widest and the change largest."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from dashboard.forecasts.forecast_csv import ForecastData
from dashboard.forecasts.forecast_data import coverage_text

FloatArray = npt.NDArray[np.float64]

# A level this small next to the whole forecast's typical level counts as zero: dividing by it
# would rank near-zero series first for no real reason.
RELATIVE_FLOOR = 1e-6


def _bounds(data: ForecastData) -> tuple[list[str], npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Items in row order with their row ranges (np.add.reduceat needs ascending starts)."""
    names = sorted(data.slices, key=lambda item: data.slices[item][0])
    ranges = np.array([data.slices[item] for item in names], dtype=np.intp)
    return names, ranges[:, 0], ranges[:, 1]


def _column(data: ForecastData, name: str) -> FloatArray:
    return data.frame[name].to_numpy(dtype=np.float64, na_value=np.nan)


def point_values(data: ForecastData) -> FloatArray:
    """The point forecast; without one, the middle of the widest interval."""
    if data.columns.point is not None:
        return _column(data, data.columns.point)
    low, high, _ = data.columns.intervals()[0]
    return (_column(data, low) + _column(data, high)) / 2


def _floor(point: FloatArray) -> float:
    # Finite values only: one infinite value would otherwise make every level count as zero.
    finite = np.abs(point[np.isfinite(point)])
    scale = float(finite.mean()) if finite.size else 0.0
    return max(scale * RELATIVE_FLOOR, np.finfo(np.float64).tiny)


def _ratio(top: FloatArray, bottom: FloatArray, usable: npt.NDArray[np.bool_]) -> FloatArray:
    """top / bottom where usable, NaN elsewhere (never dividing by the unusable values)."""
    return np.divide(top, bottom, out=np.full_like(top, np.nan), where=usable)


def widest_uncertainty(data: ForecastData, *, top: int = 10) -> pd.DataFrame:
    """Items ranked by (high - low) / |point| over their steps, for the widest interval."""
    intervals = data.columns.intervals()
    if not intervals:
        return pd.DataFrame(columns=["item", "interval", "relative_width", "mean_width"])
    low, high, coverage = intervals[0]
    names, starts, stops = _bounds(data)
    width = np.nan_to_num(_column(data, high) - _column(data, low))
    level = np.nan_to_num(np.abs(point_values(data)))
    # Ratio of sums, not mean of ratios: one step with a mean near 0 cannot dominate.
    width_sum = np.add.reduceat(width, starts)
    level_sum = np.add.reduceat(level, starts)
    steps = stops - starts
    relative = _ratio(width_sum, level_sum, level_sum / steps > _floor(level))
    table = pd.DataFrame(
        {
            "item": names,
            "interval": coverage_text(coverage),
            "relative_width": relative,
            "mean_width": width_sum / steps,
        }
    )
    return _top(table, "relative_width", "mean_width", top)


# What the "note" column says where a percentage alone would mislead.
FLAT = "flat: no change over the horizon"
ONE_STEP = "one step only: no change to measure"
FROM_ZERO = "starts at 0: no percentage"
MISSING = "first or last step missing"
# Changes this small next to the values are float noise in a flat forecast, not a change.
FLAT_TOLERANCE = 1e-9


def largest_change(data: ForecastData, *, top: int = 10) -> pd.DataFrame:
    """Items ranked by change of the point forecast from first to last step (relative first).

    Ranked: a percentage change, then a change from 0 by its size, then flat, then missing.
    """
    names, starts, stops = _bounds(data)
    point = point_values(data)
    first, last = point[starts], point[stops - 1]
    change = last - first
    known = np.isfinite(first) & np.isfinite(last)
    flat = known & np.isclose(last, first, rtol=FLAT_TOLERANCE, atol=0.0)
    from_zero = known & ~flat & (np.abs(first) <= _floor(point))
    relative = _ratio(change, np.abs(first), known & ~flat & ~from_zero)
    relative[flat] = 0.0
    group = np.select([from_zero, flat, ~known], [1, 2, 3], default=0)
    note = np.select(
        [~known, flat & (stops - starts == 1), flat, from_zero],
        [MISSING, ONE_STEP, FLAT, FROM_ZERO],
        default="",
    )
    table = pd.DataFrame(
        {
            "item": names,
            "first": first,
            "last": last,
            "change": change,
            "relative": relative,
            "note": note,
        }
    )
    order = np.lexsort((-np.abs(np.nan_to_num(change)), -np.abs(np.nan_to_num(relative)), group))
    return table.iloc[order[:top]].reset_index(drop=True)


def unchanged(table: pd.DataFrame) -> str | None:
    """Why a `largest_change` ranking says nothing (no item changes); None when it says something.

    Changed items rank first, so when the top rows have no change, no item has one.
    """
    notes = set(table["note"])
    if table.empty or notes - {FLAT, ONE_STEP, MISSING}:
        return None
    if notes == {FLAT}:
        return "Every item's point forecast is flat: no change from the first to the last step."
    return "No item changes from its first to its last step (flat, one step only, or missing)."


def _top(table: pd.DataFrame, primary: str, secondary: str, top: int) -> pd.DataFrame:
    """Largest |primary| first; rows without one after, by |secondary|."""
    primary_size = table[primary].abs().to_numpy()
    order = np.lexsort(
        (-table[secondary].abs().to_numpy(), -np.nan_to_num(primary_size), np.isnan(primary_size))
    )
    return table.iloc[order[:top]].reset_index(drop=True)
