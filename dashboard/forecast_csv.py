"""Reading a forecast CSV: columns found from the header, parsed with pyarrow, indexed by item."""

from __future__ import annotations

import csv
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
from pandas.tseries.api import guess_datetime_format

# Candidate names, best first; compared after lower-casing and trimming.
ITEM_NAMES = ("item_id", "itemid", "item", "unique_id", "series_id", "series", "id", "sku", "key")
TIMESTAMP_NAMES = ("timestamp", "ds", "date", "datetime", "date_time", "time", "period", "ts")
MEAN_NAMES = ("mean", "point", "forecast", "prediction", "predictions", "pred", "yhat", "y_pred")
MEDIAN_NAMES = ("median",)

# "0.1", ".1", "q10", "q0.1", "p10", "quantile_0.1", "quantile-10", "10%".
_QUANTILE = re.compile(r"^(q|p|quantile|percentile)?[_\-\s]?(\d+(?:\.\d*)?|\.\d+)\s*(%?)$")
# An offset written after a clock time: "...T10:00:00+02:00", "...10:00Z".
_OFFSET = re.compile(r"^(.*\d:\d{2}(?:[.,]\d+)?)\s*(Z|[+-]\d{2}(?::?\d{2})?)$")
# Written for "no value" in numeric columns (pyarrow's own list, lower-cased).
_MISSING_NUMBER = frozenset({"", "na", "n/a", "nan", "-nan", "null", "#n/a", "#na", "none"})
_FIX_HINT = "Open the CSV from the job page's download to check it, or ask the service owner."


class ForecastCsvError(ValueError):
    """The forecast CSV cannot be read; the message says what and what to do."""


@dataclass(frozen=True)
class ForecastColumns:
    """Which header names hold the item, timestamp, point forecast and each quantile level."""

    item: str
    timestamp: str
    point: str | None
    point_label: str
    quantiles: tuple[tuple[float, str], ...] = ()
    ignored: tuple[str, ...] = ()

    @property
    def value_columns(self) -> list[str]:
        """Numeric columns in reading order: point first, then quantiles by level."""
        names = [name for _, name in self.quantiles]
        if self.point is not None and self.point not in names:
            names.insert(0, self.point)
        return names

    def intervals(self) -> list[tuple[str, str, int]]:
        """(low column, high column, coverage %) for each symmetric quantile pair, widest first."""
        by_level = dict(self.quantiles)
        pairs = []
        for level, low in self.quantiles:
            high = next((n for lv, n in by_level.items() if abs(lv - (1 - level)) < 1e-9), None)
            if level < 0.5 and high is not None:
                pairs.append((low, high, round((1 - 2 * level) * 100)))
        return pairs


def quantile_level(name: str) -> float | None:
    """The quantile level a column name stands for (0 < level < 1), or None."""
    match = _QUANTILE.match(name.strip().lower())
    if match is None:
        return None
    prefix, number, percent = match.groups()
    value = float(number)
    if percent or (prefix and value >= 1):
        value /= 100  # "10%", "q10", "p2.5" are percentages
    elif "." not in number:
        return None  # a bare integer such as "10" is too ambiguous to be a quantile
    return value if 0 < value < 1 else None


def _first_named(header: Sequence[str], names: Sequence[str]) -> str | None:
    lowered = {column.strip().lower(): column for column in reversed(header)}
    return next((lowered[name] for name in names if name in lowered), None)


def _quantile_columns(header: Sequence[str]) -> tuple[tuple[float, str], ...]:
    found: dict[float, str] = {}
    for column in header:
        level = quantile_level(column)
        if level is None:
            continue
        if level in found:
            raise ForecastCsvError(
                f"Columns {found[level]!r} and {column!r} both hold quantile {level:g}. "
                f"Keep one of them. {_FIX_HINT}"
            )
        found[level] = column
    return tuple(sorted(found.items()))


def detect_columns(header: Sequence[str]) -> ForecastColumns:
    """Map a CSV header to forecast roles; raise ForecastCsvError when a role is missing."""
    duplicates = sorted({c for c in header if list(header).count(c) > 1})
    if duplicates:
        raise ForecastCsvError(f"Column {duplicates[0]!r} appears more than once. {_FIX_HINT}")
    item = _first_named(header, ITEM_NAMES)
    timestamp = _first_named(header, TIMESTAMP_NAMES)
    quantiles = _quantile_columns(header)
    point, label = _point_column(header, quantiles)
    missing = [role for role, col in (("item", item), ("timestamp", timestamp)) if col is None]
    if point is None and not quantiles:
        missing.append("forecast values (mean, median or quantiles)")
    if item is None or timestamp is None or missing:
        raise _not_a_forecast(header, missing)
    known = {item, timestamp, point, *(name for _, name in quantiles)}
    ignored = tuple(column for column in header if column not in known)
    return ForecastColumns(item, timestamp, point, label, quantiles, ignored)


