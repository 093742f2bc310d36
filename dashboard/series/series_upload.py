"""What `POST /forecast` is sent for a file of series: the file itself when any reader reads it
as the page did, else a plain comma CSV of the checked rows with ISO times."""

from __future__ import annotations

import csv
import io
import re
from pathlib import PurePath

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
from python_calamine import CalamineError

from dashboard.forecasts.forecast_data import Dialect, ForecastCsvError, ReadOptions
from dashboard.forecasts.forecast_dialect import sniff_layout
from dashboard.series.observations import ITEM, TIME, VALUE
from dashboard.series.series_columns import SeriesColumns
from dashboard.series.series_rows import to_observations
from dashboard.tables.table_attrs import SHEET, SHEETS, SeriesFileError

# The item every row of a file without an item column is sent as.
UPLOAD_ITEM_COLUMN, UPLOAD_ITEM = "item_id", "series"
# The value column of a wide file melted into rows (one series a column).
UPLOAD_TARGET_COLUMN = "target"
_XLSX_MAGIC = b"PK\x03\x04"
# Dates, or dates and times, as ISO 8601 writes them (a space for the T, as spreadsheets do).
_ISO_TIME = r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?"
# What a CSV field cannot hold unquoted.
_QUOTED = re.compile(r'[,"\r\n]')


def _is_plain_csv(content: bytes) -> bool:
    """Comma-separated, decimal points, one header line, UTF-8: what any CSV reader takes."""
    try:
        return sniff_layout(content, ReadOptions()).dialect == Dialect()
    except ForecastCsvError:
        return False


def _raw_names(content: bytes, spreadsheet: bool) -> list[str]:
    """The header as written in the file: the table read for the page has its names trimmed."""
    if spreadsheet:
        try:
            header = pd.read_excel(io.BytesIO(content), engine="calamine", nrows=0)
        except (CalamineError, ValueError, OSError):
            return []
        return [str(name) for name in header.columns]
    first = content.decode("utf-8-sig", errors="replace").splitlines()[:1]
    return next(csv.reader(first), [])


def _readable_as_is(frame: pd.DataFrame, columns: SeriesColumns) -> bool:
    """ISO times and plain numbers in every row: no reader can take them for something else."""
    times = frame[columns.timestamp].astype(str).str.strip()
    numbers = pd.to_numeric(frame[columns.target].astype(str).str.strip(), errors="coerce")
    return bool(times.str.fullmatch(_ISO_TIME).all()) and bool(numbers.notna().all())


def sendable(
    content: bytes,
    filename: str,
    frame: pd.DataFrame,
    columns: SeriesColumns,
    dayfirst: bool | None = None,
) -> tuple[bytes, str, SeriesColumns]:
    """The bytes to send, their file name and columns: the file itself when the API reads it so.

    A plain CSV or an XLSX workbook goes as it is when it has an item column, its header is
    as read, its times are ISO 8601 and its values plain numbers; anything else goes as a plain
    CSV of the checked rows, so the API reads exactly what the page checked. `frame` is the
    table read from `content` (dashboard/series_files.read_table).
    """
    name = PurePath(filename)
    suffix = name.suffix.lower()
    # The API reads a workbook's first sheet: another sheet goes as the checked rows.
    sheets = frame.attrs.get(SHEETS) or [None]
    spreadsheet = (
        suffix == ".xlsx"
        and content.startswith(_XLSX_MAGIC)
        and frame.attrs.get(SHEET) in (None, sheets[0])
    )
    as_is = (
        columns.is_simple()
        and columns.item is not None
        and (spreadsheet or (suffix == ".csv" and _is_plain_csv(content)))
        and _raw_names(content, spreadsheet) == [str(c) for c in frame.columns]
        and _readable_as_is(frame, columns)
    )
    if as_is:
        return content, filename, columns
    sent, sent_columns = upload_csv(frame, columns, dayfirst=dayfirst)
    return sent, f"{name.stem or 'series'}.csv", sent_columns


def upload_csv(
    frame: pd.DataFrame, columns: SeriesColumns, *, dayfirst: bool | None = None
) -> tuple[bytes, SeriesColumns]:
    """Plain comma CSV with ISO times to send to POST /forecast, and its column names."""
    observed = to_observations(frame, columns, "upload", dayfirst=dayfirst).frame
    if not pd.api.types.is_datetime64_any_dtype(observed[TIME]):
        raise SeriesFileError(
            f"The time column {columns.timestamp!r} holds step numbers (1, 2, 3...), not dates; "
            "the forecasting service needs dates to know the spacing. Write the times as dates."
        )
    item = columns.item if isinstance(columns.item, str) else UPLOAD_ITEM_COLUMN
    target = columns.target if isinstance(columns.target, str) else UPLOAD_TARGET_COLUMN
    if columns.item is None and columns.is_simple():
        observed[ITEM] = UPLOAD_ITEM
    if not isinstance(columns.item, str):
        taken = {columns.timestamp, target}
        while item in taken:
            item = f"{item}_"
    sent = SeriesColumns(item, columns.timestamp, target)
    items_codes, items = pd.factorize(observed[ITEM], sort=False)
    time_codes, times = pd.factorize(observed[TIME], sort=False)
    table = pa.table(
        {
            "item": pc.take(pa.array(items.astype(str), pa.string()), items_codes),
            "time": pc.take(pa.array(iso_text(pd.Series(times)), pa.string()), time_codes),
            "target": observed[VALUE].to_numpy(dtype=np.float64),
        }
    )
    special = any(_QUOTED.search(name) for name in (*items.astype(str), *sent.used()))
    return _plain_csv(sent.used(), table, special), sent


def _plain_csv(names: list[str], table: pa.Table, special: bool) -> bytes:
    """Comma CSV quoting only what must be; pyarrow writes it (pandas takes seconds a million)."""
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow(names)
    quoting = "needed" if special else "none"
    body = io.BytesIO()
    pa_csv.write_csv(table, body, pa_csv.WriteOptions(include_header=False, quoting_style=quoting))
    return header.getvalue().encode("utf-8") + body.getvalue()


def iso_text(moments: pd.Series) -> pd.Series:
    """ISO 8601 text: dates alone when every time is midnight, offsets when zoned."""
    zoned = getattr(moments.dtype, "tz", None) is not None
    wall = moments.dt.tz_localize(None) if zoned else moments
    if not zoned and bool((wall == wall.dt.normalize()).all()):
        dates: pd.Series = wall.dt.strftime("%Y-%m-%d")
        return dates
    text: pd.Series = wall.dt.strftime("%Y-%m-%dT%H:%M:%S")
    if zoned:
        offsets = moments.dt.strftime("%z")
        text = text + offsets.str.replace(r"^([+-]\d{2})(\d{2})$", r"\1:\2", regex=True)
    return text
