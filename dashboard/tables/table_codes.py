"""Each text column's distinct values and every row's code, found once and shared by the readers.

Guessing which column is which (dashboard/series/series_keys.py) and reading the rows
(dashboard/series/series_rows.py, dashboard/series/series_values.py) both need the distinct values
of the item and time columns; hashing 200,000 texts twice over costs more than anything else they
do. The codes are kept for the column's arrow data, which cannot change, and dropped with it.
"""

from __future__ import annotations

import threading
import weakref

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa

# Columns whose codes are kept at once, at most (a few tables, each read in turn).
KEPT = 16
Codes = tuple[npt.NDArray[np.intp], pd.Index]
_kept: dict[int, Codes] = {}
_lock = threading.Lock()


def codes_of(column: pd.Series) -> Codes:
    """`pd.factorize(column, use_na_sentinel=False)`: each distinct value in order of first
    appearance (NA one of them), and the row's code; remembered while the column's data lives."""
    data = _arrow_data(column)
    key = id(data)
    with _lock:
        found = _kept.get(key) if data is not None else None
    if found is not None:
        return found
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    found = (codes, pd.Index(uniques))
    if data is not None:
        with _lock:
            while len(_kept) >= KEPT:
                _kept.pop(next(iter(_kept)))
            _kept[key] = found
        # The entry goes with the data, before its id can be another's.
        weakref.finalize(data, _forget, key, found)
    return found


def _forget(key: int, found: Codes) -> None:
    with _lock:
        if _kept.get(key) is found:
            del _kept[key]


def _arrow_data(column: pd.Series) -> pa.ChunkedArray | None:
    """The column's arrow data (immutable, so codes found for it stay true), or None."""
    values = column.array
    if not isinstance(values, pd.arrays.ArrowExtensionArray):
        return None
    data = values.__arrow_array__()
    return data if isinstance(data, pa.ChunkedArray) else None


def recoded(codes: npt.NDArray[np.intp], uniques: pd.Index, *, sort: bool = False) -> Codes:
    """Codes over `uniques` (each value rewritten: stripped, say) turned into codes over their
    distinct values, NA coded -1: what `pd.factorize` of the rewritten rows gives."""
    inner, distinct = pd.factorize(uniques, sort=sort)
    return inner[codes], pd.Index(distinct)