def _not_a_forecast(header: Sequence[str], missing: list[str]) -> ForecastCsvError:
    expected = (
        f"an item column ({', '.join(ITEM_NAMES[:4])}...), "
        f"a timestamp column ({', '.join(TIMESTAMP_NAMES[:4])}...) "
        "and mean/median or quantile columns (0.1, q10, p10, quantile_0.1, 10%)"
    )
    return ForecastCsvError(
        f"The CSV's columns ({', '.join(header) or 'none'}) do not look like a forecast: "
        f"no {' and no '.join(missing)} column found. Expected {expected}. {_FIX_HINT}"
    )


def _point_column(
    header: Sequence[str], quantiles: tuple[tuple[float, str], ...]
) -> tuple[str | None, str]:
    mean = _first_named(header, MEAN_NAMES)
    if mean is not None:
        return mean, "mean"
    median = _first_named(header, MEDIAN_NAMES) or dict(quantiles).get(0.5)
    return median, "median"


def read_header(content: bytes) -> list[str]:
    """The CSV's column names, from its first line."""
    first_line = content.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace").rstrip("\r")
    if not first_line.strip():
        raise ForecastCsvError(f"The forecast CSV is empty. {_FIX_HINT}")
    return next(csv.reader([first_line]))


@dataclass(frozen=True)
class ForecastData:
    """A parsed forecast, sorted by item then timestamp, with each item's row range."""

    frame: pd.DataFrame
    columns: ForecastColumns
    slices: dict[str, tuple[int, int]]
    offsets: tuple[str, ...] = ()
    items: list[str] = field(default_factory=list)

    def item_frame(self, item: str) -> pd.DataFrame:
        """One item's rows, in time order; O(rows of that item)."""
        start, stop = self.slices[item]
        return self.frame.iloc[start:stop]

    def selection(self, items: Sequence[str]) -> pd.DataFrame:
        """The rows of several items, in the order given."""
        return pd.concat([self.item_frame(item) for item in items if item in self.slices])


def parse_forecast_csv(content: bytes) -> ForecastData:
    """Parse a forecast CSV; raise ForecastCsvError with what is wrong and what to do."""
    columns = detect_columns(read_header(content))
    frame = _read_frame(content, columns)
    if frame.empty:
        raise ForecastCsvError(f"The forecast CSV has a header but no rows. {_FIX_HINT}")
    _require_values(frame[columns.item], columns.item, "item")
    _require_values(frame[columns.timestamp], columns.timestamp, "timestamp")
    stamps, offsets = _timestamp_column(frame[columns.timestamp], columns.timestamp)
    frame[columns.timestamp] = stamps
    return _indexed(frame, columns, offsets)


def _read_frame(content: bytes, columns: ForecastColumns) -> pd.DataFrame:
    # pyarrow's reader (the one behind pandas.read_csv(engine="pyarrow")) called directly, to
    # dictionary-encode item and timestamp: a few thousand distinct strings, not a million.
    labels = pa.dictionary(pa.int32(), pa.string())
    types = {columns.item: labels, columns.timestamp: labels}
    numbers = dict.fromkeys(columns.value_columns, pa.float64())
    try:
        table = _read_table(content, types | numbers)
    except pa.ArrowInvalid as exc:
        if "conversion error" not in str(exc):
            raise ForecastCsvError(f"The forecast CSV is malformed: {exc}. {_FIX_HINT}") from exc
        # Re-read the numbers as text to name the first bad cell (and accept what pandas reads).
        text: pd.DataFrame = _read_table(
            content, types | dict.fromkeys(numbers, pa.string())
        ).to_pandas()
        for name in columns.value_columns:
            text[name] = _as_numbers(text[name], name)
        return text
    frame: pd.DataFrame = table.to_pandas(self_destruct=True, split_blocks=True)
    return frame


def _read_table(content: bytes, types: dict[str, object]) -> pa.Table:
    # Text columns keep every value as written ("NA" is an item name); empty ones are checked.
    options = pa_csv.ConvertOptions(column_types=types, include_columns=list(types))
    return pa_csv.read_csv(pa.py_buffer(content), convert_options=options)


