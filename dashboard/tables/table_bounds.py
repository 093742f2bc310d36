"""How big a table read from a file may be: columns, cells, characters a cell, each bound named.

Checked before the work they bound wherever the file says enough (a CSV's header and line count,
a spreadsheet's parts, dashboard/tables/workbook_bounds.py), and on the table read, in the worker.
Each refusal is a BoundsError whose message names the file, the figure and the bound.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

MAX_COLUMNS = 1_000
MAX_CELLS = 5_000_000
MAX_CELL_CHARS = 4_096
# Characters every cell of a spreadsheet holds once read (a cell that refers to a shared string
# holds its own copy): about the text of a 100 MB CSV.
MAX_TEXT_CHARS = 100_000_000
# Column guessing looks at the cells of this many columns at most (by name: all of them), in
# the first GUESS_ROWS rows; past them a column has to be named like what it holds.
GUESS_COLUMNS = 64
GUESS_ROWS = 500


class BoundsError(ValueError):
    """A table is bigger than a bound allows; the message names the file, its size and the bound."""


def check_columns(what: str, columns: int) -> None:
    if columns > MAX_COLUMNS:
        raise BoundsError(
            f"{what} has {columns:,} columns; files of at most {MAX_COLUMNS:,} columns are read "
            "here. Keep the columns that are needed (for series: an item, a time and a value "
            "column, one row per series and time)."
        )


def check_cells(what: str, rows: int, columns: int) -> None:
    """Refuse `rows` x `columns` past MAX_CELLS (rows may be an upper bound, e.g. line breaks)."""
    check_columns(what, columns)
    if rows * columns > MAX_CELLS:
        raise BoundsError(
            f"{what} holds up to {rows * columns:,} cells ({rows:,} rows of {columns:,} "
            f"columns); at most {MAX_CELLS:,} cells are read here. Send fewer rows or fewer "
            "columns."
        )


def check_cell_chars(what: str, longest: int, where: str) -> None:
    if longest > MAX_CELL_CHARS:
        raise BoundsError(
            f"{what} has a cell of {longest:,} characters ({where}); cells of at most "
            f"{MAX_CELL_CHARS:,} characters are read here. Shorten or remove that text."
        )


def check_text_chars(what: str, chars: int) -> None:
    if chars > MAX_TEXT_CHARS:
        raise BoundsError(
            f"{what} would hold {chars:,} characters once read (cells that repeat one shared "
            f"text each hold a copy); at most {MAX_TEXT_CHARS:,} are read here. Save the series "
            "alone as CSV and send that."
        )


def check_csv_text(what: str, lines: int, columns: int) -> None:
    """Before a CSV is parsed: its columns, and its cells counted as `lines` (line breaks + 1)
    x columns."""
    check_cells(what, lines, columns)


def check_table(what: str, frame: pd.DataFrame) -> None:
    """A table read as text: its columns, cells and longest cell (names included)."""
    check_cells(what, len(frame), len(frame.columns))
    longest_name = max((len(str(name)) for name in frame.columns), default=0)
    check_cell_chars(what, longest_name, "in the header")
    for name in frame.columns:
        if _bytes_within(frame[name]):
            continue
        lengths = frame[name].astype(str).str.len()
        if len(lengths) and int(lengths.max()) > MAX_CELL_CHARS:
            row = lengths.index[int(lengths.to_numpy().argmax())]
            check_cell_chars(what, int(lengths.max()), f"column {str(name)[:80]!r}, line {row}")


def _bytes_within(column: pd.Series) -> bool:
    """Arrow text whose longest cell in bytes (never fewer than its characters) is within the
    bound: known without a count of characters per cell."""
    if not isinstance(column.array, pd.arrays.ArrowExtensionArray):
        return False
    data = column.array.__arrow_array__()
    if not pa.types.is_string(data.type) and not pa.types.is_large_string(data.type):
        return False
    longest = pc.max(pc.binary_length(data)).as_py()
    return longest is None or longest <= MAX_CELL_CHARS
