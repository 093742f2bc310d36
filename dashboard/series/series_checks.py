"""The checks a file of series passes before it is sent to start a forecast, each problem named."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from dashboard.series.series_columns import SeriesColumns, as_long
from dashboard.series.series_values import (
    SHOWN_LINES,
    first_lines,
    lines_of,
    lines_text,
    missing_values,
    numbers_of,
    parse_series_times,
)
from dashboard.tables.table_attrs import DECIMAL

_MB = 1024 * 1024
MIN_OBSERVATIONS = 2


@dataclass(frozen=True)
class Problem:
    """One thing to fix, naming the file line (header = line 1) or the column it is about."""

    message: str
    column: str | None = None
    line: int | None = None


def check_series(
    frame: pd.DataFrame,
    columns: SeriesColumns,
    *,
    size_bytes: int,
    max_bytes: int,
    max_items: int = 500,
    dayfirst: bool | None = None,
) -> list[Problem]:
    """Every problem that stops the file from being sent; an empty list when there is none."""
    problems = _size(size_bytes, max_bytes)
    chosen = _chosen(frame, columns)
    if chosen:
        return [*problems, *chosen]
    frame, columns = as_long(frame, columns)
    item, target = columns.long_item(), columns.long_target()
    problems += _targets(frame, target, lines_of(frame))
    # Rows without a value are left out (and counted in the reading's notes), not refused.
    frame = frame[~missing_values(frame[target]).to_numpy()]
    lines = lines_of(frame)
    codes, items = _items(frame, item)
    problems += _blank_items(frame, item, lines)
    times = parse_series_times(
        frame[columns.timestamp], columns.timestamp, lines, dayfirst=dayfirst
    )
    if times.error is not None:
        line = times.bad_lines[0] if times.bad_lines else None
        problems.append(Problem(times.error, columns.timestamp, line))
    elif times.kind == "step":
        problems.append(_steps(columns.timestamp))
    problems += _short_series(codes, items, lines)
    if times.times is not None:
        problems += _repeated_times(codes, items, np.asarray(times.times), lines)
    problems += _too_many(len(items), max_items, item)
    return problems


def _size(size_bytes: int, max_bytes: int) -> list[Problem]:
    if size_bytes <= max_bytes:
        return []
    return [
        Problem(
            f"The file is {size_bytes / _MB:.1f} MB; at most {max_bytes / _MB:.0f} MB can be "
            "sent. Send fewer rows or fewer series, or remove the columns not needed."
        )
    ]


def _chosen(frame: pd.DataFrame, columns: SeriesColumns) -> list[Problem]:
    """The chosen columns must exist and be three different ones."""
    names = [str(name) for name in frame.columns]
    problems = [
        Problem(
            f"There is no column {name!r} in the file; its columns are {', '.join(names)}. "
            "Choose one of those.",
            name,
        )
        for name in columns.used()
        if name not in names
    ]
    used = columns.used()
    for name in sorted({name for name in used if used.count(name) > 1}):
        problems.append(
            Problem(
                f"Column {name!r} is chosen for two roles. The item, time and value columns "
                "must be three different columns (or no item column for one series).",
                name,
            )
        )
    return problems


def _items(frame: pd.DataFrame, column: str | None) -> tuple[npt.NDArray[np.intp], list[str]]:
    """Each row's series as a code, and the series ids in first-seen order."""
    if column is None:
        return np.zeros(len(frame), dtype=np.intp), ["(the one series)"]
    codes, uniques = pd.factorize(frame[column].astype(str).str.strip(), sort=False)
    return codes, [str(item) for item in uniques]


def _blank_items(
    frame: pd.DataFrame, column: str | None, lines: npt.NDArray[np.int64]
) -> list[Problem]:
    if column is None:
        return []
    blank = (frame[column].astype(str).str.strip() == "").to_numpy()
    if not blank.any():
        return []
    shown = first_lines(lines, blank)
    return [
        Problem(
            f"The item column {column!r} is empty on line(s) "
            f"{lines_text(shown, int(blank.sum()))}. Every row needs the id of its series: fill "
            "it in, or choose another item column.",
            column,
            shown[0],
        )
    ]


def _targets(frame: pd.DataFrame, column: str, lines: npt.NDArray[np.int64]) -> list[Problem]:
    """Numbers in every row that has a value."""
    text = frame[column]
    values = numbers_of(text, frame.attrs.get(DECIMAL)).to_numpy()
    missing = missing_values(text).to_numpy()
    bad = np.isnan(values) & ~missing
    problems = []
    if bad.any():
        shown = first_lines(lines, bad)
        example = str(text.to_numpy()[int(np.argmax(bad))]).strip()[:40]
        problems.append(
            Problem(
                f"The value column {column!r} holds {example!r}, not a number, on line(s) "
                f"{lines_text(shown, int(bad.sum()))}. Correct those cells (digits with a "
                "decimal point or comma, no units), or choose another value column.",
                column,
                shown[0],
            )
        )
    return problems


def _steps(column: str) -> Problem:
    return Problem(
        f"The time column {column!r} holds step numbers (1, 2, 3...), not dates: the "
        "forecasting service needs dates to know the spacing of the series. Write the times "
        "as dates (2024-01-31, 2024-01-31T10:00:00Z).",
        column,
    )


def _short_series(
    codes: npt.NDArray[np.intp], items: list[str], lines: npt.NDArray[np.int64]
) -> list[Problem]:
    counts = np.bincount(codes[codes >= 0], minlength=len(items))
    short = np.flatnonzero(counts < MIN_OBSERVATIONS)
    if not len(short):
        return []
    named = ", ".join(repr(items[index]) for index in short[:SHOWN_LINES])
    more = f" and {len(short) - SHOWN_LINES:,} more" if len(short) > SHOWN_LINES else ""
    first_line = int(lines[int(np.argmax(codes == short[0]))])
    return [
        Problem(
            f"{len(short):,} series have a single observation: {named}{more}. Each series needs "
            f"at least {MIN_OBSERVATIONS}; add more history or remove those rows.",
            line=first_line,
        )
    ]


def _repeated_times(
    codes: npt.NDArray[np.intp],
    items: list[str],
    times: npt.NDArray[np.generic],
    lines: npt.NDArray[np.int64],
) -> list[Problem]:
    keys = pd.DataFrame({"item": codes, "time": times})
    repeated = keys.duplicated(keep=False).to_numpy()
    if not repeated.any():
        return []
    first = int(np.argmax(repeated))
    same = (
        repeated & (codes == codes[first]) & (keys["time"] == keys["time"].iloc[first]).to_numpy()
    )
    shown = first_lines(lines, same)
    extra = int(keys.duplicated(keep="first").sum())
    return [
        Problem(
            f"Series {items[codes[first]]!r} has the time {keys['time'].iloc[first]} more than "
            f"once (lines {lines_text(shown, int(same.sum()))}); {extra:,} row(s) in all repeat "
            "a time of their series. Keep one row per series and time, or choose the item "
            "column that tells the rows apart.",
            line=shown[0],
        )
    ]


def _too_many(count: int, max_items: int, column: str | None) -> list[Problem]:
    if count <= max_items:
        return []
    return [
        Problem(
            f"The file holds {count:,} series (column {column!r}); at most {max_items:,} can be "
            "forecast at once. Split the file, or check that the item column is the right one.",
            column,
        )
    ]
