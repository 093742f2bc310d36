"""Uploaded rows (see upload_tables) as regular series, or the error that says what is wrong."""

from __future__ import annotations

import pandas as pd
from pandas.tseries.frequencies import to_offset

from demo_api.errors import DemoApiError, field_error
from demo_api.models.data_sets import Dataset
from demo_api.models.presets import season_of

MAX_ITEMS = 500
_WEEKLY = tuple(f"W-{day}" for day in ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"))
_FREQUENCIES = ("min", "h", "D", *_WEEKLY, "MS", "ME", "QS", "QE", "YS", "YE")


def _invalid(detail: str) -> DemoApiError:
    return DemoApiError("validation_error", detail)


def _frequency(frame: pd.DataFrame, freq: str | None) -> str:
    if freq:
        try:
            return str(to_offset(freq).freqstr)
        except ValueError as exc:
            raise field_error("validation_error", "freq", f"unknown frequency {freq!r}") from exc
    longest = max((g.sort_values() for _, g in frame.groupby("item_id")["timestamp"]), key=len)
    stamps = pd.DatetimeIndex(longest)
    # Tried in order instead of pd.infer_freq, which warns under pandas 3 and needs 3 points.
    for candidate in _FREQUENCIES:
        if pd.date_range(stamps[0], periods=len(stamps), freq=candidate).equals(stamps):
            return candidate
    raise _invalid("Could not infer the series frequency; pass freq (e.g. D, W-MON, MS).")


def _dataset(frame: pd.DataFrame, freq: str, filename: str) -> Dataset:
    series: dict[str, pd.Series] = {}
    for item, group in frame.groupby("item_id", sort=False):
        if len(group) < 2:
            raise _invalid(f"Series {item!r} has {len(group)} point; at least 2 are needed.")
        if group["timestamp"].duplicated().any():
            raise _invalid(f"Series {item!r} has duplicate timestamps.")
        values = group.set_index("timestamp")["target"].sort_index().astype(float)
        regular = values.asfreq(freq)
        if regular.notna().sum() < 2:
            raise _invalid(f"Series {item!r} does not follow the frequency {freq}.")
        series[str(item)] = regular.interpolate()
    if len(series) > MAX_ITEMS:
        raise _invalid(f"{len(series)} items; the demo API forecasts at most {MAX_ITEMS}.")
    return Dataset(
        name=f"upload:{filename}",
        source=f"uploaded file {filename}",
        freq=freq,
        season=season_of(freq),
        series=series,
    )


def to_dataset(frame: pd.DataFrame, freq: str | None, filename: str) -> Dataset:
    """The frame read by `read_table` as regular series, at `freq` or the one inferred."""
    return _dataset(frame, _frequency(frame, freq), filename)
