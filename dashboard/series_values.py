"""Cells of a file of series read as values: numbers, missing cells, times, and the lines to name.

`read_table` (dashboard/series_files.py) indexes each row by its line in the file and sets the
frame.attrs keys below; these readers use them so every message names lines as the file has them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, timedelta, timezone

import numpy as np
import numpy.typing as npt
import pandas as pd

from dashboard.forecast_data import ForecastCsvError, ReadOptions
from dashboard.forecast_time_formats import FAMILIES
from dashboard.forecast_times import ParsedTimes, parse_times

# frame.attrs keys set by read_table: the decimal mark of a CSV file, and "the index is lines".
DECIMAL, LINES = "series_decimal", "series_lines"
# Lines named in a message, at most.
SHOWN_LINES = 5
_MISSING = frozenset({"", "na", "n/a", "nan", "null", "none", "#n/a", "-"})
_DECIMAL_COMMA = r"^[+-]?\d+,\d+$"
# 1.234.567,89 as European spreadsheets write it with the thousands grouped.
_GROUPED_THOUSANDS = r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$"
# The forecast reader's hints name its command-line flags, which mean nothing on a page.
_CLI_HINTS = re.compile(r": --\w+, dayfirst=\w+")


def lines_of(frame: pd.DataFrame) -> npt.NDArray[np.int64]:
    """Each row's line in the file (header = 1): the index read_table set, else position + 2."""
    if frame.attrs.get(LINES):
        return frame.index.to_numpy(dtype=np.int64)
    return np.arange(2, len(frame) + 2, dtype=np.int64)


def first_lines(lines: npt.NDArray[np.int64], bad: npt.NDArray[np.bool_]) -> list[int]:
    """The first SHOWN_LINES lines where `bad` holds."""
    return [int(line) for line in lines[np.flatnonzero(bad)[:SHOWN_LINES]]]


def lines_text(lines: list[int], count: int) -> str:
    """ "3, 7 and 9" or "3, 7, 9, 12, 15 and 40 more" for a message."""
    shown = ", ".join(map(str, lines))
    more = count - len(lines)
    return f"{shown} and {more:,} more" if more > 0 else shown


def missing_values(text: pd.Series) -> pd.Series:
    """Which cells say "no value" (empty, NA, null...)."""
    return text.astype(str).str.strip().str.lower().isin(_MISSING)


def numbers_of(text: pd.Series, decimal: str | None) -> pd.Series:
    """Cells as floats, NaN where they are no finite number; a decimal comma where allowed."""
    text = text.astype(str).str.strip()
    if decimal == ",":
        grouped = text.str.fullmatch(_GROUPED_THOUSANDS).fillna(False).to_numpy(dtype=bool)
        text = text.where(~grouped, text.str.replace(".", "", regex=False))
        text = text.str.replace(",", ".", regex=False)
    numbers = pd.to_numeric(text, errors="coerce").astype("float64")
    if decimal is None:
        # Text cells of a spreadsheet: "1,5" is a decimal comma, there being no separator.
        commas = text.str.fullmatch(_DECIMAL_COMMA).fillna(False).to_numpy(dtype=bool)
        if commas.any():
            fixed = pd.to_numeric(text[commas].str.replace(",", ".", regex=False), errors="coerce")
            numbers[commas] = fixed
    return numbers.where(np.isfinite(numbers.to_numpy()))


@dataclass(frozen=True)
class SeriesTimes:
    """Parsed times (datetime64, zoned where the file had zones, or int64 steps) or an error."""

    times: npt.NDArray[np.generic] | pd.DatetimeIndex | None
    kind: str = "datetime"
    error: str | None = None
    # The first lines (file lines) whose time cannot be read, and how many rows in all.
    bad_lines: list[int] = field(default_factory=list)
    bad_count: int = 0


def parse_series_times(
    text: pd.Series,
    name: str,
    lines: npt.NDArray[np.int64] | None = None,
    *,
    dayfirst: bool | None = None,
) -> SeriesTimes:
    """Read a time column (each distinct text once), or say which lines cannot be read."""
    lines = np.arange(2, len(text) + 2, dtype=np.int64) if lines is None else lines
    codes, distinct = pd.factorize(text.astype(str).str.strip(), sort=False)
    distinct_text = pd.Series(distinct, dtype="string")
    blank = (distinct_text == "").to_numpy(dtype=bool)
    if blank.any():
        return _bad_times(name, codes, blank, lines, "is empty")

    def line_of(position: int) -> int:
        return int(lines[int(np.argmax(codes == position))])

    try:
        parsed = parse_times(distinct_text, name, ReadOptions(dayfirst=dayfirst), line_of)
    except ForecastCsvError as exc:
        unreadable = _unreadable(distinct_text)
        if unreadable.any():
            return _bad_times(name, codes, unreadable, lines, "cannot be read as a time")
        return SeriesTimes(None, error=_CLI_HINTS.sub("", str(exc)))
    return SeriesTimes(_zoned(parsed)[codes], parsed.kind)


def _unreadable(distinct: pd.Series) -> npt.NDArray[np.bool_]:
    """Texts that no one way of writing times shared by most of the others reads."""
    integers = distinct.str.fullmatch(r"[+-]?\d{1,19}").fillna(False).to_numpy(dtype=bool)
    best = integers
    for family in FAMILIES:
        matched = family.matches(distinct).to_numpy(dtype=bool)
        if matched.sum() > best.sum():
            best = matched
    return ~best


def _bad_times(
    name: str,
    codes: npt.NDArray[np.intp],
    bad_distinct: npt.NDArray[np.bool_],
    lines: npt.NDArray[np.int64],
    what: str,
) -> SeriesTimes:
    bad = bad_distinct[codes]
    shown, count = first_lines(lines, bad), int(bad.sum())
    message = (
        f"The time column {name!r} {what} on line(s) {lines_text(shown, count)}. Write every "
        "time in one format, ISO 8601 at best (2024-01-31 or 2024-01-31T10:00:00Z)."
    )
    return SeriesTimes(None, error=message, bad_lines=shown, bad_count=count)


def _zoned(parsed: ParsedTimes) -> npt.NDArray[np.generic] | pd.DatetimeIndex:
    """Times with the zone the file wrote: one offset as written, several as UTC."""
    if parsed.kind == "step" or parsed.time_offset is None:
        return parsed.values
    sign = -1 if parsed.time_offset.startswith("-") else 1
    hours, minutes = (int(part) for part in parsed.time_offset[1:].split(":"))
    zone = timezone(sign * timedelta(hours=hours, minutes=minutes))
    wall = pd.DatetimeIndex(parsed.values)
    return wall.tz_localize(UTC if parsed.offsets == ("UTC",) else zone)
