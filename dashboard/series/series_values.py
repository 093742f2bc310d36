"""Cells of a file of series read as values: numbers, missing cells, times, and the lines to name.

`read_table` (dashboard/tables/table_reading.py) indexes each row by its line in the file and sets
the frame.attrs keys of dashboard/tables/table_attrs.py; these readers use them so every message
names lines as the file has them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, timedelta, timezone

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.forecasts.forecast_data import ForecastCsvError, ReadOptions
from dashboard.forecasts.forecast_time_formats import FAMILIES
from dashboard.forecasts.forecast_times import ParsedTimes, parse_times
from dashboard.tables.table_attrs import LINES
from dashboard.tables.table_codes import codes_of, recoded
from dashboard.tables.table_times import period_times

# Lines named in a message, at most.
SHOWN_LINES = 5
# Cells that say "no value", as statistics offices, R, SAS, Stata and spreadsheets write them.
_MISSING = frozenset(
    {"", "na", "n/a", "n.a.", "nan", "null", "none", "nil", "#n/a", "-", "--", ".", "..", "...",
     ":", "#value!", "#div/0!", "#ref!", "#num!"}
)  # fmt: skip
_DECIMAL_COMMA = r"^[+-]?\d+,\d+$"
# 1.234.567,89 as European spreadsheets write it with the thousands grouped.
_GROUPED_THOUSANDS = r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$"
# 12,345.60 as English-speaking tools write it; 12 345,6 and 12'345.6 with spaces, apostrophes.
_COMMA_THOUSANDS = r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$"
_SPACE_THOUSANDS = r"^[+-]?\d{1,3}(?:[ \u00a0\u202f']\d{3})+(?:[.,]\d+)?$"
# Every cell the patterns above match (and pandas alone reads none of them).
_DIGITS_AND_MARKS = r"[+-]?\d[\d.,' \u00a0\u202f]*"
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


def stripped_codes(text: pd.Series) -> tuple[npt.NDArray[np.intp], pd.Index]:
    """The column's codes (tables/table_codes.py) over its distinct values, stripped."""
    codes, uniques = codes_of(text)
    return codes, pd.Index(pd.Series(uniques).astype(str).str.strip())


def numbers_of(text: pd.Series, decimal: str | None) -> pd.Series:
    """Cells as floats, NaN where they are no finite number; grouped thousands and a decimal
    comma where allowed. Plain numbers are parsed once, in C; only the others are looked at."""
    if decimal == ",":
        text = text.astype(str).str.strip()
        grouped = text.str.fullmatch(_GROUPED_THOUSANDS).fillna(False).to_numpy(dtype=bool)
        text = text.where(~grouped, text.str.replace(".", "", regex=False))
        text = text.str.replace(",", ".", regex=False)
    cast = _cast(text) if decimal != "," else None
    if cast is not None:
        return pd.Series(cast, index=text.index)
    numbers = pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64, copy=True)
    failed = np.isnan(numbers)
    if failed.any():
        numbers[failed] = _written_numbers(text[failed].astype(str).str.strip(), decimal)
    numbers[~np.isfinite(numbers)] = np.nan
    return pd.Series(numbers, index=text.index)


def _cast(text: pd.Series) -> npt.NDArray[np.float64] | None:
    """Every cell a plain finite number, cast in C++ (pyarrow); None when one is not."""
    try:
        cast = pc.cast(pa.array(text.array), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError):
        return None
    numbers: npt.NDArray[np.float64] = np.asarray(cast, dtype=np.float64)
    return numbers if bool(np.isfinite(numbers).all()) else None


def _flags(matched: pd.Series) -> npt.NDArray[np.bool_]:
    found: npt.NDArray[np.bool_] = matched.fillna(False).to_numpy(dtype=bool)
    return found


def _written_numbers(text: pd.Series, decimal: str | None) -> npt.NDArray[np.float64]:
    """Numbers with grouped thousands (12,345.60; 12 345,6), or a spreadsheet's "1,5"."""
    numbers: npt.NDArray[np.float64] = pd.to_numeric(text, errors="coerce").to_numpy(
        dtype=np.float64, copy=True
    )
    # Only digits grouped by marks or spaces are rewritten: names and dates are not looked at.
    grouped = _flags(text.str.fullmatch(_DIGITS_AND_MARKS))
    if grouped.any():
        numbers[grouped] = _regrouped(text[grouped], decimal)
    return numbers


def _regrouped(text: pd.Series, decimal: str | None) -> npt.NDArray[np.float64]:
    fixed = text.copy()
    if decimal != ",":
        commas = _flags(text.str.fullmatch(_COMMA_THOUSANDS))
        if decimal is None:  # a spreadsheet's text "1,234" is more likely 1.234 than 1234
            commas = commas & ~_flags(text.str.fullmatch(_DECIMAL_COMMA))
        fixed[commas] = text[commas].str.replace(",", "", regex=False)
    spaced = _flags(text.str.fullmatch(_SPACE_THOUSANDS))
    fixed[spaced] = text[spaced].str.replace(r"[ \u00a0\u202f']", "", regex=True)
    if decimal is None or bool(spaced.any()):
        # Text cells of a spreadsheet: "1,5" is a decimal comma, there being no separator.
        decimal_commas = _flags(fixed.str.fullmatch(_DECIMAL_COMMA))
        fixed[decimal_commas] = fixed[decimal_commas].str.replace(",", ".", regex=False)
    numbers: npt.NDArray[np.float64] = pd.to_numeric(fixed, errors="coerce").to_numpy(
        dtype=np.float64
    )
    return numbers


@dataclass(frozen=True)
class SeriesTimes:
    """Parsed times (datetime64, zoned where the file had zones, or int64 steps) or an error."""

    times: npt.NDArray[np.generic] | pd.DatetimeIndex | None
    kind: str = "datetime"
    error: str | None = None
    # The first lines (file lines) whose time cannot be read, and how many rows in all.
    bad_lines: list[int] = field(default_factory=list)
    bad_count: int = 0
    # What was assumed to read them ("ISO weeks read as the date each starts on").
    note: str | None = None


def parse_series_times(
    text: pd.Series,
    name: str,
    lines: npt.NDArray[np.int64] | None = None,
    *,
    dayfirst: bool | None = None,
) -> SeriesTimes:
    """Read a time column (each distinct text once), or say which lines cannot be read."""
    lines = np.arange(2, len(text) + 2, dtype=np.int64) if lines is None else lines
    # Each distinct text stripped once, not every row: the codes are the column's own.
    codes, distinct = recoded(*stripped_codes(text))
    distinct_text, note = period_times(pd.Series(distinct, dtype="string"))
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
    return SeriesTimes(_zoned(parsed)[codes], parsed.kind, note=note)


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
