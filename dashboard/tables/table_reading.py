"""Reading a CSV file or a spreadsheet into a table of text, its header found and its rows lined.

`read_table` keeps every value as text and indexes each row by its line in the file (or row of
the sheet), so checks and errors can name lines. Lines above the header (a title, a source),
header rows past the first (units, tickers), footers (totals, notes) and empty columns are left
out and said in the table's notes (frame.attrs[NOTES]). Bounds on columns, cells and characters
(dashboard/tables/table_bounds.py, dashboard/tables/workbook_bounds.py) are checked before the work
they bound.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
import pandas as pd

from dashboard.tables.table_arrow import arrow_csv as _arrow_csv
from dashboard.tables.table_attrs import DECIMAL, LINES, NOTES, SeriesFileError
from dashboard.tables.table_bounds import BoundsError, check_csv_text, check_table
from dashboard.tables.table_header import (
    header_count,
    header_start,
    is_footer,
    joined_names,
    looks_unnamed,
    separator_of,
    split_lines,
)
from dashboard.tables.table_sheets import OLE, ZIP, read_sheet, refuse_other_kinds
from dashboard.tables.text_encoding import as_utf8, sample_text

# What the upload widgets of /new and the viewer take: both read them with read_table.
TABLE_TYPES = ("csv", "tsv", "txt", "xlsx", "xlsm", "xls", "ods")
SAMPLE_LINES = 400
# Footers are looked for among this many last rows.
FOOTER_SEARCH = 20
_MB = 1024 * 1024
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_DECIMAL_POINT = re.compile(r"^[+-]?\d*\.\d+(?:[eE][+-]?\d+)?$")
_EXCEL_SEP = re.compile(r"^\"?sep=(.)\"?$")


def read_table(
    content: bytes, filename: str, max_bytes: int, sheet: str | None = None
) -> pd.DataFrame:
    """The file's table (a spreadsheet's `sheet`, else the first that holds one), every value as
    text, indexed by file line; raise SeriesFileError."""
    if len(content) > max_bytes:
        raise SeriesFileError(
            f"{filename!r} is {len(content) / _MB:.1f} MB; files of at most "
            f"{max_bytes / _MB:.0f} MB are accepted. Send fewer rows or fewer series, or "
            "remove columns that are not needed."
        )
    if content.isspace() or not content:
        raise SeriesFileError(f"{filename!r} is empty. Choose the file that holds the series.")
    refuse_other_kinds(content, filename)
    try:
        if content.startswith((ZIP, OLE)):
            frame = read_sheet(content, filename, sheet, _table_of_grid)
        else:
            frame = _read_csv(content, filename)
        check_table(repr(filename), frame)
    except BoundsError as exc:
        raise SeriesFileError(str(exc)) from exc
    frame = _without_footer(_without_blank_rows(frame))
    frame.attrs[LINES] = True
    if frame.empty:
        raise SeriesFileError(
            f"{filename!r} has a header but no rows. Check that the export holds the data."
        )
    return frame


def _without_blank_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows with every cell empty go; a column by column test that stops once none can be."""
    blank = np.ones(len(frame), dtype=bool)
    for name in frame.columns:
        blank &= (frame[name] == "").to_numpy(dtype=bool, na_value=False)
        if not blank.any():
            return frame  # no copy of a table without blank rows
    return frame[~blank]


def _sample_lines(content: bytes) -> tuple[list[str], str]:
    """The first whole lines as text, and the encoding that reads them."""
    text, encoding = sample_text(content)
    return text.splitlines()[:SAMPLE_LINES], encoding


def _read_csv(content: bytes, filename: str) -> pd.DataFrame:
    content = as_utf8(content)
    lines, encoding = _sample_lines(content)
    first = next((line.strip() for line in lines if line.strip()), "")
    excel_sep = _EXCEL_SEP.match(first)
    separator = excel_sep.group(1) if excel_sep else separator_of([x for x in lines if x.strip()])
    if separator is None:
        raise SeriesFileError(
            f"{filename!r} has a single column whatever the separator (comma, semicolon, tab, "
            "|). A series needs a time column and a value column: export it as CSV with a "
            "header line such as 'timestamp,target', or as a spreadsheet."
        )
    rows = split_lines(lines, separator)
    start = header_start(rows)
    count = header_count(rows, start)
    names = _named(joined_names(rows[start : start + count]), filename)
    # numpy counts a 6 MB file's line breaks in a fifth of the time bytes.count takes.
    breaks = int(np.count_nonzero(np.frombuffer(content, dtype=np.uint8) == ord("\n")))
    check_csv_text(repr(filename), breaks + 1, len(names))
    skipped = start + count
    frame = _arrow_csv(content, separator, names, skipped, breaks) if encoding == "utf-8" else None
    if frame is None:
        frame = _pandas_csv(content, filename, (separator, encoding), names, skipped)
    frame.index = pd.RangeIndex(skipped + 1, skipped + 1 + len(frame))
    frame.attrs[DECIMAL] = decimal_mark(rows[skipped:], separator)
    preamble = [" ".join(cell.strip() for cell in row if cell.strip()) for row in rows[:start]]
    frame.attrs[NOTES] = _header_notes([x for x in preamble if x], count, excel_sep is not None)
    return _without_empty_columns(frame)


