"""Which columns name the series: none, one, or several together (store and department)."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import numpy.typing as npt
import pandas as pd

from dashboard.series.series_names import ITEM_WORDS, SERIES_WORDS, rank
from dashboard.tables.table_codes import codes_of

# Values of a column that flags rows rather than naming series.
_FLAGS = frozenset({"true", "false", "0", "1", "yes", "no", "y", "n", "t", "f"})
# Columns tried together, at most (pairs among the likeliest first).
_KEY_CANDIDATES = 6
# Each column's values as codes, factorized once while keys are tried.
Codes = dict[str, npt.NDArray[np.intp]]


def _repeats(frame: pd.DataFrame, columns: list[str], codes: Codes) -> bool:
    """Whether some row repeats another's values in `columns` (each column factorized once)."""
    for name in columns:
        if name not in codes:
            codes[name] = codes_of(frame[name])[0]
    if len(columns) == 1:
        # Codes count the distinct values: fewer than rows, and one repeats.
        return int(codes[columns[0]].max(initial=-1)) + 1 < len(frame)
    key = np.zeros(len(frame), dtype=np.int64)
    for name in columns:
        column = codes[name]
        key = key * (int(column.max(initial=0)) + 1) + column
    if bool(np.all(key[1:] > key[:-1])):
        return False  # rows in order (by series, then time) repeat none: no hashing needed
    return bool(pd.Series(key).duplicated().any())


def _numbers_rows(frame: pd.DataFrame, name: str) -> bool:
    """An "id" or "key" with a value per row numbers rows; an item_id names a series anyway."""
    return name.strip().lower() in {"id", "key"} and frame[name].nunique() == len(frame) > 1


def _candidates(
    frame: pd.DataFrame, names: list[str], notes: list[str]
) -> tuple[list[str], list[str]]:
    """Columns that could name series, likeliest first, and those holding a value per row (an
    id, a row number: they name series of one time each, tried last)."""
    found: list[str] = []
    each_row: list[str] = []
    for name in names:
        # Distinct values stripped once each, not every row: rows share a few hundred ids.
        codes, uniques = codes_of(frame[name])
        stripped = pd.Series(uniques).astype(str).str.strip()
        distinct = stripped.nunique()
        if distinct <= 1:
            if rank(name, ITEM_WORDS) is not None:
                value = stripped.iloc[codes[0]][:40] if len(codes) else ""
                notes.append(f"column {name!r} holds one value ({value!r}): not a series key")
            continue
        if distinct <= 2 and set(stripped.str.lower().unique()) <= _FLAGS:
            continue
        (each_row if distinct == len(codes) else found).append(name)
    return sorted(found, key=_likeliest), each_row


def _likeliest(name: str) -> tuple[bool, int]:
    place = rank(name, ITEM_WORDS)
    return place is None, place or 0


def guess_item(
    frame: pd.DataFrame, names: list[str], time: str, notes: list[str]
) -> str | tuple[str, ...] | None:
    """None when every time appears once; else the first column, or pair of columns, that
    makes each (series, time) appear once, said in the notes when it takes two."""
    codes: Codes = {}
    if not _repeats(frame, [time], codes):
        # One series: named by a column that says so (item_id, sku), else by nothing.
        named = (n for n in names if rank(n, SERIES_WORDS) is not None)
        return next((n for n in named if not _numbers_rows(frame, n)), None)
    candidates, each_row = _candidates(frame, names, notes)
    candidates = candidates[:_KEY_CANDIDATES]
    for name in candidates:
        if not _repeats(frame, [name, time], codes):
            return name
    for pair in combinations(candidates, 2):
        if not _repeats(frame, [*pair, time], codes):
            notes.append(
                f"series named by {pair[0]!r} and {pair[1]!r} together: neither alone gives "
                "each time once"
            )
            return pair
    if candidates:
        notes.append(
            f"times repeat within the series of {candidates[0]!r}: no column (or pair) names "
            "series that hold each time once"
        )
        return candidates[0]
    return each_row[0] if each_row else None
