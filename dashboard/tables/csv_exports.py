"""CSV files the dashboard hands out, with formula cells neutralised (OWASP CSV injection)."""

from __future__ import annotations

import pandas as pd

# A spreadsheet runs a cell that starts with one of these as a formula or command.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised_cell(value: object) -> object:
    """Text that a spreadsheet would run gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_csv(frame: pd.DataFrame, **to_csv: object) -> bytes:
    """`frame` as UTF-8 CSV, every text cell (and column name) neutralised."""
    safe = frame.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(neutralised_cell)
    safe.columns = [str(neutralised_cell(str(name))) for name in safe.columns]
    # CRLF line ends (RFC 4180): a cell holding a bare CR is then quoted, not split into rows.
    text: str = safe.to_csv(index=False, lineterminator="\r\n", **to_csv)  # type: ignore[call-overload]
    return text.encode("utf-8")
