"""A table of series read as Observations: values and times parsed once, rows without a value
dropped and counted, every assumption kept in the notes."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from dashboard.forecasts.forecast_data import SINGLE_SERIES
from dashboard.series.observations import ITEM, TIME, VALUE, Observations
from dashboard.series.series_columns import SeriesColumns, as_long
from dashboard.series.series_values import (
    first_lines,
    lines_of,
    lines_text,
    missing_values,
    numbers_of,
    parse_series_times,
    stripped_codes,
)
from dashboard.tables.table_attrs import DECIMAL, NOTES, SeriesFileError
from dashboard.tables.table_codes import Codes, recoded


def to_observations(
    frame: pd.DataFrame, columns: SeriesColumns, source: str, *, dayfirst: bool | None = None
) -> Observations:
    """The rows as Observations; rows without a value are left out; raise SeriesFileError.

    `dayfirst` settles dates such as 01/02/2024 when no day in the column passes 12.
    """
    require_columns(frame, columns)
    long, simple = as_long(frame, columns)
    target, item = simple.long_target(), simple.long_item()
    values = numbers_of(long[target], long.attrs.get(DECIMAL))
    absent = values.isna().to_numpy()
    missing = absent & missing_values(long[target]).to_numpy() if absent.any() else absent
    bad = absent & ~missing
    if bad.any():
        shown = lines_text(first_lines(lines_of(long), bad), int(bad.sum()))
        raise SeriesFileError(
            f"The value column {_shown(columns)} holds text that is not a number on line(s) "
            f"{shown}. Correct those cells (decimal comma or point, no units), or choose "
            "another value column."
        )
    present = ~absent
    kept = long[present] if absent.any() else long
    parsed = parse_series_times(
        kept[simple.timestamp], simple.timestamp, lines_of(kept), dayfirst=dayfirst
    )
    if parsed.error is not None:
        raise SeriesFileError(parsed.error)
    observed = _sorted(_items(kept, item), parsed.times, values.to_numpy(dtype=np.float64)[present])
    notes = [*frame.attrs.get(NOTES, []), *columns.notes]
    if parsed.note:
        notes.append(parsed.note)
    if missing.any():
        notes.append(f"dropped {int(missing.sum()):,} row(s) without a value (empty, NA, ., -...)")
    name = columns.target if isinstance(columns.target, str) else None
    return Observations(observed, source, target_name=name, notes=tuple(notes))


def _sorted(
    items: Codes,
    times: npt.NDArray[np.generic] | pd.DatetimeIndex | None,
    values: npt.NDArray[np.float64],
) -> pd.DataFrame:
    """Rows by item then time, the last of a repeated (item, time) kept: sorted as codes."""
    codes, names = items
    moments = pd.Index(times)  # type: ignore[arg-type]
    keys = moments.asi8 if isinstance(moments, pd.DatetimeIndex) else moments.to_numpy()
    if _ascending(codes, keys):
        # Files are most often written in this order: nothing to sort, nothing repeated.
        return pd.DataFrame({ITEM: names.take(codes), TIME: moments, VALUE: values})
    order = np.lexsort((keys, codes))  # stable: repeats keep the file's order
    codes, keys = codes[order], keys[order]
    last = np.ones(len(order), dtype=bool)
    last[:-1] = (codes[1:] != codes[:-1]) | (keys[1:] != keys[:-1])
    kept = order[last]
    return pd.DataFrame(
        {
            # Taken from the sorted names as they are (arrow text): no Python string per row.
            ITEM: names.take(codes[last]),
            TIME: moments[kept],
            VALUE: values[kept],
        }
    )


def _ascending(codes: npt.NDArray[np.intp], keys: npt.NDArray[np.generic]) -> bool:
    """Whether every row comes after the one above it, by item then time."""
    later_item = codes[1:] > codes[:-1]
    later_time = np.greater(keys[1:], keys[:-1])
    return bool(np.all(later_item | ((codes[1:] == codes[:-1]) & later_time)))


def _shown(columns: SeriesColumns) -> str:
    targets = columns.targets()
    return repr(targets[0]) if len(targets) == 1 else f"{targets[0]!r} (or one beside it)"


def _items(kept: pd.DataFrame, column: str | None) -> Codes:
    """Each row's series as a code over the series' names (stripped), sorted."""
    if column is None:
        return np.zeros(len(kept), dtype=np.intp), pd.Index([SINGLE_SERIES])
    codes, names = recoded(*stripped_codes(kept[column]), sort=True)
    empty = np.flatnonzero(np.asarray(names == "", dtype=bool))
    blank = np.isin(codes, empty) if len(empty) else None
    if blank is not None:
        raise SeriesFileError(
            f"The item column {column!r} is empty on line(s) "
            f"{lines_text(first_lines(lines_of(kept), blank), int(blank.sum()))}. Every row "
            "needs the id of its series: fill it in, or choose another item column."
        )
    return codes, names


def require_columns(frame: pd.DataFrame, columns: SeriesColumns) -> None:
    """Every column named is in the table; else SeriesFileError naming the table's columns."""
    missing = [name for name in columns.used() if name not in frame.columns]
    if missing:
        raise SeriesFileError(
            f"There is no column {missing[0]!r} in the file; its columns are "
            f"{', '.join(map(str, frame.columns))}. Choose one of those."
        )
