"""An uploaded CSV read into a Dataset, or the validation error that says what is wrong with it."""

from __future__ import annotations

import io

import pandas as pd
from pandas.tseries.frequencies import to_offset

from demo_api.data import Dataset
from demo_api.errors import DemoApiError

PRESETS = frozenset(
    {
        "chronos_tiny",
        "chronos_mini",
        "chronos_small",
        "chronos_base",
        "chronos_large",
        "chronos_bolt_small",
        "chronos_bolt_base",
    }
)
MAX_ITEMS = 500
_WEEKLY = tuple(f"W-{day}" for day in ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"))
_FREQUENCIES = ("min", "h", "D", *_WEEKLY, "MS", "ME", "QS", "QE", "YS", "YE")


def _invalid(detail: str) -> DemoApiError:
    return DemoApiError("validation_error", detail)


def read_csv(data: bytes, filename: str, columns: dict[str, str]) -> pd.DataFrame:
    """The upload with `columns` renamed to item_id, timestamp and target, every row readable."""
    if not filename.lower().endswith(".csv"):
        raise _invalid(f"{filename!r}: the demo API accepts CSV files only.")
    try:
        frame = pd.read_csv(io.BytesIO(data))
    except (ValueError, UnicodeDecodeError) as exc:
        raise _invalid(f"{filename!r} is not a readable CSV file: {exc}") from exc
    missing = [name for name in columns.values() if name not in frame.columns]
    if missing:
        raise _invalid(f"Missing column(s) {', '.join(missing)}; found {list(frame.columns)}.")
    frame = frame.rename(columns={v: k for k, v in columns.items()})[list(columns)]
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], errors="coerce", format="mixed")
    frame["target"] = pd.to_numeric(frame["target"], errors="coerce")
    bad = frame[frame["timestamp"].isna() | frame["target"].isna()]
    if len(bad):
        raise _invalid(
            f"{len(bad)} row(s) have an unreadable timestamp or target (first: row "
            f"{int(bad.index[0]) + 2})."
        )
    return frame


def _frequency(frame: pd.DataFrame, freq: str | None) -> str:
    if freq:
        try:
            return str(to_offset(freq).freqstr)
        except ValueError as exc:
            raise _invalid(f"Unknown freq {freq!r}.") from exc
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
        season=None,
        series=series,
    )


def check_preset(presets: str) -> None:
    """422 `invalid_preset` unless `presets` names one of PRESETS."""
    if presets not in PRESETS:
        raise DemoApiError(
            "invalid_preset",
            f"Unknown preset {presets!r}; use one of {', '.join(sorted(PRESETS))}.",
        )


def to_dataset(frame: pd.DataFrame, freq: str | None, filename: str) -> Dataset:
    """The frame read by `read_csv` as regular series, at `freq` or the one inferred."""
    return _dataset(frame, _frequency(frame, freq), filename)