def _as_numbers(text: pd.Series, name: str) -> pd.Series:
    numbers = pd.to_numeric(text, errors="coerce")
    missing = text.isna() | text.str.strip().str.lower().isin(_MISSING_NUMBER)
    bad = (numbers.isna() & ~missing).to_numpy()
    if bad.any():
        row = int(np.argmax(bad))
        raise ForecastCsvError(
            f"Column {name!r} should hold numbers but has {text.iloc[row]!r} on line {row + 2}. "
            f"{_FIX_HINT}"
        )
    return numbers.astype("float64")


def _first_line_of(column: pd.Series, positions: npt.ArrayLike) -> tuple[int, int]:
    """The file line of the first row whose category is in `positions`, and how many rows."""
    hits = np.isin(column.cat.codes.to_numpy(), positions) | (column.cat.codes.to_numpy() < 0)
    return int(np.argmax(hits)) + 2, int(hits.sum())


def _require_values(column: pd.Series, name: str, role: str) -> None:
    blank = np.flatnonzero(column.cat.categories.str.strip() == "")
    if len(blank) or column.isna().any():
        line, count = _first_line_of(column, blank)
        raise ForecastCsvError(
            f"The {role} column {name!r} is empty on line {line} "
            f"({count} row(s) in all). Every row needs a {role}. {_FIX_HINT}"
        )


class _UnreadableTimestampError(ValueError):
    def __init__(self, position: int) -> None:
        super().__init__(position)
        self.position = position


def _timestamp_column(column: pd.Series, name: str) -> tuple[npt.NDArray[Any], tuple[str, ...]]:
    """Parse each distinct timestamp once, then spread the results over the rows."""
    distinct = pd.Series(column.cat.categories, dtype="string")
    try:
        parsed, offsets = parse_timestamps(distinct)
    except _UnreadableTimestampError as exc:
        line, _ = _first_line_of(column, [exc.position])
        raise ForecastCsvError(
            f"The timestamp column {name!r} has {distinct.iloc[exc.position]!r} on line {line}, "
            "which is not a date or time. Use ISO 8601 (2024-01-31 or 2024-01-31T10:00:00). "
            f"{_FIX_HINT}"
        ) from exc
    return parsed.to_numpy()[column.cat.codes.to_numpy()], offsets


def parse_timestamps(text: pd.Series) -> tuple[pd.Series, tuple[str, ...]]:
    """Timestamps as written (wall-clock, never converted), plus the offsets they carried."""
    try:
        parsed = pd.to_datetime(text, format="ISO8601")
    except ValueError as exc:
        if "Mixed timezones" in str(exc):
            wall_clock = text.str.replace(_OFFSET, r"\1", regex=True)
            return _parse_inferred(wall_clock, iso=True), _offsets(text)
        return _parse_inferred(text), ()
    if parsed.dt.tz is None:
        return parsed, ()
    # One shared offset: keep the wall-clock time as written and remember the offset.
    return parsed.dt.tz_localize(None), _offsets(text)


def _offsets(text: pd.Series) -> tuple[str, ...]:
    written = text.str.extract(_OFFSET, expand=True)[1].dropna()
    return tuple(sorted(written.unique()))


def _parse_inferred(text: pd.Series, *, iso: bool = False) -> pd.Series:
    # One format guessed from the first value keeps parsing vectorised and consistent.
    with warnings.catch_warnings(action="ignore", category=UserWarning):  # the guess is the point
        guessed = None if iso else guess_datetime_format(str(text.iloc[0]))
    try:
        return pd.to_datetime(text, format="ISO8601" if iso else guessed or "mixed")
    except ValueError as exc:
        bad = pd.to_datetime(text, format="ISO8601", errors="coerce").isna().to_numpy()
        raise _UnreadableTimestampError(int(np.argmax(bad))) from exc


def _indexed(
    frame: pd.DataFrame, columns: ForecastColumns, offsets: tuple[str, ...]
) -> ForecastData:
    codes = frame[columns.item].cat.codes.to_numpy()
    order = np.lexsort((frame[columns.timestamp].to_numpy().view("i8"), codes))
    if not np.array_equal(order, np.arange(len(order))):
        frame = frame.take(order).reset_index(drop=True)
        codes = codes[order]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    stops = np.r_[starts[1:], len(codes)]
    names = [str(name) for name in frame[columns.item].cat.categories]
    slices = {
        names[codes[start]]: (int(start), int(stop))
        for start, stop in zip(starts, stops, strict=True)
    }
    return ForecastData(frame, columns, slices, offsets, sorted(slices))