def _pandas_csv(
    content: bytes, filename: str, dialect: tuple[str, str], names: list[str], skipped: int
) -> pd.DataFrame:
    """Any CSV pandas reads: blank lines kept (rows keep their lines), short rows padded."""
    separator, encoding = dialect
    try:
        return pd.read_csv(
            io.BytesIO(content),
            sep=separator,
            header=None,
            names=names,
            skiprows=skipped,
            dtype=str,
            na_filter=False,
            skip_blank_lines=False,
            encoding="utf-8-sig" if encoding == "utf-8" else encoding,
        )
    except (ValueError, UnicodeDecodeError) as exc:
        raise SeriesFileError(
            f"{filename!r} cannot be read as CSV: {exc}. Every row needs as many fields as "
            f"the header, separated by {separator!r}."
        ) from exc


def _table_of_grid(grid: pd.DataFrame, filename: str) -> pd.DataFrame:
    """A sheet read without a header (every cell text, index = sheet rows) as a named table."""
    rows = grid.head(SAMPLE_LINES).to_numpy().tolist()
    start = header_start(rows)
    count = header_count(rows, start)
    names = _named(joined_names(rows[start : start + count]), filename)
    frame = grid.iloc[start + count :].copy()
    frame.columns = names
    preamble = [" ".join(cell for cell in row if cell.strip()) for row in rows[:start]]
    frame.attrs[NOTES] = _header_notes([line for line in preamble if line], count, False)
    return _without_empty_columns(frame)


def _named(names: list[str], filename: str) -> list[str]:
    if looks_unnamed(names):
        raise SeriesFileError(
            f"The first line of {filename!r} ({', '.join(names)[:80]!r}) holds values, not "
            "column names. Add a header line naming the columns, e.g. "
            "'item_id,timestamp,target'."
        )
    repeated = sorted(name for name, count in Counter(names).items() if count > 1)
    if repeated:
        raise SeriesFileError(
            f"Column {repeated[0]!r} appears more than once in {filename!r}. Rename or remove "
            "the copies, then upload the file again."
        )
    return names


def _header_notes(preamble: list[str], header_rows: int, excel_sep: bool) -> list[str]:
    notes = []
    if preamble and not (excel_sep and len(preamble) == 1):
        shown = preamble[0].strip()[:60]
        notes.append(f"skipped {len(preamble)} line(s) above the header ({shown!r}…)")
    if header_rows > 1:
        notes.append(f"column names joined from a header of {header_rows} rows")
    return notes


def _without_empty_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Unnamed columns without a value (a trailing separator, an empty first column) go."""
    empty = [
        name
        for name in frame.columns
        if str(name).startswith("(unnamed column") and not frame[name].astype(str).str.strip().any()
    ]
    return frame.drop(columns=empty) if empty else frame


def _without_footer(frame: pd.DataFrame) -> pd.DataFrame:
    """Trailing totals, sources and footnotes go, said in the notes."""
    tail = frame.iloc[-FOOTER_SEARCH:].astype(str).to_numpy().tolist()
    count = 0
    while count < len(tail) - 1 and is_footer(tail[-1 - count]):
        count += 1
    if count == 0:
        return frame
    first = " ".join(cell.strip() for cell in tail[-count] if cell.strip())[:60]
    kept = frame.iloc[:-count]
    kept.attrs[NOTES] = [*frame.attrs.get(NOTES, []), f"skipped {count} footer line(s) ({first!r})"]
    return kept


def decimal_mark(rows: Sequence[Sequence[str]], separator: str) -> str:
    """A comma when numbers are written 1,5 and never 1.5 (European Excel)."""
    if separator == ",":
        return "."
    cells = [cell.strip() for row in rows for cell in row]
    commas = sum(bool(_DECIMAL_COMMA.match(cell)) for cell in cells)
    points = sum(bool(_DECIMAL_POINT.match(cell)) for cell in cells)
    return "," if commas and not points else "."
