"""A read forecast: its columns' roles, its rows indexed by series, and how it was read."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

TimeKind = Literal["datetime", "step"]
IntegerTimes = Literal["step", "s", "ms", "us", "ns"]
# The id of the one series of a file that has no series column.
SINGLE_SERIES = "forecast"
# Joins the values of several series columns into one series id ("store_1 · sales").
ID_JOINER = " · "


class ForecastCsvError(ValueError):
    """The forecast file cannot be read; the message says why and what to do."""


@dataclass(frozen=True)
class Interval:
    """A band between two columns, and the share of outcomes it is meant to cover (percent)."""

    lower: str
    upper: str
    # None when the file does not state it: no tool's default is guessed for it.
    coverage: int | None


# Said wherever a band's coverage would be, when the file does not state it.
UNSTATED = "coverage not stated"


def coverage_text(coverage: int | None) -> str:
    """ "80%", or that the file does not state the coverage."""
    return UNSTATED if coverage is None else f"{coverage}%"


def band_label(coverage: int | None) -> str:
    """A band's name for legends and tables: "80% interval" or "interval, coverage not stated"."""
    return f"interval, {UNSTATED}" if coverage is None else f"{coverage}% interval"


def widest_first(bands: Iterable[Interval]) -> tuple[Interval, ...]:
    """Bands by coverage, widest first; those of unstated coverage last, in their order."""
    return tuple(sorted(bands, key=lambda band: (band.coverage is None, -(band.coverage or 0))))


@dataclass(frozen=True)
class ReadOptions:
    """Corrections for a wrong guess; None keeps the reader's own choice."""

    separator: str | None = None
    decimal: str | None = None
    dayfirst: bool | None = None
    # Convert zoned times to UTC even when the whole column shares one offset.
    utc: bool = False
    integers: IntegerTimes | None = None
    series: tuple[str, ...] | None = None
    time: str | None = None
    point: str | None = None
    bands: tuple[Interval, ...] | None = None
    model: str | None = None


@dataclass(frozen=True)
class ForecastColumns:
    """Which columns hold the series, the time, the point forecast and each band."""

    series: tuple[str, ...]
    timestamp: str
    point: str | None
    point_label: str
    quantiles: tuple[tuple[float, str], ...] = ()
    bands: tuple[Interval, ...] = ()
    ignored: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    model: str | None = None
    time_kind: TimeKind = "datetime"

    @property
    def item(self) -> str:
        """The first series column ("" for a single series); kept for older callers."""
        return self.series[0] if self.series else ""

    @property
    def value_columns(self) -> list[str]:
        """Numeric columns in reading order: point, quantiles by level, then band edges."""
        names = [name for _, name in self.quantiles]
        if self.point is not None and self.point not in names:
            names.insert(0, self.point)
        for band in self.bands:
            names.extend(edge for edge in (band.lower, band.upper) if edge not in names)
        return names

    def intervals(self) -> list[tuple[str, str, int | None]]:
        """(lower column, upper column, coverage % or None if unstated), widest first."""
        return [(band.lower, band.upper, band.coverage) for band in self.bands]


@dataclass(frozen=True)
class Dialect:
    """How the text was split: separator, decimal mark, header lines, lines skipped before it."""

    separator: str = ","
    decimal: str = "."
    header_rows: int = 1
    skip_rows: int = 0
    encoding: str = "utf-8"


@dataclass(frozen=True)
class ForecastData:
    """A parsed forecast, sorted by series then time, with each series' row range."""

    frame: pd.DataFrame
    columns: ForecastColumns
    slices: dict[str, tuple[int, int]]
    # The offset the times are shown in, as written ("+02:00", "Z"), or ("UTC",) when the file
    # carried several offsets (summer time) and its times were converted to UTC.
    offsets: tuple[str, ...] = ()
    items: list[str] = field(default_factory=list)
    dialect: Dialect = field(default_factory=Dialect)
    date_order: str | None = None
    notes: tuple[str, ...] = ()
    # The same offset as "+05:30" ("+00:00" for UTC), None when the times carried no zone.
    time_offset: str | None = None

    def item_frame(self, item: str) -> pd.DataFrame:
        """One series' rows, in time order; O(rows of that series)."""
        start, stop = self.slices[item]
        return self.frame.iloc[start:stop]

    def selection(self, items: Sequence[str]) -> pd.DataFrame:
        """The rows of several series, in the order given."""
        return pd.concat([self.item_frame(item) for item in items if item in self.slices])

    def duplicate_times(self, item: str) -> int:
        """How many of a series' rows repeat the time of the row before."""
        times = self.item_frame(item)[self.columns.timestamp].to_numpy()
        return int((times[1:] == times[:-1]).sum())

    def read_as(self) -> str:
        """One line saying how the file was read, for the viewer to show above the chart."""
        return "; ".join(_read_as_parts(self))


def _band_text(band: Interval) -> str:
    return f"{band.lower} to {band.upper} ({coverage_text(band.coverage)})"


def _read_as_parts(data: ForecastData) -> list[str]:
    columns = data.columns
    series = ", ".join(columns.series) or "none (one series)"
    parts = [f"series: {series} ({len(data.items):,})"]
    zone = f", offset {', '.join(data.offsets)}" if data.offsets else ""
    order = f", {data.date_order}" if data.date_order else ""
    parts.append(f"time: {columns.timestamp} ({columns.time_kind}{order}{zone})")
    parts.append(f"point: {columns.point or 'none'}")
    if columns.bands:
        parts.append("bands: " + ", ".join(_band_text(band) for band in columns.bands))
    if columns.models:
        chosen = columns.model or "each its own series"
        parts.append(f"model: {chosen} of {', '.join(columns.models)}")
    if data.dialect.separator != "," or data.dialect.decimal != ".":
        parts.append(f"separator {data.dialect.separator!r}, decimal {data.dialect.decimal!r}")
    if columns.ignored:
        parts.append(f"ignored: {', '.join(columns.ignored)}")
    return [*parts, *data.notes]
